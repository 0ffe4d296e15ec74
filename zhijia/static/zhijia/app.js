// zhijia: the page's small behaviours, as listeners on the document (this script runs in
// <head>, before the body exists, and pages carry no inline scripts or on*="" handlers: the
// Content-Security-Policy refuses them). Markup opts in with data- attributes:
//   data-print                       a button that prints the page
//   data-autosubmit                  a <select> whose form is submitted when it changes
//   data-select-all="NAME"           a checkbox that ticks every input[name=NAME] of its table
//   data-remove-after-request        an htmx element removed once its request succeeded
//   data-reset-after-request="NAME"  an htmx form reset after its request, focus on NAME
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
})();
