// Catalogue enhancements: hearts without a reload, live fee table, filters on phones.
// Everything works without this file: hearts are forms, the fee table is rendered on save.
(function () {
  "use strict";

  // Hearts: post the same form with fetch and flip the button in place.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("[data-heart]") || event.defaultPrevented) { return; }
    event.preventDefault();
    const button = form.querySelector("button");
    button.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (data) {
      document.querySelectorAll("form[data-heart][action='" + form.getAttribute("action") + "'] button").forEach(function (b) {
        b.classList.toggle("is-on", data.favourite);
        b.setAttribute("aria-pressed", data.favourite ? "true" : "false");
        b.setAttribute("aria-label", data.favourite ? b.dataset.labelOn : b.dataset.labelOff);
        b.querySelector("span").textContent = data.favourite ? "♥" : "♡";
      });
    }).catch(function () {
      form.submit();  // fall back to the plain form
    }).finally(function () {
      button.removeAttribute("aria-busy");
    });
  });

  // Listing editor: the server computes the fee table (it is the truth); we show it as prices change.
  const editor = document.querySelector("form[data-price-preview]");
  if (editor) {
    const table = editor.querySelector("[data-fee-table]");
    let timer = null;
    let latest = 0;
    const refresh = function () {
      const ticket = ++latest;
      fetch(editor.dataset.pricePreview, {
        method: "POST", body: new FormData(editor), credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && ticket === latest) { table.innerHTML = data.html; } })
        .catch(function () { /* the table is computed again on save */ });
    };
    editor.addEventListener("input", function (event) {
      if (!event.target.closest(".tiers-input, [name=min_quantity], [name=basis], [name=unit]")) { return; }
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    editor.addEventListener("change", function (event) {
      if (event.target.matches("[name=basis], [name=unit]")) { refresh(); }
    });
  }

  // Filters start folded on phones, so results come first.
  const filters = document.querySelector("details.filters");
  // Folded on phones, unless a filter was refused: its message must be seen.
  if (filters && !filters.hasAttribute("data-has-errors") && window.matchMedia("(max-width: 860px)").matches) { filters.removeAttribute("open"); }

  // Filters apply as soon as a select or checkbox changes.
  document.querySelectorAll("form[data-filters] select, form[data-filters] input[type=checkbox]").forEach(function (input) {
    input.addEventListener("change", function () { input.form.submit(); });
  });
})();
