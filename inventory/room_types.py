"""A room type's room count and overbooking allowance, and the open nights that follow.

The room count is the default rooms to sell of a night; a night may differ (a room
out of order, rooms held back in the rates calendar or by a channel manager). A new
count moves every open night from today by the same number of rooms, so each keeps
its difference (never below zero), and the overbooking units follow the allowance.
A change that would leave a night with less room than it has booked is refused whole.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from core.clock import db_now
from core.errors import Busy, ErrorCode, NotFound, Unavailable, ValidationError
from hotels.models import RoomType

from . import hints, locking
from .models import Inventory

MAX_ROOM_COUNT = 32_767  # the column's limit
MAX_OVERBOOKING_PERCENT = 25  # the model's CHECK constraint
SHOWN_NIGHTS = 5  # blocking nights named in a refusal


@dataclass(frozen=True, slots=True)
class NightResize:
    """One open night the change moves: (before, after) of its rooms and overbooking."""

    date: date
    booked: int
    rooms: tuple[int, int]
    overbooking: tuple[int, int]

    @property
    def room_for(self) -> int:
        """The rooms the night could hold after the change."""
        return self.rooms[1] + self.overbooking[1]

    @property
    def blocked(self) -> bool:
        return self.room_for < self.booked


@dataclass(frozen=True, slots=True)
class NightRange:
    """Consecutive nights that change alike, for a person to read."""

    first: date
    last: date
    nights: int
    rooms: tuple[int, int]
    overbooking: tuple[int, int]
    most_booked: int


@dataclass(frozen=True)
class ResizePlan:
    """What a new room count and overbooking allowance do to a room type's open nights."""

    room_type_id: int
    room_count: tuple[int, int]
    overbooking_percent: tuple[int, int]
    today: date
    nights: list[NightResize]  # the open nights from today that change, by date

    @property
    def blocked(self) -> list[NightResize]:
        return [night for night in self.nights if night.blocked]

    def ranges(self) -> list[NightRange]:
        """Return the changed nights as runs of consecutive nights that change alike."""
        ranges: list[NightRange] = []
        for night in self.nights:
            last = ranges[-1] if ranges else None
            if (
                last is not None
                and (night.date - last.last).days == 1
                and (last.rooms, last.overbooking) == (night.rooms, night.overbooking)
            ):
                ranges[-1] = NightRange(
                    last.first,
                    night.date,
                    last.nights + 1,
                    last.rooms,
                    last.overbooking,
                    max(last.most_booked, night.booked),
                )
            else:
                ranges.append(
                    NightRange(
                        night.date,
                        night.date,
                        1,
                        night.rooms,
                        night.overbooking,
                        night.booked,
                    )
                )
        return ranges


def plan_resize(
    rows: Iterable,
    *,
    room_type_id: int,
    room_count: tuple[int, int],
    overbooking_percent: tuple[int, int],
    today: date,
) -> ResizePlan:
    """Return what the change does to `rows` (nights with date, rooms, overbooking and
    booked); nights before `today` are left out."""
    delta = room_count[1] - room_count[0]
    changes = []
    for row in sorted(rows, key=lambda row: row.date):
        if row.date < today:
            continue
        rooms = max(row.rooms + delta, 0)
        overbooking = rooms * overbooking_percent[1] // 100
        if (rooms, overbooking) != (row.rooms, row.overbooking):
            changes.append(
                NightResize(
                    row.date,
                    row.booked,
                    (row.rooms, rooms),
                    (row.overbooking, overbooking),
                )
            )
    return ResizePlan(room_type_id, room_count, overbooking_percent, today, changes)


def resize_refusal(plan: ResizePlan) -> Unavailable:
    """Return the refusal of a plan that leaves nights with less room than booked."""
    blocked = plan.blocked
    named = ", ".join(
        f"{night.date:%a %d %b %Y} ({night.booked} booked, room for {night.room_for})"
        for night in blocked[:SHOWN_NIGHTS]
    )
    more = len(blocked) - SHOWN_NIGHTS
    return Unavailable(
        ErrorCode.BELOW_BOOKED,
        f"Rooms to sell cannot go below what is booked: {len(blocked)} night(s) would "
        f"have too little room: {named}"
        + (f" and {more} more" if more > 0 else "")
        + ". Move or cancel bookings on those nights first, or change the room count "
        "by less.",
        nights=[
            {"date": night.date.isoformat(), "booked": night.booked, "room_for": r}
            for night in blocked
            for r in (night.room_for,)
        ],
    )


