/* Moderation queue: a "select all on this page" button for the bulk action (keyboard friendly,
   a real <button>). Without JavaScript the button stays hidden and each checkbox works alone. */
(function () {
  "use strict";

  function init() {
    var buttons = document.querySelectorAll("button[data-select-all]");
    for (var i = 0; i < buttons.length; i++) {
      (function (button) {
        var form = button.closest("form");
        var name = button.dataset.selectAll;
        var selectText = button.textContent;
        button.hidden = false;
        button.setAttribute("aria-pressed", "false");
        button.addEventListener("click", function () {
          var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
          var allChecked = Array.prototype.every.call(boxes, function (box) { return box.checked; });
          Array.prototype.forEach.call(boxes, function (box) { box.checked = !allChecked; });
          button.setAttribute("aria-pressed", allChecked ? "false" : "true");
          button.textContent = selectText;
        });
      })(buttons[i]);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
