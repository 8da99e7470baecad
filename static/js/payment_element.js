// Mounts Stripe's Payment Element for a manual-capture PaymentIntent and confirms it.
// Stripe.js (https://js.stripe.com/v3) is loaded just before this file; card data stays in
// Stripe's frame. After confirming, Stripe sends the browser to data-return-url, whose view
// asks Stripe for the hold's status (the webhook may also have done it first).
// With data-mode="setup" the client secret is a SetupIntent's: the card is saved for later
// off-session charges (confirmSetup), and the return URL's view reads the saved card.
(function () {
  "use strict";
  const box = document.querySelector("[data-payment-element]");
  if (!box) { return; }
  const errorBox = box.querySelector("[data-payment-error]");
  const button = box.querySelector("[data-payment-submit]");
  if (typeof window.Stripe !== "function") {
    errorBox.textContent = box.dataset.unavailable || "Stripe could not be loaded. Check your connection and reload the page.";
    return;
  }
  const stripe = window.Stripe(box.dataset.publishableKey, { locale: box.dataset.locale || "auto" });
  const elements = stripe.elements({
    clientSecret: box.dataset.clientSecret,
    appearance: { theme: "stripe", variables: { colorPrimary: "#0f5c6e", borderRadius: "8px" } },
  });
  const paymentElement = elements.create("payment", { layout: "tabs" });
  paymentElement.mount(box.querySelector("[data-payment-mount]"));
  paymentElement.on("ready", function () { button.disabled = false; });

  const label = button.textContent;
  button.addEventListener("click", async function () {
    button.disabled = true;
    button.textContent = button.dataset.busyLabel || label;
    errorBox.textContent = "";
    const params = { elements: elements, confirmParams: { return_url: box.dataset.returnUrl } };
    const result = await (box.dataset.mode === "setup" ? stripe.confirmSetup(params) : stripe.confirmPayment(params));
    // Only reached when confirming failed before any redirect (declined card, missing field).
    if (result.error) { errorBox.textContent = result.error.message; }
    button.disabled = false;
    button.textContent = label;
  });
})();
