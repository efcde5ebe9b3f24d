// The review grading page's script (loaded by that page only; it works without it).

// Grading with the keyboard: 1-9 picks the n-th level of the current rubric criterion, then moves on.
(function () {
  "use strict";
  var form = document.querySelector("form[data-rubric-keys]");
  if (!form) { return; }
  var criteria = Array.prototype.slice.call(form.querySelectorAll(".rubric-criterion"));
  if (!criteria.length) { return; }
  var current = 0;
  function mark(index) {
    criteria.forEach(function (c, i) { c.classList.toggle("current", i === index); });
    current = index;
  }
  form.addEventListener("focusin", function (event) {
    var found = event.target.closest(".rubric-criterion");
    if (found) { mark(criteria.indexOf(found)); }
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "select" || tag === "input" && event.target.type !== "radio" || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var n = parseInt(event.key, 10);
    if (!(n >= 1 && n <= 9)) { return; }
    var options = criteria[current].querySelectorAll("input[type=radio]");
    if (n > options.length) { return; }
    event.preventDefault();
    options[n - 1].checked = true;
    options[n - 1].dispatchEvent(new Event("change", { bubbles: true }));
    var next = Math.min(current + 1, criteria.length - 1);
    mark(next);
    criteria[next].scrollIntoView({ block: "nearest" });
  });
  mark(0);
})();
