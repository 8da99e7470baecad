// The bell's unread count, refreshed while the page is open; and the service worker, registered
// on every page so the app shell is cached and the offline page shows when the network fails.
(function () {
  "use strict";
  const bell = document.querySelector("[data-bell]");
  if (bell) {
    const badge = bell.querySelector("[data-bell-count]");
    const refresh = function () {
      if (document.hidden) { return; }
      fetch(bell.dataset.countUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          badge.textContent = String(data.unread);
          badge.hidden = !data.unread;
        })
        .catch(function () {});
    };
    window.setInterval(refresh, 15000);
    document.addEventListener("visibilitychange", refresh);
  }
})();
