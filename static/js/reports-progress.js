// Reports: tell screen-reader users when a report's status changes while htmx polls it.
// The status cells are polled every second (hx-trigger="every 1s"); announcing each poll would be
// noise, so the one live region of the page speaks only when a cell's data-announce text changes
// (status, or progress by quarters). htmx stops polling when the server answers 286.
(function () {
  "use strict";
  var announcer = document.getElementById("reports-announcer");
  if (!announcer) { return; }
  var last = new WeakMap();

  function current(cell) {
    var state = cell.querySelector("[data-announce]");
    return state ? state.getAttribute("data-announce") : "";
  }

  document.querySelectorAll("[data-report-status]").forEach(function (cell) {
    last.set(cell, current(cell));
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    var cell = event.detail && event.detail.target;
    if (!cell || !cell.hasAttribute || !cell.hasAttribute("data-report-status")) { return; }
    var text = current(cell);
    if (text && text !== last.get(cell)) {
      last.set(cell, text);
      announcer.textContent = text;
    }
  });
})();
