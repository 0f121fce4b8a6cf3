"""Physical rooms and their housekeeping: rooms to sell while a room is out of order.

Every write to a room goes through here (the housekeeping board, the admin's room
pages), because a room's status moves inventory: out of order takes one room to sell
off each of its nights, back in order (or deleting the room) gives them back, and a
room out of order cannot move to another room type, whose nights it never took.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from core.errors import Busy, ErrorCode, NotFound, ValidationError
from hotels.models import HotelMembership, Room, RoomType

from . import hints, locking
from .locking import Night

MAX_OUT_OF_ORDER_NIGHTS = 365
OUT_OF_ORDER = Room.Housekeeping.OUT_OF_ORDER


@dataclass(frozen=True)
class HousekeepingResult:
    room: Room
    # Nights whose rooms to sell changed (fewer when going out of order, more back).
    nights_changed: list[date]
    # Nights still sold beyond the rooms left: a guest there needs another room.
    nights_overbooked: list[date]


def _refuse(message: str, field: str) -> ValidationError:
    return ValidationError(ErrorCode.INVALID_INVENTORY_CHANGE, message, field=field)


def housekeeping_check(
    *, status: str, out_of_order_until: date | None, today: date
) -> None:
    """Raise ValidationError unless `status` may be set on `today` (hotel time).

    Out of order needs its last night, from today and less than a year away. The
    services check this under their lock; forms call it first to show the error.
    """
    if status not in Room.Housekeeping.values:
        raise _refuse("Pick a housekeeping status.", "status")
    if status != OUT_OF_ORDER:
        return
    if out_of_order_until is None or out_of_order_until < today:
        raise _refuse(
            "Say until which night (today or later) the room is out of order.", "until"
        )
    if (out_of_order_until - today).days >= MAX_OUT_OF_ORDER_NIGHTS:
        raise _refuse(
            f"A room is out of order for at most {MAX_OUT_OF_ORDER_NIGHTS} nights "
            "at a time.",
            "until",
        )


def room_change_check(
    *,
    room: Room,
    room_type: RoomType,
    status: str,
    out_of_order_until: date | None,
    today: date,
) -> None:
    """Raise ValidationError unless `room` may become `status` in `room_type` today.

    The room's nights off sale belong to its room type: one out of order (before or
    after the change) stays in it. Forms call this first; room_update checks it again.
    """
    if room_type.hotel_id != room.hotel_id:
        raise _refuse("Pick a room type of the room's own hotel.", "room_type")
    moving = room_type.pk != room.room_type_id
    if moving and OUT_OF_ORDER in (room.housekeeping_status, status):
        raise _refuse(
            "Put the room back in order before moving it to another room type.",
            "room_type",
        )
    if (status, out_of_order_until) != (
        room.housekeeping_status,
        room.out_of_order_until,
    ):
        housekeeping_check(
            status=status, out_of_order_until=out_of_order_until, today=today
        )


def _room(room_id: int) -> Room:
    room = Room.objects.select_related("room_type", "hotel").filter(pk=room_id).first()
    if room is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such room.")
    return room


def room_set_housekeeping(
    *, room_id: int, status: str, out_of_order_until: date | None = None
) -> HousekeepingResult:
    """Set a room's housekeeping status; out of order takes it off sale until a date.

    Going out of order until `out_of_order_until` (the last night out, hotel time)
    takes one room to sell off each night from today that can spare it; a night whose
    bookings already need every room keeps its rooms and is reported as overbooked, so
    the hotel can move a guest: bookings are never undone here. Back in order gives
    the room back on the nights it was taken from.
    Raises NotFound, ValidationError (bad status or date) or Busy.
    """
    room = _room(room_id)
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        return _set_housekeeping(room, status, out_of_order_until, now)


def room_create(
    *,
    room_type_id: int,
    number: str,
    floor: int = 1,
    features: str = "",
    status: str = Room.Housekeeping.CLEAN,
    out_of_order_until: date | None = None,
) -> HousekeepingResult:
    """Add a physical room to a room type (and its hotel); out of order takes it off
    sale at once.

    Raises NotFound, ValidationError (a number the hotel has, a bad status or date) or
    Busy.
    """
    room_type = RoomType.objects.select_related("hotel").filter(pk=room_type_id).first()
    if room_type is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such room type.")
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        today = now.astimezone(room_type.hotel.tz).date()
        housekeeping_check(
            status=status, out_of_order_until=out_of_order_until, today=today
        )
        with _number_unique():
            room = Room.objects.create(
                hotel=room_type.hotel,
                room_type=room_type,
                number=number,
                floor=floor,
                features=features,
            )
        return _set_housekeeping(room, status, out_of_order_until, now)


def room_update(
    *,
    room_id: int,
    room_type_id: int,
    number: str,
    floor: int,
    features: str,
    status: str,
    out_of_order_until: date | None = None,
) -> HousekeepingResult:
    """Change a room: its number, floor, features, room type and housekeeping status,
    all in one transaction (see room_set_housekeeping for what the status moves).

    Raises NotFound, ValidationError (room_change_check, a number the hotel has) or
    Busy.
    """
    room = _room(room_id)
    room_type = RoomType.objects.select_related("hotel").filter(pk=room_type_id).first()
    if room_type is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such room type.")
    if status != OUT_OF_ORDER:
        out_of_order_until = None
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        room_change_check(
            room=room,
            room_type=room_type,
            status=status,
            out_of_order_until=out_of_order_until,
            today=now.astimezone(room.hotel.tz).date(),
        )
        if (status, out_of_order_until) != (
            room.housekeeping_status,
            room.out_of_order_until,
        ):
            result = _set_housekeeping(room, status, out_of_order_until, now)
        else:
            result = HousekeepingResult(_lock_unchanged(room), [], [])
        room = result.room
        room.room_type = room_type
        room.number, room.floor, room.features = number, floor, features
        with _number_unique():
            room.save(update_fields=["room_type", "number", "floor", "features"])
    return result


def room_delete(*, room_id: int) -> list[date]:
    """Remove a room; if it is out of order, give its nights back first.

    Return the nights given back. Raises NotFound, ValidationError (stays were
    assigned to the room: it is kept for their record) or Busy.
    """
    room = _room(room_id)
    try:
        with locking.busy_on_contention(), transaction.atomic(durable=True):
            now = locking.begin_locked_section()
            given_back = []
            if room.housekeeping_status == OUT_OF_ORDER:
                result = _set_housekeeping(room, Room.Housekeeping.CLEAN, None, now)
                room, given_back = result.room, result.nights_changed
            else:
                room = _lock_unchanged(room)
            room.delete()
    except ProtectedError as error:
        raise ValidationError(
            ErrorCode.INVALID_INVENTORY_CHANGE,
            f"Room {room.number} has served stays, so it stays on record: mark it out "
            "of order instead.",
        ) from error
    return given_back


@contextmanager
def _number_unique() -> Iterator[None]:
    """Turn the hotel's unique room number constraint into a ValidationError."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        diag = getattr(error.__cause__, "diag", None)
        if getattr(diag, "constraint_name", "") != "room_number_unique_per_hotel":
            raise
        raise _refuse("This hotel has a room with this number.", "number") from error


