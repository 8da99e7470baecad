/* Occlusa service worker {{ version }}: caches the app shell, shows the offline page when a
   page cannot be loaded, and displays push notifications. Pages themselves are never cached:
   they are personal and change all the time. */
"use strict";
const CACHE = "occlusa-shell-{{ version }}";
const OFFLINE_URL = {{ offline_url|tojson }};
const SHELL = {{ (assets + [offline_url])|tojson }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.startsWith("occlusa-shell-") && name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") { return; }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE_URL);
    }));
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && SHELL.indexOf(url.pathname) !== -1) {
    // Shell files: the network when it answers (fresh after a deploy), the cache when it does not.
    event.respondWith(fetch(request).then(function (response) {
      const copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
      return response;
    }).catch(function () { return caches.match(request); }));
  }
});

self.addEventListener("push", function (event) {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
  event.waitUntil(self.registration.showNotification(data.title || "Occlusa", {
    body: data.body || "", tag: data.tag, data: { url: data.url || "/" },
    icon: "{{ url_for('static', filename='img/icon-192.png') }}",
    badge: "{{ url_for('static', filename='img/icon-maskable-192.png') }}",
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  const target = new URL(event.notification.data.url || "/", self.location.origin).href;
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
    for (const client of windows) {
      if (client.url === target && "focus" in client) { return client.focus(); }
    }
    return self.clients.openWindow(target);
  }));
});
