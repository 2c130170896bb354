/* Small page actions that used to be inline event handlers (onclick="window.print()", Oscar's
   "cancel" links, the dashboard's image preview): the Content Security Policy runs no inline
   handler, so the markup names the action in a data attribute and this file does it. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-action]");
    if (!target) { return; }
    var action = target.getAttribute("data-action");
    if (action === "print") { event.preventDefault(); window.print(); }
    else if (action === "history-back") { event.preventDefault(); window.history.go(-1); }
    else if (action === "window-close") { event.preventDefault(); window.close(); }
  });

  /* Oscar's image input widget: hide the upload button once the preview shows an image; show it
     and say so when the file is not an image. */
  function watchPreview(img) {
    var button = document.getElementById(img.getAttribute("data-upload-button"));
    if (!button) { return; }
    function loaded() { button.style.display = "none"; }
    function failed() {
      button.style.display = "";
      var message = img.getAttribute("data-error-message");
      if (message && img.getAttribute("src")) { window.alert(message); }
    }
    img.addEventListener("load", loaded);
    img.addEventListener("error", failed);
    if (img.complete && img.getAttribute("src")) { (img.naturalWidth ? loaded : failed)(); }
  }
  function init() {
    document.querySelectorAll("img[data-upload-button]").forEach(watchPreview);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
}());
