/* Close shift: the running total of the cash count (the server computes the real one). A static
   file, not an inline script: the Content Security Policy runs no inline script without a nonce.
   The total is drawn at load too: a count sent back with a message keeps its numbers. */
(function () {
  var inputs = document.querySelectorAll("[data-note]");
  function sum() {
    var total = 0;
    inputs.forEach(function (i) { total += (parseInt(i.value, 10) || 0) * parseInt(i.dataset.note, 10); });
    document.getElementById("counted").textContent = String(total).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " ₫";
  }
  inputs.forEach(function (i) { i.addEventListener("input", sum); });
  sum();
})();
