"""Writes to inventory that are not part of a booking: opening nights, changing them."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Now

from core.errors import ErrorCode, NotFound, Unavailable, ValidationError
from hotels.models import Hotel, HotelClosure, RoomType

from . import channels, hints, locking
from .models import Inventory


def inventory_open(
    *, room_type: RoomType, start: date, end: date, price: int | None = None
) -> int:
    """Create the missing inventory rows of `room_type` for the nights [start, end).

    Rooms to sell default to the room type's room count, the overbooking units follow its
    allowance, the price defaults to its base price. Existing rows are left untouched.
    Return how many rows were created.
    """
    if end <= start:
        return 0
    rooms = room_type.room_count
    nights = [start + timedelta(days=offset) for offset in range((end - start).days)]
    closed = closed_nights(room_type.hotel_id, nights)
    rows = [
        Inventory(
            room_type=room_type,
            date=night,
            rooms=rooms,
            overbooking=room_type.overbooking_units(rooms),
            price=room_type.base_price if price is None else price,
            closed=night in closed,
        )
        for night in nights
    ]
    with transaction.atomic():
        before = Inventory.objects.filter(
            room_type=room_type, date__gte=start, date__lt=end
        ).count()
        Inventory.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        after = Inventory.objects.filter(
            room_type=room_type, date__gte=start, date__lt=end
        ).count()
    return after - before


@dataclass(frozen=True)
class InventoryChange:
    """Set some fields of a room type's nights in [start, end), on some weekdays.

    A field left None is not changed. `weekdays` are ISO numbers (1 = Monday ... 7 =
    Sunday); None means every day. `max_stay=0` removes the maximum stay. Setting `rooms`
    or `price` opens missing nights (at the room type's defaults for the other field).
    """

    room_type_id: int
    start: date
    end: date
    weekdays: frozenset[int] | None = None
    rooms: int | None = None
    price: int | None = None
    stop_sell: bool | None = None
    min_stay: int | None = None
    max_stay: int | None = None
    closed_to_arrival: bool | None = None
    closed_to_departure: bool | None = None

    def nights(self) -> list[date]:
        days = (self.end - self.start).days
        return [
            night
            for night in (self.start + timedelta(days=i) for i in range(days))
            if self.weekdays is None or night.isoweekday() in self.weekdays
        ]

    def updates(self, room_type: RoomType) -> dict:
        values = {
            name: getattr(self, name)
            for name in (
                "rooms",
                "price",
                "stop_sell",
                "min_stay",
                "closed_to_arrival",
                "closed_to_departure",
            )
            if getattr(self, name) is not None
        }
        if self.rooms is not None:
            values["overbooking"] = room_type.overbooking_units(self.rooms)
        if self.max_stay is not None:
            values["max_stay"] = self.max_stay or None
        return values


MAX_CHANGE_NIGHTS = 400
_SMALLINT_MAX = 32_767
_PRICE_MAX = 2_147_483_647


def _validate_change(change: InventoryChange) -> None:
    def refuse(message: str, **params):
        raise ValidationError(ErrorCode.INVALID_INVENTORY_CHANGE, message, **params)

    if change.end <= change.start:
        refuse("The end date must be after the start date.")
    if (change.end - change.start).days > MAX_CHANGE_NIGHTS:
        refuse(f"Change at most {MAX_CHANGE_NIGHTS} nights at a time.")
    if change.weekdays is not None and (
        not change.weekdays or not change.weekdays <= set(range(1, 8))
    ):
        refuse("Weekdays are numbers from 1 (Monday) to 7 (Sunday).")
    if change.rooms is not None and not 0 <= change.rooms <= _SMALLINT_MAX:
        refuse("Rooms to sell must be between 0 and 32767.", field="rooms")
    if change.price is not None and not 0 <= change.price <= _PRICE_MAX:
        refuse("The price must be a non-negative amount in minor units.", field="price")
    if change.min_stay is not None and not 1 <= change.min_stay <= 365:
        refuse("The minimum stay is between 1 and 365 nights.", field="min_stay")
    if change.max_stay is not None and not 0 <= change.max_stay <= 365:
        refuse("The maximum stay is between 1 and 365 nights (0 removes it).")
    if change.min_stay and change.max_stay and change.max_stay < change.min_stay:
        refuse("The maximum stay cannot be shorter than the minimum stay.")
    if not any(
        value is not None
        for value in (
            change.rooms,
            change.price,
            change.stop_sell,
            change.min_stay,
            change.max_stay,
            change.closed_to_arrival,
            change.closed_to_departure,
        )
    ):
        refuse("Nothing to change: set at least one field.")


def inventory_apply(
    *,
    changes: Sequence[InventoryChange],
    room_types: Iterable[RoomType],
    channel_partner_id: int | None = None,
) -> int:
    """Apply inventory changes to the given room types, all of them or none.

    Rows are locked in the global order (room type, then date). Rooms to sell are never
    set below what is booked: such a request is refused whole, naming each night.
    `room_types` are the types the caller may change (a manager's, a channel's hotels).
    A channel manager's push (`channel_partner_id`) is recorded as what that channel now
    knows of those nights, in the same transaction (inventory.channels).
    Return how many nights were written.
    Raises ValidationError (bad values), NotFound (a room type not in `room_types`),
    Unavailable (BELOW_BOOKED) or Busy.
    """
    allowed = {room_type.pk: room_type for room_type in room_types}
    for change in changes:
        _validate_change(change)
        if change.room_type_id not in allowed:
            raise NotFound(
                ErrorCode.NOT_FOUND, f"No room type {change.room_type_id} to change."
            )
    if not changes:
        raise ValidationError(ErrorCode.INVALID_INVENTORY_CHANGE, "No changes given.")
    by_room_type: dict[int, set[date]] = {}
    for change in changes:
        by_room_type.setdefault(change.room_type_id, set()).update(change.nights())

    written = 0
    zones = dict(
        Hotel.objects.filter(
            pk__in={room_type.hotel_id for room_type in allowed.values()}
        ).values_list("pk", "time_zone")
    )
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        _refuse_past_nights(changes, allowed, zones, now)
        for change in changes:
            if change.rooms is not None or change.price is not None:
                open_nights(allowed[change.room_type_id], change.nights())
        booked = {
            (room_type_id, night): row.booked
            for room_type_id, rows in locking.lock_room_types(by_room_type).items()
            for night, row in rows.items()
        }
        _refuse_below_booked(changes, allowed, booked)
        for change in changes:
            room_type = allowed[change.room_type_id]
            rows = Inventory.objects.filter(
                room_type_id=change.room_type_id,
                date__gte=change.start,
                date__lt=change.end,
            )
            if change.weekdays is not None:
                rows = rows.filter(date__iso_week_day__in=sorted(change.weekdays))
            try:
                with transaction.atomic():
                    written += rows.update(
                        **change.updates(room_type), updated_at=Now()
                    )
            except IntegrityError as error:
                constraint = getattr(
                    getattr(error.__cause__, "diag", None), "constraint_name", ""
                )
                if constraint != "inventory_max_stay_not_below_min":
                    raise
                raise ValidationError(
                    ErrorCode.INVALID_INVENTORY_CHANGE,
                    "The minimum stay would be longer than the maximum stay on some nights.",
                ) from error
        if channel_partner_id is not None:
            channels.channel_record_push(partner_id=channel_partner_id, changes=changes)
        transaction.on_commit(
            lambda: [hints.forget(rt, nights) for rt, nights in by_room_type.items()]
        )
    return written


def _refuse_past_nights(changes, allowed, zones, now) -> None:
    """Refuse a change that starts before today in its hotel's time zone."""
    for change in changes:
        zone = zones[allowed[change.room_type_id].hotel_id]
        today = now.astimezone(ZoneInfo(zone)).date()
        if change.start < today:
            raise ValidationError(
                ErrorCode.INVALID_INVENTORY_CHANGE,
                f"Nights before today ({today.isoformat()}, hotel time) cannot change.",
                field="start",
                today=today.isoformat(),
            )


def closed_nights(hotel_id: int, nights: list[date]) -> set[date]:
    """Return which of `nights` a live closure or deactivation of the hotel covers.

    A night opened later inside a closure is born closed.
    """
    if not nights:
        return set()
    first, last = min(nights), max(nights)
    ranges = HotelClosure.objects.filter(
        Q(end__isnull=True) | Q(end__gte=first),
        hotel_id=hotel_id,
        lifted_at__isnull=True,
        start__lte=last,
    ).values_list("start", "end")
    return {
        night
        for night in nights
        for start, end in ranges
        if start <= night and (end is None or night <= end)
    }


def open_nights(room_type: RoomType, nights: list[date]) -> None:
    """Create the missing rows of `nights` at the room type's defaults (in the caller's
    transaction, before it locks them)."""
    rooms = room_type.room_count
    closed = closed_nights(room_type.hotel_id, nights)
    Inventory.objects.bulk_create(
        [
            Inventory(
                room_type=room_type,
                date=night,
                rooms=rooms,
                overbooking=room_type.overbooking_units(rooms),
                price=room_type.base_price,
                closed=night in closed,
            )
            for night in nights
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def _refuse_below_booked(changes, allowed, booked) -> None:
    refused = []
    for change in changes:
        if change.rooms is None:
            continue
        capacity = change.rooms + allowed[change.room_type_id].overbooking_units(
            change.rooms
        )
        refused += [
            {
                "room_type_id": change.room_type_id,
                "date": str(night),
                "booked": booked[(change.room_type_id, night)],
                "rooms": change.rooms,
            }
            for night in change.nights()
            if booked.get((change.room_type_id, night), 0) > capacity
        ]
    if refused:
        first = refused[0]
        raise Unavailable(
            ErrorCode.BELOW_BOOKED,
            f"Rooms to sell cannot go below what is booked: {len(refused)} night(s) "
            f"refused, e.g. {first['date']} has {first['booked']} booked.",
            nights=refused,
        )
