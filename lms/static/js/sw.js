// The service worker (served at /sw.js, which puts `self.OFFLINE` above this file): offline reading only.
// Fingerprinted static files come from the cache first (a new version is a new address); lesson and module pages
// come from the network first and fall back to the copy kept when the learner last opened them; any other page
// falls back to the offline page. Nothing else is kept, never a POST (POSTs are not even looked at), and the
// pages are dropped when another account (or nobody) signs in on this browser.
"use strict";

var SETTINGS = self.OFFLINE;
var STATIC = "lms-static-" + SETTINGS.version;
var PAGES = SETTINGS.pages;
var KEPT = /^\/modules\/[^/]+(\/lessons\/[^/]+)?$/;  // a module page and its lessons

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.addAll(SETTINGS.static); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("lms-static-") === 0 && name !== STATIC; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () {
    // the page's request starts while the worker boots (a slow phone need not wait for it)
    return self.registration.navigationPreload && self.registration.navigationPreload.enable();
  }).then(function () { return self.clients.claim(); }));
});

function offlinePage() {
  return caches.open(PAGES).then(function (cache) { return cache.match(SETTINGS.offline); }).then(function (page) {
    return page || new Response("<!doctype html><meta charset=utf-8><title>Offline</title><h1>Offline</h1>",
                                { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

function fromCacheFirst(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

function fromNetworkFirst(event, path, kept, keep) {
  return Promise.resolve(event.preloadResponse).then(function (preloaded) {
    return preloaded || fetch(event.request);
  }).then(function (response) {
    // a redirect (to the sign-in page) is opaque here and an error is not ok: only the page itself is kept
    if (keep && response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      event.waitUntil(caches.open(PAGES).then(function (cache) { return cache.put(path, copy); }));
    }
    return response;
  }, function () {
    if (!kept) { return offlinePage(); }
    return caches.open(PAGES).then(function (cache) { return cache.match(path); }).then(function (hit) {
      return hit || offlinePage();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0 && url.searchParams.has("v")) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate") {
    var kept = KEPT.test(url.pathname);
    event.respondWith(fromNetworkFirst(event, url.pathname, kept, kept && !url.search));
  }
});

// Sign-out says {type: "clear"} (the page and the sign-out response's Clear-Site-Data clear them too). Which account
// the kept pages belong to is checked by each page's script (offline.js), which drops them when it changes.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "clear") { event.waitUntil(caches.delete(PAGES)); }
});
