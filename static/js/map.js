/* Innkeep maps: Leaflet over the configured tiles, from the markers of the static plot
   (templates/hotels/_map.html). Without JavaScript, or without Leaflet, the plot stays. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function popup(anchor) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = anchor.getAttribute("href");
    link.textContent = anchor.getAttribute("data-name");
    box.appendChild(link);
    var label = anchor.getAttribute("data-label");
    if (label) {
      var note = document.createElement("div");
      note.className = "map__popup-note";
      note.textContent = label;
      box.appendChild(note);
    }
    return box;
  }

  ready(function () {
    if (!window.L) return;
    document.querySelectorAll("[data-map]").forEach(function (figure) {
      var anchors = figure.querySelectorAll("a[data-lat]");
      if (!anchors.length) return;
      var canvas = document.createElement("div");
      canvas.className = "map__canvas";
      figure.insertBefore(canvas, figure.firstChild);
      var map = L.map(canvas, { scrollWheelZoom: false });
      L.tileLayer(figure.getAttribute("data-tile-url"), {
        attribution: figure.getAttribute("data-attribution"),
        maxZoom: parseInt(figure.getAttribute("data-max-zoom"), 10) || 19,
      }).addTo(map);
      var current = new L.Icon.Default({ className: "map__pin--current" });
      var points = [];
      anchors.forEach(function (anchor) {
        var point = [
          parseFloat(anchor.getAttribute("data-lat")),
          parseFloat(anchor.getAttribute("data-lng")),
        ];
        var name = anchor.getAttribute("data-name");
        var options = { title: name, alt: name, keyboard: true };
        if (anchor.hasAttribute("data-current")) {
          options.icon = current;
          options.zIndexOffset = 1000;
        }
        L.marker(point, options).addTo(map).bindPopup(popup(anchor));
        points.push(point);
      });
      if (points.length === 1) map.setView(points[0], 15);
      else map.fitBounds(points, { padding: [28, 28], maxZoom: 16 });
      figure.classList.add("map--live");
    });
  });
})();
