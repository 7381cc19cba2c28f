// Announces, two minutes before, that the session is about to time out. The page already says at
// what time it will (text, no script needed); this only tells screen readers when the moment nears.
(function () {
  "use strict";
  var notice = document.getElementById("aviso-sesion");
  var live = document.getElementById("aviso-sesion-vivo");
  if (!notice || !live) { return; }
  var expires = Date.parse(notice.getAttribute("data-vence"));
  if (isNaN(expires)) { return; }
  var warnAt = expires - 2 * 60 * 1000 - Date.now();
  function say(text) { live.textContent = text; }
  if (warnAt > 0) {
    window.setTimeout(function () {
      say("Su sesión vencerá en 2 minutos. Abra otra página o recargue esta para mantenerla.");
    }, warnAt);
  }
  window.setTimeout(function () {
    say("Su sesión venció. Para continuar, inicie sesión nuevamente.");
  }, Math.max(expires - Date.now(), 0));
})();
