// Small enhancements on top of pages that already work without JavaScript.
// Loaded from the app itself (the CSP allows no inline script).
(function () {
  "use strict";

  // Escape closes an open menu and returns focus to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  // A click outside an open menu closes it.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();
