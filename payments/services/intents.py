"""A payment's intent at its gateway, and the booking kept in step with what it says.

A payment row is written before the gateway is called, and every gateway call carries an
idempotency key derived from that row, so a crash at any point leaves something the
reconciliation sweep can finish: it asks the gateway again with the same key.
"""

import logging

from django.db import transaction
from django.db.models.functions import Now

from booking.models import Booking, BookingStatus
from booking.services import booking_confirm, booking_reinstate
from core import logs, metrics
from core.errors import IllegalTransition, Unavailable

from .. import outgoing
from ..gateways import GatewayError, GatewayUnavailable, Intent, get_gateway
from ..models import Payment, Refund
from .refunds import refund_create
from .serial import booking_serial

logger = logging.getLogger(__name__)
log = logs.get_logger(__name__)
S = Payment.Status
# Its intent can still be paid (another card after a failure), or cancelled.
OPEN = (S.PENDING, S.REQUIRES_ACTION, S.PROCESSING, S.FAILED)

_STATUS = {
    "requires_payment_method": S.PENDING,
    "requires_confirmation": S.PENDING,
    "requires_action": S.REQUIRES_ACTION,
    "processing": S.PROCESSING,
    "requires_capture": S.PROCESSING,
    "succeeded": S.SUCCEEDED,
    "canceled": S.CANCELED,
}
TERMINAL = (S.SUCCEEDED, S.CANCELED)  # a payment never leaves these


def _metadata(payment: Payment, booking: Booking) -> dict:
    return {
        "booking_reference": booking.reference,
        "payment_id": str(payment.pk),
        "hotel_id": str(booking.hotel_id),
    }


def intent_create(*, payment: Payment, booking: Booking) -> Payment:
    """Create the payment's intent at its gateway (idempotent: same key, same intent)."""
    gateway = get_gateway(payment.gateway)
    key = payment.idempotency_prefix
    if payment.kind == Payment.Kind.GUARANTEE:
        if not payment.customer_id:
            payment.customer_id = gateway.create_customer(
                metadata=_metadata(payment, booking), idempotency_key=f"{key}-customer"
            )
            payment.save(update_fields=["customer_id", "updated_at"])
        intent = gateway.create_setup_intent(
            customer=payment.customer_id,
            metadata=_metadata(payment, booking),
            idempotency_key=f"{key}-create",
        )
    else:
        intent = gateway.create_payment_intent(
            amount=payment.amount,
            currency=payment.currency,
            metadata=_metadata(payment, booking),
            idempotency_key=f"{key}-create",
            customer=payment.customer_id,
            payment_method=payment.payment_method_id,
            off_session=payment.kind == Payment.Kind.NO_SHOW_FEE,
        )
    Payment.objects.filter(pk=payment.pk).update(
        gateway_id=intent.id, client_secret=intent.client_secret, updated_at=Now()
    )
    return payment_sync(payment_id=payment.pk, intent=intent)


def intent_abandon(*, payment: Payment) -> None:
    """Cancel an open payment's intent at the gateway so it can no longer be paid.

    If that fails (the gateway is down, or the intent was paid meanwhile), the payment
    stays open: the sweep asks again, and a payment that did succeed is settled (and
    refunded if its booking is gone) rather than lost behind a local "canceled".
    """
    if not payment.gateway_id:
        return  # nothing known to cancel; the sweep finds the intent by its key
    gateway = get_gateway(payment.gateway)
    cancel = (
        gateway.cancel_setup_intent
        if payment.kind == Payment.Kind.GUARANTEE
        else gateway.cancel_payment_intent
    )
    try:
        intent = cancel(
            payment.gateway_id, idempotency_key=f"{payment.idempotency_prefix}-cancel"
        )
    except (GatewayError, GatewayUnavailable):
        logger.warning("Could not cancel the intent of payment %s", payment.pk)
        return
    payment_sync(payment_id=payment.pk, intent=intent)


def payment_refresh(*, payment_id: int) -> Payment:
    """Ask the gateway for the payment's intent and apply what it says.

    Raises GatewayUnavailable or GatewayError.
    """
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    if not payment.gateway_id:
        # A replayed create answers as it first did; the intent may have moved on since.
        payment = intent_create(payment=payment, booking=payment.booking)
    gateway = get_gateway(payment.gateway)
    if payment.kind == Payment.Kind.GUARANTEE:
        intent = gateway.retrieve_setup_intent(payment.gateway_id)
    else:
        intent = gateway.retrieve_payment_intent(payment.gateway_id)
    return payment_sync(payment_id=payment_id, intent=intent)


