"""Stripe through its official client: timeouts, bounded retries, a circuit breaker.

Every POST carries an idempotency key chosen by the caller from a database row, so a
retry (the client's own, a Celery retry or a repeated request) never charges twice.
"""

import contextlib
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pybreaker
import stripe

from .base import (
    CardDeclined,
    GatewayError,
    GatewayUnavailable,
    Intent,
    InvalidSignature,
    RefundResult,
)

logger = logging.getLogger(__name__)


def is_outage(error: BaseException) -> bool:
    """Return True for failures that say the gateway is down, not that we asked wrong."""
    return isinstance(error, stripe.APIConnectionError | stripe.APIError) or (
        isinstance(error, stripe.StripeError) and (error.http_status or 0) >= 500
    )


def _raise(error: BaseException) -> None:
    raise error


def _none(error: BaseException | None) -> None:
    return None


class StripeGateway:
    name = "stripe"
    test_mode = False
    has_authentication_page = False

    def __init__(
        self,
        *,
        secret_key: str,
        publishable_key: str = "",
        webhook_secret: str = "",
        api_base: str = "",
        timeout: float = 10.0,
        max_network_retries: int = 2,
        breaker: pybreaker.CircuitBreaker | None = None,
        http_client: stripe.HTTPClient | None = None,
    ):
        self.publishable_key = publishable_key
        self.test_mode = secret_key.startswith("sk_test_")
        self.webhook_secret = webhook_secret
        self.breaker = breaker
        self.client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=max_network_retries,
            http_client=http_client
            or stripe.RequestsClient(timeout=(min(timeout, 5.0), timeout)),
        )

    # Calls

    def _guarded(self, action: Callable[..., Any], *args, **kwargs) -> Any:
        """Call Stripe unless the breaker is open; tell the breaker how it went.

        pybreaker's own `call()` holds the breaker's lock for the whole call, which would
        let one thread at a time talk to Stripe; so the request runs outside it and only
        its outcome goes through the breaker (whose state machine and Redis storage
        decide when to open, half-open and close).
        """
        breaker = self.breaker
        if breaker is None:
            return action(*args, **kwargs)
        if breaker.current_state == pybreaker.STATE_OPEN:
            opened_at = breaker._state_storage.opened_at
            if opened_at is None or datetime.now(UTC) - opened_at < timedelta(
                seconds=breaker.reset_timeout
            ):
                raise pybreaker.CircuitBreakerError("Stripe's circuit is open.")
        try:
            result = action(*args, **kwargs)
        except Exception as error:
            outcome = _raise if is_outage(error) else _none
            with contextlib.suppress(pybreaker.CircuitBreakerError, type(error)):
                breaker.call(outcome, error)
            raise
        with contextlib.suppress(pybreaker.CircuitBreakerError):
            breaker.call(_none, None)
        return result

    def _call(self, action: Callable[..., Any], *args, **kwargs) -> Any:
        try:
            return self._guarded(action, *args, **kwargs)
        except pybreaker.CircuitBreakerError as error:
            raise GatewayUnavailable(
                "Payments are paused: Stripe is failing."
            ) from error
        except stripe.CardError as error:
            body = (error.json_body or {}).get("error", {})
            data = body.get("payment_intent") or body.get("setup_intent")
            raise CardDeclined(
                error.user_message or "Your card was declined.",
                body.get("decline_code") or error.code or "card_declined",
                Intent.from_data(data) if data else None,
            ) from error
        except stripe.StripeError as error:
            if is_outage(error):
                logger.warning("Stripe unavailable: %s", type(error).__name__)
                raise GatewayUnavailable(str(error.user_message or "")) from error
            raise GatewayError(
                error.user_message or str(error), error.code or ""
            ) from error

    @staticmethod
    def _intent(obj) -> Intent:
        return Intent.from_data(obj.to_dict())

    def create_customer(self, *, metadata, idempotency_key):
        customer = self._call(
            self.client.v1.customers.create,
            {"metadata": metadata},
            {"idempotency_key": idempotency_key},
        )
        return customer.id

    def create_payment_intent(
        self,
        *,
        amount,
        currency,
        metadata,
        idempotency_key,
        customer="",
        payment_method="",
        off_session=False,
    ):
        params: dict[str, Any] = {
            "amount": amount,
            "currency": currency.lower(),
            "metadata": metadata,
        }
        if customer:
            params["customer"] = customer
        if payment_method:
            # A kept card charged by the hotel: no page to redirect the guest to.
            params.update(
                payment_method=payment_method,
                confirm=True,
                automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
            )
        else:
            params["automatic_payment_methods"] = {"enabled": True}
        if off_session:
            params["off_session"] = True
        return self._intent(
            self._call(
                self.client.v1.payment_intents.create,
                params,
                {"idempotency_key": idempotency_key},
            )
        )

    def retrieve_payment_intent(self, intent_id):
        return self._intent(
            self._call(self.client.v1.payment_intents.retrieve, intent_id)
        )

    def confirm_payment_intent(
        self, intent_id, *, payment_method, return_url, idempotency_key
    ):
        return self._intent(
            self._call(
                self.client.v1.payment_intents.confirm,
                intent_id,
                {"payment_method": payment_method, "return_url": return_url},
                {"idempotency_key": idempotency_key},
            )
        )

    def cancel_payment_intent(self, intent_id, *, idempotency_key):
        return self._intent(
            self._call(
                self.client.v1.payment_intents.cancel,
                intent_id,
                None,
                {"idempotency_key": idempotency_key},
            )
        )

    def cancel_setup_intent(self, intent_id, *, idempotency_key):
        return self._intent(
            self._call(
                self.client.v1.setup_intents.cancel,
                intent_id,
                None,
                {"idempotency_key": idempotency_key},
            )
        )

    def create_setup_intent(self, *, customer, metadata, idempotency_key):
        params = {"customer": customer, "metadata": metadata, "usage": "off_session"}
        params["automatic_payment_methods"] = {"enabled": True}
        return self._intent(
            self._call(
                self.client.v1.setup_intents.create,
                params,
                {"idempotency_key": idempotency_key},
            )
        )

    def retrieve_setup_intent(self, intent_id):
        return self._intent(
            self._call(self.client.v1.setup_intents.retrieve, intent_id)
        )

    def confirm_setup_intent(
        self, intent_id, *, payment_method, return_url, idempotency_key
    ):
        return self._intent(
            self._call(
                self.client.v1.setup_intents.confirm,
                intent_id,
                {"payment_method": payment_method, "return_url": return_url},
                {"idempotency_key": idempotency_key},
            )
        )

    def create_refund(self, *, payment_intent, amount, metadata, idempotency_key):
        refund = self._call(
            self.client.v1.refunds.create,
            {"payment_intent": payment_intent, "amount": amount, "metadata": metadata},
            {"idempotency_key": idempotency_key},
        )
        return RefundResult(id=refund.id, status=refund.status, amount=refund.amount)

    def list_events(self, *, created_gte: int, limit: int = 100) -> list[dict]:
        """Return the events created since `created_gte` (seconds), oldest first."""
        page = self._call(
            self.client.v1.events.list,
            {"created": {"gte": created_gte}, "limit": limit},
        )
        return [event.to_dict() for event in reversed(page.data)]

    def verify_event(self, payload: bytes, signature: str) -> dict:
        """Check the signature (and its age) with the endpoint secret; return the event.

        Raises InvalidSignature.
        """
        if not self.webhook_secret:
            raise InvalidSignature("No webhook secret is configured.")
        try:
            stripe.WebhookSignature.verify_header(
                payload.decode("utf-8"),
                signature,
                self.webhook_secret,
                tolerance=stripe.Webhook.DEFAULT_TOLERANCE,
            )
        except (stripe.SignatureVerificationError, UnicodeDecodeError) as error:
            raise InvalidSignature(str(error)) from error
        try:
            event = json.loads(payload)
        except ValueError as error:
            raise InvalidSignature("The payload is not JSON.") from error
        if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
            raise InvalidSignature("The payload is not an event.")
        return event

    def authenticate(self, intent_id, *, approve):
        raise GatewayError("Stripe shows its own authentication page.")
