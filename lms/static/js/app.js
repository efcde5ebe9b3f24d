// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  // Close the menu when a link inside it is followed on small screens; open it on wide screens.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".menu nav a");
    var menu = link && link.closest("details");
    if (menu && window.innerWidth < 900) { menu.removeAttribute("open"); }
  });
  var menu = document.querySelector("details.menu");
  if (menu && window.innerWidth >= 900) { menu.setAttribute("open", ""); }

  // Leaving a page with typed work that is not saved asks first (the browser's own question, in its own words). A
  // form marked data-warn-unsaved counts as changed once typed in, or from the start when marked data-dirty (the
  // server sent it back unsaved: a preview, or a refusal keeping what was typed); sending the form clears it.
  var unsaved = [];
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (guarded) {
    var entry = { changed: guarded.hasAttribute("data-dirty") };
    unsaved.push(entry);
    function mark() { entry.changed = true; }
    guarded.addEventListener("input", mark);
    guarded.addEventListener("change", mark);
    guarded.addEventListener("submit", function () { unsaved.forEach(function (e) { e.changed = false; }); });
  });
  if (unsaved.length) {
    window.addEventListener("beforeunload", function (event) {
      if (unsaved.some(function (e) { return e.changed; })) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // A run of text longer than any column should be (a name of 200 letters typed without a space) would stretch its
  // table past the screen: its cell may break it anywhere (app.css td.long-text); other cells keep whole words.
  document.querySelectorAll("td, th").forEach(function (cell) {
    if (/\S{25,}/.test(cell.textContent)) { cell.classList.add("long-text"); }
  });

  // A table wider than the screen scrolls sideways in its box (a .table-wrap, or a lesson's own table). With no
  // link or field inside, the keyboard could not reach it to scroll: while it overflows the box takes focus (Tab,
  // then the arrow keys), and a box around a captioned table is a region named by its caption. Checked again when
  // the screen turns.
  function reachScrollingTables() {
    document.querySelectorAll(".table-wrap, .prose table").forEach(function (box, index) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 &&
        !box.querySelector("a[href], button, input, select, textarea, [tabindex]");
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-focus", "");
        var caption = box.tagName !== "TABLE" && box.querySelector("caption");
        if (caption) {
          caption.id = caption.id || "table-caption-" + index;
          box.setAttribute("role", "region");
          box.setAttribute("aria-labelledby", caption.id);
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        ["tabindex", "data-scroll-focus", "role", "aria-labelledby"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  reachScrollingTables();
  window.addEventListener("resize", reachScrollingTables);

  // Autosave case answers a moment after the learner stops typing or clicking.
  var form = document.querySelector("form[data-autosave]");
  if (!form) { return; }
  var status = document.getElementById("save-status");
  var timer = null;
  var dirty = false;

  function save() {
    timer = null;
    if (!dirty) { return; }
    dirty = false;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.dataset.autosave, { method: "POST", body: data, credentials: "same-origin",
                                   headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (response.status === 409) { window.location.reload(); return; }  // another tab moved on: show it
        if (!response.ok) { throw new Error(String(response.status)); }
        if (status) { status.textContent = form.dataset.savedText + " " + new Date().toLocaleTimeString(); }
        form.dispatchEvent(new CustomEvent("lms:saved"));
      })
      .catch(function (error) {
        // No network: offline.js, where it runs, keeps the answers on the device and sends them when it returns.
        var kept = error instanceof TypeError &&
          !form.dispatchEvent(new CustomEvent("lms:save-offline", { detail: data, cancelable: true }));
        dirty = !kept;
        if (status && !kept) { status.textContent = form.dataset.failedText; }
      });
  }

  function schedule() {
    dirty = true;
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1500);
  }

  // Handing a case in cannot be undone: the first press of "Nộp bài" asks, in the page, and a second hands it in
  // (a stray tap on a phone must not). Registered first, so an unconfirmed press reaches no other listener.
  var submitButton = form.querySelector("button[name=action][value=submit]");
  var confirmNote = document.getElementById("confirm-submit");
  if (submitButton && confirmNote) {
    var confirmed = false;
    form.addEventListener("submit", function (event) {
      if (event.submitter !== submitButton || confirmed) { return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      confirmed = true;
      confirmNote.hidden = false;
      submitButton.textContent = submitButton.dataset.confirmLabel;
      submitButton.focus();
    });
    document.getElementById("confirm-submit-back").addEventListener("click", function () {
      confirmed = false;
      confirmNote.hidden = true;
      submitButton.textContent = submitButton.dataset.label;
    });
  }

  // A real submit saves everything itself: no background save may race it.
  form.addEventListener("submit", function () {
    dirty = false;
    if (timer) { clearTimeout(timer); timer = null; }
  });
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && dirty) { save(); }
  });
})();
