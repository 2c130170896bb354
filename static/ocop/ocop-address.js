/* Province -> ward/commune: when the province changes, refill the ward select from
   /checkout/wards/?province=<code>. Without JavaScript the form still works: the server
   lists the chosen province's wards when it answers "not in the chosen province". */
(function () {
  "use strict";
  function refill(province) {
    var form = province.form;
    var ward = form && form.querySelector("select[data-ocop-ward]");
    if (!ward || !province.value) { return; }
    var url = province.getAttribute("data-wards-url") + "?province=" + encodeURIComponent(province.value);
    ward.disabled = true;
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (wards) {
        var placeholder = ward.options.length ? ward.options[0].cloneNode(true) : document.createElement("option");
        placeholder.value = "";
        placeholder.selected = true;
        ward.innerHTML = "";
        ward.appendChild(placeholder);
        wards.forEach(function (w) {
          var option = document.createElement("option");
          option.value = w.code;
          option.textContent = w.name;
          ward.appendChild(option);
        });
      })
      .catch(function () { /* keep the current list: the server checks the pair anyway */ })
      .then(function () { ward.disabled = false; });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-ocop-province]")) { refill(event.target); }
  });
})();

/* Screen 1 of the checkout holds two forms, delivery and pick-up, both asking for a name, a phone
   and (a guest's) e-mail: what is typed in one is copied into the other while that one is empty or
   still holds an earlier copy, so switching between the two never asks for them twice. */
(function () {
  "use strict";
  var SHARED = ["full_name", "phone_number", "email"];
  document.addEventListener("input", function (event) {
    var field = event.target;
    var where = field.closest && field.closest(".ocop-where");
    if (!where || SHARED.indexOf(field.name) < 0) { return; }
    field.removeAttribute("data-copied");
    where.querySelectorAll("form").forEach(function (form) {
      var other = form.elements[field.name];
      if (!other || other === field || other.form === field.form) { return; }
      if (other.value === "" || other.hasAttribute("data-copied")) {
        other.value = field.value;
        other.setAttribute("data-copied", "");
      }
    });
  });
})();
