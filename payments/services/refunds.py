"""Giving money back: by policy on cancellation, in full when rooms are lost, by hand.

A refund is a row first (with its own idempotency key), sent to the gateway after
commit; a failed send is retried with exponential backoff by the reconciliation sweep
and shows in the admin with its attempts and last error until it succeeds or gives up.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Now

from core import metrics
from core.errors import ErrorCode, IllegalTransition, NotFound, ValidationError

from ..gateways import GatewayError, GatewayUnavailable, RefundResult, get_gateway
from ..models import Payment, Refund
from .queueing import SUBMIT_REFUND, queue_task

logger = logging.getLogger(__name__)
_ONCE = (
    Refund.Purpose.CANCELLATION,
    Refund.Purpose.UNAVAILABLE,
    Refund.Purpose.DUPLICATE,
)
_COUNTED = (Refund.Status.PENDING, Refund.Status.FAILED, Refund.Status.SUCCEEDED)


def refund_create(
    *,
    payment_id: int,
    amount: int,
    purpose: str = Refund.Purpose.MANUAL,
    reason: str = "",
    created_by: str = "",
    change_id: int | None = None,
) -> Refund:
    """Record a refund of `amount` minor units and send it to the gateway after commit.

    A cancellation, lost-rooms or duplicate refund is made once per payment, a refund
    for a shorter stay (`change_id`, a booking.BookingChange) once per change: asking
    again returns the first. Raises NotFound, IllegalTransition (nothing was paid) or
    ValidationError (NOTHING_TO_REFUND, REFUND_TOO_LARGE).
    """
    if amount <= 0:
        raise ValidationError(
            ErrorCode.NOTHING_TO_REFUND, "Enter an amount greater than zero."
        )
    with transaction.atomic(durable=True):
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None:
            raise NotFound(ErrorCode.NOT_FOUND, "No such payment.")
        if purpose in _ONCE:
            existing = payment.refunds.filter(purpose=purpose).first()
            if existing is not None:
                return existing
        if change_id is not None:
            existing = Refund.objects.filter(change_id=change_id).first()
            if existing is not None:
                return existing
        if payment.status != Payment.Status.SUCCEEDED or payment.kind == (
            Payment.Kind.GUARANTEE
        ):
            raise IllegalTransition(
                ErrorCode.NOTHING_TO_REFUND, "Only a collected payment can be refunded."
            )
        available = refundable_amount(payment)
        if amount > available:
            raise ValidationError(
                ErrorCode.REFUND_TOO_LARGE,
                "The refund is larger than what remains of the payment.",
                available=available,
            )
        refund = Refund.objects.create(
            payment=payment,
            purpose=purpose,
            amount=amount,
            currency=payment.currency,
            reason=reason[:200],
            created_by=created_by[:150],
            change_id=change_id,
            next_attempt_at=Now(),
        )
    # Committed (the block is durable): send it now; if the queue is down, the sweep will.
    queue_task(SUBMIT_REFUND, refund.pk)
    refund.refresh_from_db()
    return refund


def refund_submit(*, refund_id: int) -> Refund:
    """Send a pending or failed refund to its gateway (same idempotency key each time).

    An outage schedules another try with exponential backoff; a refusal, or running out
    of attempts, leaves it for a person (GAVE_UP). Never raises for gateway trouble.
    """
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status not in (Refund.Status.PENDING, Refund.Status.FAILED):
        return refund
    if refund.gateway_id:
        return refund  # accepted, settling at the gateway: its events finish it
    payment = refund.payment
    try:
        result = get_gateway(payment.gateway).create_refund(
            payment_intent=payment.gateway_id,
            amount=refund.amount,
            metadata={
                "refund_id": str(refund.pk),
                "booking_reference": payment.booking_reference,
            },
            idempotency_key=refund.idempotency_key,
        )
    except (GatewayUnavailable, GatewayError) as error:
        return _failed(refund, error)
    return record_refund(refund_id=refund.pk, result=result)


def _failed(refund: Refund, error: Exception) -> Refund:
    attempts = refund.attempts + 1
    gave_up = isinstance(error, GatewayError) or (
        attempts >= settings.PAYMENTS_REFUND_MAX_ATTEMPTS
    )
    delay = timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))
    Refund.objects.filter(pk=refund.pk).update(
        status=Refund.Status.GAVE_UP if gave_up else Refund.Status.FAILED,
        attempts=attempts,
        last_error=(str(error) or type(error).__name__)[:500],
        next_attempt_at=None if gave_up else Now() + delay,
        updated_at=Now(),
    )
    if gave_up:
        metrics.REFUNDS_GIVEN_UP.inc()
    logger.warning(
        "Refund %s failed (attempt %s): %s", refund.pk, attempts, type(error).__name__
    )
    refund.refresh_from_db()
    return refund


def record_refund(*, refund_id: int, result: RefundResult) -> Refund:
    """Apply what the gateway said about one refund, and the payment's refunded total."""
    with transaction.atomic(durable=True):
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        status = {
            "succeeded": Refund.Status.SUCCEEDED,
            "failed": Refund.Status.GAVE_UP,
            "canceled": Refund.Status.GAVE_UP,
        }.get(result.status, Refund.Status.PENDING)
        if refund.status != Refund.Status.SUCCEEDED:
            if status == Refund.Status.GAVE_UP != refund.status:
                transaction.on_commit(metrics.REFUNDS_GIVEN_UP.inc)
            refund.status = status
            refund.gateway_id = result.id
            refund.attempts += 1
            refund.next_attempt_at = None
            refund.last_error = "" if status != Refund.Status.GAVE_UP else result.status
            if status == Refund.Status.SUCCEEDED:
                refund.succeeded_at = Now()
            refund.save()
        _recount(refund.payment_id)
    refund.refresh_from_db()
    return refund


def _recount(payment_id: int, at_least: int = 0) -> None:
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    succeeded = (
        payment.refunds.filter(status=Refund.Status.SUCCEEDED).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )
    total = min(payment.amount, max(payment.amount_refunded, succeeded, at_least))
    if total != payment.amount_refunded:
        Payment.objects.filter(pk=payment_id).update(
            amount_refunded=total, updated_at=Now()
        )


def record_charge_refunded(*, payment_id: int, amount_refunded: int, refunds: list):
    """Apply a charge.refunded event: its refunds and the total refunded so far."""
    for data in refunds:
        refund_id = str((data.get("metadata") or {}).get("refund_id", ""))
        match = Refund.objects.filter(payment_id=payment_id).filter(
            Q(gateway_id=data["id"])
            | Q(pk=int(refund_id) if refund_id.isdigit() else None)
        )
        found = match.first()
        if found is not None:
            record_refund(
                refund_id=found.pk,
                result=RefundResult(data["id"], data.get("status", ""), data["amount"]),
            )
    with transaction.atomic(durable=True):
        _recount(payment_id, at_least=amount_refunded)


def refundable_amount(payment: Payment) -> int:
    """Return what `payment` has left: neither refunded nor promised to a refund."""
    committed = (
        payment.refunds.filter(status__in=_COUNTED).aggregate(s=Sum("amount"))["s"] or 0
    )
    return max(payment.amount - max(committed, payment.amount_refunded), 0)
