// Answers saved without a connection (loaded by the attempt page, and by offline.js on any page while some wait).
// They wait on this device, per account and attempt, and are sent with the attempt's own save address and the
// page's CSRF token, in order, when the connection returns (the online event, or the next page loaded).
(function () {
  "use strict";
  var tag = document.getElementById("offline-js");
  var store;
  try { store = window.localStorage; } catch (e) { return; }  // storage refused: saving works as without this file
  if (!tag || !store || window.lmsAnswers) { return; }
  window.lmsAnswers = true;
  var user = tag.dataset.user || "";
  var PREFIX = "lms-answers:" + user + ":";
  var form = document.querySelector("form[data-autosave]");
  var note = document.getElementById("offline-queue");
  var touched = {};

  function entriesOf(key) {
    try { return JSON.parse(store.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function queueKeys() {
    var keys = [];
    for (var i = 0; i < store.length; i += 1) {
      if (store.key(i).indexOf(PREFIX) === 0) { keys.push(store.key(i)); }
    }
    return keys;
  }
  function attemptKey() { return PREFIX + form.dataset.autosave; }
  function stageOf(fields) {
    var get = function (name) { var f = fields.filter(function (p) { return p[0] === name; })[0]; return f && f[1]; };
    return get("stage") + "/" + get("path_length");
  }
  function fieldsOf(data) {
    var fields = [];
    data.forEach(function (value, name) { if (typeof value === "string" && name !== "action") { fields.push([name, value]); } });
    return fields;
  }
  function questionLabel(id) {
    var question = document.getElementById(id);
    var prompt = question && question.querySelector(".q-prompt");
    var text = prompt ? prompt.textContent.trim().replace(/\s+/g, " ") : id;
    return "“" + (text.length > 60 ? text.slice(0, 57) + "…" : text) + "”";
  }

  function render(message) {
    if (!note || !form) { return; }
    var entries = entriesOf(attemptKey());
    var labels = [];
    entries.forEach(function (e) { e.questions.forEach(function (q) { if (labels.indexOf(q) < 0) { labels.push(q); } }); });
    var waiting = entries.length ? note.dataset.waiting.replace("{answers}", labels.join("; ") || "…") : "";
    note.textContent = [message || "", waiting].filter(Boolean).join(" ");
    note.hidden = !note.textContent;
  }

  // One entry per stage form: the newest form holds every answer of the older one, so it replaces it in place.
  function enqueue(data) {
    var fields = fieldsOf(data);
    var key = attemptKey();
    var entries = entriesOf(key);
    var questions = Object.keys(touched).map(questionLabel);
    var same = entries.filter(function (e) { return stageOf(e.fields) === stageOf(fields); })[0];
    if (same) {
      same.fields = fields;
      questions.forEach(function (q) { if (same.questions.indexOf(q) < 0) { same.questions.push(q); } });
    } else {
      entries.push({ url: form.dataset.autosave, fields: fields, questions: questions, at: Date.now() });
    }
    store.setItem(key, JSON.stringify(entries));
    render();
  }

  function drop(key, entry) {
    var left = entriesOf(key).filter(function (e) { return e.at !== entry.at; });
    if (left.length) { store.setItem(key, JSON.stringify(left)); } else { store.removeItem(key); }
  }

  // "sent", "refused" (the server answered why not: the stage moved on, the attempt was submitted) or "later".
  function send(entry) {
    var token = document.querySelector("input[name=csrf_token]");
    var body = new FormData();
    entry.fields.forEach(function (f) { body.append(f[0], f[0] === "csrf_token" && token ? token.value : f[1]); });
    return fetch(entry.url, { method: "POST", body: body, credentials: "same-origin",
                              headers: { "X-Requested-With": "fetch" } }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (response.ok && json) { return response.json().then(function (r) { return r.saved ? "sent" : "later"; }); }
      return json && response.status >= 400 && response.status < 500 ? "refused" : "later";
    }, function () { return "later"; });
  }

  var flushing = false;
  function flushAll() {
    var refused = false;
    function next() {
      var key = queueKeys().sort(function (a, b) { return (entriesOf(a)[0] || {}).at - (entriesOf(b)[0] || {}).at; })[0];
      var entry = key && entriesOf(key)[0];
      if (!entry) { return Promise.resolve(); }
      return send(entry).then(function (result) {
        if (result === "later") { return null; }
        refused = refused || result === "refused";
        drop(key, entry);
        return next();
      });
    }
    return next().then(function () { return refused; });
  }
  function flush() {
    if (flushing || !user || navigator.onLine === false || !queueKeys().length) { return; }
    flushing = true;
    var before = form ? entriesOf(attemptKey()).length : 0;
    var run = navigator.locks ? navigator.locks.request("lms-answers", flushAll) : flushAll();  // one tab at a time
    run.then(function (refused) {
      flushing = false;
      var left = form ? entriesOf(attemptKey()).length : 0;
      render(refused ? note && note.dataset.refused : before && !left ? note && note.dataset.sent : "");
    }, function () { flushing = false; });
  }

  // Before signing out, what waits is sent: the sign-out response clears this device's storage.
  var signOut = document.querySelector("form[action$='/logout']");
  if (signOut) {
    signOut.addEventListener("submit", function (event) {
      if (!queueKeys().length || !user) { return; }
      event.preventDefault();
      flush();
      var wait = navigator.locks ? navigator.locks.request("lms-answers", function () { return null; }) : Promise.resolve();
      wait.then(function () {
        if (!queueKeys().length || window.confirm(tag.dataset.pendingSignOut)) { signOut.submit(); }
      });
    });
  }

  if (form && note) {
    // Answers kept from an earlier visit to this stage are put back into the form before they are sent, so the
    // page shows them and a later save does not undo them.
    var fields = form.querySelector("input[name=stage]") ? fieldsOf(new FormData(form)) : [];
    entriesOf(attemptKey()).filter(function (e) { return stageOf(e.fields) === stageOf(fields); }).forEach(function (e) {
      var values = {};
      e.fields.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "hidden" || el.type === "submit") { return; }
        if (el.type === "checkbox" || el.type === "radio") { el.checked = (values[el.name] || []).indexOf(el.value) >= 0; }
        else if (values[el.name] && values[el.name].length) { el.value = values[el.name].shift(); }
      });
    });
    form.addEventListener("input", function (event) {
      var question = event.target.closest && event.target.closest("fieldset.question");
      if (question) { touched[question.id] = true; }
    }, true);
    form.addEventListener("change", function (event) {
      var question = event.target.closest && event.target.closest("fieldset.question");
      if (question) { touched[question.id] = true; }
    }, true);
    // app.js saves in the background; without a network it hands the answers here instead of failing.
    form.addEventListener("lms:save-offline", function (event) {
      event.preventDefault();
      enqueue(event.detail);
    });
    form.addEventListener("lms:saved", function () {
      var key = attemptKey();
      var now = stageOf(fieldsOf(new FormData(form)));
      entriesOf(key).filter(function (e) { return stageOf(e.fields) === now; }).forEach(function (e) { drop(key, e); });
      touched = {};
      render();
    });
    // Continuing and submitting need the server: never queued. Without a network the answers wait, and the
    // learner is told to reconnect and press the button again.
    form.addEventListener("submit", function (event) {
      if (navigator.onLine !== false) { return; }
      event.preventDefault();
      var action = event.submitter && event.submitter.value;
      enqueue(new FormData(form));
      render(action === "submit" ? note.dataset.submitOffline : action === "continue" ? note.dataset.continueOffline : "");
      note.scrollIntoView({ block: "center" });
    });
    render();
  }

  window.addEventListener("online", flush);
  flush();
})();
