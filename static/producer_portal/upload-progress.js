/* Upload progress for the stock CSV form: a large file over a slow mobile connection shows how far
   the upload is, then that it is being checked. Without JavaScript the form posts as usual. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-progress]");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  form.addEventListener("submit", function (event) {
    var bar = form.querySelector("progress");
    var label = form.querySelector("[data-progress-label]");
    var xhr = new XMLHttpRequest();
    event.preventDefault();
    bar.hidden = false;
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
    });
    xhr.upload.addEventListener("load", function () { bar.removeAttribute("value"); label.hidden = false; });
    xhr.addEventListener("load", function () {
      if (xhr.responseURL && xhr.responseURL !== window.location.href) { window.location = xhr.responseURL; return; }
      document.open(); document.write(xhr.responseText); document.close();
    });
    xhr.open("POST", form.action || window.location.href);
    xhr.send(new FormData(form));
  });
}());