def _validate(room_count: int, overbooking_percent: int) -> None:
    if not 0 <= room_count <= MAX_ROOM_COUNT:
        raise ValidationError(
            ErrorCode.INVALID_INVENTORY_CHANGE,
            f"The room count is between 0 and {MAX_ROOM_COUNT}.",
            field="room_count",
        )
    if not 0 <= overbooking_percent <= MAX_OVERBOOKING_PERCENT:
        raise ValidationError(
            ErrorCode.INVALID_INVENTORY_CHANGE,
            f"Overbooking is between 0 and {MAX_OVERBOOKING_PERCENT}%.",
            field="overbooking_percent",
        )


def _room_type(room_type_id: int) -> RoomType:
    room_type = RoomType.objects.select_related("hotel").filter(pk=room_type_id).first()
    if room_type is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such room type.")
    return room_type


def room_type_resize_preview(
    *, room_type_id: int, room_count: int, overbooking_percent: int
) -> ResizePlan:
    """Return what room_type_resize would do now, writing and locking nothing.

    Raises NotFound or ValidationError.
    """
    _validate(room_count, overbooking_percent)
    room_type = _room_type(room_type_id)
    today = db_now().astimezone(room_type.hotel.tz).date()
    rows = Inventory.objects.filter(room_type_id=room_type_id, date__gte=today).only(
        "date", "rooms", "overbooking", "booked"
    )
    return plan_resize(
        rows,
        room_type_id=room_type_id,
        room_count=(room_type.room_count, room_count),
        overbooking_percent=(room_type.overbooking_percent, overbooking_percent),
        today=today,
    )


_SET_ROOMS_SQL = """
UPDATE inventory_inventory AS i
SET rooms = v.rooms, overbooking = v.overbooking, updated_at = now()
FROM unnest(%s::date[], %s::int[], %s::int[]) AS v(date, rooms, overbooking)
WHERE i.room_type_id = %s AND i.date = v.date
"""


def room_type_resize(
    *,
    room_type_id: int,
    room_count: int,
    overbooking_percent: int,
    expected: tuple[int, int] | None = None,
) -> ResizePlan:
    """Set a room type's room count and overbooking percent, and move its open nights.

    Every night from today (hotel time) is locked first, in date order (the engine's
    global order, as a hold takes them), then the room type's row; each night moves
    by the change in room count (never below zero) and gets the overbooking units of
    the new percent. `expected` is the (room count, percent) the caller read: if the
    room type changed since, nothing is done. Return what changed.
    Raises NotFound, ValidationError, Unavailable (BELOW_BOOKED, naming the nights
    that would have less room than booked; nothing changes) or Busy.
    """
    _validate(room_count, overbooking_percent)
    room_type = _room_type(room_type_id)
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        today = now.astimezone(room_type.hotel.tz).date()
        rows = locking.lock_room_type_from(room_type_id, today)
        # NO KEY UPDATE: a booking being made for the type (a foreign key check) is
        # not kept waiting by this lock.
        current = (
            RoomType.objects.select_for_update(no_key=True)
            .values_list("room_count", "overbooking_percent")
            .get(pk=room_type_id)
        )
        if expected is not None and tuple(current) != tuple(expected):
            raise Busy(
                ErrorCode.BUSY,
                "This room type was just changed by someone else: look at the "
                "nights it changes again.",
            )
        plan = plan_resize(
            rows.values(),
            room_type_id=room_type_id,
            room_count=(current[0], room_count),
            overbooking_percent=(current[1], overbooking_percent),
            today=today,
        )
        if plan.blocked:
            raise resize_refusal(plan)
        changed = [night.date for night in plan.nights]
        if changed:
            with connection.cursor() as cursor:
                cursor.execute(
                    _SET_ROOMS_SQL,
                    [
                        changed,
                        [night.rooms[1] for night in plan.nights],
                        [night.overbooking[1] for night in plan.nights],
                        room_type_id,
                    ],
                )
            transaction.on_commit(lambda: hints.forget(room_type_id, changed))
        RoomType.objects.filter(pk=room_type_id).update(
            room_count=room_count, overbooking_percent=overbooking_percent
        )
    return plan
