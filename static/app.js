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

(function () {
  "use strict";

  // Copy buttons: <button data-copy="input-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) return;
    input.select();
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });

  // A <dialog> that htmx puts into #dialog-slot opens as a modal; closing it
  // empties the slot so the next one starts fresh.
  function watchDialogs() {
    var slot = document.getElementById("dialog-slot");
    if (!slot) return;
    new MutationObserver(function () {
      var dialog = slot.querySelector("dialog:not([open])");
      if (!dialog) return;
      dialog.addEventListener("close", function () { slot.innerHTML = ""; });
      dialog.showModal();
      var first = dialog.querySelector("input, select, textarea, button");
      if (first) first.focus();
    }).observe(slot, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchDialogs);
  } else {
    watchDialogs();
  }
})();
