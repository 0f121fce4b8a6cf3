"""A hotel's life: deactivation, reactivation and temporary closures (hotels.HotelClosure).

One mechanism serves all three. A closure is a row of nights (a deactivation has no
last night); `inventory.locking.sync_closed` marks exactly the nights some live closure
covers as `Inventory.closed`, so the hotel's own stop-sell is never touched. Each
service locks the hotel row (one writer per hotel at a time), then the nights in the
global order: a hold that locked them first commits before the list of affected
bookings is read, and one that waits for them reads them closed. Every live booking on
the closed nights gets a `ClosureBooking` row (the managers' checklist) and a booking
event, in the same transaction; its handlers e-mail the guest (with a full-refund
cancellation link) and tell the partner.
"""

from dataclasses import dataclass
from datetime import date

import pghistory
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Now

from core.clock import db_now
from core.errors import ErrorCode, NotFound, ValidationError
from hotels.models import Hotel, HotelClosure
from hotels.scoping import HotelScope
from inventory import locking

from .. import events
from ..events import BookingEvent
from ..models import Booking, BookingStatus, ClosureBooking

# Who may open, close and lift: the rights of the hotel's own admin page.
PERMISSION = "hotels.change_hotel"
MAX_REASON = 500
# A closure is a renovation, not a second deactivation: it ends within this.
MAX_CLOSURE_DAYS = 730


@dataclass(frozen=True)
class ClosureResult:
    closure: HotelClosure
    affected: int  # bookings told (0 when the call changed nothing)


def _authorise(hotel_id: int, by) -> None:
    """Raise NotFound unless `by` may run the hotel: another hotel's staff see nothing."""
    if by is None or not HotelScope(by).has_perm(PERMISSION, hotel_id):
        raise NotFound(ErrorCode.NOT_FOUND, "No such hotel.")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            ErrorCode.INVALID_CLOSURE, "Give a reason: guests read it.", field="reason"
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(
            ErrorCode.INVALID_CLOSURE,
            f"Use at most {MAX_REASON} characters for the reason.",
            field="reason",
        )
    return reason


def _lock_hotel(hotel_id: int) -> tuple[Hotel, date]:
    """Begin a locked section, lock the hotel row; return it and its local today."""
    now = locking.begin_locked_section()
    # NO KEY: a hold's booking insert takes KEY SHARE on its hotel (the foreign key)
    # while it holds its nights; a full lock here would deadlock with it.
    hotel = Hotel.objects.select_for_update(no_key=True).filter(pk=hotel_id).first()
    if hotel is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such hotel.")
    return hotel, now.astimezone(hotel.tz).date()


def _sync(hotel: Hotel, start: date, end: date | None) -> None:
    """Mark the hotel's nights from `start` to `end` closed exactly as live closures say."""
    ranges = HotelClosure.objects.filter(
        hotel=hotel, lifted_at__isnull=True
    ).values_list("start", "end")
    room_types = list(hotel.room_types.values_list("pk", flat=True))
    locking.sync_closed(room_types, start, end, ranges)


def _affected(hotel: Hotel, start: date, end: date | None):
    """Return the live bookings with a night from `start` to `end`, nights locked.

    Held bookings count while their deadline has not passed; a checked-in guest is
    already staying and is the front desk's to look after.
    """
    nights = Q(check_out__gt=start)
    if end is not None:
        nights &= Q(check_in__lte=end)
    return (
        Booking.objects.filter(nights, hotel=hotel)
        .filter(
            Q(status=BookingStatus.CONFIRMED)
            | Q(status=BookingStatus.HELD, held_until__gt=Now())
        )
        .order_by("pk")
    )


def _tell(closure: HotelClosure, event: BookingEvent) -> int:
    """Record the closure's affected bookings and publish `event` for each."""
    bookings = list(
        _affected(closure.hotel, closure.start, closure.end).values_list("pk", "status")
    )
    ClosureBooking.objects.bulk_create(
        [
            ClosureBooking(closure=closure, booking_id=pk, status_then=status)
            for pk, status in bookings
        ],
        ignore_conflicts=True,
    )
    data = _event_data(closure)
    for pk, _ in bookings:
        events.publish(pk, event, **data)
    return len(bookings)


def _event_data(closure: HotelClosure) -> dict:
    return {
        "closure_id": closure.pk,
        "hotel_id": closure.hotel_id,
        "kind": closure.kind,
        "start": closure.start.isoformat(),
        "end": closure.end.isoformat() if closure.end else None,
        "reason": closure.reason,
    }


def _reopened(closure: HotelClosure) -> None:
    """Tell the partners of the closure's bookings still live that it is lifted."""
    live = ClosureBooking.objects.filter(
        closure=closure,
        booking__status__in=[BookingStatus.HELD, BookingStatus.CONFIRMED],
    ).values_list("booking_id", flat=True)
    data = _event_data(closure)
    for booking_id in live:
        events.publish(booking_id, BookingEvent.HOTEL_REOPENED, **data)


def _audited(by, action: str):
    return pghistory.context(user=by.pk, action=action)


