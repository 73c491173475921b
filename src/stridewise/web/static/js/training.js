// Drag-and-drop onto the upload form: a progressive enhancement of the plain file input.
(function () {
  "use strict";
  var form = document.querySelector("[data-dropzone]");
  if (!form) return;
  var zone = form.querySelector(".dropzone");
  var input = form.querySelector("input[type=file]");
  if (!zone || !input || typeof DataTransfer === "undefined") return;
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (e) {
      e.preventDefault();
      zone.classList.add("is-over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () {
      zone.classList.remove("is-over");
    });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
