// module voting: copy / keep the tracker on this device only, and prefill the verify form.
// Nothing is sent to the server: the tracker stays in this browser's localStorage, and only
// when the voter asks for it. Messages go through Django's JavaScript catalogue (base.html
// loads it before this script); without it they stay in Chinese.
(function () {
  var gettext = window.gettext || function (text) { return text; };
  document.documentElement.classList.add("js");
  function key(poll) { return "zhijia.voting.tracker." + poll; }
  document.addEventListener("DOMContentLoaded", function () {
    var code = document.getElementById("tracker-code");
    var status = document.querySelector("[data-tracker-status]");
    function say(text) { if (status) { status.textContent = text; } }
    var copy = document.querySelector("[data-copy-tracker]");
    if (code && copy) {
      copy.addEventListener("click", function () {
        if (navigator.clipboard) {
          navigator.clipboard.writeText(code.textContent.trim()).then(function () { say(gettext("已复制")); });
        }
      });
    }
    var save = document.querySelector("[data-save-tracker]");
    if (code && save) {
      save.addEventListener("click", function () {
        try {
          localStorage.setItem(key(code.dataset.poll), code.textContent.trim());
          say(gettext("已保存在本机浏览器（换设备或清除浏览器数据后不再可见）"));
        } catch (e) { say(gettext("本浏览器不能保存，请抄下验证码")); }
      });
    }
    var form = document.querySelector("[data-verify-form]");
    if (form) {
      var input = form.querySelector("input[name=tracker]");
      try {
        var saved = localStorage.getItem(key(form.dataset.poll));
        if (saved && input && !input.value) { input.value = saved; }
      } catch (e) { /* storage unavailable */ }
    }
  });
})();
