"""The rules a stay must satisfy: one implementation for quotes, holds and changes."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings

from core.errors import ErrorCode, Unavailable, ValidationError
from hotels.models import Hotel, RoomType

from .locking import Night


@dataclass(frozen=True, slots=True)
class StayRequest:
    check_in: date
    check_out: date
    rooms: int = 1
    adults: int = 1
    children: int = 0

    @property
    def nights(self) -> list[date]:
        return [
            self.check_in + timedelta(days=i)
            for i in range((self.check_out - self.check_in).days)
        ]


def validate_request(stay: StayRequest, room_type: RoomType) -> None:
    """Refuse a stay that no inventory could satisfy: bad dates, rooms or guests.

    Raises ValidationError.
    """
    validate_stay(stay)
    capacity = room_type.max_occupancy * stay.rooms
    if stay.adults + stay.children > capacity:
        raise ValidationError(
            ErrorCode.TOO_MANY_GUESTS,
            f"{stay.rooms} × {room_type.name} sleeps at most {capacity} guests.",
            capacity=capacity,
        )


def validate_stay(stay: StayRequest) -> None:
    """Refuse bad dates, stay length, rooms or guests, whatever the room type.

    The search uses it before any room type is known. Raises ValidationError.
    """
    if not isinstance(stay.check_in, date) or not isinstance(stay.check_out, date):
        raise ValidationError(
            ErrorCode.INVALID_DATES, "Check-in and check-out must be dates."
        )
    if stay.check_out <= stay.check_in:
        raise ValidationError(
            ErrorCode.INVALID_DATES, "Check-out must be after check-in."
        )
    length = (stay.check_out - stay.check_in).days
    if length > settings.BOOKING_MAX_NIGHTS:
        raise ValidationError(
            ErrorCode.STAY_TOO_LONG,
            f"A stay can be at most {settings.BOOKING_MAX_NIGHTS} nights.",
            max_nights=settings.BOOKING_MAX_NIGHTS,
        )
    if not 1 <= stay.rooms <= settings.BOOKING_MAX_ROOMS:
        raise ValidationError(
            ErrorCode.INVALID_ROOMS,
            f"Book between 1 and {settings.BOOKING_MAX_ROOMS} rooms.",
            max_rooms=settings.BOOKING_MAX_ROOMS,
        )
    if stay.adults < 1 or stay.children < 0:
        raise ValidationError(ErrorCode.INVALID_GUESTS, "At least one adult must stay.")
    if stay.adults < stay.rooms:
        raise ValidationError(
            ErrorCode.INVALID_GUESTS, "Each room needs at least one adult."
        )


def cutoff_passed(local_now: datetime, cutoff: time) -> bool:
    """Return whether today's cut-off has come, by the hotel's wall clock (`local_now`).

    In the hour a clock goes back the wall clock shows the same times twice; a cut-off
    inside that hour came on the first pass, so the second pass (fold 1) is past it too.
    """
    if local_now.time() >= cutoff:
        return True
    if local_now.fold:
        first = datetime.combine(local_now.date(), cutoff, tzinfo=local_now.tzinfo)
        return first.astimezone(UTC) <= local_now.astimezone(UTC)
    return False


def validate_timing(stay: StayRequest, hotel: Hotel, now: datetime) -> None:
    """Refuse arrivals in the past, after today's cut-off or too far ahead (hotel time).

    Raises ValidationError.
    """
    local_now = now.astimezone(hotel.tz)
    today = local_now.date()
    if stay.check_in < today:
        raise ValidationError(
            ErrorCode.PAST_DATE, "Check-in cannot be in the past.", today=today
        )
    if stay.check_in == today and cutoff_passed(local_now, hotel.same_day_cutoff):
        raise ValidationError(
            ErrorCode.SAME_DAY_CUTOFF,
            f"Arrivals for today are sold until {hotel.same_day_cutoff:%H:%M} hotel time.",
            cutoff=hotel.same_day_cutoff.isoformat("minutes"),
        )
    if stay.check_in > today + timedelta(days=settings.BOOKING_MAX_DAYS_AHEAD):
        raise ValidationError(
            ErrorCode.TOO_FAR_AHEAD, "These dates are not on sale yet."
        )


def check_nights(
    stay: StayRequest,
    rows: Mapping[date, Night],
    departure: Night | None,
    *,
    already_held: Mapping[date, int] | None = None,
) -> None:
    """Check a stay against its nights' rows: restrictions first, then free rooms.

    `already_held` gives, per night, the rooms the booking being changed holds already;
    they count as free for it, and stop-sell does not take back what it holds.
    Raises Unavailable with the failing nights.
    """
    held = already_held or {}
    nights = stay.nights
    missing = [night for night in nights if night not in rows]
    if missing:
        raise Unavailable(
            ErrorCode.NO_INVENTORY,
            "These dates are not on sale.",
            nights=[str(n) for n in missing],
        )
    closed = [n for n in nights if rows[n].closed and held.get(n, 0) < stay.rooms]
    if closed:
        raise Unavailable(
            ErrorCode.HOTEL_CLOSED,
            "The hotel is closed on some of these nights.",
            nights=[str(n) for n in closed],
        )
    arrival = rows[stay.check_in]
    length = len(nights)
    if arrival.closed_to_arrival and not held.get(stay.check_in):
        raise Unavailable(
            ErrorCode.CLOSED_TO_ARRIVAL,
            f"No arrivals on {stay.check_in:%d %b %Y}.",
            nights=[str(stay.check_in)],
        )
    if departure is not None and departure.closed_to_departure:
        raise Unavailable(
            ErrorCode.CLOSED_TO_DEPARTURE,
            f"No departures on {stay.check_out:%d %b %Y}.",
            nights=[str(stay.check_out)],
        )
    if length < arrival.min_stay:
        raise Unavailable(
            ErrorCode.MIN_STAY,
            f"Stays arriving on {stay.check_in:%d %b %Y} are at least {arrival.min_stay} nights.",
            min_stay=arrival.min_stay,
        )
    if arrival.max_stay is not None and length > arrival.max_stay:
        raise Unavailable(
            ErrorCode.MAX_STAY,
            f"Stays arriving on {stay.check_in:%d %b %Y} are at most {arrival.max_stay} nights.",
            max_stay=arrival.max_stay,
        )
    stopped = [n for n in nights if rows[n].stop_sell and held.get(n, 0) < stay.rooms]
    if stopped:
        raise Unavailable(
            ErrorCode.STOP_SELL,
            "Some of these nights are not on sale.",
            nights=[str(n) for n in stopped],
        )
    short = {
        n: rows[n].free + held.get(n, 0)
        for n in nights
        if rows[n].free + held.get(n, 0) < stay.rooms
    }
    if short:
        raise Unavailable(
            ErrorCode.SOLD_OUT,
            "Sold out: not enough rooms left for these dates.",
            nights=[str(n) for n in sorted(short)],
            free={str(n): max(free, 0) for n, free in short.items()},
        )


def free_rooms(stay: StayRequest, rows: Mapping[date, Night]) -> int:
    """Return the rooms free for the whole stay (0 when a night has no row)."""
    return min((rows[n].free if n in rows else 0 for n in stay.nights), default=0)
