/* OCOP Market: search-box suggestions and the filter panel. No dependencies; without this file
 * the search box is a plain form and the filter panel a plain <details>. */
(function () {
  "use strict";

  var MIN_CHARS = 2;
  var DELAY_MS = 150;
  var counter = 0;

  function enhanceSearch(form) {
    var input = form.querySelector('input[name="q"]');
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) return;
    counter += 1;
    var listId = "ocop-suggest-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "ocop-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("aria-label") || "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var results = [];
    var active = -1;
    var timer = null;
    var pending = null;

    function setOpen(open) {
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) setActive(-1);
    }

    function setActive(index) {
      active = index;
      var options = list.querySelectorAll('[role="option"]');
      for (var i = 0; i < options.length; i++) {
        var on = i === index;
        options[i].setAttribute("aria-selected", on ? "true" : "false");
        options[i].classList.toggle("is-active", on);
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        if (options[index].scrollIntoView) options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(items) {
      results = items || [];
      list.textContent = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.className = "ocop-suggest__option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        if (item.image) {
          var img = document.createElement("img");
          img.src = item.image;
          img.alt = "";
          img.className = "ocop-suggest__image";
          li.appendChild(img);
        }
        var text = document.createElement("span");
        text.className = "ocop-suggest__text";
        var title = document.createElement("span");
        title.className = "ocop-suggest__title";
        title.textContent = item.title;
        text.appendChild(title);
        var meta = document.createElement("span");
        meta.className = "ocop-suggest__meta";
        meta.textContent = (item.stars ? "OCOP " + "★".repeat(item.stars) + " · " : "") + (item.price || "");
        text.appendChild(meta);
        li.appendChild(text);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until we navigate
          go(i);
        });
        list.appendChild(li);
      });
      setOpen(results.length > 0);
      status.textContent = results.length
        ? results.length + " " + form.getAttribute("data-text-results")
        : form.getAttribute("data-text-none");
    }

    function go(index) {
      if (results[index]) window.location.assign(results[index].url);
    }

    function load() {
      var q = input.value.trim();
      if (q.length < MIN_CHARS) {
        render([]);
        status.textContent = "";
        return;
      }
      if (pending && pending.abort) pending.abort();
      pending = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(q), {
        headers: { Accept: "application/json" },
        signal: pending ? pending.signal : undefined,
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && input.value.trim() === q) render(data.results);
        })
        .catch(function () { /* offline or aborted: the plain form still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open && results.length) setOpen(true);
        if (results.length) setActive((active + 1) % results.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (results.length) setActive(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          go(active);
        } // otherwise the form submits: the full search page
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          setOpen(false);
        }
      }
    });
    input.addEventListener("blur", function () { setOpen(false); });
    input.addEventListener("focus", function () { if (results.length) setOpen(true); });
  }

  function openPanelsOnWideScreens() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 768px)").matches) return;
    var panels = document.querySelectorAll("details[data-ocop-open-wide]");
    for (var i = 0; i < panels.length; i++) panels[i].open = true;
  }

  var forms = document.querySelectorAll("form[data-suggest-url]");
  for (var i = 0; i < forms.length; i++) enhanceSearch(forms[i]);
  openPanelsOnWideScreens();
})();
