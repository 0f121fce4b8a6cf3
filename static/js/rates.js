/* Rates: edit one night in place. Without JavaScript each cell is a small form that
   saves and reloads the page; with it, the price becomes a button that opens the
   form, which saves in the background and updates the cell and its plans' prices. */
(function () {
  "use strict";
  var table = document.getElementById("rates");
  if (!table) {
    return;
  }
  table.classList.add("rt-js");

  function close(cell) {
    cell.classList.remove("rt-editing");
    var button = cell.querySelector(".rt-price");
    if (button) {
      button.setAttribute("aria-expanded", "false");
    }
  }

  function say(cell, text, isError) {
    var note = cell.querySelector(".rt-note");
    if (!note) {
      note = document.createElement("span");
      note.className = "rt-note";
      note.setAttribute("role", isError ? "alert" : "status");
      cell.appendChild(note);
    }
    note.textContent = text;
    note.classList.toggle("errornote", Boolean(isError));
  }

  table.querySelectorAll("td.rt-cell").forEach(function (cell) {
    var form = cell.querySelector("form.rt-night");
    var text = cell.querySelector(".rt-price-text");
    if (!form || !text) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "rt-price";
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-label", form.querySelector("label").textContent);
    button.textContent = text.textContent;
    text.replaceWith(button);
    var input = form.elements.price;

    button.addEventListener("click", function () {
      cell.classList.add("rt-editing");
      button.setAttribute("aria-expanded", "true");
      input.focus();
      input.select();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close(cell);
        button.focus();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action || window.location.href, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          if (!data.ok) {
            say(cell, data.error, true);
            input.focus();
            return;
          }
          button.textContent = data.price;
          input.value = data.input;
          say(cell, "", false);
          var night = cell.dataset.night;
          Object.keys(data.plans).forEach(function (plan) {
            var planCell = table.querySelector(
              'tr[data-plan="' + plan + '"] td[data-night="' + night + '"]'
            );
            if (planCell) {
              planCell.textContent = data.plans[plan];
            }
          });
          close(cell);
          button.focus();
        })
        .catch(function () {
          form.submit();
        });
    });
  });
})();
