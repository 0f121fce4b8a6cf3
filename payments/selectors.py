"""Reads over payments for the guest's pages and e-mails: what was paid, what comes back."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Sum

from booking.models import Booking, BookingStatus
from hotels.policies import refund_amount, refund_percent

from .models import Payment, Refund

_KEPT = (Payment.Resolution.CONFIRMED, Payment.Resolution.REINSTATED)
_COUNTED = (Refund.Status.PENDING, Refund.Status.FAILED, Refund.Status.SUCCEEDED)


def amount_paid(booking: Booking) -> int:
    """Return the minor units the guest paid online for the stay and still has paid.

    Refunds other than the cancellation refund are taken off, so the figure is the
    same before and after a cancellation refund (which comes out of it).
    """
    charges = Payment.objects.filter(
        booking=booking,
        kind=Payment.Kind.CHARGE,
        status=Payment.Status.SUCCEEDED,
        resolution__in=_KEPT,
    )
    paid = charges.aggregate(s=Sum("amount"))["s"] or 0
    if not paid:
        return 0
    refunded = (
        Refund.objects.filter(payment__in=charges, status__in=_COUNTED)
        .exclude(purpose=Refund.Purpose.CANCELLATION)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return paid - refunded


def cancellation_refund(booking: Booking) -> int:
    """Return what a cancelled booking's guest gets back: the policy's refund, at most
    what was paid (cancel_booking_and_refund refunds exactly this)."""
    if booking.status != BookingStatus.CANCELLED:
        return 0
    return min(booking.refund_amount or 0, amount_paid(booking))


@dataclass(frozen=True)
class CancellationPreview:
    """What cancelling now would give back, for the guest to read before confirming."""

    at: datetime  # now, by the database clock
    paid: int  # paid online and not refunded
    percent: int  # the policy's refund percentage now (0 for an unpaid hold)
    refund: int  # what comes back: the policy's share of the total, at most `paid`


def cancellation_preview(booking: Booking, *, at: datetime) -> CancellationPreview:
    """Return the refund cancelling `booking` at `at` would give (hotel time)."""
    paid = amount_paid(booking)
    if booking.status != BookingStatus.CONFIRMED:
        return CancellationPreview(at=at, paid=paid, percent=0, refund=0)
    tz = booking.hotel.tz
    due = refund_amount(
        booking.policy, total=booking.total, check_in=booking.check_in, at=at, tz=tz
    )
    percent = refund_percent(booking.policy, check_in=booking.check_in, at=at, tz=tz)
    return CancellationPreview(at=at, paid=paid, percent=percent, refund=min(due, paid))


def refunds_of(booking: Booking) -> list[Refund]:
    """Return the refunds of a booking's payments, oldest first."""
    return list(Refund.objects.filter(payment__booking=booking).order_by("created_at"))


def change_settlement(booking: Booking, difference: int) -> str:
    """Say how a change of `difference` minor units is settled, for the guest to read.

    One of: "same" (no difference), "pay_online" (a hold: the new total is paid on the
    payment page), "at_hotel" (nothing was paid online: the new total is paid at the
    hotel), "difference_at_hotel" (paid online, costs more: the payments app cannot
    charge a confirmed booking again, so the hotel collects the difference),
    "difference_not_refunded" (paid online, costs less: no automatic refund).
    """
    if difference == 0:
        return "same"
    if booking.status == BookingStatus.HELD:
        return "pay_online" if booking.payment_mode == "pay_now" else "at_hotel"
    if amount_paid(booking) == 0:
        return "at_hotel"
    return "difference_at_hotel" if difference > 0 else "difference_not_refunded"
