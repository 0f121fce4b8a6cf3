"""Changing and cancelling a booking before the stay (invariants 3 and 5)."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from core.clock import db_now
from core.errors import (
    DomainError,
    ErrorCode,
    IllegalTransition,
    NotFound,
    Unavailable,
    ValidationError,
)
from hotels.policies import refund_amount
from inventory import hints, locking
from inventory.models import Inventory
from inventory.rules import StayRequest, check_nights, validate_request, validate_timing

from .. import caps as hold_caps
from .. import events
from ..events import BookingEvent
from ..models import Booking, BookingChange, BookingStatus
from ..states import ensure_changeable, ensure_transition
from .closures import closure_refund_allowed
from .common import lock_booking


@dataclass(frozen=True)
class ChangeResult:
    booking: Booking
    old_total: int
    new_total: int
    change: BookingChange | None = None

    @property
    def difference(self) -> int:
        """Minor units the guest owes (positive) or is owed (negative)."""
        return self.new_total - self.old_total


@dataclass(frozen=True)
class ChangeQuote:
    """What a change of a booking would cost now, and whether it can be had."""

    booking: Booking
    stay: StayRequest
    nightly_prices: list[int]
    old_total: int
    new_total: int
    problem: DomainError | None

    @property
    def available(self) -> bool:
        return self.problem is None

    @property
    def difference(self) -> int:
        """Minor units the guest would owe (positive) or be owed (negative)."""
        return self.new_total - self.old_total


def _stays(
    booking: Booking, check_in, check_out, rooms, adults, children
) -> tuple[StayRequest, StayRequest]:
    """Return the booking's stay and the stay asked for (unset parts kept)."""
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
    return old, new


def _changed_prices(booking: Booking, new: StayRequest, rows: Mapping) -> list[int]:
    """Price one room per night of `new`: kept nights at their price, new ones today's."""
    old_nights = StayRequest(booking.check_in, booking.check_out).nights
    kept = dict(zip(old_nights, booking.nightly_prices, strict=True))
    plan = booking.rate_plan
    return [
        kept[night] if night in kept else plan.nightly_price(rows[night].price)
        for night in new.nights
    ]


