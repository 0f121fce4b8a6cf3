"""Cancelling a booking: the booking service, its open intents, its policy's refund."""

from dataclasses import dataclass

from booking.models import Booking, BookingStatus
from booking.services import booking_cancel
from core.errors import IllegalTransition

from ..models import Payment, Refund
from .intents import OPEN, intent_abandon
from .refunds import refund_create, refundable_amount
from .serial import booking_serial


@dataclass(frozen=True)
class CancelResult:
    booking: Booking
    refund: Refund | None


def cancel_booking_and_refund(
    *,
    booking_id: int,
    reason: str = "",
    created_by: str = "",
    closure_id: int | None = None,
) -> CancelResult:
    """Cancel a booking and refund what its frozen policy gives now (hotel time).

    The one entry point for the site, the admin and the API. With `closure_id` (the
    guest's link from a hotel closure's e-mail) the policy is overridden: the whole
    total is refunded, through the same refund path, while the closure is live. An open payment intent is
    cancelled so the guest cannot pay a cancelled booking (if it succeeds anyway, it is
    refunded in full). Calling it again for a cancelled booking finishes a refund a crash
    may have left out. Raises NotFound, IllegalTransition or Busy.
    """
    with booking_serial(booking_id):
        try:
            booking = booking_cancel(
                booking_id=booking_id, reason=reason, closure_id=closure_id
            )
        except IllegalTransition:
            booking = Booking.objects.filter(pk=booking_id).first()
            if booking is None or booking.status != BookingStatus.CANCELLED:
                raise
        for payment in booking.payments.filter(
            kind__in=[Payment.Kind.CHARGE, Payment.Kind.GUARANTEE], status__in=OPEN
        ):
            intent_abandon(payment=payment)
        refund = None
        paid = (
            booking.payments.filter(
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
        if paid is not None:
            refund = paid.refunds.filter(purpose=Refund.Purpose.CANCELLATION).first()
        # Refunds still pending count as given, exactly as refund_create counts them.
        owed = min(booking.refund_amount or 0, refundable_amount(paid)) if paid else 0
        if owed and refund is None:
            refund = refund_create(
                payment_id=paid.pk,
                amount=owed,
                purpose=Refund.Purpose.CANCELLATION,
                reason=(
                    "Full refund: the hotel closed"
                    if closure_id is not None
                    else "Cancellation by policy"
                ),
                created_by=created_by,
            )
    return CancelResult(booking=booking, refund=refund)