def hotel_deactivate(*, hotel: Hotel, by, reason: str) -> ClosureResult:
    """Stop selling the hotel at once and tell every guest with a stay from today on.

    Deactivating an inactive hotel again changes nothing and returns its deactivation.
    Raises NotFound (not `by`'s hotel), ValidationError (no reason) or Busy.
    """
    _authorise(hotel.pk, by)
    reason = _reason(reason)
    with (
        locking.busy_on_contention(),
        transaction.atomic(durable=True),
        _audited(by, "hotel_deactivate"),
    ):
        hotel, today = _lock_hotel(hotel.pk)
        live = HotelClosure.objects.filter(
            hotel=hotel, kind=HotelClosure.Kind.DEACTIVATION, lifted_at__isnull=True
        ).first()
        if live is not None:
            return ClosureResult(closure=live, affected=0)
        hotel.status = Hotel.Status.INACTIVE
        hotel.save(update_fields=["status", "updated_at"])
        closure = HotelClosure.objects.create(
            hotel=hotel,
            kind=HotelClosure.Kind.DEACTIVATION,
            start=today,
            end=None,
            reason=reason,
            created_by=by,
        )
        _sync(hotel, today, None)
        affected = _tell(closure, BookingEvent.HOTEL_DEACTIVATED)
    return ClosureResult(closure=closure, affected=affected)


def hotel_reactivate(*, hotel: Hotel, by) -> HotelClosure | None:
    """Put the hotel back on sale; its deactivation's full-refund links stop working.

    Nights a temporary closure still covers stay closed. Return the lifted
    deactivation (None: the hotel was active). Raises NotFound or Busy.
    """
    _authorise(hotel.pk, by)
    with (
        locking.busy_on_contention(),
        transaction.atomic(durable=True),
        _audited(by, "hotel_reactivate"),
    ):
        hotel, _ = _lock_hotel(hotel.pk)
        closure = (
            HotelClosure.objects.select_for_update()
            .filter(
                hotel=hotel,
                kind=HotelClosure.Kind.DEACTIVATION,
                lifted_at__isnull=True,
            )
            .first()
        )
        hotel.status = Hotel.Status.ACTIVE
        hotel.save(update_fields=["status", "updated_at"])
        if closure is None:
            return None
        _lift(closure, by)
    return closure


def validate_closure(*, today: date, start, end) -> None:
    """Raise ValidationError unless [start, end] are nights a closure may take.

    `today` is the hotel's; the admin form runs this before calling the service.
    """
    if start is None or end is None:
        raise ValidationError(
            ErrorCode.INVALID_CLOSURE, "Give the first and the last night closed."
        )
    if end < start:
        raise ValidationError(
            ErrorCode.INVALID_CLOSURE,
            "The last night closed cannot be before the first.",
            field="end",
        )
    if start < today:
        raise ValidationError(
            ErrorCode.INVALID_CLOSURE,
            f"Nights before today ({today.isoformat()}, hotel time) cannot be closed.",
            field="start",
        )
    if (end - start).days >= MAX_CLOSURE_DAYS:
        raise ValidationError(
            ErrorCode.INVALID_CLOSURE,
            f"A closure lasts under {MAX_CLOSURE_DAYS} nights: deactivate the "
            "hotel instead.",
            field="end",
        )


def hotel_closure_create(
    *, hotel: Hotel, by, start: date, end: date, reason: str
) -> ClosureResult:
    """Take the nights `start` to `end` (both included) off sale and tell their guests.

    Raises NotFound, ValidationError (dates in the wrong order or past, no reason) or
    Busy.
    """
    _authorise(hotel.pk, by)
    reason = _reason(reason)
    with (
        locking.busy_on_contention(),
        transaction.atomic(durable=True),
        _audited(by, "hotel_closure_create"),
    ):
        hotel, today = _lock_hotel(hotel.pk)
        validate_closure(today=today, start=start, end=end)
        closure = HotelClosure.objects.create(
            hotel=hotel,
            kind=HotelClosure.Kind.CLOSURE,
            start=start,
            end=end,
            reason=reason,
            created_by=by,
        )
        _sync(hotel, start, end)
        affected = _tell(closure, BookingEvent.HOTEL_CLOSED)
    return ClosureResult(closure=closure, affected=affected)


def hotel_closure_lift(*, closure_id: int, by) -> HotelClosure:
    """Put a closure's nights back on sale (those no other closure covers).

    Lifting twice is harmless. A deactivation is lifted by hotel_reactivate.
    Raises NotFound (no such closure of `by`'s hotels), ValidationError or Busy.
    """
    hotel_id = (
        HotelClosure.objects.filter(pk=closure_id)
        .values_list("hotel_id", flat=True)
        .first()
    )
    if hotel_id is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such closure.")
    _authorise(hotel_id, by)
    with (
        locking.busy_on_contention(),
        transaction.atomic(durable=True),
        _audited(by, "hotel_closure_lift"),
    ):
        _lock_hotel(hotel_id)
        closure = (
            HotelClosure.objects.select_for_update()
            .select_related("hotel")
            .get(pk=closure_id)
        )
        if closure.kind == HotelClosure.Kind.DEACTIVATION:
            raise ValidationError(
                ErrorCode.INVALID_CLOSURE,
                "Reactivate the hotel to lift its deactivation.",
            )
        if closure.lifted_at is None:
            _lift(closure, by)
    return closure


def _lift(closure: HotelClosure, by) -> None:
    closure.lifted_at = db_now()
    closure.lifted_by = by
    closure.save(update_fields=["lifted_at", "lifted_by"])
    _sync(closure.hotel, closure.start, closure.end)
    _reopened(closure)


def closure_refund_allowed(*, closure_id: int, booking_id: int) -> bool:
    """Return whether `booking` may cancel with a full refund for `closure_id` now.

    Locks the closure row for share (inside the caller's transaction, after the
    booking's), so a reactivation waits for a cancellation in flight and vice versa.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lifted_at IS NULL FROM hotels_hotelclosure WHERE id = %s FOR SHARE",
            [closure_id],
        )
        row = cursor.fetchone()
    if row is None or not row[0]:
        return False
    return ClosureBooking.objects.filter(
        closure_id=closure_id, booking_id=booking_id
    ).exists()
