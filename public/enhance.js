// Copy and share buttons, and a form that goes on by itself (the payment return
// page's next payment, ADR 034), on pages that send no framework JavaScript (ADR 022).
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
  // The next payment of a checkout (app/payments/PaymentReturn.tsx): submitted after a few seconds,
  // unless the buyer chooses to stay, and only once per tab, so coming back from the provider's page
  // (the Back button) does not send the buyer there again. Without this file the button does it.
  var auto = document.querySelector("form[data-auto-submit]");
  if (auto) {
    var key = "auto-submit:" + auto.getAttribute("data-auto-submit");
    var seen = false;
    try {
      seen = sessionStorage.getItem(key) !== null;
      sessionStorage.setItem(key, "1");
    } catch {
      seen = true; // No storage (private mode): never risk a loop, the button is there.
    }
    var notice = auto.parentElement && auto.parentElement.querySelector("[data-auto-notice]");
    if (!seen && notice) {
      notice.hidden = false;
      var timer = setTimeout(
        function () {
          notice.hidden = true;
          if (typeof auto.requestSubmit === "function") auto.requestSubmit();
          else auto.submit();
        },
        1000 * Number(auto.getAttribute("data-auto-seconds") || 3),
      );
      var stop = notice.querySelector("[data-auto-stop]");
      if (stop)
        stop.addEventListener("click", function () {
          clearTimeout(timer);
          notice.hidden = true;
        });
    }
  }
})();
