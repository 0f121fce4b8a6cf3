"""Changing and cancelling a booking before the stay (invariants 3 and 5)."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from core.errors import ErrorCode, IllegalTransition, ValidationError
from inventory import hints, locking
from inventory.rules import StayRequest, check_nights, validate_request, validate_timing

from .. import events
from ..events import BookingEvent
from ..models import Booking, BookingStatus
from ..policies import refund_amount
from ..states import ensure_changeable, ensure_transition
from .common import lock_booking


@dataclass(frozen=True)
class ChangeResult:
    booking: Booking
    old_total: int
    new_total: int

    @property
    def difference(self) -> int:
        """Minor units the guest owes (positive) or is owed (negative)."""
        return self.new_total - self.old_total


def booking_change(
    *,
    booking_id: int,
    check_in: date | None = None,
    check_out: date | None = None,
    rooms: int | None = None,
    adults: int | None = None,
    children: int | None = None,
) -> ChangeResult:
    """Move a booking to new dates, rooms or guests, atomically.

    The old nights are released and the new ones taken in one transaction; nights the
    booking keeps keep their price, new nights are priced at today's rate.
    Raises NotFound, IllegalTransition, ValidationError, Unavailable or Busy; on any
    error the booking and the inventory are unchanged.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        ensure_changeable(booking)
        if booking.status == BookingStatus.HELD and booking.held_until <= now:
            raise IllegalTransition(
                ErrorCode.HOLD_EXPIRED, "The hold on these rooms has expired."
            )
        old = StayRequest(
            booking.check_in,
            booking.check_out,
            booking.rooms,
            booking.adults,
            booking.children,
        )
        new = StayRequest(
            check_in or old.check_in,
            check_out or old.check_out,
            old.rooms if rooms is None else rooms,
            old.adults if adults is None else adults,
            old.children if children is None else children,
        )
        if new == old:
            raise ValidationError(
                ErrorCode.NOTHING_TO_CHANGE, "The new stay is the same as the old."
            )
        validate_request(new, booking.room_type)
        validate_timing(new, booking.hotel, now)

        room_type_id = booking.room_type_id
        rows, departure = locking.lock_nights(
            room_type_id, old.nights + new.nights, new.check_out
        )
        check_nights(
            new, rows, departure, already_held=dict.fromkeys(old.nights, old.rooms)
        )
        locking.release(room_type_id, old.nights, old.rooms)
        locking.take([rows[night] for night in new.nights], new.rooms)

        kept = dict(zip(old.nights, booking.nightly_prices, strict=True))
        plan = booking.rate_plan
        prices = [
            kept[night] if night in kept else plan.nightly_price(rows[night].price)
            for night in new.nights
        ]
        old_total = booking.total
        booking.check_in, booking.check_out, booking.rooms = (
            new.check_in,
            new.check_out,
            new.rooms,
        )
        booking.adults, booking.children = new.adults, new.children
        booking.nightly_prices = prices
        booking.total = sum(prices) * new.rooms
        booking.save(
            update_fields=[
                "check_in",
                "check_out",
                "rooms",
                "adults",
                "children",
                "nightly_prices",
                "total",
                "updated_at",
            ]
        )
        booking.assignments.all().delete()  # rooms are assigned again at check-in
        transaction.on_commit(lambda: hints.forget(room_type_id, old.nights))
        events.publish(
            booking.pk,
            BookingEvent.CHANGED,
            old_total=old_total,
            new_total=booking.total,
        )
    return ChangeResult(booking=booking, old_total=old_total, new_total=booking.total)


def booking_cancel(*, booking_id: int, reason: str = "") -> Booking:
    """Cancel a held or confirmed booking, release its rooms and fix the refund owed.

    The refund follows the policy frozen on the booking, at the database's `now()` in
    the hotel's time zone; a hold (nothing paid) refunds nothing.
    Raises NotFound, IllegalTransition or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        ensure_transition(booking, BookingStatus.CANCELLED)
        refund = 0
        if booking.status == BookingStatus.CONFIRMED:
            refund = refund_amount(
                booking.policy,
                total=booking.total,
                check_in=booking.check_in,
                at=now,
                tz=booking.hotel.tz,
            )
        nights = StayRequest(booking.check_in, booking.check_out).nights
        locking.release(booking.room_type_id, nights, booking.rooms)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancellation_reason = reason.strip()[:2000]
        booking.refund_amount = refund
        booking.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancellation_reason",
                "refund_amount",
                "updated_at",
            ]
        )
        room_type_id = booking.room_type_id
        transaction.on_commit(lambda: hints.forget(room_type_id, nights))
        events.publish(booking.pk, BookingEvent.CANCELLED, refund_amount=refund)
    return booking
