/* Tape chart: drag a bar onto a room's row to submit the bar's own move form.
   Without JavaScript the same form is in the bar (pick a room, press Move). */
(function () {
  "use strict";
  var chart = document.getElementById("tapechart");
  if (!chart) {
    return;
  }
  var dragged = null;

  function rows() {
    return chart.querySelectorAll("tr[data-room]");
  }

  function clear() {
    rows().forEach(function (row) {
      row.classList.remove("tc-drop");
    });
    chart.classList.remove("tc-dragging");
  }

  document.querySelectorAll(".tc-bar[data-drag-form]").forEach(function (bar) {
    bar.addEventListener("dragstart", function (event) {
      dragged = bar;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", bar.dataset.dragForm);
      chart.classList.add("tc-dragging");
    });
    bar.addEventListener("dragend", function () {
      dragged = null;
      clear();
    });
  });

  function accepts(row) {
    return (
      dragged !== null &&
      row.dataset.roomType === dragged.dataset.roomType &&
      row.dataset.room !== dragged.dataset.fromRoom
    );
  }

  rows().forEach(function (row) {
    row.addEventListener("dragover", function (event) {
      if (accepts(row)) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        row.classList.add("tc-drop");
      }
    });
    row.addEventListener("dragleave", function (event) {
      if (!row.contains(event.relatedTarget)) {
        row.classList.remove("tc-drop");
      }
    });
    row.addEventListener("drop", function (event) {
      if (!accepts(row)) {
        return;
      }
      event.preventDefault();
      var form = document.getElementById(dragged.dataset.dragForm);
      var select = form.elements.to_room;
      var room = row.dataset.room;
      var known = Array.prototype.some.call(select.options, function (option) {
        return option.value === room;
      });
      if (!known) {
        // Not free by the page's reading: the service decides and says why.
        var option = document.createElement("option");
        option.value = room;
        option.textContent = row.dataset.number;
        select.appendChild(option);
      }
      select.value = room;
      clear();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    });
  });
})();
