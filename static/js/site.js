/* Small-screen helpers for every page, loaded right after the main menu so the menu is folded before the
   first paint. Without JavaScript everything stays open and usable: the menu is a list of links, the
   filter panels are <details> the visitor opens. */
(function () {
  "use strict";

  var WIDE = window.matchMedia("(min-width: 56rem)");

  // The main menu: on a phone it folds behind a "Menu" button instead of taking several rows.
  var nav = document.querySelector(".main-nav");
  var toggle = nav && nav.querySelector(".menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (menu) {
    nav.classList.add("js-menu");
    toggle.hidden = false;
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-folded", !open);
    };
    setOpen(false);
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && !WIDE.matches) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // Filter panels (<details data-open-wide>) start folded, so that on a phone the first result is near
  // the top; on a wide screen, where they sit beside the results, they open.
  document.addEventListener("DOMContentLoaded", function () {
    if (!WIDE.matches) {
      return;
    }
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = true;
    });
  });
})();
