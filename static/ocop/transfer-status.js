/* An order awaiting a bank transfer notices the payment without a reload: it asks the shop every
   few seconds (short polling; the bank notification service tells the shop within seconds) and,
   once paid, replaces the "awaiting transfer" block with the server's "payment received". */
(function () {
  "use strict";
  var box = document.querySelector("[data-transfer-status-url]");
  if (!box) { return; }
  var url = box.getAttribute("data-transfer-status-url");
  var delay = 4000, tries = 0, maxTries = 450; // about half an hour, then the shopper reloads
  function paid(message) {
    box.querySelectorAll("[data-awaiting]").forEach(function (el) { el.hidden = true; });
    var done = box.querySelector("[data-paid]");
    done.querySelector("strong").textContent = message;
    done.hidden = false;
  }
  function ask() {
    tries += 1;
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && data.paid) { paid(data.message); return; }
        if (tries < maxTries) { setTimeout(ask, delay); }
      }, function () { if (tries < maxTries) { setTimeout(ask, delay * 2); } });
  }
  setTimeout(ask, delay);
})();
