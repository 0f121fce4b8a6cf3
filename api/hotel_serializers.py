"""Partner API representations of hotels, room types and rate plans, and search input."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hotels.models import Hotel, RoomType
from inventory.models import RatePlan


class StayParamsSerializer(serializers.Serializer):
    """A stay asked for in a query string: dates, rooms and guests."""

    check_in = serializers.DateField()
    check_out = serializers.DateField()
    rooms = serializers.IntegerField(
        default=1, min_value=1, max_value=settings.BOOKING_MAX_ROOMS
    )
    adults = serializers.IntegerField(default=1, min_value=1, max_value=100)
    children = serializers.IntegerField(default=0, min_value=0, max_value=100)

    def validate(self, attrs):
        if attrs["check_out"] <= attrs["check_in"]:
            raise serializers.ValidationError(
                {"check_out": "check_out must be after check_in."}
            )
        if (attrs["check_out"] - attrs["check_in"]).days > settings.BOOKING_MAX_NIGHTS:
            raise serializers.ValidationError(
                {
                    "check_out": f"A stay is at most {settings.BOOKING_MAX_NIGHTS} nights."
                }
            )
        if attrs["adults"] < attrs["rooms"]:
            raise serializers.ValidationError(
                {"adults": "Each room needs at least one adult."}
            )
        return attrs


class HotelSearchParamsSerializer(serializers.Serializer):
    """The site's search parameters (search.forms.SearchForm validates them)."""

    check_in = serializers.DateField()
    check_out = serializers.DateField()
    adults = serializers.IntegerField(min_value=1)
    children = serializers.IntegerField(required=False, min_value=0)
    rooms = serializers.IntegerField(min_value=1, max_value=settings.BOOKING_MAX_ROOMS)
    place = serializers.CharField(
        required=False, max_length=100, help_text="City or hotel name (typos allowed)."
    )
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)
    radius = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=settings.SEARCH_MAX_RADIUS_KM,
        help_text="Kilometres around lat/lng (default 5).",
    )
    min_price = serializers.DecimalField(
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="Per room and night, major units of each hotel's currency.",
    )
    max_price = serializers.DecimalField(
        required=False, min_value=0, max_digits=12, decimal_places=2
    )
    stars = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=5),
        required=False,
        help_text="Repeat for several: stars=4&stars=5.",
    )
    amenities = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        help_text="Amenity codes the hotel must all have: amenities=wifi&amenities=spa.",
    )
    min_rating = serializers.ChoiceField(choices=["6", "7", "8", "9"], required=False)
    free_cancellation = serializers.BooleanField(required=False)
    sort = serializers.ChoiceField(
        choices=["price", "rating", "distance"], required=False
    )
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=50, default=20
    )


class HotelResultSerializer(serializers.Serializer):
    """A hotel that can take the whole stay, with its cheapest offer."""

    id = serializers.IntegerField(source="hotel_id")
    name = serializers.CharField()
    slug = serializers.CharField()
    city = serializers.CharField()
    country = serializers.CharField()
    star_rating = serializers.IntegerField()
    rating_average = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True
    )
    rating_count = serializers.IntegerField()
    currency = serializers.CharField()
    distance_km = serializers.FloatField(allow_null=True)
    total = serializers.IntegerField(
        help_text="Cheapest total for the stay (all nights and rooms), minor units."
    )
    room_type = serializers.IntegerField(source="room_type_id")
    rate_plan = serializers.IntegerField(source="rate_plan_id")
    rooms_left = serializers.IntegerField()
    free_cancellation = serializers.BooleanField()


class HotelSearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = HotelResultSerializer(many=True)


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^[0-2][0-9]:[0-5][0-9]$",
        "example": "15:00",
        "description": "Hotel-local time of day (no offset).",
    }
)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in the hotel's zone: JSON Schema's `time` demands an offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class HotelDetailSerializer(serializers.ModelSerializer):
    check_in_time = LocalTimeField(read_only=True)
    check_out_time = LocalTimeField(read_only=True)
    amenities = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = Hotel
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "address",
            "city",
            "country",
            "latitude",
            "longitude",
            "time_zone",
            "currency",
            "star_rating",
            "rating_average",
            "rating_count",
            "check_in_time",
            "check_out_time",
            "amenities",
        ]


