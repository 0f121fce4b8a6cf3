"""Reads over inventory: what a hotel has for a stay, room type by room type."""

from dataclasses import dataclass, field
from datetime import date, datetime

from core.errors import Unavailable, ValidationError
from hotels.models import Hotel

from .locking import Night
from .models import Inventory, RatePlan
from .rules import (
    StayRequest,
    check_nights,
    free_rooms,
    validate_request,
    validate_timing,
)

_NIGHT_FIELDS = [
    "id",
    "date",
    "rooms",
    "overbooking",
    "booked",
    "price",
    "stop_sell",
    "min_stay",
    "max_stay",
    "closed_to_arrival",
    "closed_to_departure",
]


@dataclass
class RateAvailability:
    rate_plan: RatePlan
    total: int | None
    nightly: list[int]


@dataclass
class RoomTypeAvailability:
    """One room type for one stay: rooms free for the whole stay, why not, per-plan totals.

    `problem` is the code a hold would be refused with now (None: bookable).
    """

    room_type_id: int
    name: str
    max_occupancy: int
    free: int
    problem: str | None
    rates: list[RateAvailability] = field(default_factory=list)
    nights: list[Night] = field(default_factory=list)


def stay_availability(
    *, hotel: Hotel, stay: StayRequest, now: datetime
) -> list[RoomTypeAvailability]:
    """Return every active room type of `hotel` with an active plan, for `stay`.

    The rules are those a hold applies (inventory.rules), read without locks: a booking
    re-checks under lock. Two queries: the plans with their room types, then the nights.
    Raises ValidationError when the stay's dates are impossible for the hotel (past, too
    far ahead, after today's cut-off).
    """
    validate_timing(stay, hotel, now)
    plans = list(
        RatePlan.objects.filter(
            room_type__hotel=hotel, is_active=True, room_type__is_active=True
        )
        .select_related("room_type")
        .order_by("room_type__base_price", "room_type_id", "price_adjustment_bp", "pk")
    )
    room_types = {plan.room_type_id: plan.room_type for plan in plans}
    rows: dict[int, dict[date, Night]] = {pk: {} for pk in room_types}
    for values in Inventory.objects.filter(
        room_type_id__in=list(room_types),
        date__gte=stay.check_in,
        date__lte=stay.check_out,
    ).values_list("room_type_id", *_NIGHT_FIELDS):
        night = Night(*values[1:])
        rows[values[0]][night.date] = night
    result = []
    for pk, room_type in room_types.items():
        by_date = rows[pk]
        departure = by_date.pop(stay.check_out, None)
        problem = None
        try:
            validate_request(stay, room_type)
            check_nights(stay, by_date, departure)
        except (ValidationError, Unavailable) as error:
            problem = str(error.code)
        complete = all(night in by_date for night in stay.nights)
        result.append(
            RoomTypeAvailability(
                room_type_id=pk,
                name=room_type.name,
                max_occupancy=room_type.max_occupancy,
                free=max(free_rooms(stay, by_date), 0),
                problem=problem,
                nights=[by_date[n] for n in stay.nights if n in by_date],
            )
        )
    by_id = {item.room_type_id: item for item in result}
    for plan in plans:
        item = by_id[plan.room_type_id]
        nightly = [plan.nightly_price(night.price) for night in item.nights]
        complete = len(nightly) == len(stay.nights)
        item.rates.append(
            RateAvailability(
                rate_plan=plan,
                total=sum(nightly) * stay.rooms if complete else None,
                nightly=nightly,
            )
        )
    return result
