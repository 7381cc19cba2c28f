// Decision form: show the observations only for "Observar" and the reason only for "Rechazar".
// Without this script both stay visible, and the access service still asks for the one it needs.
(function () {
  "use strict";
  var form = document.querySelector("form[action^='/evaluacion/']");
  if (!form) { return; }
  var parts = form.querySelectorAll("[data-para]");
  function show() {
    var chosen = form.querySelector("input[name='decision']:checked");
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = !chosen || parts[i].getAttribute("data-para") !== chosen.value;
    }
  }
  form.addEventListener("change", show);
  show();
})();
