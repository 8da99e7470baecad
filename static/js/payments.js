// Settings > Payments: show the euro-IBAN fields only when "another country" is chosen.
(function () {
  "use strict";
  const form = document.querySelector("[data-onboarding]");
  if (!form) { return; }
  const country = form.querySelector("select[name=country]");
  const route = form.querySelector("[data-iban-route]");
  function sync() { route.hidden = country.value !== "other"; }
  country.addEventListener("change", sync);
  sync();
})();
