/* The counter screen: scanner and keyboard first, no page reload between scans.
   The cart lives on the server (pos/cart.py); this script only draws what the server answers,
   so a refresh or a second tab shows the same cart. A scanner types the barcode and Enter. */
(function () {
  "use strict";
  var root = document.getElementById("counter");
  if (!root) return;
  var api = root.dataset.api;
  var t = root.dataset;
  var cart = JSON.parse(document.getElementById("cart-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var scan = $("scan");

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function digits(v) { return parseInt(String(v || "").replace(/[^0-9]/g, ""), 10) || 0; }
  function money(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " ₫"; }

  function showError(text) {
    var box = $("error");
    box.textContent = text || "";
    box.hidden = !text;
  }

  function call(method, path, body) {
    showError("");
    return fetch(api + path, {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json"},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {error: t.tFailed}; }).then(function (data) {
        if (data.cart) { cart = data.cart; draw(); }
        if (!r.ok || data.error) { showError(data.error || t.tFailed); throw data; }
        return data;
      });
    }, function (e) { showError(t.tFailed); throw e; });
  }

  function draw() {
    var body = $("lines");
    body.textContent = "";
    cart.lines.forEach(function (line) {
      var tr = document.createElement("tr");
      tr.dataset.line = line.id;
      function td(text, cls) { var c = document.createElement("td"); c.textContent = text; if (cls) c.className = cls; tr.appendChild(c); return c; }
      td(line.title);
      td(line.stars_display, "stars");
      td(line.unit_price_display, "num");
      var q = td("", "num");
      var input = document.createElement("input");
      input.type = "number"; input.min = "0"; input.value = line.quantity; input.className = "qty";
      input.setAttribute("aria-label", line.title);
      input.addEventListener("change", function () {
        call("POST", "lines/" + line.id + "/", {quantity: digits(input.value)}).catch(function () {});
      });
      q.appendChild(input);
      td(line.total_display, "num line-total");
      var rm = td("");
      var b = document.createElement("button");
      b.type = "button"; b.textContent = t.tRemove; b.className = "remove";
      b.addEventListener("click", function () { call("POST", "lines/" + line.id + "/", {quantity: 0}).catch(function () {}); });
      rm.appendChild(b);
      body.appendChild(tr);
    });
    $("empty").hidden = cart.lines.length > 0;
    $("subtotal").textContent = cart.subtotal_display;
    $("discount").textContent = cart.discount ? "−" + cart.discount_display : "0 ₫";
    $("total").textContent = cart.total_display;
    if (document.activeElement !== $("phone")) $("phone").value = cart.customer_phone;
    updateChange();
  }

  function cashDue() { return Math.max(cart.total - digits($("vietqr").value) - digits($("card").value), 0); }
  function updateChange() {
    var tendered = digits($("cash").value);
    $("change").textContent = money(Math.max(tendered - cashDue(), 0));
  }

  $("scan-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var code = scan.value.trim();
    if (!code) return;
    var pick = document.querySelector("#suggestions li.active");
    var body = pick ? {product: pick.dataset.id} : {code: code};
    call("POST", "scan/", body).then(function () { scan.value = ""; hideSuggestions(); }, function () {})
      .then(function () { scan.focus(); scan.select(); });
  });

  // Typing a name (accents optional) lists products on this shelf; digits are a barcode.
  var timer = null;
  function hideSuggestions() { $("suggestions").hidden = true; $("suggestions").textContent = ""; }
  scan.addEventListener("input", function () {
    clearTimeout(timer);
    var q = scan.value.trim();
    if (q.length < 2 || /^[0-9]+$/.test(q)) { hideSuggestions(); return; }
    timer = setTimeout(function () {
      fetch(api + "search/?q=" + encodeURIComponent(q), {credentials: "same-origin"}).then(function (r) { return r.json(); })
        .then(function (data) {
          var list = $("suggestions");
          list.textContent = "";
          (data.results || []).forEach(function (p, i) {
            var li = document.createElement("li");
            li.dataset.id = p.id;
            li.textContent = p.title + " " + p.stars_display + " · " + p.price_display + " · " + p.on_shelf;
            if (i === 0) li.className = "active";
            li.addEventListener("click", function () {
              call("POST", "scan/", {product: p.id}).then(function () { scan.value = ""; hideSuggestions(); scan.focus(); }, function () {});
            });
            list.appendChild(li);
          });
          list.hidden = !list.children.length;
        });
    }, 150);
  });
  scan.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var items = Array.prototype.slice.call(document.querySelectorAll("#suggestions li"));
    if (!items.length) return;
    e.preventDefault();
    var i = items.findIndex(function (li) { return li.classList.contains("active"); });
    items.forEach(function (li) { li.classList.remove("active"); });
    i = (i + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
    items[i].classList.add("active");
  });

  ["cash", "vietqr", "card"].forEach(function (id) { $(id).addEventListener("input", updateChange); });
  document.querySelectorAll("[data-note]").forEach(function (b) {
    b.addEventListener("click", function () { $("cash").value = digits($("cash").value) + digits(b.dataset.note); updateChange(); });
  });
  document.querySelector("[data-exact]").addEventListener("click", function () { $("cash").value = cashDue(); updateChange(); });

  $("phone").addEventListener("change", function () { call("POST", "customer/", {phone: $("phone").value}).catch(function () {}); });
  if ($("discount-apply")) {
    $("discount-apply").addEventListener("click", function () {
      call("POST", "discount/", {amount: digits($("discount-amount").value), reason: $("discount-reason").value}).catch(function () {});
    });
  }
  $("vietqr-show").addEventListener("click", function () {
    var amount = digits($("vietqr").value) || cart.total;
    $("vietqr").value = amount;
    fetch(api + "vietqr/?amount=" + amount, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      if (data.error) { showError(data.error); return; }
      var box = $("vietqr-box");
      box.innerHTML = data.svg;
      var p = document.createElement("p");
      p.textContent = data.amount_display + " · " + data.bank + " " + data.account + " · " + data.note;
      box.appendChild(p);
      box.hidden = false;
      updateChange();
      watchTransfer(amount);
    });
  });

  // With the bank's notifications configured (banking/, SePay) the counter learns by itself that
  // the transfer arrived: it asks every 3 s while the QR is shown, and ticks "arrived" for the cashier.
  var watching = 0;
  function watchTransfer(amount) {
    var mine = ++watching;
    function ask() {
      if (mine !== watching || $("vietqr-box").hidden) { return; }
      fetch(api + "vietqr/status/?amount=" + amount, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
        if (mine !== watching || !data.automatic) { return; }
        $("vietqr-confirmed").disabled = true;
        if (data.received) {
          $("vietqr-confirmed").checked = true;
          var ok = document.createElement("p");
          ok.className = "ok";
          ok.setAttribute("data-transfer-received", "");
          ok.textContent = data.message;
          $("vietqr-box").appendChild(ok);
          return;
        }
        setTimeout(ask, 3000);
      }, function () { setTimeout(ask, 6000); });
    }
    ask();
  }

  $("complete").addEventListener("click", function () {
    var button = $("complete");
    button.disabled = true;
    call("POST", "complete/", {
      basket: cart.basket, version: cart.version, cash_tendered: digits($("cash").value),
      vietqr_amount: digits($("vietqr").value), vietqr_confirmed: $("vietqr-confirmed").checked,
      card_amount: digits($("card").value), card_reference: $("card-ref").value
    }).then(function (data) {
      var s = data.sale;
      ["cash", "vietqr", "card", "card-ref"].forEach(function (id) { $(id).value = ""; });
      $("vietqr-confirmed").checked = false;
      $("vietqr-confirmed").disabled = false;
      watching += 1;
      $("vietqr-box").hidden = true;
      updateChange();
      showDone(s, data.message);
    }, function () {}).then(function () { button.disabled = false; if (!isDone()) scan.focus(); });
  });

  // Issue 19: the completed sale takes the cart's place (the cart behind it is the next, empty
  // one): change due in large type, print receipt and new sale, all above the fold.
  function isDone() { return !$("done").hidden; }
  function showDone(s, message) {
    $("done-number").textContent = s.number;
    $("done-change").textContent = s.change_display;
    $("done-total").textContent = s.total_display;
    $("done-tendered").textContent = s.tendered_display;
    document.querySelectorAll("[data-tendered]").forEach(function (el) { el.hidden = !s.tendered_display; });
    $("done-message").textContent = message || "";
    $("done-message").hidden = !message;
    $("receipt-link").href = s.receipt_url;
    $("done").hidden = false;
    root.classList.add("is-done");
    $("new-sale").focus();
  }
  function newSale() {
    $("done").hidden = true;
    root.classList.remove("is-done");
    scan.focus();
  }
  $("new-sale").addEventListener("click", newSale);
  // A scanner typing the next barcode while the panel shows starts the new sale with it.
  document.addEventListener("keydown", function (e) {
    if (!isDone() || e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1) return;
    if (document.activeElement === $("receipt-link") && e.key === " ") return;
    e.preventDefault();
    newSale();
    scan.value += e.key;
    scan.dispatchEvent(new Event("input"));
  });

  // F2 jumps to the cash field, F4 completes, Escape back to the scanner.
  document.addEventListener("keydown", function (e) {
    if (e.key === "F2") { e.preventDefault(); $("cash").focus(); }
    else if (e.key === "F4") { e.preventDefault(); $("complete").click(); }
    else if (e.key === "Escape") { hideSuggestions(); if (isDone()) newSale(); else scan.focus(); }
  });
  draw();
})();
