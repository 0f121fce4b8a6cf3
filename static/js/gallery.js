/* Innkeep photo viewer: every photo link of a [data-gallery] opens in a modal dialog.
   Without this file each photo is a link to its full-size image. Keys: Left / Right move,
   Escape closes; focus goes back to the photo that opened it. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    var dialog = document.querySelector("dialog[data-lightbox]");
    if (!dialog || typeof dialog.showModal !== "function") return;
    var image = dialog.querySelector(".lightbox__image");
    var caption = dialog.querySelector(".lightbox__caption");
    var counter = dialog.querySelector("[data-lightbox-counter]");
    var prev = dialog.querySelector("[data-lightbox-prev]");
    var next = dialog.querySelector("[data-lightbox-next]");
    var close = dialog.querySelector("[data-lightbox-close]");
    var template = dialog.getAttribute("data-counter") || "{current} / {total}";
    var links = [];
    var index = 0;
    var opener = null;

    function show(i) {
      index = (i + links.length) % links.length;
      var link = links[index];
      var thumb = link.querySelector("img");
      image.src = link.getAttribute("href");
      image.alt = thumb ? thumb.alt : "";
      caption.textContent = link.getAttribute("data-caption") || image.alt;
      counter.textContent = template
        .replace("{current}", String(index + 1))
        .replace("{total}", String(links.length));
      var single = links.length < 2;
      prev.hidden = single;
      next.hidden = single;
    }

    document.querySelectorAll("[data-gallery]").forEach(function (gallery) {
      var group = Array.prototype.slice.call(gallery.querySelectorAll("a.gallery__link"));
      group.forEach(function (link, i) {
        link.setAttribute("aria-haspopup", "dialog");
        link.addEventListener("click", function (event) {
          if (event.ctrlKey || event.metaKey || event.shiftKey || event.button > 0) return;
          event.preventDefault();
          links = group;
          opener = link;
          show(i);
          dialog.showModal();
          close.focus();
        });
      });
    });

    prev.addEventListener("click", function () { show(index - 1); });
    next.addEventListener("click", function () { show(index + 1); });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") { event.preventDefault(); show(index - 1); }
      else if (event.key === "ArrowRight") { event.preventDefault(); show(index + 1); }
    });
    // A click on the backdrop (the dialog itself, outside its frame) closes it too.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) dialog.close();
    });
    // Escape closes the dialog natively; either way focus returns to the opener.
    dialog.addEventListener("close", function () {
      image.src = "data:,";
      if (opener) opener.focus();
    });
  });
})();
