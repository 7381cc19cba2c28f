// Uploads the documents with a progress bar. Without this file the form posts as usual; with it
// the same form is sent by XMLHttpRequest, the <progress> shows how much has gone, and the page
// the server answers (the status page, or the form again with its errors) is then shown.
(function () {
  "use strict";
  function bind() {
  var form = document.querySelector("form.upload-form");
  var box = document.getElementById("progreso-envio");
  var bar = document.getElementById("progreso");
  var words = document.getElementById("progreso-texto");
  if (!form || !box || !bar || !words || !window.FormData || !window.XMLHttpRequest || !window.DOMParser) { return; }
  form.addEventListener("submit", function (event) {
    var xhr = new XMLHttpRequest();
    if (!xhr.upload) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    box.hidden = false;
    var said = -1;
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      bar.textContent = percent + " %";
      // Announce in steps of a quarter, not every event, so a screen reader is not flooded.
      var step = Math.floor(percent / 25);
      if (step !== said) { said = step; words.textContent = "Se subió el " + percent + " %."; }
    });
    xhr.upload.addEventListener("load", function () {
      words.textContent = "Se subieron los archivos; revisándolos.";
    });
    xhr.addEventListener("load", function () {
      if (xhr.status === 200 && xhr.responseURL && xhr.responseURL.indexOf("/documentos") === -1) {
        window.location.assign(xhr.responseURL);
        return;
      }
      // The form again, with the reasons: its main part replaces this one's, focus on the summary.
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = page.getElementById("contenido");
      if (!main) { form.submit(); return; }
      document.title = page.title;
      document.getElementById("contenido").innerHTML = main.innerHTML;
      bind();
      var summary = document.querySelector(".error-summary");
      (summary || document.getElementById("contenido")).focus();
    });
    xhr.addEventListener("error", function () {
      // The network failed: fall back to the ordinary post.
      box.hidden = true;
      if (button) { button.disabled = false; }
      form.submit();
    });
    xhr.open("POST", form.action);
    xhr.send(new FormData(form));
  });
  }
  bind();
})();
