// zhijia: the page's small behaviours, as listeners on the document (this script runs in
// <head>, before the body exists, and pages carry no inline scripts or on*="" handlers: the
// Content-Security-Policy refuses them). Markup opts in with data- attributes:
//   data-print                       a button that prints the page
//   data-autosubmit                  a <select> whose form is submitted when it changes
//   data-select-all="NAME"           a checkbox that ticks every input[name=NAME] of its table
//   data-remove-after-request        an htmx element removed once its request succeeded
//   data-reset-after-request="NAME"  an htmx form reset after its request, focus on NAME
//   data-copy="SELECTOR"             a button that copies the text of SELECTOR (a receipt code)
//                                    and says so in [data-copy-status="SELECTOR"]; hidden in
//                                    the markup, shown only when this script runs
//   data-confirm="SENTENCE"          a form that asks before it is sent: a modal <dialog>
//                                    names the consequence; 取消 (focused, and Escape) keeps
//                                    the page, the confirm button sends the form with the
//                                    button that was pressed. data-confirm-submit="TEXT" names
//                                    that button (default: the pressed button's text);
//                                    data-confirm-danger, or a pressed .btn-danger, makes it
//                                    the destructive style. Without script the form just sends.
// A .table-wrap that scrolls (a wide table on a phone) and holds nothing focusable becomes a
// named region in the tab order, so the keyboard can scroll it too; it leaves the tab order
// again when it no longer scrolls (checked at load, after htmx swaps and on resizing).
// Menus built on <details> work without this script; it only closes an open menu when
// another opens, on a click elsewhere and on Escape (focus goes back to its summary).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("select[data-autosubmit]") && el.form) el.form.submit();
    if (el.matches("input[type=checkbox][data-select-all]")) {
      var scope = el.closest("table") || el.form || document;
      var name = el.getAttribute("data-select-all");
      scope.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (box.name === name) box.checked = el.checked;
      });
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.target;
    if (!el.matches) return;
    if (el.matches("[data-remove-after-request]") && event.detail.successful) el.remove();
    if (el.matches("form[data-reset-after-request]")) {
      el.reset();
      var field = el.elements.namedItem(el.getAttribute("data-reset-after-request"));
      if (field && field.focus) field.focus();
    }
  });
  // --- confirmation before an irreversible step (form[data-confirm]) -----------------------
  // A submit button may carry its own data-confirm (and data-confirm-danger) when a form's
  // buttons differ: the pressed button's question wins; a button without one sends a form
  // without one at once.
  // The catalogue's gettext (deferred script); the Chinese text if it failed to load.
  function gettext(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }
  var confirmDialog = null;
  var pending = null;  // {form, submitter} waiting for the answer
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }
  function buildDialog() {
    var dialog = element("dialog", "confirm");
    dialog.setAttribute("aria-labelledby", "confirm-title");
    dialog.setAttribute("aria-describedby", "confirm-message");
    var form = element("form");
    form.method = "dialog";
    var title = element("h2", "", gettext("请确认"));
    title.id = "confirm-title";
    var message = element("p", "confirm-message");
    message.id = "confirm-message";
    var actions = element("div", "confirm-actions");
    var cancel = element("button", "secondary confirm-cancel", gettext("取消"));
    cancel.type = "submit";
    cancel.value = "cancel";
    var ok = element("button", "confirm-ok");
    ok.type = "submit";
    ok.value = "ok";
    actions.appendChild(cancel);
    actions.appendChild(ok);
    form.appendChild(title);
    form.appendChild(message);
    form.appendChild(actions);
    dialog.appendChild(form);
    dialog.addEventListener("close", function () {
      var asked = pending;
      pending = null;
      if (!asked || dialog.returnValue !== "ok") {
        if (asked && asked.submitter && asked.submitter.focus) asked.submitter.focus();
        return;
      }
      send(asked.form, asked.submitter);
    });
    document.body.appendChild(dialog);
    return dialog;
  }
  function send(form, submitter) {
    form.setAttribute("data-confirmed", "");
    if (form.requestSubmit) {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    } else {
      form.submit();
    }
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form")) return;
    var submitter = event.submitter || null;
    // the pressed button's own question (a form whose buttons differ), else the form's
    var asking = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
    if (!asking.hasAttribute("data-confirm")) return;
    if (form.hasAttribute("data-confirmed")) {
      form.removeAttribute("data-confirmed");  // this once: the next send asks again
      return;
    }
    event.preventDefault();
    event.stopPropagation();  // (capture on the document: htmx on the form never sees it)
    var sentence = asking.getAttribute("data-confirm");
    if (typeof HTMLDialogElement !== "function") {
      if (window.confirm(sentence)) send(form, submitter);
      return;
    }
    confirmDialog = confirmDialog || buildDialog();
    var danger = asking.hasAttribute("data-confirm-danger") ||
      !!(submitter && submitter.classList.contains("btn-danger"));
    var ok = confirmDialog.querySelector(".confirm-ok");
    ok.className = "confirm-ok " + (danger ? "btn-danger" : "btn-primary");
    ok.textContent = asking.getAttribute("data-confirm-submit") ||
      (submitter && submitter.textContent.trim()) || gettext("确定");
    confirmDialog.querySelector(".confirm-message").textContent = sentence;
    confirmDialog.returnValue = "";
    pending = {form: form, submitter: submitter};
    confirmDialog.showModal();
    confirmDialog.querySelector(".confirm-cancel").focus();
  }, true);

  var MENUS = ".mainnav details, details.usermenu";
  function closeAll(except) {
    document.querySelectorAll(MENUS).forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("toggle", function (event) {
    var d = event.target;
    if (d.matches && d.matches(MENUS) && d.open) closeAll(d);
  }, true);
  document.addEventListener("click", function (event) {
    // A click elsewhere closes every menu; a click in a menu closes the others.
    closeAll(event.target.closest(MENUS));
  });
  // On phones the navigation folds behind a "menu" button (only when this script runs).
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".navtoggle");
    if (!toggle) return;
    var nav = toggle.closest(".mainnav");
    var open = !nav.classList.contains("open");
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector(MENUS.split(", ").map(function (m) { return m + "[open]"; }).join(", "));
    if (open) {
      open.removeAttribute("open");
      var summary = open.querySelector("summary");
      if (summary) summary.focus();
    }
  });
  // --- copy a code (button[data-copy]) -------------------------------------------------
  function copyStatus(selector, text) {
    document.querySelectorAll("[data-copy-status]").forEach(function (el) {
      if (el.getAttribute("data-copy-status") === selector) el.textContent = text;
    });
  }
  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
  function copyFallback(el) {
    selectText(el);
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var selector = button.getAttribute("data-copy");
    var source = document.querySelector(selector);
    if (!source) return;
    var text = source.textContent.trim();
    var done = function () { copyStatus(selector, gettext("已复制，请粘贴到备忘录或发给自己保存")); };
    var failed = function () {
      selectText(source);
      copyStatus(selector, gettext("未能自动复制：代码已选中，请长按复制或抄下"));
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        if (copyFallback(source)) done(); else failed();
      });
    } else if (copyFallback(source)) {
      done();
    } else {
      failed();
    }
  });
  function showCopyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (b) { b.hidden = false; });
  }
  // --- scrolling tables reachable by keyboard (.table-wrap) --------------------------------
  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
  function regionName(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    // The nearest heading before the table (its section's, else the page's).
    var headings = document.querySelectorAll("main h1, main h2, main h3");
    var name = "";
    headings.forEach(function (h) {
      if (h.compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING) {
        name = h.textContent.trim();
      }
    });
    return name || gettext("表格");
  }
  function markScrollRegions() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1 ||
        wrap.scrollHeight > wrap.clientHeight + 1;
      var marked = wrap.hasAttribute("data-scroll-region");
      if (scrolls && !marked && !wrap.querySelector(FOCUSABLE)) {
        wrap.setAttribute("data-scroll-region", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", regionName(wrap));
      } else if (!scrolls && marked) {
        ["data-scroll-region", "tabindex", "role", "aria-label"].forEach(function (a) {
          wrap.removeAttribute(a);
        });
      }
    });
  }
  var resizing = false;
  window.addEventListener("resize", function () {
    if (resizing) return;
    resizing = true;
    window.requestAnimationFrame(function () { resizing = false; markScrollRegions(); });
  });
  document.addEventListener("htmx:afterSettle", markScrollRegions);
  function ready() {
    showCopyButtons();
    markScrollRegions();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
