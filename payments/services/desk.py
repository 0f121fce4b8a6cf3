"""Confirming a hold by hand (the front desk, the admin): a pay-now hold needs its payment.

A pay-now booking is confirmed exactly when its payment succeeded (invariant 6). Staff
may confirm one without a payment only as an explicit override: a role whose group
holds `booking.confirm_unpaid_booking` in the booking's hotel (owners and managers,
not the front desk), and a reason. The reason is kept on the booking
(`confirmation_override`), written by the same UPDATE as the confirmation, so the
audit history (django-pghistory) records both in one event: who, when, why.
"""

import pghistory

from booking.models import Booking, BookingStatus
from booking.services import booking_confirm
from core.clock import db_now
from core.errors import ErrorCode, IllegalTransition, NotFound, ValidationError
from hotels.scoping import HotelScope
from inventory.models import RatePlan

from ..models import Payment
from .serial import booking_serial

OVERRIDE_PERMISSION = "booking.confirm_unpaid_booking"


def may_confirm_unpaid(user, hotel_id: int | None = None) -> bool:
    """Return whether `user` may confirm a pay-now hold without a payment (in a hotel)."""
    return HotelScope(user).has_perm(OVERRIDE_PERMISSION, hotel_id)


def booking_confirm_by_staff(
    *, booking_id: int, user, override_reason: str = ""
) -> Booking:
    """Confirm a held booking for staff; a pay-now hold needs a succeeded payment.

    With `override_reason`, a user who may (may_confirm_unpaid) confirms an unpaid
    pay-now hold anyway; the reason and the user go to the audit history with the
    change. Serialised with the booking's payment actions, so a payment arriving
    meanwhile is seen. Raises NotFound, IllegalTransition (PAYMENT_MISSING,
    HOLD_EXPIRED...), ValidationError (OVERRIDE_NOT_ALLOWED, a missing reason).
    """
    reason = override_reason.strip()
    with booking_serial(booking_id):
        booking = Booking.objects.filter(pk=booking_id).first()
        if booking is None:
            raise NotFound(ErrorCode.NOT_FOUND, "No such booking.")
        # A lapsed hold is refused as such by booking_confirm, paid or not.
        unpaid = (
            booking.status == BookingStatus.HELD
            and booking.held_until > db_now()
            and booking.payment_mode == RatePlan.PaymentMode.PAY_NOW
            and not Payment.objects.filter(
                booking_id=booking_id,
                kind=Payment.Kind.CHARGE,
                status=Payment.Status.SUCCEEDED,
            ).exists()
        )
        if not unpaid:
            return booking_confirm(booking_id=booking_id)
        if not reason:
            raise IllegalTransition(
                ErrorCode.PAYMENT_MISSING,
                "This booking is to be paid now and has no payment yet: ask the "
                "guest to pay, or a manager may confirm it without payment, giving "
                "a reason.",
            )
        if not may_confirm_unpaid(user, booking.hotel_id):
            raise ValidationError(
                ErrorCode.OVERRIDE_NOT_ALLOWED,
                "Only an owner or a manager of this hotel may confirm a booking "
                "without payment.",
            )
        # The admin's requests already carry the user; any other caller gets it too.
        with pghistory.context(user=user.pk):
            return booking_confirm(booking_id=booking_id, override_reason=reason)
