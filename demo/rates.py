"""Demo rate plans, and nights of inventory priced by season, weekday and event."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Cast, Round

from core.money import minor_exponent
from demo.loader import CitySpec, HotelSpec
from demo.rows import upsert
from demo.translations import rate_plan_columns
from hotels.models import CancellationPolicy, RoomType
from inventory.models import Inventory, RatePlan
from inventory.services import inventory_open

WEEKEND_FACTOR = 1.2  # Friday and Saturday nights


def seed_rate_plans(
    room_type: RoomType,
    spec: HotelSpec,
    policies: dict[str, CancellationPolicy],
    pay_at_hotel: bool,
) -> None:
    """Create or update the flexible, non-refundable and (4 stars up) B&B plans."""
    traditional = spec.style in ("hanok", "ryokan")
    meal = RatePlan.MealPlan.BREAKFAST if traditional else RatePlan.MealPlan.ROOM_ONLY
    plans = [
        ("flexible", "Flexible", meal, policies["flexible"], 0,
         RatePlan.PaymentMode.PAY_AT_HOTEL if pay_at_hotel else RatePlan.PaymentMode.PAY_NOW),
        ("non-refundable", "Non-refundable, pay now", meal, None, -1500,
         RatePlan.PaymentMode.PAY_NOW),
    ]  # fmt: skip
    if "moderate" in policies and not traditional:
        plans.append(
            ("bed-and-breakfast", "Bed & breakfast", RatePlan.MealPlan.BREAKFAST,
             policies["moderate"], 1200, RatePlan.PaymentMode.PAY_NOW)
        )  # fmt: skip
    for code, name, meal_plan, policy, adjustment, payment in plans:
        upsert(
            RatePlan,
            {"room_type": room_type, "code": code},
            {
                "name": name,
                "meal_plan": meal_plan,
                "cancellation_policy": policy,
                "price_adjustment_bp": adjustment,
                "payment_mode": payment,
                **rate_plan_columns(code),
            },
        )


def night_factors(city: CitySpec, start: date, end: date) -> dict[Decimal, list]:
    """Group the nights [start, end) by their price factor: season × weekend × event."""
    events: dict[date, float] = {}
    for year in range(start.year, end.year + 1):
        for event in city.events:
            first = date(year, event.month, event.day)
            for offset in range(event.nights):
                events[first + timedelta(days=offset)] = event.factor
    groups: dict[Decimal, list] = defaultdict(list)
    night = start
    while night < end:
        factor = city.seasons[night.month - 1] * events.get(night, 1.0)
        if night.weekday() in (4, 5):
            factor *= WEEKEND_FACTOR
        groups[Decimal(str(round(factor, 3)))].append(night)
        night += timedelta(days=1)
    return groups


def seed_inventory(
    city: CitySpec, room_types: list[RoomType], start: date, end: date
) -> int:
    """Open the nights [start, end) and price the new ones by season, weekday and event.

    Nights that existed before keep their price; return how many nights were opened.
    """
    nights = (end - start).days
    existing = dict(
        Inventory.objects.filter(
            room_type__in=room_types, date__gte=start, date__lt=end
        )
        .values("room_type")
        .annotate(nights=Count("pk"))
        .values_list("room_type", "nights")
    )
    opened = 0
    new_nights = []
    for room_type in room_types:
        if existing.get(room_type.pk, 0) == nights:
            continue
        before = set(
            Inventory.objects.for_stay(room_type.pk, start, end).values_list(
                "date", flat=True
            )
        )
        opened += inventory_open(room_type=room_type, start=start, end=end)
        new_nights.append(Q(room_type=room_type) & ~Q(date__in=before) if before else
                          Q(room_type=room_type))  # fmt: skip
    if not opened:
        return 0
    step = city.price_step * 10 ** minor_exponent(city.currency)
    factor = Case(
        *[When(date__in=dates, then=Value(f)) for f, dates in night_factors(
            city, start, end).items()],
        default=Value(Decimal(1)),
        output_field=models.DecimalField(max_digits=6, decimal_places=3),
    )  # fmt: skip
    # New nights still carry the base price inventory_open gave them.
    Inventory.objects.filter(
        reduce(or_, new_nights), date__gte=start, date__lt=end
    ).update(
        price=Cast(Round(F("price") * factor / step) * step, models.IntegerField())
    )
    return opened
