// Registers the service worker (root scope) so the app shell is cached and the offline page
// shows when a navigation fails. Loaded by the header bell and the PWA pages.
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch(function () {});
    });
  }
})();
