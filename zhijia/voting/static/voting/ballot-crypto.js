// module voting: encryption of a ballot in the voter's browser (issue 11, docs/voting.md),
// the JavaScript twin of zhijia/voting/crypto/ballot.py. Used by encrypt-form.js on the ballot
// page of an encrypted poll.
//
// encryptBallot(manifest, choice, {ballotId, masterNonce, key, qbar, previousTracker}) gives
// {ballot, masterNonce}: the ballot as the election record writes it ({id, selections:
// [{alpha, beta, proof}], sum_proof, tracker}, numbers as lowercase hexadecimal): one exponential ElGamal ciphertext
// per option and placeholder, each with a disjunctive Chaum-Pedersen proof that it is 0 or 1,
// and a proof that they sum to votes_allowed. The nonces are derived from the master nonce
// exactly as in Python (same master nonce, same ciphertexts); the proofs' own randomness is
// fresh. Hashes use the browser's SHA-256 (crypto.subtle, so it is asynchronous: every
// function that hashes returns a Promise) with the byte encoding of group.py; randomness
// comes from crypto.getRandomValues. Plain BigInt arithmetic, with tables for the fixed bases g
// and the key: a motion's ballot takes a fraction of a second.
(function (root) {
  "use strict";

  // The ElectionGuard 1.x standard group (zhijia/voting/crypto/group.py).
  var P = BigInt("0x" +
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
    "93c467e37db0c7a4d1be3f810152cb56a1cecc3af65cc0190c03df34709affbd" +
    "8e4b59fa03a9f0eed0649ccb621057d11056ae9132135a08e43b4673d74bafea" +
    "58deb878cc86d733dbe7bf38154b36cf8a96d1567899aaae0c09d4c8b6b7b86f" +
    "d2a1ea1de62ff8643ec7c271827977225e6ac2f0bd61c746961542a3ce3bea5d" +
    "b54fe70e63e6d09f8fc28658e80567a47cfde60ee741e5d85a7bd46931ced822" +
    "0365594964b839896fcaabccc9b31959c083f22ad3ee591c32fab2c7448f2a05" +
    "7db2db49ee52e0182741e53865f004cc8e704b7c5c40bf304c4d8c4f13edf604" +
    "7c555302d2238d8ce11df2424f1b66c2c5d238d0744db679af2890487031f9c0" +
    "aea1c4bb6fe9554ee528fdf1b05e5b256223b2f09215f3719f9c7ccc69ddf172" +
    "d0d6234217fcc0037f18b93ef5389130b7a661e5c26e54214068bbcafea32a67" +
    "818bd3075ad1f5c7e9cc3d1737fb28171baf84dbb6612b7881c1a48e439cd03a" +
    "92bf52225a2b38e6542e9f722bce15a381b5753ea842763381ccae83512b3051" +
    "1b32e5e8d80362149ad030aaba5f3a5798bb22aa7ec1b6d0f17903f4e22d8407" +
    "34aa85973f79a93ffb82a75c47c03d43d2f9ca02d03199baceddd4533a52566a" +
    "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  var Q = (1n << 256n) - 189n;
  var G = BigInt("0x" +
    "1d41e49c477e15eaeef0c5e4ac08d4a46c268cd3424fc01d13769bdb43673218" +
    "587bc86c4c1448d006a03699f3abae5feb19e296f5d143cc5e4a3fc89088c9f4" +
    "523d166ee3ae9d5fb03c0bdd77add5c017f6c55e2ec92c226fef5c6c1df2e7c3" +
    "6d90e7eaade098241d3409983bccd2b5379e9391fbc62f9f8d939d1208b16036" +
    "7c134264122189595ec85c8cdbe5f9d307f46912c04932f8c16815a76b4682bd" +
    "6bdc0ed52b00d8d30f59c731d5a7ffae8165d53cf96649aac2b743da56f14f19" +
    "dacc5236f29b1ab9f9befc69697293d5dead8b5bf5de9bab6de67c45719e5634" +
    "4a3cbdf3609824b1b578e34eaeb6dd3190ab3571d6d671c512282c1da7bd36b4" +
    "251d2584fadea80b9e141423074dd9b5fb83acbdead4c87a58fff517f977a830" +
    "80370a3b0cf98a1bc2978c47aac29611fd6c40e2f9875c35d50443a9aa3f4961" +
    "1dcd3a0d6ff3cb3facf31471bdb61860b92c594d4e46569bb39feeadff1fd64c" +
    "836a6d6db85c6ba7241766b7ab56bf739633b054147f7170921412e948d9e474" +
    "02d15bb1c257318612c121c36b80eb8433c08e7d0b7149e3ab0a8735a92edce8" +
    "ff943e28a2dceacfcc69ec318909cb047be1c5858844b5ad44f22eeb289e4cc5" +
    "54f7a5e2f3dea026877ff92851816071ce028eb868d965ccb2d2295a8c55bd1c" +
    "070b39b09ae06b37d29343b9d8997dc244c468b980970731736ee018bbadb987");
  var webcrypto = root.crypto || (typeof globalThis !== "undefined" ? globalThis.crypto : undefined);

  function mod(a, m) { var r = a % m; return r < 0n ? r + m : r; }

  // base^exp mod m, 4-bit fixed window.
  function modPow(base, exp, m) {
    base = mod(base, m);
    if (exp === 0n) { return 1n; }
    var table = [1n, base];
    for (var i = 2; i < 16; i++) { table.push(table[i - 1] * base % m); }
    var hex = exp.toString(16);
    var r = 1n;
    for (var j = 0; j < hex.length; j++) {
      r = r * r % m; r = r * r % m; r = r * r % m; r = r * r % m;
      var d = parseInt(hex[j], 16);
      if (d) { r = r * table[d] % m; }
    }
    return r;
  }

  // base^e mod p for a base used for every selection (g, the election key): a table of
  // base^(d * 64^i) for each 6-bit digit d, so that a power costs 43 multiplications.
  function fixedBase(base) {
    var rows = [];
    for (var i = 0; i < 43; i++) {
      var row = [1n];
      for (var d = 1; d < 64; d++) { row.push(row[d - 1] * base % P); }
      rows.push(row);
      base = row[63] * base % P;
    }
    return function (e) {
      e = mod(e, Q);
      var r = 1n;
      for (var j = 0; j < 43; j++) {
        var digit = Number(e & 63n);
        if (digit) { r = r * rows[j][digit] % P; }
        e >>= 6n;
      }
      return r;
    };
  }
  var gTable = null;
  function gPow(e) {
    if (!gTable) { gTable = fixedBase(G); }
    return gTable(e);
  }
  var keyTables = new Map();
  function keyPow(key, e) {
    if (!keyTables.has(key)) { keyTables.set(key, fixedBase(key)); }
    return keyTables.get(key)(e);
  }
  // g^-1 = g^(q-1), g being of order q.
  var G_INVERSE = modPow(G, Q - 1n, P);

  function hexToBig(h) {
    if (typeof h !== "string" || !/^[0-9a-f]+$/.test(h)) { throw new Error("not lowercase hexadecimal"); }
    return BigInt("0x" + h);
  }
  function bigToHex(x) { return x.toString(16); }

  function fixedBytes(x, width) {
    var out = new Uint8Array(width);
    for (var i = width - 1; i >= 0; i--) { out[i] = Number(x & 255n); x >>= 8n; }
    if (x !== 0n) { throw new Error("number too wide"); }
    return out;
  }
  function pBytes(x) { return fixedBytes(x, 512); }
  function qBytes(x) { return fixedBytes(x, 32); }
  function intBytes(x) { return fixedBytes(BigInt(x), 4); }
  function textBytes(s) { return new TextEncoder().encode(s); }

  // H: SHA-256 over each part prefixed by its length (4 bytes big-endian), mod q.
  function hashParts(parts) {
    var total = 0;
    parts.forEach(function (p) { total += 4 + p.length; });
    var buf = new Uint8Array(total);
    var at = 0;
    parts.forEach(function (p) {
      buf.set(intBytes(p.length), at); at += 4;
      buf.set(p, at); at += p.length;
    });
    return webcrypto.subtle.digest("SHA-256", buf).then(function (digest) {
      var hex = Array.from(new Uint8Array(digest), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
      return BigInt("0x" + hex) % Q;
    });
  }

  // A uniformly random exponent in [1, q).
  function randomQ() {
    for (;;) {
      var bytes = new Uint8Array(32);
      webcrypto.getRandomValues(bytes);
      var x = 0n;
      bytes.forEach(function (b) { x = (x << 8n) | BigInt(b); });
      if (x >= 1n && x < Q) { return x; }
    }
  }

  function encrypt(m, nonce, key) {
    return { alpha: gPow(nonce), beta: keyPow(key, nonce) * gPow(BigInt(m)) % P };
  }

  function rangeCommitment(ct, value, key, c, v) {
    var a = gPow(v) * modPow(ct.alpha, mod(-c, Q), P) % P;
    var shifted = ct.beta * modPow(G_INVERSE, BigInt(value), P) % P;
    var b = keyPow(key, v) * modPow(shifted, mod(-c, Q), P) % P;
    return [a, b];
  }

  // Disjunctive Chaum-Pedersen proof that ct encrypts message, one of values (proofs.py).
  function proveRange(ct, nonce, message, values, key, qbar) {
    var real = values.indexOf(message);
    if (real < 0) { return Promise.reject(new Error("the message is not among the values")); }
    var challenges = values.map(function () { return 0n; });
    var responses = values.map(function () { return 0n; });
    var u = randomQ();
    var parts = [textBytes("zhijia/v1/range"), qBytes(qbar), pBytes(key), intBytes(values.length)];
    values.forEach(function (v) { parts.push(intBytes(v)); });
    parts.push(pBytes(ct.alpha), pBytes(ct.beta));
    values.forEach(function (value, j) {
      var ab;
      if (j === real) {
        ab = [gPow(u), keyPow(key, u)];
      } else {
        challenges[j] = randomQ();
        responses[j] = randomQ();
        ab = rangeCommitment(ct, value, key, challenges[j], responses[j]);
      }
      parts.push(pBytes(ab[0]), pBytes(ab[1]));
    });
    return hashParts(parts).then(function (c) {
      var others = challenges.reduce(function (s, x) { return s + x; }, 0n);
      challenges[real] = mod(c - others, Q);
      responses[real] = mod(u + challenges[real] * nonce, Q);
      return { challenges: challenges, responses: responses };
    });
  }

  function proofJson(p) {
    return { challenges: p.challenges.map(bigToHex), responses: p.responses.map(bigToHex) };
  }

  // The 0/1 vector of a choice with the placeholders (ballot.py, Manifest.plaintext).
  function plaintext(manifest, choice) {
    var marked = new Set(choice);
    if (marked.size !== choice.length || !choice.every(function (o) { return manifest.options.indexOf(o) >= 0; })) {
      throw new Error("unknown or repeated option");
    }
    var placeholders;
    if (manifest.kind === "yes_no_abstain") {
      if (marked.size !== 1) { throw new Error("a motion takes exactly one of its options"); }
      placeholders = 0;
    } else if (manifest.kind === "approval") {
      if (marked.size > manifest.votes_allowed) { throw new Error("more candidates marked than seats"); }
      placeholders = manifest.votes_allowed;
    } else {
      throw new Error("unknown kind");
    }
    var votes = manifest.options.map(function (o) { return marked.has(o) ? 1 : 0; });
    var fill = manifest.votes_allowed - marked.size;
    for (var i = 0; i < placeholders; i++) { votes.push(i < fill ? 1 : 0); }
    return votes;
  }

  function selectionNonce(master, ballotId, i) {
    return hashParts([textBytes("zhijia/v1/nonce"), qBytes(master), textBytes(ballotId), intBytes(i)])
      .then(function (n) { return n === 0n ? 1n : n; });
  }

  function ballotHash(ballotId, selections, sumProof) {
    var parts = [textBytes("zhijia/v1/ballot"), textBytes(ballotId), intBytes(selections.length)];
    selections.forEach(function (s) {
      parts.push(pBytes(s.ct.alpha), pBytes(s.ct.beta));
      s.proof.challenges.concat(s.proof.responses).forEach(function (x) { parts.push(qBytes(x)); });
    });
    sumProof.challenges.concat(sumProof.responses).forEach(function (x) { parts.push(qBytes(x)); });
    return hashParts(parts);
  }

  function firstTracker(qbar) {
    return hashParts([textBytes("zhijia/v1/tracker-start"), qBytes(qbar)]);
  }

  function nextTracker(previous, digest) {
    return hashParts([textBytes("zhijia/v1/tracker"), qBytes(previous), qBytes(digest)]);
  }

  // {ballot, masterNonce}: the encrypted ballot with its proofs and tracker, as the election
  // record writes it, and the master nonce (hex) that opens it, for the voter's device only.
  // options: {ballotId, masterNonce, key, qbar, previousTracker} (numbers as hex strings;
  // masterNonce may be omitted: a fresh one is drawn).
  async function encryptBallot(manifest, choice, options) {
    var votes = plaintext(manifest, choice);
    var key = hexToBig(options.key);
    var qbar = hexToBig(options.qbar);
    var master = options.masterNonce ? hexToBig(options.masterNonce) : randomQ();
    var selections = [];
    var nonceSum = 0n;
    for (var i = 0; i < votes.length; i++) {
      var nonce = await selectionNonce(master, options.ballotId, i);
      nonceSum += nonce;
      var ct = encrypt(votes[i], nonce, key);
      selections.push({ ct: ct, proof: await proveRange(ct, nonce, votes[i], [0, 1], key, qbar) });
    }
    var total = selections.reduce(function (acc, s) {
      return { alpha: acc.alpha * s.ct.alpha % P, beta: acc.beta * s.ct.beta % P };
    }, { alpha: 1n, beta: 1n });
    var allowed = manifest.votes_allowed;
    var sumProof = await proveRange(total, mod(nonceSum, Q), allowed, [allowed], key, qbar);
    var digest = await ballotHash(options.ballotId, selections, sumProof);
    var tracker = await nextTracker(hexToBig(options.previousTracker), digest);
    return {
      ballot: {
        id: options.ballotId,
        selections: selections.map(function (s) {
          return { alpha: bigToHex(s.ct.alpha), beta: bigToHex(s.ct.beta), proof: proofJson(s.proof) };
        }),
        sum_proof: proofJson(sumProof),
        tracker: bigToHex(tracker)
      },
      // Kept on the voter's device only (to open a challenged ballot), never sent.
      masterNonce: bigToHex(master)
    };
  }

  // --- the trustee's side of the key ceremony (zhijia/voting/crypto/trustee.py) -------------
  // trusteeKeygen(index, quorum, baseHash) -> {key, public}: the key file (the secret, for the
  // trustee's own device) and the public document (commitments with Schnorr proofs), in the
  // formats of trustee.py. sealShares(key, publics) -> the shares document: P_i(l) sealed to
  // each other trustee l's key K_l0 (hashed ElGamal, ceremony.encrypt_share); decryptTally
  // below. Not yet used by a page: the trustees use verifier/zhijia_trustee.py
  // (docs/voting.md).

  async function proveSchnorr(secret, base, context) {
    var u = randomQ();
    var c = await hashParts([textBytes("zhijia/v1/schnorr"), qBytes(base), pBytes(gPow(secret)),
      pBytes(gPow(u))].concat(context));
    return { challenge: bigToHex(c), response: bigToHex(mod(u + c * secret, Q)) };
  }

  async function trusteeKeygen(index, quorum, baseHash) {
    var base = hexToBig(baseHash);
    var coefficients = [];
    var commitments = [];
    var proofs = [];
    for (var j = 0; j < quorum; j++) {
      var a = randomQ();
      coefficients.push(bigToHex(a));
      commitments.push(bigToHex(gPow(a)));
      proofs.push(await proveSchnorr(a, base, [intBytes(index), intBytes(j)]));
    }
    return {
      key: { format: "zhijia-trustee-key/1", base_hash: baseHash, index: index, quorum: quorum,
        coefficients: coefficients },
      public: { format: "zhijia-trustee-public/1", base_hash: baseHash, index: index,
        commitments: commitments, proofs: proofs }
    };
  }

  function concatBytes(parts) {
    var total = 0;
    parts.forEach(function (p) { total += p.length; });
    var out = new Uint8Array(total);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }
  async function hmacSha256(key, data) {
    var k = await webcrypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    return new Uint8Array(await webcrypto.subtle.sign("HMAC", k, data));
  }
  function bytesToHex(bytes) {
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  // P_i(x) = sum_j a_ij x^j mod q
  function shareFor(coefficients, recipient) {
    var value = 0n;
    for (var j = coefficients.length - 1; j >= 0; j--) {
      value = mod(value * BigInt(recipient) + coefficients[j], Q);
    }
    return value;
  }

  async function sealShares(key, publics) {
    var base = hexToBig(key.base_hash);
    var coefficients = key.coefficients.map(hexToBig);
    var shares = [];
    for (var i = 0; i < publics.length; i++) {
      var recipient = publics[i];
      if (recipient.index === key.index) { continue; }
      var xi = randomQ();
      var pad = gPow(xi);
      var point = modPow(hexToBig(recipient.commitments[0]), xi, P);
      var seed = new Uint8Array(await webcrypto.subtle.digest("SHA-256", concatBytes([
        textBytes("zhijia/v1/share"), qBytes(base), intBytes(key.index), intBytes(recipient.index),
        pBytes(point)])));
      var stream = await hmacSha256(seed, textBytes("encrypt"));
      var macKey = await hmacSha256(seed, textBytes("mac"));
      var plain = qBytes(shareFor(coefficients, recipient.index));
      var data = plain.map(function (b, n) { return b ^ stream[n]; });
      var mac = await hmacSha256(macKey, concatBytes([intBytes(key.index), intBytes(recipient.index),
        pBytes(pad), data]));
      shares.push({ sender: key.index, recipient: recipient.index, pad: bigToHex(pad),
        data: bytesToHex(data), mac: bytesToHex(mac) });
    }
    return { format: "zhijia-trustee-shares/1", base_hash: key.base_hash, sender: key.index,
      shares: shares };
  }

  // decryptTally(key, doc) -> the decryption document of trustee.py (decrypt_for_tally) from
  // the poll document of the trustee page (after the close): opens the shares sealed to this
  // trustee, checks each against its sender's commitments (throws naming a bad sender), then
  // proves the partial decryption of every option's total and the compensating share for
  // every other trustee.
  async function proveEquality(secret, base, qbar, context) {
    var pub = gPow(secret);
    var result = modPow(base, secret, P);
    var u = randomQ();
    var a = gPow(u);
    var b = modPow(base, u, P);
    var c = await hashParts([textBytes("zhijia/v1/equality"), qBytes(qbar), pBytes(pub), pBytes(base),
      pBytes(result), pBytes(a), pBytes(b)].concat(context));
    return { share: bigToHex(result),
      proof: { challenge: bigToHex(c), response: bigToHex(mod(u + c * secret, Q)) } };
  }

  function hexToBytes(h) {
    var out = new Uint8Array(h.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(h.substr(2 * i, 2), 16); }
    return out;
  }

  async function openShare(sealed, key, base, sender) {
    var pad = hexToBig(sealed.pad);
    var point = modPow(pad, hexToBig(key.coefficients[0]), P);
    var seed = new Uint8Array(await webcrypto.subtle.digest("SHA-256", concatBytes([
      textBytes("zhijia/v1/share"), qBytes(base), intBytes(sealed.sender), intBytes(key.index),
      pBytes(point)])));
    var stream = await hmacSha256(seed, textBytes("encrypt"));
    var macKey = await hmacSha256(seed, textBytes("mac"));
    var data = hexToBytes(sealed.data);
    var mac = await hmacSha256(macKey, concatBytes([intBytes(sealed.sender), intBytes(key.index),
      pBytes(pad), data]));
    if (data.length !== 32 || bytesToHex(mac) !== sealed.mac) { return null; }
    var share = 0n;
    data.forEach(function (b, n) { share = (share << 8n) | BigInt(b ^ stream[n]); });
    // g^share must equal prod_j K_sender,j ^ (me^j)
    var expected = 1n;
    var power = 1n;
    sender.commitments.forEach(function (k) {
      expected = expected * modPow(hexToBig(k), power, P) % P;
      power = power * BigInt(key.index) % Q;
    });
    return share < Q && gPow(share) === expected ? share : null;
  }

  // receivedShares(key, doc) -> {received: Map(sender -> P_sender(me)), bad: [senders]}: the
  // shares sealed to this trustee, each opened and checked against its sender's commitments.
  async function receivedShares(key, doc) {
    var base = hexToBig(doc.base_hash);
    var received = new Map();
    var bad = [];
    for (var i = 0; i < doc.public.length; i++) {
      var sender = doc.public[i];
      if (sender.index === key.index) { continue; }
      var sealed = doc.shares.find(function (s) {
        return s.sender === sender.index && s.recipient === key.index;
      });
      var share = sealed ? await openShare(sealed, key, base, sender) : null;
      if (share === null) { bad.push(sender.index); } else { received.set(sender.index, share); }
    }
    return { received: received, bad: bad };
  }

  // checkShares(key, doc) -> the check document of trustee.py (check_document): the senders
  // whose shares sealed to this trustee do not fit (empty: all fit; a complaint otherwise).
  async function checkShares(key, doc) {
    var opened = await receivedShares(key, doc);
    return { format: "zhijia-trustee-check/1", base_hash: doc.base_hash, trustee: key.index,
      complaints: opened.bad };
  }

  async function decryptTally(key, doc) {
    var qbar = hexToBig(doc.extended_hash);
    var opened = await receivedShares(key, doc);
    var received = opened.received;
    var bad = opened.bad;
    if (bad.length) { throw new Error("shares from trustee(s) " + bad.join(", ") + " do not fit"); }
    var secret = hexToBig(key.coefficients[0]);
    var options = [];
    for (var o = 0; o < doc.tally.length; o++) {
      var alpha = hexToBig(doc.tally[o].alpha);
      var beta = pBytes(hexToBig(doc.tally[o].beta));
      var partial = await proveEquality(secret, alpha, qbar, [intBytes(0), intBytes(key.index), beta]);
      var compensated = [];
      for (var t = 0; t < doc.trustees.length; t++) {
        var m = doc.trustees[t].index;
        if (m === key.index) { continue; }
        var c = await proveEquality(received.get(m), alpha, qbar, [intBytes(m), intBytes(key.index), beta]);
        compensated.push({ missing: m, share: c.share, proof: c.proof });
      }
      options.push({ option: doc.tally[o].option, partial: partial, compensated: compensated });
    }
    return { format: "zhijia-trustee-decryption/1", trustee: key.index, options: options };
  }

  var api = {
    P: P, Q: Q, G: G,
    modPow: modPow,
    hashParts: hashParts,
    pBytes: pBytes, qBytes: qBytes, intBytes: intBytes, textBytes: textBytes,
    plaintext: plaintext,
    firstTracker: firstTracker,
    encryptBallot: encryptBallot,
    trusteeKeygen: trusteeKeygen,
    sealShares: sealShares,
    checkShares: checkShares,
    decryptTally: decryptTally
  };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.ZhijiaBallotCrypto = api;
  }
})(typeof window !== "undefined" ? window : globalThis);
