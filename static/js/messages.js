// Messages without reloads: send by fetch, new messages every few seconds, live unread counts.
// Without JavaScript the same forms post and redirect, and pages show the state on load.
(function () {
  "use strict";
  const POLL_MS = 3000;

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); });
  }

  function every(ms, fn) {
    // Polls while the tab is visible; a hidden tab catches up when it comes back.
    let timer = null;
    function tick() { fn().catch(function () {}).finally(schedule); }
    function schedule() { timer = window.setTimeout(tick, document.hidden ? ms * 5 : ms); }
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { window.clearTimeout(timer); tick(); }
    });
    schedule();
  }

  function appendHTML(list, html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    Array.prototype.forEach.call(template.content.querySelectorAll(".msg"), function (item) {
      if (!document.getElementById(item.id)) {
        item.classList.add("is-new");
        list.appendChild(item);
      }
    });
    const empty = document.querySelector("[data-empty-thread]");
    if (empty) { empty.hidden = true; }
  }

  function setBadge(badge, count) {
    if (!badge) { return; }
    badge.hidden = !count;
    if (badge.firstChild) { badge.firstChild.nodeValue = String(count); }
  }

  // --- an open thread --------------------------------------------------------------------
  const thread = document.querySelector("[data-thread]");
  if (thread) {
    const atBottom = function () { return window.innerHeight + window.scrollY >= document.body.scrollHeight - 80; };
    const scrollDown = function () { window.scrollTo(0, document.body.scrollHeight); };
    if (!window.location.hash && !/[?&]before=/.test(window.location.search)) { scrollDown(); }
    const lastId = function () { return parseInt(thread.dataset.lastId || "0", 10); };
    const remember = function (id) { if (id && id > lastId()) { thread.dataset.lastId = String(id); } };

    every(POLL_MS, function () {
      return getJSON(thread.dataset.pollUrl + "?after=" + lastId()).then(function (data) {
        if (data.html) {
          const follow = atBottom();
          appendHTML(thread, data.html);
          remember(data.last_id);
          if (follow) { scrollDown(); }
        }
      });
    });

    const form = document.querySelector("[data-composer]");
    if (form) {
      const error = form.querySelector("[data-composer-error]");
      const refusal = form.querySelector("[data-composer-refusal]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (form.classList.contains("is-sending")) { return; }
        form.classList.add("is-sending");
        error.hidden = true;
        fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                             headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.json().then(function (data) { return { ok: response.ok, data: data }; });
          })
          .then(function (result) {
            refusal.innerHTML = result.data.refusal_html || "";
            if (result.ok) {
              appendHTML(thread, result.data.html);
              remember(result.data.id);
              form.reset();
              scrollDown();
            } else if (!result.data.refusal_html) {
              error.textContent = result.data.error || "";
              error.hidden = false;
            }
          })
          .catch(function () { form.submit(); })  // the plain form still works
          .finally(function () { form.classList.remove("is-sending"); });
      });
      form.querySelector("textarea").addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { form.requestSubmit(); }
      });
    }
  }

  // --- the inbox: unread counts per tab and per conversation ------------------------------
  const inbox = document.querySelector("[data-inbox]");
  if (inbox) {
    every(POLL_MS, function () {
      return getJSON(inbox.dataset.unreadUrl).then(function (data) {
        setBadge(document.querySelector('[data-unread-tab="general"]'), data.general);
        setBadge(document.querySelector('[data-unread-tab="case"]'), data["case"]);
        document.querySelectorAll("[data-unread-conversation]").forEach(function (badge) {
          const count = data.conversations[badge.dataset.unreadConversation] || 0;
          setBadge(badge, count);
          badge.closest(".inbox-row").classList.toggle("is-unread", count > 0);
        });
      });
    });
  }
})();