def payment_sync(
    *, payment_id: int, intent: Intent, event_created: int | None = None
) -> Payment:
    """Apply an intent's state to its payment, then make the booking agree.

    An intent read just now from the gateway is the truth; one from an event applies
    unless a newer event was applied already. A succeeded or canceled payment never
    goes back. Safe to repeat.
    """
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    before = payment.status
    with booking_serial(payment.booking_id):
        payment = _apply_intent(payment_id, intent, event_created)
        if payment.status != before:
            metrics.PAYMENTS.labels(payment.status).inc()
            log.info(
                "payment status",
                payment=payment.pk,
                booking=payment.booking_reference,
                status=payment.status,
            )
        if payment.status == S.SUCCEEDED and not payment.resolution:
            payment = payment_settle(payment_id=payment_id)
    return payment


def _apply_intent(
    payment_id: int, intent: Intent, event_created: int | None
) -> Payment:
    with transaction.atomic(durable=True):
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        new = _STATUS.get(intent.status, payment.status)
        if new == S.PENDING and intent.error_code:
            new = S.FAILED
        current = payment.status
        stale = event_created is not None and event_created < payment.gateway_updated_at
        if current == S.SUCCEEDED or (current == S.CANCELED and new != S.SUCCEEDED):
            return payment
        if new not in TERMINAL and stale:
            return payment
        payment.status = new
        payment.failure_code = intent.error_code[:100] if new == S.FAILED else ""
        payment.failure_message = intent.error_message if new == S.FAILED else ""
        if intent.payment_method and payment.kind == Payment.Kind.GUARANTEE:
            payment.payment_method_id = intent.payment_method
        if new == S.SUCCEEDED:
            payment.succeeded_at = Now()
        payment.gateway_updated_at = max(
            payment.gateway_updated_at, event_created or intent.created
        )
        payment.save()
        payment.refresh_from_db()
    return payment


def payment_settle(*, payment_id: int) -> Payment:
    """Make the booking agree with a succeeded payment; record what it did. Idempotent.

    Pay now: confirm the held booking; if its hold lapsed, re-take its rooms; if they are
    gone or the booking was closed meanwhile, refund in full and tell the guest.
    Raises Busy (the sweep settles it later).
    """
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    with booking_serial(payment.booking_id):
        payment.refresh_from_db()
        if payment.status != S.SUCCEEDED or payment.resolution:
            return payment
        R = Payment.Resolution
        if payment.kind == Payment.Kind.NO_SHOW_FEE:
            resolution = R.COLLECTED
        elif (
            payment.kind == Payment.Kind.CHARGE
            and Payment.objects.filter(
                booking_id=payment.booking_id,
                kind=Payment.Kind.CHARGE,
                resolution__in=[R.CONFIRMED, R.REINSTATED],
            )
            .exclude(pk=payment.pk)
            .exists()
        ):
            resolution = R.REFUNDED_DUPLICATE
        else:
            resolution = _bring_booking_along(payment.booking_id)
        refund_purpose = {
            R.REFUNDED_DUPLICATE: Refund.Purpose.DUPLICATE,
            R.REFUNDED_UNAVAILABLE: Refund.Purpose.UNAVAILABLE,
            R.REFUNDED_NOT_BOOKABLE: Refund.Purpose.UNAVAILABLE,
        }.get(resolution)
        refunds = bool(refund_purpose) and payment.kind == Payment.Kind.CHARGE
        # The resolution and the guest's notice commit together (the outbox);
        # refund_create owns its own (durable) transaction, so it follows.
        with transaction.atomic():
            settled = Payment.objects.filter(pk=payment.pk, resolution="").update(
                resolution=resolution, updated_at=Now()
            )
            if settled and refunds:
                outgoing.publish(
                    payment.pk,
                    outgoing.REFUNDED_LATE,
                    payment_id=payment.pk,
                    amount=payment.amount,
                )
        if settled and refunds:
            refund_create(
                payment_id=payment.pk,
                amount=payment.amount - payment.amount_refunded,
                purpose=refund_purpose,
                reason=Payment.Resolution(resolution).label,
            )
        payment.refresh_from_db()
    return payment


def _bring_booking_along(booking_id: int) -> str:
    R = Payment.Resolution
    try:
        booking_confirm(booking_id=booking_id)
        return R.CONFIRMED
    except IllegalTransition:
        pass
    status = Booking.objects.filter(pk=booking_id).values_list("status", flat=True)[0]
    if status in (BookingStatus.CHECKED_IN, BookingStatus.CHECKED_OUT):
        return R.CONFIRMED
    if status not in (BookingStatus.HELD, BookingStatus.EXPIRED):
        return R.REFUNDED_NOT_BOOKABLE  # cancelled or no-show before the money came
    try:
        booking_reinstate(booking_id=booking_id)
    except Unavailable:
        return R.REFUNDED_UNAVAILABLE
    return R.REINSTATED


__all__ = [
    "OPEN",
    "TERMINAL",
    "intent_abandon",
    "intent_create",
    "payment_refresh",
    "payment_settle",
    "payment_sync",
]
