"""Stripe's test cards, and the PaymentMethods minted for their test tokens."""

from .errors import SimError, invalid
from .objects import Objects, new_id

# Stripe's documented test cards and the PaymentMethod tokens Stripe gives for them.
TEST_CARDS = {
    "4242424242424242": "pm_card_visa",
    "4000000000000002": "pm_card_chargeDeclined",
    "4000002500003155": "pm_card_authenticationRequiredSetupForOffSession",
}
_BEHAVIOUR = {
    "pm_card_visa": "succeed",
    "pm_card_chargeDeclined": "decline",
    "pm_card_authenticationRequiredSetupForOffSession": "authenticate_once",
    "pm_card_authenticationRequired": "authenticate_always",
}


class PaymentMethods(Objects):
    """Find or mint the PaymentMethod a request names."""

    def payment_method(self, token: str | None, customer: str | None) -> dict | None:
        """Return the PaymentMethod a token or id names, minting one for a test token."""
        if not token:
            return None
        if token in _BEHAVIOUR:
            method = {
                "id": new_id("pm"),
                "object": "payment_method",
                "type": "card",
                "customer": None,
                "behaviour": _BEHAVIOUR[token],
                "set_up_for_off_session": False,
            }
            self.store.put(method)
            return method
        method = self.store.get(token)
        if method is None or method.get("object") != "payment_method":
            raise SimError(
                400,
                invalid(
                    f"No such PaymentMethod: '{token}'",
                    code="resource_missing",
                    param="payment_method",
                ),
            )
        if customer and method.get("customer") not in (None, customer):
            raise SimError(
                400, invalid("The PaymentMethod belongs to another customer.")
            )
        return method
