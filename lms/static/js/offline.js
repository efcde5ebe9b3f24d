// Offline reading (answers saved without a connection are answers.js). Progressive enhancement: without service
// workers (or without this file) every page works as before. Settings come from this script's tag (base layout), words from
// the page that uses them, so everything shown is translated.
(function () {
  "use strict";
  var tag = document.getElementById("offline-js");
  if (!tag) { return; }
  var user = tag.dataset.user || "";
  var lang = document.documentElement.lang || "";
  var CACHE = tag.dataset.cache;
  var OFFLINE = tag.dataset.offline;
  var STATE = "/offline-state";  // whose pages the cache holds, and in which language its offline page is
  var canKeep = "serviceWorker" in navigator && "caches" in window;

  function keep(cache, path) {
    return fetch(path, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
      return cache.put(path, response);
    });
  }

  // The kept pages belong to one account: signed out, or another account, they are dropped before anything is
  // kept. (Every change of account passes through the sign-in page, which has no account; a cache without a
  // record of its account holds only pages kept since the last drop, the signed-in account's.)
  function syncPages() {
    if (!user) { return caches.delete(CACHE); }
    return caches.open(CACHE).then(function (cache) {
      return cache.match(STATE).then(function (hit) { return hit ? hit.json() : null; }).then(function (state) {
        var ready = !state || state.user === user ? Promise.resolve(cache)
          : caches.delete(CACHE).then(function () { return caches.open(CACHE); });
        return ready.then(function (pages) {
          if (state && state.user === user && state.lang === lang) {
            return pages.match(OFFLINE).then(function (hit) { return hit || keepOfflinePage(pages); });
          }
          return keepOfflinePage(pages);
        });
      });
    });
  }

  // The record names the language of the offline page kept, so it is written only once that page is in the cache
  // (a fetch cut short by going offline or leaving the page leaves the old record, and the next page fetches
  // again), and a page whose fetch started before another page's later one leaves that newer page in place.
  function keepOfflinePage(pages) {
    var started = Date.now();
    return fetch(OFFLINE, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
      return pages.match(STATE).then(function (hit) { return hit ? hit.json() : null; }).then(function (state) {
        if (state && state.user === user && state.since > started) { return null; }
        return pages.put(OFFLINE, response).then(function () {
          return pages.put(STATE, new Response(JSON.stringify({ user: user, lang: lang, since: started }),
                                               { headers: { "Content-Type": "application/json" } }));
        });
      });
    });
  }

  // The worker is registered, and the offline page fetched, once the page itself has loaded.
  var pagesReady = Promise.resolve();
  if (canKeep) {
    pagesReady = new Promise(function (resolve) {
      if (document.readyState === "complete") { resolve(); } else { window.addEventListener("load", resolve); }
    }).then(function () {
      navigator.serviceWorker.register(tag.dataset.worker, { scope: "/" }).catch(function () { return null; });
      return syncPages();
    }).catch(function () { return null; });
  }

  // Signing out drops the kept pages here too (the sign-out response also asks the browser to clear its data).
  var signOut = document.querySelector("form[action$='/logout']");
  if (signOut && canKeep) {
    signOut.addEventListener("submit", function () {
      caches.delete(CACHE);
      if (navigator.serviceWorker.controller) { navigator.serviceWorker.controller.postMessage({ type: "clear" }); }
    });
  }

  // "Tải về để đọc khi không có mạng": every lesson of the chuyên đề, one after another, with the count.
  var download = document.querySelector("[data-offline-download]");
  if (download && canKeep) {
    var button = download.querySelector("button");
    var status = download.querySelector("[role=status]");
    var lessons = JSON.parse(download.dataset.lessons || "[]");
    download.hidden = false;
    button.addEventListener("click", function () {
      var done = 0, failed = 0;
      function say(text) {
        status.textContent = text.replace("{done}", done).replace("{failed}", failed).replace("{total}", lessons.length);
      }
      button.disabled = true;
      say(download.dataset.progress);
      pagesReady.then(function () { return caches.open(CACHE); }).then(function (cache) {
        var chain = keep(cache, download.dataset.module).catch(function () { return null; });
        lessons.forEach(function (path) {
          chain = chain.then(function () { return keep(cache, path); })
            .then(function () { done += 1; }, function () { failed += 1; })
            .then(function () { say(download.dataset.progress); });
        });
        return chain;
      }).then(function () {
        say(failed ? download.dataset.failed : download.dataset.done);
        download.classList.toggle("failed", failed > 0);
        button.disabled = false;
      });
    });
  }

  // The offline page lists what this device keeps: the chuyên đề and lessons, by their headings.
  var list = document.querySelector("[data-offline-list]");
  if (list && canKeep) {
    caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        var paths = requests.map(function (r) { return new URL(r.url).pathname; })
          .filter(function (path) { return /^\/modules\//.test(path); }).sort();
        return Promise.all(paths.map(function (path) {
          return cache.match(path).then(function (r) { return r.text(); }).then(function (html) {
            var h1 = new DOMParser().parseFromString(html, "text/html").querySelector("main h1");
            return { path: path, title: h1 ? h1.textContent.trim() : path };
          });
        }));
      });
    }).then(function (pages) {
      if (!pages.length) { return; }
      var ul = list.querySelector("ul");
      pages.forEach(function (p) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = p.path;
        a.textContent = p.title;
        if (p.path.indexOf("/lessons/") < 0) { li.className = "module"; }
        li.appendChild(a);
        ul.appendChild(li);
      });
      list.querySelector("[data-none]").hidden = true;
      ul.hidden = false;
    }).catch(function () { return null; });
  }

  // Answers waiting to be sent: their script comes with the attempt page, and on any other page while some wait.
  var waiting = false;
  try {
    for (var i = 0; i < localStorage.length; i += 1) {
      if (localStorage.key(i).indexOf("lms-answers:" + user + ":") === 0) { waiting = true; }
    }
  } catch (e) { waiting = false; }
  if (user && waiting && !document.querySelector("script[data-answers]")) {
    var script = document.createElement("script");
    script.src = tag.dataset.answersScript;
    document.head.appendChild(script);
  }
})();
