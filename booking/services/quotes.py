"""Pricing a stay under a rate plan without locking anything."""

from dataclasses import dataclass
from datetime import datetime

from core.clock import db_now
from core.errors import DomainError, Unavailable
from hotels.policies import free_cancellation_until
from inventory.models import Inventory, RatePlan
from inventory.rules import StayRequest, check_nights, validate_request, validate_timing

from .common import load_rate_plan


@dataclass(frozen=True)
class Quote:
    """What a stay under one rate plan costs now, and whether it can be had."""

    rate_plan: RatePlan
    stay: StayRequest
    nightly_prices: list[int]
    total: int
    currency: str
    free_rooms: int
    problem: DomainError | None
    free_cancellation_until: datetime | None
    quoted_at: datetime | None = None  # the database's now() when priced

    @property
    def available(self) -> bool:
        return self.problem is None


def booking_quote(*, rate_plan_id: int, stay: StayRequest) -> Quote:
    """Price a stay and say whether it can be booked, without locking anything.

    Raises ValidationError for a malformed request, NotFound for an unknown plan.
    """
    plan = load_rate_plan(rate_plan_id)
    room_type = plan.room_type
    hotel = room_type.hotel
    validate_request(stay, room_type)
    now = db_now()
    validate_timing(stay, hotel, now)
    rows = {
        row.date: row
        for row in Inventory.objects.filter(
            room_type_id=room_type.pk, date__gte=stay.check_in, date__lte=stay.check_out
        )
    }
    nights = stay.nights
    problem = None
    try:
        check_nights(
            stay, {n: rows[n] for n in nights if n in rows}, rows.get(stay.check_out)
        )
    except Unavailable as error:
        problem = error
    prices = [plan.nightly_price(rows[n].price) for n in nights if n in rows]
    policy = plan.policy_snapshot
    return Quote(
        rate_plan=plan,
        stay=stay,
        nightly_prices=prices,
        total=sum(prices) * stay.rooms if len(prices) == len(nights) else 0,
        currency=hotel.currency,
        free_rooms=min((rows[n].free if n in rows else 0 for n in nights), default=0),
        problem=problem,
        free_cancellation_until=free_cancellation_until(
            policy, check_in=stay.check_in, tz=hotel.tz, at=now
        ),
        quoted_at=now,
    )
