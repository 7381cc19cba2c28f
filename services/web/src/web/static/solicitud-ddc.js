// While the DDC is being generated, asks every few seconds whether it is ready and says so
// (aria-live). The link works without this: it only spares the person trying too early.
(function () {
  "use strict";
  var link = document.getElementById("descargar-ddc");
  var notice = document.getElementById("ddc-aviso");
  if (!link || !notice || !window.fetch) { return; }
  var url = link.getAttribute("data-estado");
  var tries = 0;
  function ask() {
    tries += 1;
    fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (status) {
        if (status && status.ddc_ready) {
          notice.textContent = "El DDC ya está listo para descargar.";
        } else if (tries < 40) {
          window.setTimeout(ask, 3000);
        }
      })
      .catch(function () { /* the link still works */ });
  }
  if (notice.textContent.indexOf("listo") === -1) { ask(); }
})();
