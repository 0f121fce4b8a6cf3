"""Partner API: a partner's bookings. Each action parses, calls one service, answers.

Partners confirm on their own guarantee: the agency collects payment from its customer
and is invoiced, so no card passes through this API (card payment comes with the
payments work).
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api import booking_keys
from api.idempotency import idempotent
from api.pagination import NewestFirstCursor
from api.permissions import BookingScope
from api.schema import (
    HOLD_ERRORS,
    IDEMPOTENCY_KEY,
    NOT_FOUND_ERROR,
    READ_ERRORS,
    WRITE_ERRORS,
)
from api.serialization import represent, validated
from booking import services
from booking.models import Booking
from inventory.rules import StayRequest
from payments.services import cancel_booking_and_refund, change_booking_and_refund
from summaries.booking import with_summary

from .booking_serializers import (
    BookingCancelSerializer,
    BookingChangeResultSerializer,
    BookingChangeSerializer,
    BookingCreateSerializer,
    BookingFilter,
    BookingSerializer,
)

BOOKING_EXAMPLE = {
    "reference": "7K2M9QX4TB",
    "status": "held",
    "hotel": 12,
    "room_type": 31,
    "rate_plan": 77,
    "check_in": "2027-05-14",
    "check_out": "2027-05-16",
    "rooms": 1,
    "adults": 2,
    "children": 0,
    "guest": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": ""},
    "special_requests": "",
    "nightly_prices": [18000, 18000],
    "total": 36000,
    "currency": "EUR",
    "payment_mode": "pay_now",
    "held_until": "2027-05-01T10:15:00Z",
    "policy": {
        "name": "Flexible",
        "rules": [
            {"days_before": 7, "refund_percent": 100},
            {"days_before": 2, "refund_percent": 50},
        ],
    },
    "refund_amount": None,
    "cancellation_reason": "",
    "created_at": "2027-05-01T10:00:00Z",
    "updated_at": "2027-05-01T10:00:00Z",
    "confirmed_at": None,
    "cancelled_at": None,
    "expired_at": None,
}
CREATE_EXAMPLE = {
    "rate_plan": 77,
    "check_in": "2027-05-14",
    "check_out": "2027-05-16",
    "rooms": 1,
    "adults": 2,
    "children": 0,
    "guest": {"name": "Ada Lovelace", "email": "ada@example.com"},
    "special_requests": "Late arrival",
}


def own_booking_id(request, reference: str) -> int:
    """Return the pk of the caller's booking `reference`; anyone else's is a 404."""
    pk = (
        Booking.objects.filter(partner=request.auth.partner, reference=reference)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        raise NotFound("No such booking.")
    return pk


class BookingListCreateView(generics.ListAPIView):
    permission_classes = [BookingScope]
    # The front door claims the booking's Idempotency-Key with the key's own check.
    front_door_claim = staticmethod(booking_keys.claim_for)
    # ... and counts its POST in the partner's booking rate.
    front_door_counts_bookings = True
    serializer_class = BookingSerializer
    pagination_class = NewestFirstCursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = BookingFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Booking.objects.none()
        return with_summary(Booking.objects.filter(partner=self.request.auth.partner))

    @extend_schema(
        summary="List your bookings",
        description="Newest first, cursor-paginated; filter by status, hotel, dates.",
        responses={200: BookingSerializer(many=True), **READ_ERRORS},
        examples=[
            OpenApiExample(
                "A page",
                value={"next": None, "previous": None, "results": [BOOKING_EXAMPLE]},
                response_only=True,
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Hold rooms (create a booking)",
        description=(
            "Takes every night of the stay or none and holds the rooms until "
            "`held_until` (15 minutes); confirm within that time. Refusals: sold_out, "
            "stop_sell, min_stay, max_stay, closed_to_arrival, closed_to_departure (409); "
            "invalid_dates, too_many_guests, invalid_guest_details (422); hold_limit "
            "(429: the partner's live holds or held room-nights are at their caps), "
            "throttled (429: the partner's booking rate); busy (503)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=BookingCreateSerializer,
        responses={201: BookingSerializer, **HOLD_ERRORS},
        examples=[
            OpenApiExample("Two nights", value=CREATE_EXAMPLE, request_only=True),
            OpenApiExample("Held", value=BOOKING_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request):
        door = getattr(request, "front_door", None)
        if door is None or door.claim is None:  # Redis down, or no usable key
            return self.generic_post(request)
        return booking_keys.handle(
            self, request, door, self.hold, BookingListCreateView.generic_post
        )

    def hold(self, request, *, key_is_new=False, hint_checked=False, known_short=False):
        data = validated(BookingCreateSerializer, request.data)
        partner = request.auth.partner
        booking = services.booking_hold(
            rate_plan_id=data["rate_plan"],
            stay=StayRequest(
                data["check_in"],
                data["check_out"],
                data["rooms"],
                data["adults"],
                data["children"],
            ),
            guest=services.GuestDetails(
                name=data["guest"]["name"],
                email=data["guest"]["email"],
                phone=data["guest"]["phone"],
                special_requests=data["special_requests"],
            ),
            source="partner",
            partner=partner,
            idempotency_scope=f"partner:{partner.pk}",
            idempotency_key=request.headers["Idempotency-Key"].strip(),
            key_is_new=key_is_new,
            hint_checked=hint_checked,
            known_short=known_short,
        )
        return booking_keys.created(booking)

    @idempotent
    def generic_post(self, request):
        return self.hold(request)


class BookingDetailView(APIView):
    permission_classes = [BookingScope]

    @extend_schema(
        summary="A booking",
        responses={200: BookingSerializer, **NOT_FOUND_ERROR, **READ_ERRORS},
        examples=[OpenApiExample("Held", value=BOOKING_EXAMPLE, response_only=True)],
    )
    def get(self, request, reference: str):
        booking = Booking.objects.filter(
            partner=request.auth.partner, reference=reference
        ).first()
        if booking is None:
            raise NotFound("No such booking.")
        return Response(represent(BookingSerializer, booking))


class BookingConfirmView(APIView):
    permission_classes = [BookingScope]

    @extend_schema(
        summary="Confirm a held booking (partner guarantee)",
        description=(
            "Confirms on the partner's guarantee: the partner collects payment from its "
            "customer and is invoiced. Confirming twice is harmless; a hold past its "
            "deadline answers 409 hold_expired."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=None,
        responses={200: BookingSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Confirmed",
                value={**BOOKING_EXAMPLE, "status": "confirmed"},
                response_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request, reference: str):
        booking = services.booking_confirm(
            booking_id=own_booking_id(request, reference)
        )
        return Response(represent(BookingSerializer, booking))


class BookingCancelView(APIView):
    permission_classes = [BookingScope]

    @extend_schema(
        summary="Cancel a booking",
        description=(
            "Releases the rooms. `refund_amount` is what comes back: the share the "
            "cancellation policy frozen on the booking gives now, in the hotel's time "
            "zone (0 for a hold). The booking was paid to you, so you pay it back."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=BookingCancelSerializer,
        responses={200: BookingSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Reason", value={"reason": "Guest changed plans"}, request_only=True
            ),
            OpenApiExample(
                "Cancelled",
                value={
                    **BOOKING_EXAMPLE,
                    "status": "cancelled",
                    "refund_amount": 36000,
                    "cancellation_reason": "Guest changed plans",
                },
                response_only=True,
            ),
        ],
    )
    @idempotent
    def post(self, request, reference: str):
        params = BookingCancelSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        booking = cancel_booking_and_refund(
            booking_id=own_booking_id(request, reference),
            reason=params.validated_data["reason"],
            created_by=f"partner:{request.auth.partner.pk}",
        ).booking
        return Response(represent(BookingSerializer, booking))


class BookingChangeView(APIView):
    permission_classes = [BookingScope]

    @extend_schema(
        summary="Change dates, rooms or guests",
        description=(
            "Releases the old nights and takes the new ones in one transaction. Nights "
            "kept keep their price; new nights are priced at today's rate. "
            "`difference` is what the guest owes (positive) or is owed (negative)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=BookingChangeSerializer,
        responses={200: BookingChangeResultSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "One more night", value={"check_out": "2027-05-17"}, request_only=True
            ),
            OpenApiExample(
                "Changed",
                value={
                    "booking": {
                        **BOOKING_EXAMPLE,
                        "check_out": "2027-05-17",
                        "nightly_prices": [18000, 18000, 19000],
                        "total": 55000,
                    },
                    "old_total": 36000,
                    "new_total": 55000,
                    "difference": 19000,
                },
                response_only=True,
            ),
        ],
    )
    @idempotent
    def post(self, request, reference: str):
        params = BookingChangeSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        result = change_booking_and_refund(
            booking_id=own_booking_id(request, reference),
            created_by="partner (API)",
            **params.validated_data,
        ).result
        return Response(
            {
                "booking": represent(BookingSerializer, result.booking),
                "old_total": result.old_total,
                "new_total": result.new_total,
                "difference": result.difference,
            }
        )
