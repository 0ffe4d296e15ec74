// module voting: the trustee page done in the browser (docs/voting.md, "Trustees"). The
// trustee's secret never leaves this device: keygen saves it as a downloaded key file; the
// later steps read the key file chosen here (an input without a name, in no request) and
// upload only what ballot-crypto.js computes from it (public document, sealed shares, the
// check of the shares received, decryption with proofs), through the page's own upload path. The form asks first
// (data-confirm, app.js); this script runs after the confirmation.
(function () {
  var gettext = window.gettext || function (text) { return text; };
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-trustee-step]");
    if (!form || !window.ZhijiaBallotCrypto || !window.crypto || !crypto.subtle) return;
    var step = form.dataset.trusteeStep;
    var status = form.querySelector("[data-trustee-status]");
    var button = form.querySelector("button[type=submit]");
    var keyInput = form.querySelector("input[data-key-file]");
    button.disabled = false;
    function say(text) { status.textContent = text; }
    function download(name, doc) {
      var url = URL.createObjectURL(new Blob([JSON.stringify(doc)], { type: "application/json" }));
      var a = document.createElement("a");
      a.href = url; a.download = name;
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }
    function upload(doc) {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
      data.append("document", new Blob([JSON.stringify(doc)], { type: "application/json" }), "document.json");
      return fetch(form.action, { method: "POST", body: data, credentials: "same-origin" }).then(function (r) {
        if (r.ok && r.redirected) { window.location.assign(r.url); return; }
        return r.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var error = page.querySelector(".errorlist, [role=alert]");
          throw new Error(error ? error.textContent.trim() : String(r.status));
        });
      });
    }
    function readKey() {
      var file = keyInput && keyInput.files[0];
      if (!file) return Promise.reject(new Error(gettext("请先选择您的密钥文件")));
      return file.text().then(JSON.parse);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      say(gettext("正在本机计算…"));
      fetch(form.dataset.documentUrl, { credentials: "same-origin" }).then(function (r) {
        return r.json();
      }).then(function (doc) {
        if (step === "keygen") {
          return ZhijiaBallotCrypto.trusteeKeygen(doc.you, doc.quorum, doc.base_hash).then(function (made) {
            download(doc.poll + "-trustee-" + doc.you + "-key.json", made.key);
            return upload(made.public);
          });
        }
        return readKey().then(function (key) {
          if (step === "shares") return ZhijiaBallotCrypto.sealShares(key, doc.public);
          if (step === "check") return ZhijiaBallotCrypto.checkShares(key, doc);
          return ZhijiaBallotCrypto.decryptTally(key, doc);
        }).then(upload);
      }).catch(function (error) {
        button.disabled = false;
        say(gettext("未完成：") + error.message);
      });
    });
  });
})();
