"""The one interface every payment gateway offers, and what it answers with.

Amounts are integer minor units; statuses are Stripe's words. A gateway never sees or
returns card data: cards are named by the gateway's tokens.
"""

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Intent:
    """A PaymentIntent or a SetupIntent, as the gateway last knew it."""

    id: str
    object: str  # "payment_intent" | "setup_intent"
    status: str
    amount: int = 0
    currency: str = ""
    client_secret: str = ""
    customer: str = ""
    payment_method: str = ""
    latest_charge: str = ""
    error_code: str = ""
    error_message: str = ""
    metadata: dict = field(default_factory=dict)
    created: int = 0

    @classmethod
    def from_data(cls, data: dict) -> "Intent":
        """Build from a Stripe object as a dict, keeping no more than ids and statuses."""
        error = data.get("last_payment_error") or data.get("last_setup_error") or {}

        def ref(value) -> str:
            if isinstance(value, dict):
                return value.get("id", "")
            return value or ""

        return cls(
            id=data["id"],
            object=data.get("object", "payment_intent"),
            status=data.get("status", ""),
            amount=int(data.get("amount") or 0),
            currency=(data.get("currency") or "").upper(),
            client_secret=data.get("client_secret") or "",
            customer=ref(data.get("customer")),
            payment_method=ref(data.get("payment_method")),
            latest_charge=ref(data.get("latest_charge")),
            error_code=error.get("decline_code") or error.get("code") or "",
            error_message=(error.get("message") or "")[:500],
            metadata=dict(data.get("metadata") or {}),
            created=int(data.get("created") or 0),
        )


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: str  # "succeeded" | "pending" | "failed" | "canceled"
    amount: int


class GatewayError(Exception):
    """The gateway refused a request; repeating it will not help."""

    def __init__(self, message: str, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class CardDeclined(GatewayError):
    """The card was declined or failed authentication; the intent says what is next."""

    def __init__(self, message: str, code: str, intent: Intent | None):
        super().__init__(message, code)
        self.intent = intent


class GatewayUnavailable(Exception):
    """The gateway could not be reached, failed, or its circuit breaker is open."""


class InvalidSignature(Exception):
    """A webhook's signature is missing, wrong or too old."""


class Gateway(Protocol):
    name: str
    test_mode: bool
    # The test gateway offers its own authentication page; Stripe redirects to its own.
    has_authentication_page: bool
    publishable_key: str

    def create_customer(self, *, metadata: dict, idempotency_key: str) -> str: ...

    def create_payment_intent(
        self,
        *,
        amount: int,
        currency: str,
        metadata: dict,
        idempotency_key: str,
        customer: str = "",
        payment_method: str = "",
        off_session: bool = False,
    ) -> Intent: ...

    def retrieve_payment_intent(self, intent_id: str) -> Intent: ...

    def confirm_payment_intent(
        self,
        intent_id: str,
        *,
        payment_method: str,
        return_url: str,
        idempotency_key: str,
    ) -> Intent: ...

    def cancel_payment_intent(
        self, intent_id: str, *, idempotency_key: str
    ) -> Intent: ...

    def cancel_setup_intent(
        self, intent_id: str, *, idempotency_key: str
    ) -> Intent: ...

    def create_setup_intent(
        self, *, customer: str, metadata: dict, idempotency_key: str
    ) -> Intent: ...

    def retrieve_setup_intent(self, intent_id: str) -> Intent: ...

    def confirm_setup_intent(
        self,
        intent_id: str,
        *,
        payment_method: str,
        return_url: str,
        idempotency_key: str,
    ) -> Intent: ...

    def create_refund(
        self, *, payment_intent: str, amount: int, metadata: dict, idempotency_key: str
    ) -> RefundResult: ...

    def verify_event(self, payload: bytes, signature: str) -> dict: ...

    def authenticate(self, intent_id: str, *, approve: bool) -> Intent: ...
