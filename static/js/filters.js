/* Innkeep results: the filter panel is open on wide screens, folded on phones (the
   server opens it when a filter is on). Without this file it works the same, closed. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 960px)");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var panel = document.querySelector("details[data-filters]");
    if (panel && wide.matches) panel.open = true;
  });
})();
