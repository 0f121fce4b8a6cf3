"""A small simulator of Stripe's API for its test cards.

Enough of customers, PaymentIntents, SetupIntents, refunds, disputes and events to run
Innkeep's payment flows with no network: a card that succeeds, one that is declined, one
that needs authentication (with an authentication step), and the events Stripe would send.
The test gateway runs it in-process behind the real `stripe` client (state in
PostgreSQL); the test suite serves it over HTTP (state in memory) as a fake Stripe.

It keeps no card numbers: a card is chosen by Stripe's test PaymentMethod tokens
(`pm_card_visa` ...), which the test-mode payment form maps the test card numbers to.
"""

import copy
import re
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol
from urllib.parse import parse_qsl

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
API_VERSION = "2025-simulated"


class SimError(Exception):
    def __init__(self, status: int, error: dict):
        super().__init__(error.get("message", ""))
        self.status = status
        self.error = error


def decode_form(body: str | bytes | None) -> dict:
    """Decode Stripe's form encoding (`metadata[ref]=X`, `expand[0]=y`) into dicts."""
    if isinstance(body, bytes):
        body = body.decode()
    result: dict = {}
    for key, value in parse_qsl(body or "", keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+|\[\]", key)
        node = result
        for part, following in zip(parts, [*parts[1:], None], strict=True):
            if following is None:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return result


class Store(Protocol):
    def lock(self) -> AbstractContextManager: ...
    def get(self, object_id: str) -> dict | None: ...
    def put(self, obj: dict) -> None: ...
    def add_event(self, event: dict) -> None: ...
    def list_events(self) -> list[dict]: ...
    def replay(self, key: str) -> tuple[int, dict] | None: ...
    def remember(self, key: str, status: int, body: dict) -> None: ...


class MemoryStore:
    """Simulator state in a dict, for a fake Stripe server that lives as long as a test."""

    def __init__(self):
        self._lock = threading.RLock()
        self.objects: dict[str, dict] = {}
        self.events: list[dict] = []
        self.responses: dict[str, tuple[int, dict]] = {}

    def lock(self):
        return self._lock

    def get(self, object_id):
        found = self.objects.get(object_id)
        return copy.deepcopy(found) if found else None

    def put(self, obj):
        self.objects[obj["id"]] = copy.deepcopy(obj)

    def add_event(self, event):
        self.events.append(copy.deepcopy(event))

    def list_events(self):
        return copy.deepcopy(self.events)

    def replay(self, key):
        return self.responses.get(key)

    def remember(self, key, status, body):
        self.responses[key] = (status, copy.deepcopy(body))


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


class Simulator:
    """Answer Stripe API requests as (status, JSON body) from state kept in a Store."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time):
        self.store = store
        self.clock = clock

    def handle(
        self,
        method: str,
        path: str,
        params: dict,
        idempotency_key: str | None = None,
    ) -> tuple[int, dict]:
        """Answer one request; a repeated POST with the same key gets the first answer."""
        with self.store.lock():
            if method == "POST" and idempotency_key:
                replayed = self.store.replay(idempotency_key)
                if replayed is not None:
                    return replayed
            try:
                status, body = 200, self._route(method, path, params, idempotency_key)
            except SimError as error:
                status, body = error.status, {"error": error.error}
            if method == "POST" and idempotency_key and status < 500:
                self.store.remember(idempotency_key, status, body)
            return status, body

    # Routing

    _ROUTES = (
        ("POST", r"/v1/customers", "create_customer"),
        ("POST", r"/v1/payment_intents", "create_payment_intent"),
        ("GET", r"/v1/payment_intents/(?P<id>[\w]+)", "retrieve"),
        ("POST", r"/v1/payment_intents/(?P<id>[\w]+)/confirm", "confirm_payment"),
        ("POST", r"/v1/payment_intents/(?P<id>[\w]+)/cancel", "cancel"),
        ("POST", r"/v1/setup_intents", "create_setup_intent"),
        ("GET", r"/v1/setup_intents/(?P<id>[\w]+)", "retrieve"),
        ("POST", r"/v1/setup_intents/(?P<id>[\w]+)/confirm", "confirm_setup"),
        ("POST", r"/v1/setup_intents/(?P<id>[\w]+)/cancel", "cancel"),
        ("POST", r"/v1/refunds", "create_refund"),
        ("GET", r"/v1/refunds/(?P<id>[\w]+)", "retrieve"),
        ("GET", r"/v1/charges/(?P<id>[\w]+)", "retrieve"),
        ("GET", r"/v1/events/(?P<id>[\w]+)", "retrieve"),
        ("GET", r"/v1/events", "list_events"),
        # Not Stripe's API: what a cardholder or a bank does in Stripe's test mode.
        ("POST", r"/_sim/authenticate/(?P<id>[\w]+)", "authenticate"),
        ("POST", r"/_sim/dispute/(?P<id>[\w]+)", "dispute"),
    )

    def _route(self, method, path, params, idempotency_key):
        for route_method, pattern, name in self._ROUTES:
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                self._key = idempotency_key
                return getattr(self, name)(params, **match.groupdict())
        raise SimError(
            404, _invalid(f"Unrecognized request URL ({method}: {path}).")
        ) from None

    # Objects

    def _load(self, object_id: str, prefix: str | None = None) -> dict:
        obj = self.store.get(object_id)
        if obj is None or (prefix and not object_id.startswith(prefix)):
            raise SimError(
                404,
                _invalid(f"No such object: '{object_id}'", code="resource_missing"),
            )
        return obj

    def _emit(self, type_: str, obj: dict) -> None:
        self.store.add_event(
            {
                "id": _new_id("evt"),
                "object": "event",
                "api_version": API_VERSION,
                "created": int(self.clock()),
                "type": type_,
                "livemode": False,
                "pending_webhooks": 1,
                "data": {"object": copy.deepcopy(obj)},
                "request": {"id": None, "idempotency_key": self._key},
            }
        )

    def retrieve(self, params, id):
        return self._load(id)

    def create_customer(self, params):
        customer = {
            "id": _new_id("cus"),
            "object": "customer",
            "created": int(self.clock()),
            "metadata": params.get("metadata", {}),
            "livemode": False,
        }
        self.store.put(customer)
        return customer

    def _payment_method(self, token: str | None, customer: str | None) -> dict | None:
        """Return the PaymentMethod a token or id names, minting one for a test token."""
        if not token:
            return None
        if token in _BEHAVIOUR:
            method = {
                "id": _new_id("pm"),
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
                _invalid(
                    f"No such PaymentMethod: '{token}'",
                    code="resource_missing",
                    param="payment_method",
                ),
            )
        if customer and method.get("customer") not in (None, customer):
            raise SimError(
                400, _invalid("The PaymentMethod belongs to another customer.")
            )
        return method

    def create_payment_intent(self, params):
        amount = _int(params.get("amount"), "amount")
        if amount < 1:
            raise SimError(400, _invalid("Amount must be at least 1.", param="amount"))
        intent_id = _new_id("pi")
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
        self._emit("payment_intent.created", intent)
        if _true(params.get("confirm")):
            return self._confirm(intent, params)
        return intent

    def confirm_payment(self, params, id):
        return self._confirm(self._load(id, "pi_"), params)

    def _confirm(self, intent: dict, params: dict) -> dict:
        if intent["status"] not in (
            "requires_payment_method",
            "requires_confirmation",
            "requires_action",
        ):
            raise SimError(
                400,
                _invalid(
                    f"This PaymentIntent's status is {intent['status']}; it cannot be "
                    "confirmed.",
                    code="payment_intent_unexpected_state",
                    payment_intent=intent,
                ),
            )
        method = self._payment_method(
            params.get("payment_method") or intent["payment_method"], intent["customer"]
        )
        if method is None:
            raise SimError(
                400,
                _invalid(
                    "You cannot confirm this PaymentIntent because it's missing a "
                    "payment method.",
                    code="payment_intent_unexpected_state",
                    param="payment_method",
                ),
            )
        intent["payment_method"] = method["id"]
        intent["last_payment_error"] = None
        behaviour = method["behaviour"]
        off_session = _true(params.get("off_session"))
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
        self._emit(f"{kind}.requires_action", intent)
        return intent

    def _succeed(self, intent: dict) -> dict:
        charge = {
            "id": _new_id("ch"),
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
        self._emit("charge.succeeded", charge)
        self._emit("payment_intent.succeeded", intent)
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
        self._emit(
            "setup_intent.setup_failed" if setup else "payment_intent.payment_failed",
            intent,
        )
        raise SimError(
            402, {**error, "setup_intent" if setup else "payment_intent": intent}
        )

    def cancel(self, params, id):
        intent = self._load(id)
        if intent["status"] in ("succeeded", "canceled"):
            raise SimError(
                400,
                _invalid(
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
        self._emit(f"{intent['object']}.canceled", intent)
        return intent

    def create_setup_intent(self, params):
        intent_id = _new_id("seti")
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
        self._emit("setup_intent.created", intent)
        if _true(params.get("confirm")):
            return self._confirm_setup(intent, params)
        return intent

    def confirm_setup(self, params, id):
        return self._confirm_setup(self._load(id, "seti_"), params)

    def _confirm_setup(self, intent: dict, params: dict) -> dict:
        if intent["status"] not in ("requires_payment_method", "requires_action"):
            raise SimError(
                400,
                _invalid(
                    f"This SetupIntent's status is {intent['status']}.",
                    code="setup_intent_unexpected_state",
                ),
            )
        method = self._payment_method(
            params.get("payment_method") or intent["payment_method"], intent["customer"]
        )
        if method is None:
            raise SimError(
                400, _invalid("Missing payment method.", param="payment_method")
            )
        intent["payment_method"] = method["id"]
        intent["last_setup_error"] = None
        if method["behaviour"] == "decline":
            self._fail(intent, "card_declined", "Your card was declined.", method)
        if method["behaviour"].startswith("authenticate"):
            return self._require_action(intent, params.get("return_url"))
        return self._set_up(intent)

    def _set_up(self, intent: dict) -> dict:
        method = self._load(intent["payment_method"])
        method.update(customer=intent["customer"], set_up_for_off_session=True)
        self.store.put(method)
        intent.update(status="succeeded", next_action=None)
        self.store.put(intent)
        self._emit("setup_intent.succeeded", intent)
        return intent

    def authenticate(self, params, id):
        """Complete (approve=true) or fail the authentication step of an intent."""
        intent = self._load(id)
        if intent["status"] != "requires_action":
            raise SimError(400, _invalid("Nothing to authenticate."))
        method = self._load(intent["payment_method"])
        if not _true(params.get("approve")):
            self._fail(
                intent,
                f"{intent['object']}_authentication_failure",
                "The provided PaymentMethod has failed authentication.",
                method,
            )
        if intent["object"] == "setup_intent":
            return self._set_up(intent)
        return self._succeed(intent)

    def create_refund(self, params):
        intent = self._load(params.get("payment_intent", ""), "pi_")
        if intent["status"] != "succeeded":
            raise SimError(
                400, _invalid("This PaymentIntent has no successful charge to refund.")
            )
        charge = self._load(intent["latest_charge"])
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = _int(params.get("amount", remaining), "amount")
        if remaining <= 0:
            raise SimError(
                400,
                _invalid(
                    f"Charge {charge['id']} has already been refunded.",
                    code="charge_already_refunded",
                ),
            )
        if not 0 < amount <= remaining:
            raise SimError(
                400,
                _invalid(
                    f"Refund amount ({amount}) is greater than unrefunded amount on "
                    f"charge ({remaining})",
                    param="amount",
                ),
            )
        refund = {
            "id": _new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": charge["currency"],
            "charge": charge["id"],
            "payment_intent": intent["id"],
            "status": "succeeded",
            "reason": params.get("reason"),
            "metadata": params.get("metadata", {}),
            "created": int(self.clock()),
        }
        self.store.put(refund)
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        charge["refunds"]["data"].insert(0, refund)
        self.store.put(charge)
        self._emit("refund.created", refund)
        self._emit("charge.refunded", charge)
        return refund

    def dispute(self, params, id):
        intent = self._load(id, "pi_")
        charge = self._load(intent["latest_charge"])
        dispute = {
            "id": _new_id("dp"),
            "object": "dispute",
            "amount": charge["amount"] - charge["amount_refunded"],
            "currency": charge["currency"],
            "charge": charge["id"],
            "payment_intent": intent["id"],
            "reason": params.get("reason", "fraudulent"),
            "status": "needs_response",
            "created": int(self.clock()),
        }
        self.store.put(dispute)
        charge["disputed"] = True
        self.store.put(charge)
        self._emit("charge.dispute.created", dispute)
        return dispute

    def list_events(self, params):
        events = self.store.list_events()
        if params.get("type"):
            events = [e for e in events if e["type"] == params["type"]]
        created = params.get("created")
        if isinstance(created, dict) and created.get("gte"):
            events = [e for e in events if e["created"] >= int(created["gte"])]
        events.reverse()  # newest first, as Stripe lists them
        if params.get("starting_after"):
            ids = [e["id"] for e in events]
            if params["starting_after"] in ids:
                events = events[ids.index(params["starting_after"]) + 1 :]
        limit = min(100, _int(params.get("limit", 10), "limit"))
        return {
            "object": "list",
            "url": "/v1/events",
            "data": events[:limit],
            "has_more": len(events) > limit,
        }


def _invalid(message: str, **extra: Any) -> dict:
    return {"type": "invalid_request_error", "message": message, **extra}


def _true(value) -> bool:
    return str(value).lower() == "true"


def _int(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SimError(400, _invalid(f"Invalid integer: {value}", param=name)) from None