class RoomTypeSerializer(serializers.ModelSerializer):
    amenities = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = RoomType
        fields = [
            "id",
            "code",
            "name",
            "description",
            "max_occupancy",
            "bed_type",
            "size_sqm",
            "room_count",
            "amenities",
        ]


class CancellationRuleSerializer(serializers.Serializer):
    days_before = serializers.IntegerField()
    refund_percent = serializers.IntegerField()


class CancellationPolicySerializer(serializers.Serializer):
    name = serializers.CharField()
    rules = CancellationRuleSerializer(many=True)


class RatePlanSerializer(serializers.ModelSerializer):
    refundable = serializers.BooleanField(source="is_refundable", read_only=True)
    cancellation_policy = serializers.SerializerMethodField()

    class Meta:
        model = RatePlan
        fields = [
            "id",
            "room_type",
            "code",
            "name",
            "meal_plan",
            "payment_mode",
            "price_adjustment_bp",
            "refundable",
            "cancellation_policy",
        ]

    @extend_schema_field(CancellationPolicySerializer(allow_null=True))
    def get_cancellation_policy(self, plan):
        policy = plan.cancellation_policy
        return policy.snapshot() if policy else None


class AvailabilityParamsSerializer(StayParamsSerializer):
    nights = serializers.BooleanField(
        default=False, help_text="Add the per-night detail (rows and nightly prices)."
    )


class AvailabilityNightSerializer(serializers.Serializer):
    date = serializers.DateField()
    free = serializers.IntegerField()
    price = serializers.IntegerField(help_text="Room-type price, minor units.")
    stop_sell = serializers.BooleanField()
    min_stay = serializers.IntegerField()
    max_stay = serializers.IntegerField(allow_null=True)
    closed_to_arrival = serializers.BooleanField()
    closed_to_departure = serializers.BooleanField()


class AvailabilityRateSerializer(serializers.Serializer):
    rate_plan = serializers.IntegerField()
    total = serializers.IntegerField(
        allow_null=True, help_text="Whole stay, all rooms, minor units."
    )
    nightly = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="One room's price per night (with nights=true).",
    )


class AvailabilityRoomTypeSerializer(serializers.Serializer):
    room_type = serializers.IntegerField()
    free = serializers.IntegerField(help_text="Rooms free on every night of the stay.")
    available = serializers.BooleanField()
    reason = serializers.CharField(
        allow_null=True, help_text="The error code a booking would get now."
    )
    rates = AvailabilityRateSerializer(many=True)
    nights = AvailabilityNightSerializer(many=True, required=False)


class AvailabilitySerializer(serializers.Serializer):
    hotel = serializers.IntegerField()
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    rooms = serializers.IntegerField()
    adults = serializers.IntegerField()
    children = serializers.IntegerField()
    currency = serializers.CharField()
    room_types = AvailabilityRoomTypeSerializer(many=True)


def availability_payload(hotel, stay, offers, *, rows=None) -> dict:
    """Return the small summary of `offers` (search.offers.hotel_offers).

    With `rows` (inventory rows by room type and date) it adds the per-night detail.
    """
    room_types = []
    for offer in offers:
        entry = {
            "room_type": offer.room_type.pk,
            "free": offer.rooms_left,
            "available": offer.problem is None,
            "reason": None if offer.problem is None else str(offer.problem.code),
            "rates": [
                {"rate_plan": plan.plan.pk, "total": plan.total}
                | ({"nightly": [price for _, price in plan.nights]} if rows else {})
                for plan in offer.plans
            ],
        }
        if rows is not None:
            entry["nights"] = [
                {
                    "date": row.date.isoformat(),
                    "free": max(row.free, 0),
                    "price": row.price,
                    "stop_sell": row.stop_sell,
                    "min_stay": row.min_stay,
                    "max_stay": row.max_stay,
                    "closed_to_arrival": row.closed_to_arrival,
                    "closed_to_departure": row.closed_to_departure,
                }
                for row in rows.get(offer.room_type.pk, [])
            ]
        room_types.append(entry)
    return {
        "hotel": hotel.pk,
        "check_in": stay.check_in.isoformat(),
        "check_out": stay.check_out.isoformat(),
        "rooms": stay.rooms,
        "adults": stay.adults,
        "children": stay.children,
        "currency": hotel.currency,
        "room_types": room_types,
    }
