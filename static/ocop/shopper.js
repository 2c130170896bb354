/* The shopper's small helpers (no inline handlers: the Content Security Policy runs none).
   - Quantity picker [data-qty-picker]: the − and + buttons (hidden until this script runs) step the
     number box within its min and max; without script the number box alone works.
   - Copy buttons [data-copy]: copy the value (VietQR account, amount, transfer note) and say so in
     the [data-copy-status] next to them; without script the values stay plain selectable text. */
(function () {
  "use strict";
  function init() {
    document.querySelectorAll("[data-qty-picker]").forEach(function (picker) {
      var input = picker.querySelector("input");
      picker.querySelectorAll("[data-qty-step]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () {
          var step = parseInt(button.getAttribute("data-qty-step"), 10);
          var min = parseInt(input.min || "1", 10), max = parseInt(input.max || "999", 10);
          var value = (parseInt(input.value, 10) || min) + step;
          input.value = Math.max(min, Math.min(max, value));
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var value = button.getAttribute("data-copy");
        var status = button.parentNode.querySelector("[data-copy-status]");
        function done() {
          if (!status) { return; }
          status.textContent = status.getAttribute("data-copied") || "";
          window.clearTimeout(status._timer);
          status._timer = window.setTimeout(function () { status.textContent = ""; }, 2500);
        }
        function fallback() {
          var area = document.createElement("textarea");
          area.value = value;
          area.setAttribute("readonly", "");
          area.style.position = "fixed";
          area.style.opacity = "0";
          document.body.appendChild(area);
          area.select();
          try { document.execCommand("copy"); } catch (e) { /* the value stays selectable on the page */ }
          document.body.removeChild(area);
          done();
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(value).then(done, fallback);
        } else {
          fallback();
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
}());
