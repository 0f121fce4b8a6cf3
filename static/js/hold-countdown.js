/* Innkeep: a live countdown next to "your rooms are held until HH:MM".
   The page says the time without JavaScript; this only adds "mm:ss left" (in the page's
   language, from data-left-text) and, with data-countdown-reload, reloads the page once
   when the hold runs out while it is open, so the server says what happens next. */
(function () {
  "use strict";
  var holds = document.querySelectorAll("[data-countdown]");
  if (!holds.length) return;
  var reloaded = false;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  holds.forEach(function (hold) {
    var ms = Date.parse(hold.getAttribute("datetime")) - Date.now();
    hold.dataset.wasRunning = ms > 0 ? "1" : "";
  });
  function tick() {
    holds.forEach(function (hold) {
      var left = hold.querySelector("[data-countdown-left]");
      var ms = Date.parse(hold.getAttribute("datetime")) - Date.now();
      if (!left || isNaN(ms)) return;
      if (ms <= 0) {
        left.textContent = "(" + (hold.dataset.expiredText || "expired") + ")";
        if (hold.hasAttribute("data-countdown-reload") && hold.dataset.wasRunning && !reloaded) {
          reloaded = true;
          window.setTimeout(function () { window.location.reload(); }, 1500);
        }
        return;
      }
      var s = Math.floor(ms / 1000);
      var time = Math.floor(s / 60) + ":" + pad(s % 60);
      var text = (hold.dataset.leftText || "{time} left").replace("{time}", time);
      left.textContent = "(" + text + ")";
    });
  }
  tick();
  window.setInterval(tick, 1000);
})();