def booking_change_quote(
    *,
    booking_id: int,
    check_in: date | None = None,
    check_out: date | None = None,
    rooms: int | None = None,
    adults: int | None = None,
    children: int | None = None,
) -> ChangeQuote:
    """Price a change as booking_change would make it, without locking anything.

    For showing the new price and the difference before the guest confirms; the
    change itself re-checks everything under lock.
    Raises NotFound, IllegalTransition or ValidationError (as booking_change).
    """
    booking = (
        Booking.objects.select_related("hotel", "room_type", "rate_plan")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such booking.")
    now = db_now()
    ensure_changeable(booking)
    if booking.status == BookingStatus.HELD and booking.held_until <= now:
        raise IllegalTransition(
            ErrorCode.HOLD_EXPIRED, "The hold on these rooms has expired."
        )
    old, new = _stays(booking, check_in, check_out, rooms, adults, children)
    validate_request(new, booking.room_type)
    validate_timing(new, booking.hotel, now)
    rows = {
        row.date: row
        for row in Inventory.objects.filter(
            room_type_id=booking.room_type_id,
            date__in=sorted({*old.nights, *new.nights, new.check_out}),
        )
    }
    problem = None
    try:
        check_nights(
            new,
            {n: rows[n] for n in new.nights if n in rows},
            rows.get(new.check_out),
            already_held=dict.fromkeys(old.nights, old.rooms),
        )
    except Unavailable as error:
        problem = error
    old_nights = set(old.nights)
    if all(n in rows or n in old_nights for n in new.nights):
        prices = _changed_prices(booking, new, rows)
    else:
        prices = []
    return ChangeQuote(
        booking=booking,
        stay=new,
        nightly_prices=prices,
        old_total=booking.total,
        new_total=sum(prices) * new.rooms if prices else 0,
        problem=problem,
    )


def booking_change(
    *,
    booking_id: int,
    check_in: date | None = None,
    check_out: date | None = None,
    rooms: int | None = None,
    adults: int | None = None,
    children: int | None = None,
    expected_total: int | None = None,
) -> ChangeResult:
    """Move a booking to new dates, rooms or guests, atomically.

    The old nights are released and the new ones taken in one transaction; nights the
    booking keeps keep their price, new nights are priced at today's rate. With
    `expected_total` (the price the guest was shown), a different new total refuses the
    change with PRICE_CHANGED.
    Raises NotFound, IllegalTransition, ValidationError, Unavailable, LimitReached (a
    live hold growing past its caps) or Busy; on any error the booking and the
    inventory are unchanged.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        ensure_changeable(booking)
        if booking.status == BookingStatus.HELD and booking.held_until <= now:
            raise IllegalTransition(
                ErrorCode.HOLD_EXPIRED, "The hold on these rooms has expired."
            )
        old, new = _stays(booking, check_in, check_out, rooms, adults, children)
        validate_request(new, booking.room_type)
        validate_timing(new, booking.hotel, now)

        room_type_id = booking.room_type_id
        rows, departure = locking.lock_nights(
            room_type_id, old.nights + new.nights, new.check_out
        )
        check_nights(
            new, rows, departure, already_held=dict.fromkeys(old.nights, old.rooms)
        )
        if booking.status == BookingStatus.HELD:
            # A live hold that grows stays within its caps (its tallies: after the
            # nights, as a hold locks them); the trigger counts the change at COMMIT.
            hold_caps.check_growth(
                booking.hold_actors,
                new.rooms * len(new.nights) - old.rooms * len(old.nights),
            )
        prices = _changed_prices(booking, new, rows)
        if expected_total is not None and sum(prices) * new.rooms != expected_total:
            raise ValidationError(
                ErrorCode.PRICE_CHANGED,
                "The price of the new stay has changed since it was shown.",
                new_total=sum(prices) * new.rooms,
            )
        locking.release(room_type_id, old.nights, old.rooms)
        locking.take([rows[night] for night in new.nights], new.rooms)

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
        change = BookingChange.objects.create(
            booking=booking,
            old_check_in=old.check_in,
            old_check_out=old.check_out,
            old_rooms=old.rooms,
            new_check_in=new.check_in,
            new_check_out=new.check_out,
            new_rooms=new.rooms,
            old_total=old_total,
            new_total=booking.total,
            refund_amount=change_refund(booking, old_total, old.check_in, now),
            created_at=now,
        )
        transaction.on_commit(lambda: hints.forget(room_type_id, old.nights))
        events.publish(
            booking.pk,
            BookingEvent.CHANGED,
            old_total=old_total,
            new_total=booking.total,
            change_id=change.pk,
        )
    return ChangeResult(
        booking=booking, old_total=old_total, new_total=booking.total, change=change
    )


def change_refund(booking: Booking, old_total: int, check_in: date, at) -> int:
    """Return what a confirmed stay that got cheaper gives back, by its frozen policy.

    The nights (or rooms) given up are refunded as cancelling them at `at` would refund
    them, counted from the check-in the guest had booked (hotel time). A hold has paid
    nothing and gets nothing back; a dearer stay is paid at the hotel.
    """
    if booking.status != BookingStatus.CONFIRMED or booking.total >= old_total:
        return 0
    return refund_amount(
        booking.policy,
        total=old_total - booking.total,
        check_in=check_in,
        at=at,
        tz=booking.hotel.tz,
    )


def booking_cancel(
    *, booking_id: int, reason: str = "", closure_id: int | None = None
) -> Booking:
    """Cancel a held or confirmed booking, release its rooms and fix the refund owed.

    The refund follows the policy frozen on the booking, at the database's `now()` in
    the hotel's time zone; a hold (nothing paid) refunds nothing. With `closure_id`,
    a hotel closure the booking is listed in (booking.services.closures), the whole
    total is owed instead, while that closure is live.
    Raises NotFound, IllegalTransition (CLOSURE_LIFTED: the closure no longer gives a
    full refund) or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        ensure_transition(booking, BookingStatus.CANCELLED)
        refund = 0
        if closure_id is not None:
            if not closure_refund_allowed(closure_id=closure_id, booking_id=booking_id):
                raise IllegalTransition(
                    ErrorCode.CLOSURE_LIFTED,
                    "The hotel has reopened these nights: this link no longer "
                    "cancels with a full refund.",
                )
            if booking.status == BookingStatus.CONFIRMED:
                refund = booking.total
        elif booking.status == BookingStatus.CONFIRMED:
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
