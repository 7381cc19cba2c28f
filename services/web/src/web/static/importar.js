// Sends the import form with a progress bar of the upload. Without this script the form posts as usual and
// the server answers the same result page; here that answer replaces the page's main content.
(function () {
  "use strict";
  var form = document.getElementById("importar-form");
  var box = document.getElementById("importar-progreso");
  var bar = document.getElementById("importar-barra");
  var status = document.getElementById("importar-estado");
  if (!form || !box || !bar || !status || !window.FormData || !window.DOMParser) { return; }

  function say(text) { status.textContent = text; }

  function show(html) {
    var answer = new DOMParser().parseFromString(html, "text/html");
    var main = answer.getElementById("contenido");
    var here = document.getElementById("contenido");
    if (!main || !here) { document.location.reload(); return; }
    document.title = answer.title;
    here.replaceWith(document.importNode(main, true));
    // The address of the answer, as without JavaScript: links back to the form then open it anew.
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", form.action); }
    var target = document.querySelector("#contenido [autofocus]") || document.getElementById("contenido");
    target.focus();
  }

  form.addEventListener("submit", function (event) {
    var file = document.getElementById("archivo");
    if (!file || !file.files || !file.files.length) { return; }  // the server says what is missing
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    box.hidden = false;
    bar.value = 0;
    say("Enviando el archivo…");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round((e.loaded / e.total) * 100);
      bar.value = percent;
      say("Enviado el " + percent + " % del archivo.");
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      say("Archivo enviado. Revisando las filas…");
    });
    xhr.addEventListener("load", function () { show(xhr.responseText); });
    xhr.addEventListener("error", function () {
      say("No se pudo enviar el archivo. Revise su conexión e intente nuevamente.");
    });
    xhr.open("POST", form.action);
    xhr.send(new FormData(form));
  });
})();
