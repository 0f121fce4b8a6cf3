"""The sweep that heals: lost webhooks, crashes between a charge and our commit,
refunds that failed. Run by Celery beat every minute; safe to run twice at once."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Now

from booking.models import BookingChange, BookingStatus
from core.clock import db_now
from core.errors import DomainError

from ..gateways import GatewayError, GatewayUnavailable
from ..models import GatewayEvent, Payment, Refund
from .cancellation import cancel_booking_and_refund
from .changes import refund_change
from .events import event_apply
from .intents import OPEN, intent_abandon, payment_refresh, payment_settle
from .refunds import refund_submit
from .serial import booking_serial

logger = logging.getLogger(__name__)
S = Payment.Status


@dataclass
class ReconcileReport:
    events: int = 0
    payments: int = 0
    settled: int = 0
    refunds: int = 0
    abandoned: int = 0
    cancellations: int = 0
    change_refunds: int = 0
    errors: list[str] = field(default_factory=list)


def reconcile_payments(*, limit: int = 200) -> ReconcileReport:
    """Ask the gateway about payments left open, settle what is paid, retry refunds."""
    report = ReconcileReport()
    stale = Now() - timedelta(seconds=settings.PAYMENTS_RECONCILE_AFTER_SECONDS)
    recent = Now() - timedelta(days=7)

    for pk in GatewayEvent.objects.filter(
        processed_at=None, received_at__lt=Now() - timedelta(seconds=30)
    ).values_list("pk", flat=True)[:limit]:
        if _attempt(report, f"event {pk}", event_apply, event_pk=pk):
            report.events += 1

    open_payments = Payment.objects.filter(
        Q(status__in=[S.PENDING, S.REQUIRES_ACTION, S.PROCESSING, S.FAILED]),
        updated_at__lt=stale,
        created_at__gt=recent,
    ).order_by("updated_at")
    abandon_before = db_now() - timedelta(
        seconds=settings.PAYMENTS_ABANDON_AFTER_SECONDS
    )
    for pk in open_payments.values_list("pk", flat=True)[:limit]:
        if _attempt(report, f"payment {pk}", payment_refresh, payment_id=pk):
            report.payments += 1
            # Nothing new: look again after another interval, not every minute.
            Payment.objects.filter(pk=pk).update(updated_at=Now())
            _abandon_if_forgotten(pk, abandon_before, report)

    unsettled = Payment.objects.filter(status=S.SUCCEEDED, resolution="")
    for pk in unsettled.values_list("pk", flat=True)[:limit]:
        if _attempt(report, f"settle {pk}", payment_settle, payment_id=pk):
            report.settled += 1

    # A booking cancelled through booking_cancel directly (not cancel_booking_and_refund)
    # still gets the refund its policy gave.
    owed = (
        Payment.objects.filter(
            kind=Payment.Kind.CHARGE,
            status=S.SUCCEEDED,
            resolution__in=[
                Payment.Resolution.CONFIRMED,
                Payment.Resolution.REINSTATED,
            ],
            booking__status=BookingStatus.CANCELLED,
            booking__refund_amount__gt=0,
            booking__cancelled_at__gt=recent,
        )
        .exclude(refunds__purpose=Refund.Purpose.CANCELLATION)
        .values_list("booking_id", flat=True)
    )
    for booking_id in owed[:limit]:
        if _attempt(
            report,
            f"cancellation refund {booking_id}",
            cancel_booking_and_refund,
            booking_id=booking_id,
        ):
            report.cancellations += 1

    # A stay made shorter whose refund was never made: the process died between the
    # change's commit and its refund, or the change came through booking_change directly.
    changes_owed = (
        BookingChange.objects.filter(
            refund_amount__gt=0, created_at__gt=recent, refunds=None
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for change_id in changes_owed[:limit]:
        if (
            _attempt(
                report,
                f"change refund {change_id}",
                _refund_change,
                change_id=change_id,
            )
            and Refund.objects.filter(change_id=change_id).exists()
        ):
            report.change_refunds += 1

    due = Refund.objects.filter(
        status__in=[Refund.Status.PENDING, Refund.Status.FAILED],
        gateway_id="",
        next_attempt_at__lte=Now(),
    ).order_by("next_attempt_at")
    for pk in due.values_list("pk", flat=True)[:limit]:
        refund = refund_submit(refund_id=pk)
        report.refunds += refund.status == Refund.Status.SUCCEEDED
    return report


def _refund_change(*, change_id: int) -> None:
    with booking_serial(
        BookingChange.objects.values_list("booking_id", flat=True).get(pk=change_id)
    ):
        # None: nothing refundable is left (paid at the hotel, or refunded in full).
        refund_change(change_id=change_id, created_by="reconcile")


def _abandon_if_forgotten(payment_id: int, before, report: ReconcileReport) -> None:
    """Cancel an intent whose booking stopped waiting long ago, so it is not paid later."""
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    booking = payment.booking
    if (
        payment.status in OPEN
        and payment.kind != Payment.Kind.NO_SHOW_FEE
        and booking.status != BookingStatus.HELD
        and booking.held_until is not None
        and booking.held_until < before
    ):
        intent_abandon(payment=payment)
        report.abandoned += 1


def _attempt(report: ReconcileReport, what: str, action, **kwargs) -> bool:
    try:
        action(**kwargs)
    except (GatewayUnavailable, GatewayError, DomainError) as error:
        report.errors.append(f"{what}: {type(error).__name__}")
        logger.warning("reconcile %s: %s", what, type(error).__name__)
        return False
    except Exception as error:  # one bad item must not stop the sweep for the others
        report.errors.append(f"{what}: {type(error).__name__}")
        logger.exception("reconcile %s failed", what)
        return False
    return True
