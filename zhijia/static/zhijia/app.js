// zhijia: menus built on <details> work without this script; it only closes an open menu
// when another opens, on a click elsewhere and on Escape (focus goes back to its summary).
(function () {
  "use strict";
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
