"""Partner API: webhook endpoints and their delivery log; the API's own 404."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import webhooks
from .idempotency import idempotent
from .models import WebhookEndpoint
from .pagination import NewestFirstCursor
from .permissions import BookingScope
from .schema import IDEMPOTENCY_KEY, NOT_FOUND_ERROR, READ_ERRORS, WRITE_ERRORS
from .serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)

ENDPOINT_EXAMPLE = {
    "id": 5,
    "url": "https://agency.example/hooks/innkeep",
    "events": ["booking.confirmed", "booking.cancelled"],
    "is_active": True,
    "created_at": "2027-05-01T10:00:00Z",
}


class WebhookEndpointListView(generics.ListAPIView):
    permission_classes = [BookingScope]
    serializer_class = WebhookEndpointSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return WebhookEndpoint.objects.filter(
            partner=self.request.auth.partner, is_active=True
        ).order_by("pk")

    @extend_schema(
        summary="Your webhook endpoints",
        responses={200: WebhookEndpointSerializer(many=True), **READ_ERRORS},
        examples=[OpenApiExample("One", value=[ENDPOINT_EXAMPLE], response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Register a webhook endpoint",
        description=(
            "Booking events (held, confirmed, changed, cancelled, expired) of your "
            "bookings are POSTed to `url`, signed: `Innkeep-Signature: t=<unix>,v1=<hex "
            "HMAC-SHA256(secret, '<t>.<raw body>')>`. The secret is shown only in this "
            "answer. Failed deliveries are retried with exponential backoff and jitter."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=WebhookEndpointSerializer,
        responses={201: WebhookEndpointCreatedSerializer, **WRITE_ERRORS},
        examples=[
            OpenApiExample(
                "Register",
                value={
                    "url": ENDPOINT_EXAMPLE["url"],
                    "events": ENDPOINT_EXAMPLE["events"],
                },
                request_only=True,
            ),
            OpenApiExample(
                "Registered",
                value={**ENDPOINT_EXAMPLE, "secret": "whsec_3q2+7w…"},
                response_only=True,
            ),
        ],
    )
    @idempotent
    def post(self, request):
        params = WebhookEndpointSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        endpoint = webhooks.webhook_endpoint_create(
            partner=request.auth.partner,
            url=params.validated_data["url"],
            events=params.validated_data["events"],
        )
        return Response(
            WebhookEndpointCreatedSerializer(endpoint).data,
            status=status.HTTP_201_CREATED,
        )


class WebhookEndpointDetailView(APIView):
    permission_classes = [BookingScope]

    @extend_schema(
        summary="Stop a webhook endpoint",
        responses={204: None, **NOT_FOUND_ERROR, **READ_ERRORS},
    )
    def delete(self, request, pk: int):
        webhooks.webhook_endpoint_disable(partner=request.auth.partner, endpoint_id=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListView(generics.ListAPIView):
    permission_classes = [BookingScope]
    serializer_class = WebhookDeliverySerializer
    pagination_class = NewestFirstCursor
    filter_backends = []

    def get_queryset(self):
        endpoint = get_object_or_404(
            WebhookEndpoint, pk=self.kwargs["pk"], partner=self.request.auth.partner
        )
        return endpoint.deliveries.all()

    @extend_schema(
        summary="An endpoint's delivery log",
        description="Newest first: each event, its attempts and the last answer.",
        responses={
            200: WebhookDeliverySerializer(many=True),
            **NOT_FOUND_ERROR,
            **READ_ERRORS,
        },
        examples=[
            OpenApiExample(
                "Delivered on the third try",
                value={
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "id": "0b7d9a5e-6a1f-4c1e-9d55-2b1e0f3c4d5e",
                            "event": "booking.confirmed",
                            "booking_reference": "7K2M9QX4TB",
                            "status": "succeeded",
                            "attempts": 3,
                            "last_status_code": 200,
                            "last_error": "",
                            "next_attempt_at": None,
                            "created_at": "2027-05-01T10:00:01Z",
                            "delivered_at": "2027-05-01T10:00:31Z",
                            "payload": {
                                "id": "…",
                                "type": "booking.confirmed",
                                "data": {},
                            },
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApiNotFoundView(APIView):
    """Any other path under /api/: a problem document, not the site's HTML 404."""

    schema = None
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound("No such API endpoint.")

    get = post = put = patch = delete = head = options = http_method_not_allowed
