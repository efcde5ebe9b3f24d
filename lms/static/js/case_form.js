// The structured case form's script (the case form page only; the page works without it).

// The structured case form: adding, removing and moving parts without reloading the page. The server builds
// the new form exactly as without JavaScript; only the form is swapped, and the author stays at the part.
(function () {
  "use strict";
  var busy = false;  // one structure change at a time: a second tap waits for the first form to arrive
  document.addEventListener("click", function (event) {
    var button = event.target.closest("form.case-form button[name=op]");
    if (!button || !window.fetch || !window.DOMParser) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    var form = button.form;
    var data = new FormData(form);
    data.append("op", button.value);
    var target = (button.getAttribute("formaction") || "").replace(/^#/, "");
    button.disabled = true;
    fetch(window.location.pathname + window.location.search, {
      method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("form.case-form");
      if (!fresh) { throw new Error("no form"); }
      form.replaceWith(fresh);
      var part = target && document.getElementById(target);
      if (part) {
        part.scrollIntoView({ block: "start" });
        var field = part.querySelector("input:not([type=hidden]), textarea, select");
        if (field) { field.focus({ preventScroll: true }); }
      }
      if (window.history && target) { window.history.replaceState(null, "", "#" + target); }
      busy = false;
    }).catch(function () {
      busy = false;
      button.disabled = false;
      form.requestSubmit ? form.requestSubmit(button) : form.submit();  // the page way, as without JavaScript
    });
  });
})();

// Cueing, live: as the author types, a question that gives its key away by the shape of its options says so at
// once, by the validator's rules (lms/content/cueing.py): the best-rated option far the longest, the best alone
// written as a list of steps, a rank question left unshuffled in the key's order. Each variant of a question is
// checked on its own options, with its question's type (and shuffling, unless it sets its own). The module-wide
// position cue shows on "Xem trước".
(function () {
  "use strict";
  var PART = ".form-question, .form-variant";  // a version of a question a learner may be given
  function field(root, suffix) { return root.querySelector("[name$='" + suffix + "']"); }
  function own(part, suffix) {  // the part's own field, not one of its variants'
    var found = field(part, suffix);
    return found && found.closest(PART) === part ? found : null;
  }
  function semicolons(text) { return (text.match(/;/g) || []).length; }
  function shuffling(part) {
    var choice = own(part, "-shuffle");
    if (choice && choice.value === "" && part.matches(".form-variant")) {  // blank: as its question
      return own(part.parentElement.closest(".form-question"), "-shuffle");
    }
    return choice;
  }
  function cues(part, form) {
    var options = Array.prototype.slice.call(part.querySelectorAll(".form-option")).filter(function (o) {
      return o.closest(PART) === part;
    });
    var rated = options.map(function (o) {
      var text = field(o, "-text"), rating = field(o, "-effectiveness");
      return { text: text ? text.value.trim() : "", rating: rating ? parseInt(rating.value, 10) || 0 : 0 };
    }).filter(function (o) { return o.rating > 0; });
    var top = Math.max.apply(null, rated.map(function (o) { return o.rating; }).concat([0]));
    var best = rated.filter(function (o) { return o.rating === top; });
    var others = rated.filter(function (o) { return o.rating < top; });
    var longest = Math.max.apply(null, others.map(function (o) { return o.text.length; }).concat([0]));
    var steps = parseInt(form.dataset.cueSteps, 10);
    var found = [];
    if (best.length === 1 && others.length) {
      if (longest > 0 && best[0].text.length >= parseFloat(form.dataset.cueMargin) * longest) {
        found.push(form.dataset.cueText.replace("{best}", best[0].text.length).replace("{other}", longest));
      }
      if (semicolons(best[0].text) >= steps && !others.some(function (o) { return semicolons(o.text) >= steps; })) {
        found.push(form.dataset.cueStepsText);
      }
    }
    var type = field(part.closest(".form-question"), "-type"), shuffle = shuffling(part);
    var ratings = rated.map(function (o) { return o.rating; });
    if (type && type.value === "rank" && shuffle && shuffle.value === "no" && ratings.length > 1 &&
        ratings.every(function (r, i) { return i === 0 || ratings[i - 1] >= r; })) {
      found.push(form.dataset.cueRankText);
    }
    return found;
  }
  function check(part) {
    var found = cues(part, part.closest("form.case-form"));
    var note = part.querySelector(":scope > .live-cue");
    if (!found.length) { if (note) { note.remove(); } return; }
    if (!note) {
      note = document.createElement("p");
      note.className = "live-cue warning";
      note.setAttribute("role", "status");
      part.insertBefore(note, part.querySelector(":scope > .form-option"));
    }
    note.textContent = found.join(" ");
  }
  function onEdit(event) {  // the question and each of its variants: its type and shuffling count for them all
    var question = event.target.closest && event.target.closest("form.case-form .form-question");
    if (question) {
      check(question);
      Array.prototype.forEach.call(question.querySelectorAll(".form-variant"), check);
    }
  }
  document.addEventListener("input", onEdit);  // typing in a text
  document.addEventListener("change", onEdit);  // a rating, the type or the shuffling chosen
})();
