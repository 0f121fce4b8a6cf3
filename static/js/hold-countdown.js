/* Innkeep: a live countdown next to "your rooms are held until HH:MM".
   The page says the time without JavaScript; this only adds "mm:ss left". */
(function () {
  "use strict";
  var holds = document.querySelectorAll("[data-countdown]");
  if (!holds.length) return;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    holds.forEach(function (hold) {
      var left = hold.querySelector("[data-countdown-left]");
      var ms = Date.parse(hold.getAttribute("datetime")) - Date.now();
      if (!left || isNaN(ms)) return;
      if (ms <= 0) {
        left.textContent = "(" + (hold.dataset.expiredText || "expired") + ")";
        return;
      }
      var s = Math.floor(ms / 1000);
      left.textContent = "(" + Math.floor(s / 60) + ":" + pad(s % 60) + " left)";
    });
  }
  tick();
  window.setInterval(tick, 1000);
})();
