"""Partner API: hotel search, details, room types, rate plans and stay availability."""

import logging
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Partner
from api.schema import NOT_FOUND_ERROR, READ_ERRORS
from api.scoping import visible_hotels
from core.clock import db_now
from hotels.models import RoomType
from inventory.models import Inventory, RatePlan
from inventory.rules import StayRequest
from search.forms import SearchForm, amenity_choices
from search.hotels import search_hotels
from search.offers import hotel_offers, room_types_for_page

from .hotel_serializers import (
    AvailabilityParamsSerializer,
    AvailabilitySerializer,
    HotelDetailSerializer,
    HotelSearchPageSerializer,
    HotelSearchParamsSerializer,
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
}
SEARCH_EXAMPLE = {
    "count": 1,
    "page": 1,
    "page_size": 20,
    "pages": 1,
    "results": [
        {
            "id": 12,
            "name": "Casa do Rio",
            "slug": "casa-do-rio",
            "city": "Lisbon",
            "country": "PT",
            "star_rating": 4,
            "rating_average": "8.70",
            "rating_count": 214,
            "currency": "EUR",
            "distance_km": 1.42,
            "total": 30600,
            "room_type": 31,
            "rate_plan": 78,
            "rooms_left": 4,
            "free_cancellation": False,
        }
    ],
}


class HotelSearchView(APIView):
    """The site's search (search.hotels), its parameters checked by the site's form."""

    @extend_schema(
        operation_id="hotels_search",
        summary="Search hotels",
        description=(
            "The booking site's search, with the same parameters, filters and sorts: "
            "a place (city or hotel name, typos allowed) or a point (lat, lng, radius "
            "in km), dates, guests and rooms; stars, amenities, guest rating, price per "
            "room and night (major units of each hotel's currency), free cancellation; "
            "sorted by price, rating or distance. Only hotels with a room type that can "
            "take the whole stay are listed, each with its cheapest offer (`total` in "
            "minor units). Results may be a few seconds old; a booking re-checks."
        ),
        parameters=[HotelSearchParamsSerializer],
        responses={200: HotelSearchPageSerializer, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "Lisbon, two nights", value=SEARCH_EXAMPLE, response_only=True
            )
        ],
    )
    def get(self, request):
        params = HotelSearchParamsSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        form = SearchForm(
            request.query_params,
            today=db_now().date(),
            amenity_choices=amenity_choices(),
        )
        if not form.is_valid():
            raise ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): [
                        error["message"] for error in errors
                    ]
                    for name, errors in form.errors.get_json_data().items()
                }
            )
        partner = request.auth.partner
        hotel_ids = None
        if partner.kind == Partner.Kind.CHANNEL_MANAGER:
            hotel_ids = tuple(visible_hotels(partner).values_list("pk", flat=True))
        search = replace(
            form.to_search(),
            page_size=params.validated_data["page_size"],
            hotel_ids=hotel_ids,
        )
        page = search_hotels(search)
        return Response(
            HotelSearchPageSerializer(
                {
                    "count": page.count,
                    "page": page.page,
                    "page_size": page.page_size,
                    "pages": page.pages,
                    "results": page.results,
                }
            ).data
        )


@extend_schema_view(
    get=extend_schema(
        summary="Hotel details",
        responses={200: HotelDetailSerializer, **NOT_FOUND_ERROR, **READ_ERRORS},
        examples=[
            OpenApiExample(
                "A hotel",
                value={
                    **HOTEL_EXAMPLE,
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
            "each rate plan. Dates in the past or after today's cut-off (hotel time) "
            "come back with that reason (past_date, same_day_cutoff). Cached for a few "
            "seconds: a booking re-checks. "
            "`nights=true` adds the per-night rows and nightly prices."
        ),
        parameters=[AvailabilityParamsSerializer],
        responses={
            200: AvailabilitySerializer,
            **NOT_FOUND_ERROR,
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
            offers = hotel_offers(
                hotel, room_types_for_page(hotel, media=False), stay, db_now()
            )
            rows = _nights(offers, stay) if data["nights"] else None
            payload = availability_payload(hotel, stay, offers, rows=rows)
            _cache_set(key, payload)
        return Response(payload)


def _nights(offers, stay) -> dict[int, list[Inventory]]:
    rows: dict[int, list[Inventory]] = {}
    for row in Inventory.objects.filter(
        room_type__in=[offer.room_type.pk for offer in offers],
        date__gte=stay.check_in,
        date__lt=stay.check_out,
    ).order_by("room_type_id", "date"):
        rows.setdefault(row.room_type_id, []).append(row)
    return rows


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
