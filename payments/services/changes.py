"""Changing a booking: the booking service, then the refund its policy gives a shorter stay."""

from dataclasses import dataclass
from datetime import date

from booking.models import BookingChange
from booking.services import ChangeResult, booking_change

from ..models import Payment, Refund
from .refunds import refund_create, refundable_amount
from .serial import booking_serial


@dataclass(frozen=True)
class ChangeAndRefund:
    result: ChangeResult
    refund: Refund | None


def change_booking_and_refund(
    *,
    booking_id: int,
    check_in: date | None = None,
    check_out: date | None = None,
    rooms: int | None = None,
    adults: int | None = None,
    children: int | None = None,
    expected_total: int | None = None,
    created_by: str = "",
) -> ChangeAndRefund:
    """Change a booking and refund, once, what its policy gives back for a cheaper stay.

    The one entry point for the site and the API. A paid stay that gets shorter or
    loses rooms is refunded the policy's share of the difference at the time of the
    change (hotel time), as cancelling those nights would have refunded them, at most
    what is still paid; a dearer stay is paid at the hotel (BookingSummary says so).
    Raises what booking_change raises; the change is not made then.
    """
    with booking_serial(booking_id):
        result = booking_change(
            booking_id=booking_id,
            check_in=check_in,
            check_out=check_out,
            rooms=rooms,
            adults=adults,
            children=children,
            expected_total=expected_total,
        )
        change = result.change
        refund = None
        if change is not None and change.refund_amount > 0:
            refund = refund_change(change_id=change.pk, created_by=created_by)
    return ChangeAndRefund(result=result, refund=refund)


def refund_change(*, change_id: int, created_by: str = "") -> Refund | None:
    """Refund what a change of a stay gives back, once; None if nothing is owed."""
    change = BookingChange.objects.get(pk=change_id)
    paid = (
        Payment.objects.filter(
            booking_id=change.booking_id,
            kind=Payment.Kind.CHARGE,
            status=Payment.Status.SUCCEEDED,
            resolution__in=[
                Payment.Resolution.CONFIRMED,
                Payment.Resolution.REINSTATED,
            ],
        )
        .order_by("pk")
        .first()
    )
    if paid is None:
        return None
    existing = paid.refunds.filter(change_id=change_id).first()
    if existing is not None:
        return existing
    owed = min(change.refund_amount, refundable_amount(paid))
    if owed <= 0:
        return None
    return refund_create(
        payment_id=paid.pk,
        amount=owed,
        purpose=Refund.Purpose.CHANGE,
        reason="Shorter stay, by policy",
        created_by=created_by,
        change_id=change_id,
    )