def _lock_unchanged(room: Room) -> Room:
    """Lock the room's row and make sure nobody changed its status since it was read."""
    locked = Room.objects.select_for_update().get(pk=room.pk)
    if (locked.housekeeping_status, locked.out_of_order_nights) != (
        room.housekeeping_status,
        room.out_of_order_nights,
    ):
        # Someone changed the room meanwhile: what was given or taken is stale.
        raise Busy(
            ErrorCode.BUSY, "This room was just changed by someone else. Try again."
        )
    locked.room_type, locked.hotel = room.room_type, room.hotel
    return locked


def _set_housekeeping(
    room: Room, status: str, out_of_order_until: date | None, now: datetime
) -> HousekeepingResult:
    """Set the status of `room` (as read before the transaction) under the lock."""
    today = now.astimezone(room.hotel.tz).date()
    housekeeping_check(
        status=status, out_of_order_until=out_of_order_until, today=today
    )
    going_out = status == OUT_OF_ORDER
    # Inventory rows first, then the room row: the order booking_check_out uses.
    was_out = room.housekeeping_status == OUT_OF_ORDER
    give_back = (
        sorted({n for n in room.out_of_order_nights if n >= today}) if was_out else []
    )
    take = (
        [
            today + timedelta(days=i)
            for i in range((out_of_order_until - today).days + 1)
        ]
        if going_out
        else []
    )
    # One lock over both sets of nights, in date order: a second lock for the
    # nights taken would break the global order and could deadlock with a hold.
    by_room_type = locking.lock_room_types({room.room_type_id: give_back + take})
    rows = by_room_type.get(room.room_type_id, {})
    rooms = {night: row.rooms for night, row in rows.items()}
    changed, overbooked = [], []
    if give_back:
        changed, _ = _shift_rooms(room.room_type, rows, rooms, give_back, delta=1)
    if take:
        changed, overbooked = _shift_rooms(room.room_type, rows, rooms, take, delta=-1)
    room = _lock_unchanged(room)
    room.housekeeping_status = status
    room.out_of_order_until = out_of_order_until if going_out else None
    room.out_of_order_nights = changed if going_out else []
    room.save(
        update_fields=[
            "housekeeping_status",
            "out_of_order_until",
            "out_of_order_nights",
        ]
    )
    return HousekeepingResult(
        room=room, nights_changed=changed, nights_overbooked=overbooked
    )


