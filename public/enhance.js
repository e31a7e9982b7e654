// Copy and share buttons, on pages that send no framework JavaScript (ADR 022).
// The buttons are in the HTML, hidden by CSS until this file says the browser
// can do what they do. Clicks are caught on the document, so buttons React
// draws later (hydrated pages) work too. No data leaves the page.
(function () {
  "use strict";
  var root = document.documentElement;
  if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") root.classList.add("can-copy");
  if (typeof navigator.share === "function") root.classList.add("can-share");

  /** The words for what happened: in the button's live label, or in the status box it names. */
  function say(button, text) {
    var status = button.getAttribute("data-status");
    var target = status ? document.getElementById(status) : button.querySelector("[aria-live]");
    if (target) target.textContent = text;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy],[data-share-url]") : null;
    if (!button) return;
    if (button.hasAttribute("data-copy")) {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(
        function () {
          say(button, button.getAttribute("data-copied") || "");
        },
        function () {
          say(button, button.getAttribute("data-copy-failed") || "");
        },
      );
    } else {
      // Closing the share sheet rejects with AbortError: nothing to tell anyone.
      navigator
        .share({
          title: button.getAttribute("data-share-title") || document.title,
          url: button.getAttribute("data-share-url"),
        })
        .catch(function () {});
    }
  });
})();
