"""Partner API representations of hotels, room types and rate plans, and search input."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from inventory.models import RatePlan

from .models import Hotel, RoomType
from .selectors import HotelSearch, SearchSort


class StayParamsSerializer(serializers.Serializer):
    """A stay asked for in a query string: dates, rooms and guests."""

    check_in = serializers.DateField(required=False)
    check_out = serializers.DateField(required=False)
    rooms = serializers.IntegerField(
        default=1, min_value=1, max_value=settings.BOOKING_MAX_ROOMS
    )
    adults = serializers.IntegerField(default=1, min_value=1, max_value=100)
    children = serializers.IntegerField(default=0, min_value=0, max_value=100)

    dates_required = False

    def validate(self, attrs):
        check_in, check_out = attrs.get("check_in"), attrs.get("check_out")
        if self.dates_required and (check_in is None or check_out is None):
            raise serializers.ValidationError(
                {"check_in": "Give check_in and check_out."}
            )
        if (check_in is None) != (check_out is None):
            raise serializers.ValidationError(
                {"check_out": "Give both check_in and check_out, or neither."}
            )
        if check_in is not None:
            if check_out <= check_in:
                raise serializers.ValidationError(
                    {"check_out": "check_out must be after check_in."}
                )
            if (check_out - check_in).days > settings.BOOKING_MAX_NIGHTS:
                raise serializers.ValidationError(
                    {
                        "check_out": f"A stay is at most {settings.BOOKING_MAX_NIGHTS} "
                        "nights."
                    }
                )
        if attrs["adults"] < attrs["rooms"]:
            raise serializers.ValidationError(
                {"adults": "Each room needs at least one adult."}
            )
        return attrs


class HotelSearchParamsSerializer(StayParamsSerializer):
    city = serializers.CharField(required=False, max_length=100)
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
    radius_km = serializers.FloatField(required=False, min_value=0.1, max_value=500)
    min_price = serializers.IntegerField(
        required=False, min_value=0, help_text="Lowest stay total, minor units."
    )
    max_price = serializers.IntegerField(
        required=False, min_value=0, help_text="Highest stay total, minor units."
    )
    stars = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=5),
        required=False,
        max_length=6,
        help_text="Repeat for several: stars=4&stars=5.",
    )
    amenities = serializers.ListField(
        child=serializers.SlugField(max_length=50),
        required=False,
        max_length=20,
        help_text="Amenity codes the hotel must all have: amenities=wifi&amenities=spa.",
    )
    min_rating = serializers.DecimalField(
        required=False, max_digits=4, decimal_places=2, min_value=0, max_value=10
    )
    sort = serializers.ChoiceField(
        choices=[s.value for s in SearchSort], default=SearchSort.PRICE.value
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        has_point = "latitude" in attrs or "longitude" in attrs
        if has_point and not ("latitude" in attrs and "longitude" in attrs):
            raise serializers.ValidationError(
                {"longitude": "Give latitude and longitude together."}
            )
        if "radius_km" in attrs and not has_point:
            raise serializers.ValidationError(
                {"radius_km": "A radius needs latitude and longitude."}
            )
        if attrs["sort"] == SearchSort.DISTANCE and not has_point:
            raise serializers.ValidationError(
                {"sort": "Sorting by distance needs latitude and longitude."}
            )
        has_price = "min_price" in attrs or "max_price" in attrs
        if has_price and "check_in" not in attrs:
            raise serializers.ValidationError(
                {"min_price": "A price range needs check_in and check_out."}
            )
        if attrs.get("min_price", 0) > attrs.get("max_price", float("inf")):
            raise serializers.ValidationError(
                {"max_price": "max_price must not be below min_price."}
            )
        return attrs

    def to_search(self) -> HotelSearch:
        data = dict(self.validated_data)
        data["stars"] = tuple(data.get("stars", ()))
        data["amenities"] = tuple(data.get("amenities", ()))
        data["sort"] = SearchSort(data["sort"])
        return HotelSearch(**data)


class HotelSerializer(serializers.ModelSerializer):
    lowest_total = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Cheapest total for the stay in minor units (with dates).",
    )
    distance_km = serializers.FloatField(
        read_only=True, allow_null=True, default=None, help_text="With a point."
    )

    class Meta:
        model = Hotel
        fields = [
            "id",
            "name",
            "slug",
            "city",
            "country",
            "latitude",
            "longitude",
            "star_rating",
            "rating_average",
            "rating_count",
            "currency",
            "lowest_total",
            "distance_km",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["lowest_total"] = getattr(instance, "lowest_total", None)
        distance = getattr(instance, "distance_km", None)
        data["distance_km"] = None if distance is None else round(distance, 2)
        return data


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
    dates_required = True
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


def availability_payload(hotel, stay, items, *, nights: bool) -> dict:
    """Return the small summary of `items` (inventory.selectors.stay_availability)."""
    room_types = []
    for item in items:
        entry = {
            "room_type": item.room_type_id,
            "free": item.free,
            "available": item.problem is None,
            "reason": item.problem,
            "rates": [
                {"rate_plan": rate.rate_plan.pk, "total": rate.total}
                | ({"nightly": rate.nightly} if nights else {})
                for rate in item.rates
            ],
        }
        if nights:
            entry["nights"] = [
                {
                    "date": night.date.isoformat(),
                    "free": max(night.free, 0),
                    "price": night.price,
                    "stop_sell": night.stop_sell,
                    "min_stay": night.min_stay,
                    "max_stay": night.max_stay,
                    "closed_to_arrival": night.closed_to_arrival,
                    "closed_to_departure": night.closed_to_departure,
                }
                for night in item.nights
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
