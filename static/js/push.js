// Settings > Notifications: turn Web Push on or off for this device.
(function () {
  "use strict";
  const box = document.querySelector("[data-push]");
  if (!box) { return; }
  const enable = box.querySelector("[data-push-enable]");
  const disable = box.querySelector("[data-push-disable]");
  const status = box.querySelector("[data-push-status]");
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) { return; }

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(window.atob(padded), function (c) { return c.charCodeAt(0); });
  }

  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
                        headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf,
                                   Accept: "application/json" } });
  }

  function show(subscribed, text) {
    enable.hidden = subscribed;
    disable.hidden = !subscribed;
    status.textContent = text || "";
  }

  navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).then(function () {
    return navigator.serviceWorker.ready;
  }).then(function (registration) {
    return registration.pushManager.getSubscription().then(function (subscription) {
      show(Boolean(subscription), "");
      enable.addEventListener("click", function () {
        Notification.requestPermission().then(function (permission) {
          if (permission !== "granted") { show(false, box.dataset.deniedText || ""); return null; }
          return registration.pushManager.subscribe({ userVisibleOnly: true,
                                                      applicationServerKey: keyBytes(box.dataset.vapidKey) })
            .then(function (created) { return post(box.dataset.subscribeUrl, created.toJSON()); })
            .then(function (response) { show(response.ok, ""); });
        }).catch(function () { show(false, ""); });
      });
      disable.addEventListener("click", function () {
        registration.pushManager.getSubscription().then(function (current) {
          if (!current) { show(false, ""); return null; }
          return post(box.dataset.unsubscribeUrl, { endpoint: current.endpoint })
            .then(function () { return current.unsubscribe(); })
            .then(function () { show(false, ""); });
        });
      });
    });
  }).catch(function () {});
})();
