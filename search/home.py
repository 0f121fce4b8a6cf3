"""The home page's read model: active hotels by city, with a photo and a "from" price."""

from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    F,
    Func,
    Min,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce

from hotels.models import Hotel, HotelPhoto
from inventory.models import Inventory

from .models import PlaceAlias

FROM_PRICE_DAYS = 30


class HotelLocalDate(Func):
    """The database's current date in the time zone named by the expression, plus `days`."""

    template = "((now() AT TIME ZONE %(expressions)s)::date + %(days)s)"
    output_field = DateField()

    def __init__(self, time_zone, days: int = 0):
        super().__init__(time_zone, days=int(days))


def hotels_for_home(language: str = ""):
    """Return the active hotels by city, each with `from_price`, `cover_image` and
    `place_name`, the city as readers of `language` know it (台北 for Taipei).

    `from_price` is the lowest nightly price a guest can pay, in minor units, over the
    hotel's next FROM_PRICE_DAYS nights (hotel-local dates) that still have a room, under any
    active rate plan; None when nothing is for sale. One query for all hotels.
    """
    plan_price = (
        Cast(F("price"), BigIntegerField())
        * (10_000 + F("room_type__rate_plans__price_adjustment_bp"))
        + 5_000
    ) / 10_000  # core.money.apply_basis_points, in SQL
    cheapest_night = (
        Inventory.objects.filter(
            room_type__hotel=OuterRef("pk"),
            room_type__is_active=True,
            room_type__rate_plans__is_active=True,
            stop_sell=False,
            closed=False,
            booked__lt=F("rooms") + F("overbooking"),
            date__gte=HotelLocalDate(OuterRef("time_zone")),
            date__lt=HotelLocalDate(OuterRef("time_zone"), days=FROM_PRICE_DAYS),
        )
        .values("room_type__hotel")
        .annotate(lowest=Min(plan_price))
        .values("lowest")
    )
    # The hotel's city by the name readers of `language` know it (search.PlaceAlias).
    # A blank language marks a searched-only spelling, never a name to show.
    local_name = PlaceAlias.objects.filter(
        language=language.lower() or None,
        place__country=OuterRef("country"),
        place__name__iexact=OuterRef("city"),
    ).order_by("pk")
    cover = HotelPhoto.objects.filter(
        hotel=OuterRef("pk"), room_type__isnull=True
    ).order_by("position", "pk")
    return (
        Hotel.objects.filter(status=Hotel.Status.ACTIVE)
        .annotate(
            from_price=Subquery(cheapest_night, output_field=BigIntegerField()),
            cover_image=Subquery(cover.values("image")[:1]),
            place_name=Coalesce(
                Subquery(local_name.values("name")[:1]),
                F("city"),
                output_field=CharField(),
            ),
        )
        .order_by("city", "name")
    )