_ADJUST_ROOMS_SQL = """
UPDATE inventory_inventory
SET rooms = rooms + %(delta)s,
    overbooking = (rooms + %(delta)s) * %(percent)s / 100,
    updated_at = now()
WHERE room_type_id = %(room_type)s AND date = ANY(%(nights)s)
"""


def _shift_rooms(
    room_type: RoomType,
    rows: dict[date, Night],
    rooms: dict[date, int],
    nights: list[date],
    delta: int,
) -> tuple[list[date], list[date]]:
    """Add `delta` rooms to sell on each locked night (in date order) that can take it.

    A night is skipped when it has no row, or when the change would leave fewer rooms
    (plus overbooking) than are booked there. `rooms` holds the rooms to sell as this
    transaction has left them, and is updated, so that a later shift sees this one.
    Return (nights changed, nights refused because of bookings).
    """
    changed, refused = [], []
    for night in nights:
        if night not in rows:
            continue
        new_rooms = rooms[night] + delta
        capacity = new_rooms + room_type.overbooking_units(max(new_rooms, 0))
        if new_rooms < 0 or capacity < rows[night].booked:
            refused.append(night)
        else:
            changed.append(night)
            rooms[night] = new_rooms
    if changed:
        with connection.cursor() as cursor:
            cursor.execute(
                _ADJUST_ROOMS_SQL,
                {
                    "delta": delta,
                    "percent": room_type.overbooking_percent,
                    "room_type": room_type.pk,
                    "nights": changed,
                },
            )
        transaction.on_commit(lambda: hints.forget(room_type.pk, changed))
    return changed, refused


def rooms_assign_housekeeper(
    *, hotel_id: int, room_ids: list[int], user_id: int | None
) -> list[Room]:
    """Give rooms of one hotel to a housekeeper (a staff member of that hotel), or to
    nobody with `user_id` None. All the rooms or none; the rooms are locked in id
    order, the order every room write takes.

    Raises ValidationError (no rooms, a room of another hotel, someone who does not
    work at the hotel).
    """
    ids = sorted(set(room_ids))
    if not ids:
        raise _refuse("Pick at least one room.", "rooms")
    with transaction.atomic(durable=True):
        if user_id is not None and not (
            HotelMembership.objects.filter(hotel_id=hotel_id, user_id=user_id)
            .filter(user__is_active=True)
            .exists()
        ):
            raise _refuse("Pick someone who works at this hotel.", "housekeeper")
        rooms = list(
            Room.objects.select_for_update()
            .filter(pk__in=ids, hotel_id=hotel_id)
            .order_by("pk")
        )
        if len(rooms) != len(ids):
            raise _refuse("Pick rooms of this hotel.", "rooms")
        changed = [room for room in rooms if room.housekeeper_id != user_id]
        for room in changed:
            room.housekeeper_id = user_id
        Room.objects.bulk_update(changed, ["housekeeper"])
    return rooms
