// module voting: the ballot form of an encrypted poll (docs/voting.md). The voter's marks
// never leave the browser in clear: the option inputs have no name, so the form cannot send
// them; on submit (after the confirmation dialog of app.js) the marked options are encrypted
// with ballot-crypto.js to the poll's joint key and only the encrypted ballot with its proofs
// is sent, in the hidden field "ballot". Without JavaScript the button stays disabled.
(function () {
  var gettext = window.gettext || function (text) { return text; };
  function randomId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-encrypted-ballot]");
    var data = document.getElementById("ballot-context");
    if (!form || !data || !window.ZhijiaBallotCrypto || !window.crypto || !crypto.subtle) return;
    var context = JSON.parse(data.textContent);
    var field = form.querySelector("input[name=ballot]");
    var status = form.querySelector("[data-encrypt-status]");
    var button = form.querySelector("button[type=submit]");
    button.disabled = false;
    form.addEventListener("submit", function (event) {
      if (field.value) return;  // encrypted: let it go
      event.preventDefault();
      var choice = Array.prototype.map.call(
        form.querySelectorAll("input[data-option]:checked"), function (i) { return i.value; });
      button.disabled = true;
      status.textContent = gettext("正在本机加密选票…");
      var first = ZhijiaBallotCrypto.firstTracker(BigInt("0x" + context.qbar));
      Promise.resolve(first).then(function (tracker) {
        return ZhijiaBallotCrypto.encryptBallot(context.manifest, choice, {
          ballotId: randomId(), key: context.key, qbar: context.qbar,
          previousTracker: tracker.toString(16)
        });
      }).then(function (out) {
        field.value = JSON.stringify(out.ballot);  // the master nonce stays here, unsent
        form.submit();
      }).catch(function (error) {
        button.disabled = false;
        status.textContent = gettext("加密失败，未投出：") + error.message;
      });
    });
  });
})();
