/* The recommendation editor: a direction's goal checkboxes are named by the goals' text as the member
   types it, before anything is saved. Without JavaScript the names come back from the server whenever
   the page does ("Add a goal", "Add a direction", "Save"). Label templates come from data-* attributes,
   already translated by the server. */
(function () {
  "use strict";

  var form = document.querySelector("form.recommendation-editor");
  if (!form) {
    return;
  }
  var named = form.dataset.goalLabel || "%(text)s (%(number)d)";
  var empty = form.dataset.goalEmpty || "%(number)d";

  function format(template, values) {
    return template.replace(/%\((\w+)\)[sd]/g, function (_, name) {
      return String(values[name]);
    });
  }

  function shorten(text) {
    text = text.replace(/\s+/g, " ").trim();
    return text.length > 80 ? text.slice(0, 79) + "…" : text;
  }

  function goalTexts() {
    return Array.prototype.slice.call(form.querySelectorAll("textarea[name^='goals-'][name$='-text']"));
  }

  function relabel() {
    goalTexts().forEach(function (textarea, index) {
      var number = index + 1;
      var text = shorten(textarea.value);
      var label = text ? format(named, { text: text, number: number }) : format(empty, { number: number });
      form.querySelectorAll("input[type=checkbox][name^='directions-'][name$='-goals'][value='" + number + "']")
        .forEach(function (checkbox) {
          var target = form.querySelector("label[for='" + checkbox.id + "']");
          if (target) {
            target.textContent = label;
          }
        });
    });
  }

  form.addEventListener("input", function (event) {
    if (event.target.matches("textarea[name^='goals-'][name$='-text']")) {
      relabel();
    }
  });
})();
