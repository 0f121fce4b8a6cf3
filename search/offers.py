"""A hotel's room types and rate plans priced for a stay, in a fixed number of queries.

The same rules as `booking.services.booking_quote` (`inventory.rules`), batched: one
inventory query covers every room type, so a hotel with many room types and plans costs
no more queries than one with a single plan.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Avg, Count, Prefetch, Q

from core.errors import DomainError, Unavailable, ValidationError
from hotels.models import Hotel, HotelPhoto, RoomType
from hotels.policies import RefundStep, free_cancellation_until, refund_schedule
from inventory.models import Inventory, RatePlan
from inventory.rules import StayRequest, check_nights, validate_request, validate_timing
from reviews.models import Review

FEW_ROOMS_LEFT = 3
REVIEW_CATEGORIES = ("cleanliness", "comfort", "location", "service", "value")


@dataclass(frozen=True)
class PlanOffer:
    plan: RatePlan
    nights: list[tuple[date, int]]  # (night, price of one room)
    total: int  # all nights, all rooms
    free_cancellation_until: datetime | None
    refund_steps: list[RefundStep]


@dataclass
class RoomOffer:
    room_type: RoomType
    plans: list[PlanOffer] = field(default_factory=list)
    problem: DomainError | None = None
    rooms_left: int = 0

    @property
    def few_left(self) -> bool:
        return self.problem is None and 0 < self.rooms_left <= FEW_ROOMS_LEFT


def hotel_for_page(slug: str) -> Hotel | None:
    """Return an active hotel with its amenities and photos, or None."""
    return (
        Hotel.objects.filter(slug=slug, status=Hotel.Status.ACTIVE)
        .prefetch_related(
            "amenities",
            Prefetch(
                "photos",
                queryset=HotelPhoto.objects.filter(room_type__isnull=True),
                to_attr="hotel_photos",
            ),
        )
        .first()
    )


def room_types_for_page(hotel: Hotel, *, media: bool = True) -> list[RoomType]:
    """Return the hotel's active room types with plans and policies.

    With `media` (the hotel page) also their amenities and photos; the partner API's
    availability read, called thousands of times in a rush, leaves them out.
    """
    plans = (
        RatePlan.objects.filter(is_active=True)
        .select_related("cancellation_policy")
        .prefetch_related("cancellation_policy__rules")
        .order_by("price_adjustment_bp", "pk")
    )
    return list(
        RoomType.objects.filter(hotel=hotel, is_active=True)
        .prefetch_related(
            Prefetch("rate_plans", queryset=plans, to_attr="active_plans"),
            *(["amenities", "photos"] if media else []),
        )
        .order_by("base_price", "name")
    )


def hotel_offers(
    hotel: Hotel, room_types: list[RoomType], stay: StayRequest, now: datetime
) -> list[RoomOffer]:
    """Price every active plan of every room type for `stay` and say what stops a booking.

    Problems use the booking engine's errors, so the page and a booking agree.
    """
    try:
        validate_timing(stay, hotel, now)
        timing_problem = None
    except ValidationError as error:
        timing_problem = error
    rows: dict[int, dict[date, Inventory]] = defaultdict(dict)
    if room_types and timing_problem is None:
        for row in Inventory.objects.filter(
            room_type__in=[room_type.pk for room_type in room_types],
            date__gte=stay.check_in,
            date__lte=stay.check_out,
        ):
            rows[row.room_type_id][row.date] = row
    offers = []
    nights = stay.nights
    for room_type in room_types:
        offer = RoomOffer(room_type=room_type, problem=timing_problem)
        by_date = rows[room_type.pk]
        stay_rows = {night: by_date[night] for night in nights if night in by_date}
        offer.rooms_left = min(
            (max(row.free, 0) for row in stay_rows.values()), default=0
        )
        if offer.problem is None:
            try:
                validate_request(stay, room_type)
                check_nights(stay, stay_rows, by_date.get(stay.check_out))
            except (ValidationError, Unavailable) as error:
                offer.problem = error
        if len(stay_rows) == len(nights):
            offer.plans = [
                _plan_offer(plan, hotel, stay, stay_rows, now)
                for plan in room_type.active_plans
            ]
        offers.append(offer)
    return offers


def _plan_offer(
    plan: RatePlan, hotel: Hotel, stay: StayRequest, rows, now: datetime
) -> PlanOffer:
    prices = [(night, plan.nightly_price(rows[night].price)) for night in stay.nights]
    policy = plan.cancellation_policy.snapshot() if plan.cancellation_policy else {}
    return PlanOffer(
        plan=plan,
        nights=prices,
        total=sum(price for _, price in prices) * stay.rooms,
        # Only the deadlines still ahead: a stay tomorrow is past a 7-day deadline.
        free_cancellation_until=free_cancellation_until(
            policy, check_in=stay.check_in, tz=hotel.tz, at=now
        ),
        refund_steps=refund_schedule(
            policy, check_in=stay.check_in, tz=hotel.tz, at=now
        ),
    )


def review_summary(hotel: Hotel, limit: int = 10) -> tuple[dict, list[Review]]:
    """Return the averages per category of published reviews and the latest ones."""
    published = Review.objects.filter(hotel=hotel, status=Review.Status.PUBLISHED)
    averages = published.aggregate(
        count=Count("pk"),
        overall=Avg("overall"),
        **{
            name: Avg(name, filter=Q(**{f"{name}__isnull": False}))
            for name in REVIEW_CATEGORIES
        },
    )
    latest = list(published.select_related("booking").order_by("-created_at")[:limit])
    return averages, latest


def cheapest_offer(offers: list[RoomOffer]) -> tuple[RoomOffer, PlanOffer] | None:
    """Return the room type and plan with the lowest total a guest can book, or None."""
    bookable = [
        (plan.total, index, offer, plan)
        for index, offer in enumerate(offers)
        if offer.problem is None
        for plan in offer.plans
    ]
    if not bookable:
        return None
    _, _, offer, plan = min(bookable, key=lambda item: (item[0], item[1]))
    return offer, plan
