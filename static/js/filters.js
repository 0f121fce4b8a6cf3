/* Innkeep results: the search and the filter panels are open on wide screens, folded
   on phones (the server opens them when a filter is on or the search needs fixing).
   Browsers that know ::details-content open them on wide screens without this file. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 960px)");
  var medium = window.matchMedia("(min-width: 720px)");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var filters = document.querySelector("details[data-filters]");
    if (filters && wide.matches) filters.open = true;
    var search = document.querySelector("details[data-search-panel]");
    if (search && medium.matches) search.open = true;
  });
})();
