"""Gateway events: stored once by their id, applied once, in any order.

Applying an event is a sequence of short transactions (the booking services commit
their own), run under the booking's payments lock and finished by marking the event
processed; every step is idempotent, so an event interrupted by a crash is simply
applied again by the next delivery or the sweep, and a second delivery is a no-op.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models.functions import Now

from ..gateways import (
    GatewayError,
    GatewayUnavailable,
    Intent,
    RefundResult,
    get_gateway,
)
from ..models import GatewayEvent, Payment, Refund
from .intents import payment_sync
from .refunds import record_charge_refunded, record_refund
from .serial import booking_serial

logger = logging.getLogger(__name__)

INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.processing",
    "payment_intent.requires_action",
    "setup_intent.succeeded",
    "setup_intent.setup_failed",
    "setup_intent.canceled",
    "setup_intent.requires_action",
}
REFUND_EVENTS = {"refund.created", "refund.updated", "refund.failed"}
HANDLED = INTENT_EVENTS | REFUND_EVENTS | {"charge.refunded", "charge.dispute.created"}
# Card details a charge carries (last four digits, expiry, billing address): never kept.
_CARD_KEYS = frozenset(
    {"payment_method_details", "billing_details", "card", "source", "receipt_email"}
)


def scrub(value):
    """Return a copy of an event payload without any card or cardholder details."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k not in _CARD_KEYS}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def event_receive(*, gateway: str, event: dict) -> GatewayEvent:
    """Store a verified event once by its id, then apply it unless it was applied."""
    obj = (event.get("data") or {}).get("object") or {}
    row = GatewayEvent.objects.filter(gateway=gateway, event_id=event["id"]).first()
    if row is None:
        try:
            with transaction.atomic():
                row = GatewayEvent.objects.create(
                    gateway=gateway,
                    event_id=event["id"],
                    type=event["type"][:100],
                    payload=scrub(event),
                    created=int(event.get("created") or 0),
                    object_id=_intent_id(obj)[:255],
                )
        except IntegrityError:  # delivered twice at once: the other copy was stored
            row = GatewayEvent.objects.get(gateway=gateway, event_id=event["id"])
    return event_apply(event_pk=row.pk)


def event_apply(*, event_pk: int) -> GatewayEvent:
    """Apply a stored event to its payment once; return it marked processed."""
    row = GatewayEvent.objects.get(pk=event_pk)
    if row.processed_at is not None:
        return row
    obj = row.payload.get("data", {}).get("object", {})
    payment = _payment_for(row.gateway, obj) if row.type in HANDLED else None
    if payment is None:
        outcome = "ignored" if row.type not in HANDLED else "no matching payment"
        GatewayEvent.objects.filter(pk=row.pk, processed_at=None).update(
            processed_at=Now(), outcome=outcome
        )
        row.refresh_from_db()
        return row
    with booking_serial(payment.booking_id):
        row.refresh_from_db()
        if row.processed_at is None:
            outcome = _apply(row, payment, obj)
            GatewayEvent.objects.filter(pk=row.pk, processed_at=None).update(
                processed_at=Now(), outcome=outcome[:200], payment=payment
            )
            row.refresh_from_db()
    return row


def _apply(row: GatewayEvent, payment: Payment, obj: dict) -> str:
    if row.type in INTENT_EVENTS:
        intent, event_created = Intent.from_data(obj), row.created
        if not charges_as_agreed(payment, intent):
            # The event's copy disagrees with what we asked for: ask the gateway itself.
            try:
                intent, event_created = read_intent(payment), None
            except (GatewayError, GatewayUnavailable):
                logger.warning("event %s: amount or currency differs", row.event_id)
                return "not applied: amount or currency differs (gateway unreachable)"
            if not charges_as_agreed(payment, intent):
                logger.error("payment %s: the gateway charges another sum", payment.pk)
                return "not applied: the intent's amount or currency differs"
        payment = payment_sync(
            payment_id=payment.pk, intent=intent, event_created=event_created
        )
        return f"payment {payment.status}" + (
            f", {payment.resolution}" if payment.resolution else ""
        )
    if row.type == "charge.refunded":
        refunds = (obj.get("refunds") or {}).get("data") or []
        record_charge_refunded(
            payment_id=payment.pk,
            amount_refunded=int(obj.get("amount_refunded") or 0),
            refunds=refunds,
        )
        return f"refunded {obj.get('amount_refunded')}"
    if row.type in REFUND_EVENTS:
        refund_id = str((obj.get("metadata") or {}).get("refund_id", ""))
        refund = (
            Refund.objects.filter(payment=payment, gateway_id=obj["id"]).first()
            or Refund.objects.filter(
                payment=payment, pk=int(refund_id) if refund_id.isdigit() else None
            ).first()
        )
        if refund is None:
            return "refund not ours"
        record_refund(
            refund_id=refund.pk,
            result=RefundResult(obj["id"], obj.get("status", ""), obj.get("amount", 0)),
        )
        return f"refund {obj.get('status')}"
    if row.type == "charge.dispute.created":
        Payment.objects.filter(pk=payment.pk, disputed_at=None).update(
            disputed_at=Now(),
            dispute_id=obj.get("id", "")[:255],
            dispute_reason=(obj.get("reason") or "")[:100],
            updated_at=Now(),
        )
        logger.warning("Dispute opened on payment %s", payment.pk)
        return f"dispute {obj.get('reason')}"
    return "ignored"


def _intent_id(obj: dict) -> str:
    if obj.get("object") in ("payment_intent", "setup_intent"):
        return obj.get("id", "")
    value = obj.get("payment_intent") or ""
    return value.get("id", "") if isinstance(value, dict) else value


def _payment_for(gateway: str, obj: dict) -> Payment | None:
    intent_id = _intent_id(obj)
    if intent_id:
        payment = Payment.objects.filter(gateway=gateway, gateway_id=intent_id).first()
        if payment is not None:
            return payment
    # An intent created just before a crash, its id never saved: the metadata names it.
    payment_id = (obj.get("metadata") or {}).get("payment_id", "")
    if intent_id and payment_id.isdigit():
        adopted = Payment.objects.filter(
            pk=int(payment_id), gateway=gateway, gateway_id=""
        ).update(gateway_id=intent_id)
        if adopted:
            return Payment.objects.get(pk=int(payment_id))
    return None


def charges_as_agreed(payment: Payment, intent: Intent) -> bool:
    """Say whether a payment intent charges the payment's amount in its currency.

    A setup intent (a kept card) charges nothing, so it always agrees.
    """
    if intent.object != "payment_intent":
        return True
    return (
        intent.amount == payment.amount
        and intent.currency.lower() == payment.currency.lower()
    )


def read_intent(payment: Payment) -> Intent:
    """Return the payment's intent as the gateway knows it now.

    Raises GatewayError or GatewayUnavailable.
    """
    return get_gateway(payment.gateway).retrieve_payment_intent(payment.gateway_id)
