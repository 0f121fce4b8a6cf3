/* Innkeep: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function addDays(iso, days) {
    var d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  ready(function () {
    // Forms marked data-autosubmit (the language switcher) submit when a choice changes.
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // Forms marked data-submit-once (booking, change, cancel) go once: a second click
    // while the first request runs does nothing (the server is idempotent anyway).
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.submitted) { event.preventDefault(); return; }
        form.dataset.submitted = "1";
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.setAttribute("aria-disabled", "true");
        });
      });
    });

    // The sort menu re-runs the search at once.
    var sort = document.getElementById("id_sort");
    if (sort) sort.addEventListener("change", function () { sort.form.submit(); });

    // Check-out is always after check-in.
    document.querySelectorAll("input[name=check_in]").forEach(function (checkIn) {
      var checkOut = checkIn.form && checkIn.form.querySelector("input[name=check_out]");
      if (!checkOut) return;
      checkIn.addEventListener("change", function () {
        if (!checkIn.value) return;
        var next = addDays(checkIn.value, 1);
        checkOut.min = next;
        if (!checkOut.value || checkOut.value <= checkIn.value) checkOut.value = next;
      });
    });

    // Place suggestions from /search/suggest/ fill the datalist as the guest types.
    document.querySelectorAll("input[data-suggest]").forEach(function (input) {
      var list = document.getElementById(input.getAttribute("list"));
      if (!list || !window.fetch) return;
      var timer = null;
      var last = "";
      input.addEventListener("input", function () {
        clearTimeout(timer);
        var q = input.value.trim();
        if (q.length < 2 || q === last) return;
        timer = setTimeout(function () {
          last = q;
          fetch("/search/suggest/?q=" + encodeURIComponent(q), {
            headers: { Accept: "application/json" },
          })
            .then(function (r) { return r.ok ? r.json() : { results: [] }; })
            .then(function (data) {
              list.innerHTML = "";
              data.results.forEach(function (item) {
                var option = document.createElement("option");
                option.value = item.value;
                option.label = item.label;
                list.appendChild(option);
              });
            })
            .catch(function () { /* suggestions are a convenience */ });
        }, 180);
      });
    });

    // "Use my location" fills the point search from the browser's geolocation.
    document.querySelectorAll("[data-geolocate]").forEach(function (button) {
      if (!navigator.geolocation) return;
      button.hidden = false;
      var form = button.form || button.closest("form");
      var status = form.querySelector("[data-geolocate-status]");
      button.addEventListener("click", function () {
        if (status) status.textContent = button.dataset.waiting || "…";
        navigator.geolocation.getCurrentPosition(
          function (position) {
            form.querySelector("input[name=lat]").value = position.coords.latitude.toFixed(5);
            form.querySelector("input[name=lng]").value = position.coords.longitude.toFixed(5);
            var place = form.querySelector("input[name=place]");
            if (place) place.value = "";
            var sortField = form.querySelector("select[name=sort]");
            if (sortField) sortField.value = "distance";
            else {
              var hidden = document.createElement("input");
              hidden.type = "hidden"; hidden.name = "sort"; hidden.value = "distance";
              form.appendChild(hidden);
            }
            if (status) status.textContent = "";
            form.submit();
          },
          function () {
            if (status) status.textContent = button.dataset.denied || "";
          },
          { timeout: 10000, maximumAge: 600000 }
        );
      });
    });
  });
})();
