"""Partner API: hotel search, details, room types, rate plans and stay availability."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Partner
from api.pagination import SearchPage
from api.schema import NOT_FOUND_ERROR, READ_ERRORS, UNPROCESSABLE_ERROR
from api.scoping import visible_hotels
from core.clock import db_now
from inventory.models import RatePlan
from inventory.rules import StayRequest
from inventory.selectors import stay_availability

from .models import RoomType
from .selectors import search_hotels
from .serializers import (
    AvailabilityParamsSerializer,
    AvailabilitySerializer,
    HotelDetailSerializer,
    HotelSearchParamsSerializer,
    HotelSerializer,
    RatePlanSerializer,
    RoomTypeSerializer,
    availability_payload,
)

log = logging.getLogger(__name__)

HOTEL_EXAMPLE = {
    "id": 12,
    "name": "Casa do Rio",
    "slug": "casa-do-rio",
    "city": "Lisbon",
    "country": "PT",
    "latitude": "38.710000",
    "longitude": "-9.140000",
    "star_rating": 4,
    "rating_average": "8.70",
    "rating_count": 214,
    "currency": "EUR",
    "lowest_total": 36000,
    "distance_km": 1.42,
}


@extend_schema_view(
    get=extend_schema(
        summary="Search hotels",
        description=(
            "Active hotels by city or point and radius, filtered by stars, amenities, "
            "rating and price. With check_in/check_out only hotels with a room type "
            "that can take the whole stay are listed, each with `lowest_total` (minor "
            "units of the hotel's currency). Sorts: price, -price, rating, distance, "
            "stars, name."
        ),
        parameters=[HotelSearchParamsSerializer],
        responses={200: HotelSerializer(many=True), **READ_ERRORS},
        examples=[
            OpenApiExample(
                "Lisbon, two nights",
                value={
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [HOTEL_EXAMPLE],
                },
                response_only=True,
            )
        ],
    )
)
class HotelSearchView(generics.ListAPIView):
    serializer_class = HotelSerializer
    pagination_class = SearchPage
    filter_backends = []

    def get_queryset(self):
        params = HotelSearchParamsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return search_hotels(
            params.to_search(), hotels=visible_hotels(self.request.auth.partner)
        )


@extend_schema_view(
    get=extend_schema(
        summary="Hotel details",
        responses={200: HotelDetailSerializer, **NOT_FOUND_ERROR, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "A hotel",
                value={
                    **{
                        k: v
                        for k, v in HOTEL_EXAMPLE.items()
                        if k not in ("lowest_total", "distance_km")
                    },
                    "description": "By the river.",
                    "address": "Rua do Rio 1",
                    "time_zone": "Europe/Lisbon",
                    "check_in_time": "15:00",
                    "check_out_time": "11:00",
                    "amenities": ["wifi", "breakfast"],
                },
                response_only=True,
            )
        ],
    )
)
class HotelDetailView(generics.RetrieveAPIView):
    serializer_class = HotelDetailSerializer
    filter_backends = []

    def get_queryset(self):
        return visible_hotels(self.request.auth.partner).prefetch_related("amenities")


@extend_schema_view(
    get=extend_schema(
        summary="A hotel's room types",
        responses={
            200: RoomTypeSerializer(many=True),
            **NOT_FOUND_ERROR,
            **READ_ERRORS,
        },
        examples=[
            OpenApiExample(
                "Room types",
                value=[
                    {
                        "id": 31,
                        "code": "double",
                        "name": "Double room",
                        "description": "",
                        "max_occupancy": 2,
                        "bed_type": "double",
                        "size_sqm": 18,
                        "room_count": 12,
                        "amenities": ["air-conditioning"],
                    }
                ],
                response_only=True,
            )
        ],
    )
)
class RoomTypeListView(generics.ListAPIView):
    serializer_class = RoomTypeSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        hotel = get_object_or_404(
            visible_hotels(self.request.auth.partner), pk=self.kwargs["pk"]
        )
        return (
            RoomType.objects.filter(hotel=hotel, is_active=True)
            .prefetch_related("amenities")
            .order_by("base_price", "pk")
        )


@extend_schema_view(
    get=extend_schema(
        summary="A hotel's rate plans",
        responses={
            200: RatePlanSerializer(many=True),
            **NOT_FOUND_ERROR,
            **READ_ERRORS,
        },
        examples=[
            OpenApiExample(
                "Rate plans",
                value=[
                    {
                        "id": 77,
                        "room_type": 31,
                        "code": "flex",
                        "name": "Flexible",
                        "meal_plan": "breakfast",
                        "payment_mode": "pay_now",
                        "price_adjustment_bp": 0,
                        "refundable": True,
                        "cancellation_policy": {
                            "name": "Flexible",
                            "rules": [
                                {"days_before": 7, "refund_percent": 100},
                                {"days_before": 2, "refund_percent": 50},
                            ],
                        },
                    }
                ],
                response_only=True,
            )
        ],
    )
)
class RatePlanListView(generics.ListAPIView):
    serializer_class = RatePlanSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        hotel = get_object_or_404(
            visible_hotels(self.request.auth.partner), pk=self.kwargs["pk"]
        )
        return (
            RatePlan.objects.filter(
                room_type__hotel=hotel, is_active=True, room_type__is_active=True
            )
            .select_related("cancellation_policy")
            .prefetch_related("cancellation_policy__rules")
            .order_by("room_type_id", "price_adjustment_bp", "pk")
        )


AVAILABILITY_EXAMPLE = {
    "hotel": 12,
    "check_in": "2027-05-14",
    "check_out": "2027-05-16",
    "rooms": 1,
    "adults": 2,
    "children": 0,
    "currency": "EUR",
    "room_types": [
        {
            "room_type": 31,
            "free": 4,
            "available": True,
            "reason": None,
            "rates": [
                {"rate_plan": 77, "total": 36000},
                {"rate_plan": 78, "total": 30600},
            ],
        },
        {
            "room_type": 32,
            "free": 0,
            "available": False,
            "reason": "sold_out",
            "rates": [{"rate_plan": 79, "total": 52000}],
        },
    ],
}


class AvailabilityView(APIView):
    """A stay's availability: small, and served from Redis for a few seconds.

    A rush reads this thousands of times; a booking never trusts it (it re-checks
    under lock).
    """

    @extend_schema(
        summary="Availability and prices for a stay",
        description=(
            "Per room type: rooms free on every night, whether a booking would succeed "
            "now (`reason` is the error code it would get), and the stay total under "
            "each rate plan. Cached for a few seconds: a booking re-checks. "
            "`nights=true` adds the per-night rows and nightly prices."
        ),
        parameters=[AvailabilityParamsSerializer],
        responses={
            200: AvailabilitySerializer,
            **NOT_FOUND_ERROR,
            **UNPROCESSABLE_ERROR,
            **READ_ERRORS,
        },
        examples=[
            OpenApiExample("Two nights", value=AVAILABILITY_EXAMPLE, response_only=True)
        ],
    )
    def get(self, request, pk: int):
        params = AvailabilityParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        stay = StayRequest(
            data["check_in"],
            data["check_out"],
            data["rooms"],
            data["adults"],
            data["children"],
        )
        partner = request.auth.partner
        key = (
            f"api:avail:{pk}:{stay.check_in}:{stay.check_out}:{stay.rooms}:"
            f"{stay.adults}:{stay.children}:{int(data['nights'])}"
        )
        if partner.kind == Partner.Kind.CHANNEL_MANAGER:
            get_object_or_404(visible_hotels(partner).values("pk"), pk=pk)
        payload = _cache_get(key)
        if payload is None:
            hotel = get_object_or_404(visible_hotels(partner), pk=pk)
            items = stay_availability(hotel=hotel, stay=stay, now=db_now())
            payload = availability_payload(hotel, stay, items, nights=data["nights"])
            _cache_set(key, payload)
        return Response(payload)


def _cache_get(key: str):
    try:
        return cache.get(key)
    except Exception:  # Redis down: compute from PostgreSQL
        log.warning("availability cache unavailable", exc_info=True)
        return None


def _cache_set(key: str, payload: dict) -> None:
    try:
        cache.set(key, payload, settings.API_AVAILABILITY_CACHE_SECONDS)
    except Exception:
        log.warning("availability cache unavailable", exc_info=True)
