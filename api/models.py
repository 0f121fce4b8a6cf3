import secrets
import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now

from accounts.models import Partner


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` of a partner: its request's fingerprint and first response.

    `status_code` is null while the first request runs; `locked_until` bounds how long a
    crashed request can block its key. Keys live API_IDEMPOTENCY_KEY_HOURS.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_default=Now())
    locked_until = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "key"], name="idempotency_key_unique_per_partner"
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_age")]

    def __str__(self):
        return f"{self.partner_id}:{self.key}"


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class WebhookEvent(models.TextChoices):
    HELD = "booking.held", "Booking held"
    CONFIRMED = "booking.confirmed", "Booking confirmed"
    CHANGED = "booking.changed", "Booking changed"
    CANCELLED = "booking.cancelled", "Booking cancelled"
    EXPIRED = "booking.expired", "Booking expired"
    # booking.services.closures: the booking's hotel closed (or reopened) its nights.
    HOTEL_DEACTIVATED = "hotel.deactivated", "Hotel deactivated"
    HOTEL_CLOSED = "hotel.closed", "Hotel closed on the booking's nights"
    HOTEL_REOPENED = "hotel.reopened", "Hotel reopened"


class WebhookEndpoint(models.Model):
    """A URL of a partner that receives its bookings' events, signed with `secret`."""

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    # Kept in clear: signing needs it. It is shown to the partner when the endpoint is made.
    secret = models.CharField(max_length=100, default=new_webhook_secret)
    events = ArrayField(
        models.CharField(max_length=40, choices=WebhookEvent.choices),
        default=list,
        blank=True,
        help_text="Empty means every event.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["partner", "is_active"], name="webhook_partner")
        ]

    def __str__(self):
        return self.url

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events


class WebhookDelivery(models.Model):
    """One event for one endpoint and what became of each attempt to deliver it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    # The booking event's id (its outbox row's): the payload's `id`, and at most one
    # delivery per endpoint, however often the event reaches its handler.
    event_id = models.UUIDField(default=uuid.uuid4)
    booking_reference = models.CharField(max_length=16)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["endpoint", "-created_at"], name="webhook_delivery_recent"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"], name="webhook_delivery_once"
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.endpoint_id} ({self.status})"
