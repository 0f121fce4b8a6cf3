/* Innkeep: Stripe's Payment Element, only when real Stripe keys are configured.
   stripe.js itself comes from Stripe (it must, to keep card data off our servers). */
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") return;
  var stripe = Stripe(form.dataset.stripeKey);
  var elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  elements.create("payment").mount("#payment-element");
  var message = document.getElementById("payment-message");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    var confirm = form.dataset.mode === "setup" ? stripe.confirmSetup : stripe.confirmPayment;
    confirm({ elements: elements, confirmParams: { return_url: form.dataset.returnUrl } })
      .then(function (result) {
        if (result.error) {
          message.textContent = result.error.message;
          message.hidden = false;
          button.disabled = false;
        }
      });
  });
})();
