"""PaymentIntents and SetupIntents: create, confirm, authenticate, cancel.

A card's behaviour decides the way: succeed, decline, or ask for authentication, which
`/_sim/authenticate/<id>` completes or fails. A SetupIntent that succeeds marks its
PaymentMethod set up for off-session payments.
"""

import secrets

from .cards import PaymentMethods
from .errors import SimError, invalid
from .objects import new_id
from .params import is_true, to_int


class Intents(PaymentMethods):
    """Answer the PaymentIntent and SetupIntent requests."""

    def create_payment_intent(self, params):
        amount = to_int(params.get("amount"), "amount")
        if amount < 1:
            raise SimError(400, invalid("Amount must be at least 1.", param="amount"))
        intent_id = new_id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_received": 0,
            "currency": params.get("currency", "").lower(),
            "status": "requires_payment_method",
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "metadata": params.get("metadata", {}),
            "customer": params.get("customer"),
            "payment_method": None,
            "latest_charge": None,
            "last_payment_error": None,
            "next_action": None,
            "created": int(self.clock()),
            "canceled_at": None,
            "livemode": False,
        }
        self.store.put(intent)
        self.emit("payment_intent.created", intent)
        if is_true(params.get("confirm")):
            return self._confirm(intent, params)
        return intent

    def confirm_payment(self, params, id):
        return self._confirm(self.load(id, "pi_"), params)

    def _confirm(self, intent: dict, params: dict) -> dict:
        if intent["status"] not in (
            "requires_payment_method",
            "requires_confirmation",
            "requires_action",
        ):
            raise SimError(
                400,
                invalid(
                    f"This PaymentIntent's status is {intent['status']}; it cannot be "
                    "confirmed.",
                    code="payment_intent_unexpected_state",
                    payment_intent=intent,
                ),
            )
        method = self.payment_method(
            params.get("payment_method") or intent["payment_method"], intent["customer"]
        )
        if method is None:
            raise SimError(
                400,
                invalid(
                    "You cannot confirm this PaymentIntent because it's missing a "
                    "payment method.",
                    code="payment_intent_unexpected_state",
                    param="payment_method",
                ),
            )
        intent["payment_method"] = method["id"]
        intent["last_payment_error"] = None
        behaviour = method["behaviour"]
        off_session = is_true(params.get("off_session"))
        if behaviour == "decline":
            self._fail(intent, "card_declined", "Your card was declined.", method)
        if behaviour.startswith("authenticate"):
            if off_session and not (
                behaviour == "authenticate_once" and method["set_up_for_off_session"]
            ):
                self._fail(
                    intent,
                    "authentication_required",
                    "Your card was declined. This transaction requires authentication.",
                    method,
                )
            if not off_session:
                return self._require_action(intent, params.get("return_url"))
        return self._succeed(intent)

    def _require_action(self, intent: dict, return_url: str | None) -> dict:
        intent["status"] = "requires_action"
        intent["next_action"] = {
            "type": "redirect_to_url",
            "redirect_to_url": {
                "url": f"https://hooks.stripe.invalid/authenticate/{intent['id']}",
                "return_url": return_url,
            },
        }
        self.store.put(intent)
        kind = (
            "payment_intent" if intent["object"] == "payment_intent" else "setup_intent"
        )
        self.emit(f"{kind}.requires_action", intent)
        return intent

    def _succeed(self, intent: dict) -> dict:
        charge = {
            "id": new_id("ch"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_refunded": 0,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "paid": True,
            "refunded": False,
            "disputed": False,
            "status": "succeeded",
            "refunds": {"object": "list", "data": [], "has_more": False},
            "created": int(self.clock()),
        }
        self.store.put(charge)
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=charge["id"],
            next_action=None,
        )
        self.store.put(intent)
        self.emit("charge.succeeded", charge)
        self.emit("payment_intent.succeeded", intent)
        return intent

    def _fail(self, intent: dict, code: str, message: str, method: dict) -> None:
        error = {
            "type": "card_error",
            "code": code,
            "message": message,
            "payment_method": {"id": method["id"], "object": "payment_method"},
        }
        if code == "card_declined":
            error["decline_code"] = "generic_decline"
        setup = intent["object"] == "setup_intent"
        intent.update(
            status="requires_payment_method",
            next_action=None,
            **{"last_setup_error" if setup else "last_payment_error": error},
        )
        self.store.put(intent)
        self.emit(
            "setup_intent.setup_failed" if setup else "payment_intent.payment_failed",
            intent,
        )
        raise SimError(
            402, {**error, "setup_intent" if setup else "payment_intent": intent}
        )

    def cancel(self, params, id):
        intent = self.load(id)
        if intent["status"] in ("succeeded", "canceled"):
            raise SimError(
                400,
                invalid(
                    f"You cannot cancel this {intent['object']} because it has a "
                    f"status of {intent['status']}.",
                    code=f"{intent['object']}_unexpected_state",
                ),
            )
        intent.update(
            status="canceled",
            canceled_at=int(self.clock()),
            cancellation_reason=params.get("cancellation_reason"),
            next_action=None,
        )
        self.store.put(intent)
        self.emit(f"{intent['object']}.canceled", intent)
        return intent

    def create_setup_intent(self, params):
        intent_id = new_id("seti")
        intent = {
            "id": intent_id,
            "object": "setup_intent",
            "status": "requires_payment_method",
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "customer": params.get("customer"),
            "metadata": params.get("metadata", {}),
            "payment_method": None,
            "usage": params.get("usage", "off_session"),
            "last_setup_error": None,
            "next_action": None,
            "created": int(self.clock()),
            "livemode": False,
        }
        self.store.put(intent)
        self.emit("setup_intent.created", intent)
        if is_true(params.get("confirm")):
            return self._confirm_setup(intent, params)
        return intent

    def confirm_setup(self, params, id):
        return self._confirm_setup(self.load(id, "seti_"), params)

    def _confirm_setup(self, intent: dict, params: dict) -> dict:
        if intent["status"] not in ("requires_payment_method", "requires_action"):
            raise SimError(
                400,
                invalid(
                    f"This SetupIntent's status is {intent['status']}.",
                    code="setup_intent_unexpected_state",
                ),
            )
        method = self.payment_method(
            params.get("payment_method") or intent["payment_method"], intent["customer"]
        )
        if method is None:
            raise SimError(
                400, invalid("Missing payment method.", param="payment_method")
            )
        intent["payment_method"] = method["id"]
        intent["last_setup_error"] = None
        if method["behaviour"] == "decline":
            self._fail(intent, "card_declined", "Your card was declined.", method)
        if method["behaviour"].startswith("authenticate"):
            return self._require_action(intent, params.get("return_url"))
        return self._set_up(intent)

    def _set_up(self, intent: dict) -> dict:
        method = self.load(intent["payment_method"])
        method.update(customer=intent["customer"], set_up_for_off_session=True)
        self.store.put(method)
        intent.update(status="succeeded", next_action=None)
        self.store.put(intent)
        self.emit("setup_intent.succeeded", intent)
        return intent

    def authenticate(self, params, id):
        """Complete (approve=true) or fail the authentication step of an intent."""
        intent = self.load(id)
        if intent["status"] != "requires_action":
            raise SimError(400, invalid("Nothing to authenticate."))
        method = self.load(intent["payment_method"])
        if not is_true(params.get("approve")):
            self._fail(
                intent,
                f"{intent['object']}_authentication_failure",
                "The provided PaymentMethod has failed authentication.",
                method,
            )
        if intent["object"] == "setup_intent":
            return self._set_up(intent)
        return self._succeed(intent)
