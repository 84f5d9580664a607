/* Forms marked data-once send once: the submit button is disabled after the first click, so a double
   click or a double tap on a slow phone connection sends one comment (the server also refuses a second
   submission of the same form). Without JavaScript the server's check alone does it. */
(function () {
  "use strict";

  function init() {
    var forms = document.querySelectorAll("form[data-once]");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", function (event) {
        var form = event.currentTarget;
        if (form.dataset.sent === "1") {
          event.preventDefault();
          return;
        }
        form.dataset.sent = "1";
        var buttons = form.querySelectorAll("button[type=submit]");
        for (var j = 0; j < buttons.length; j++) {
          buttons[j].setAttribute("aria-disabled", "true");
        }
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
