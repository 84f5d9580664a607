/* Live character counter for textareas marked with data-char-counter (the opinion form).
   The server enforces the same limits; this only helps while typing. Texts come from data-*
   attributes, already translated by the server. A visible counter updates on every key; a
   separate polite live region speaks the count only after the typing pauses. */
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) {
      return String(values[name]);
    });
  }

  function setUp(textarea) {
    var max = parseInt(textarea.getAttribute("maxlength"), 10) || 2000;
    var min = parseInt(textarea.dataset.min, 10) || 0;
    var visible = document.createElement("p");
    visible.className = "char-counter";
    visible.id = textarea.id + "_counter";
    visible.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    spoken.id = textarea.id + "_counter_live";
    textarea.insertAdjacentElement("afterend", spoken);
    textarea.insertAdjacentElement("afterend", visible);
    var timer = null;

    function message() {
      var count = textarea.value.replace(/\r\n/g, "\n").trim().length;
      var text = format(textarea.dataset.counterText, { count: count, max: max });
      if (count > max) {
        text += " — " + format(textarea.dataset.counterOver, { over: count - max });
      } else if (count > 0 && count < min) {
        text += " — " + format(textarea.dataset.counterShort, { missing: min - count });
      }
      return { text: text, invalid: count > max || (count > 0 && count < min) };
    }

    function update() {
      var result = message();
      visible.textContent = result.text;
      visible.classList.toggle("error", result.invalid);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        spoken.textContent = result.text;
      }, 1000);
    }

    textarea.addEventListener("input", update);
    var first = message();
    visible.textContent = first.text;
  }

  function init() {
    var fields = document.querySelectorAll("textarea[data-char-counter]");
    for (var i = 0; i < fields.length; i++) setUp(fields[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
