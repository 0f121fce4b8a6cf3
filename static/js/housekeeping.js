// The housekeeping board, enhanced: a status button posts its own small form in the
// background and the room's card, its floor's counts and a status line update in
// place. Without JavaScript the same forms post and the page comes back.
(function () {
  "use strict";

  function say(live, texts, isError) {
    if (!live) return;
    live.textContent = texts.join(" ");
    live.classList.toggle("error", Boolean(isError));
  }

  function updateRoom(card, data) {
    card.className = card.className.replace(/\bstatus-\S+/g, "").trim();
    card.classList.add("status-" + data.status);
    var label = card.querySelector(".hk-status-label");
    if (label) label.textContent = data.label;
    card.querySelectorAll("form.hk-status").forEach(function (form) {
      var value = form.querySelector("input[name=status]").value;
      var button = form.querySelector("button");
      var current = value === data.status;
      button.setAttribute("aria-pressed", current ? "true" : "false");
      button.disabled = current;
    });
  }

  function updateCounts(data) {
    document
      .querySelectorAll('[data-floor="' + data.floor + '"][data-status]')
      .forEach(function (element) {
        var count = data.counts[element.getAttribute("data-status")] || 0;
        if (element.classList.contains("hk-count")) {
          // The floor picker's badge: "<hidden label>N".
          var hidden = element.querySelector(".visually-hidden");
          element.textContent = "";
          if (hidden) element.appendChild(hidden);
          element.appendChild(document.createTextNode(String(count)));
          element.hidden = count === 0;
        } else {
          element.textContent = String(count);
        }
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var live = document.getElementById("hk-live");
    document.querySelectorAll("form.hk-status").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.fetch || !window.FormData) return;
        event.preventDefault();
        var card = form.closest(".hk-room");
        var button = form.querySelector("button");
        card.classList.add("hk-busy");
        fetch(form.action || window.location.href, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        })
          .then(function (response) {
            return response.json().then(function (data) {
              return { ok: response.ok, data: data };
            });
          })
          .then(function (answer) {
            if (answer.data.status) {
              updateRoom(card, answer.data);
              updateCounts(answer.data);
            }
            say(live, answer.data.messages || [], !answer.ok);
            if (answer.ok) {
              var pressed = card.querySelector('button[aria-pressed="true"]');
              (pressed && !pressed.disabled ? pressed : card).focus();
            } else {
              button.focus();
            }
          })
          .catch(function () {
            // No answer we can read: post the form the plain way.
            form.submit();
          })
          .finally(function () {
            card.classList.remove("hk-busy");
          });
      });
    });
  });
})();
