"""Money asked of guests and given back: payments, refunds and gateway events.

Amounts are integer minor units with an ISO currency, as Stripe counts them. No card
data is ever kept: a payment knows the gateway's ids, never a card number.
"""

import uuid

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


# The audit log (backoffice/audit.py): what staff and guests did with money. The
# browser-side secret and the gateway's card tokens are not copied into the history.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=[
        "client_secret",
        "customer_id",
        "payment_method_id",
        "gateway_updated_at",
        "updated_at",
    ],
    # Payment.events are the gateway's.
    obj_field=pghistory.ObjForeignKey(related_name="history"),
)
class Payment(models.Model):
    """Money asked of a guest for a booking; amounts in minor units. No card data is kept."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        REQUIRES_ACTION = "requires_action", _("Requires action")
        PROCESSING = "processing", _("Processing")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Canceled")

    class Kind(models.TextChoices):
        CHARGE = "charge", _("Charge")
        GUARANTEE = "guarantee", _("Card guarantee")
        NO_SHOW_FEE = "no_show_fee", _("No-show fee")

    class Resolution(models.TextChoices):
        """What a succeeded payment did to its booking (empty: not settled yet)."""

        NONE = "", _("Not settled")
        CONFIRMED = "confirmed", _("Booking confirmed")
        REINSTATED = "reinstated", _("Booking confirmed after its hold lapsed")
        REFUNDED_UNAVAILABLE = "refunded_unavailable", _("Refunded: rooms were gone")
        REFUNDED_NOT_BOOKABLE = "refunded_not_bookable", _("Refunded: booking closed")
        REFUNDED_DUPLICATE = "refunded_duplicate", _("Refunded: paid twice")
        COLLECTED = "collected", _("Collected")

    booking = models.ForeignKey(
        "booking.Booking", on_delete=models.PROTECT, related_name="payments"
    )
    # Kept here so the payments app can name the booking without another app's tables.
    booking_reference = models.CharField(max_length=16, blank=True, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CHARGE)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    gateway = models.CharField(max_length=20)
    gateway_id = models.CharField(max_length=255, blank=True, db_index=True)
    # The browser-side secret of the intent (Payment Element); not card data.
    client_secret = models.CharField(max_length=255, blank=True)
    # Gateway tokens for charging a kept card later (pay at hotel); never card numbers.
    customer_id = models.CharField(max_length=255, blank=True)
    payment_method_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    resolution = models.CharField(
        max_length=30, choices=Resolution.choices, blank=True, default=""
    )
    amount_refunded = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Confirmation attempts; each has its own idempotency key."
    )
    failure_code = models.CharField(max_length=100, blank=True)
    failure_message = models.CharField(max_length=500, blank=True)
    dispute_id = models.CharField(max_length=255, blank=True)
    dispute_reason = models.CharField(max_length=100, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    # Timestamp of the newest gateway event applied: older events cannot undo it.
    gateway_updated_at = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "gateway_id"],
                condition=~Q(gateway_id=""),
                name="payment_gateway_id_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=models.F("amount")),
                name="payment_refund_within_amount",
            ),
        ]
        indexes = [
            # The reconciliation sweep: open payments by age.
            models.Index(
                fields=["updated_at"],
                condition=Q(status__in=["pending", "requires_action", "processing"])
                | Q(status="succeeded", resolution=""),
                name="payment_open_by_age",
            ),
        ]

    def __str__(self):
        return f"{self.gateway}:{self.gateway_id or self.pk}"

    @property
    def idempotency_prefix(self) -> str:
        return f"innkeep-payment-{self.pk}"

    @property
    def refundable(self) -> int:
        """Minor units that may still be refunded (succeeded and in-flight refunds out)."""
        return self.amount - self.amount_refunded


def new_refund_key() -> str:
    return f"innkeep-refund-{uuid.uuid4().hex}"


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["idempotency_key", "updated_at"],
)
class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed (retrying)")
        GAVE_UP = "gave_up", _("Failed (needs a person)")

    class Purpose(models.TextChoices):
        CANCELLATION = "cancellation", _("Cancellation by policy")
        UNAVAILABLE = "unavailable", _("Paid after the rooms were gone")
        DUPLICATE = "duplicate", _("Paid twice")
        MANUAL = "manual", _("Manual")
        EXTERNAL = "external", _("Made outside Innkeep")
        CHANGE = "change", _("Stay shortened, by policy")

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds"
    )
    # The change of the stay this refund gives back for (purpose CHANGE).
    change = models.ForeignKey(
        "booking.BookingChange",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
    )
    purpose = models.CharField(
        max_length=20, choices=Purpose.choices, default=Purpose.MANUAL
    )
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    gateway_id = models.CharField(max_length=255, blank=True)
    idempotency_key = models.CharField(
        max_length=100, unique=True, default=new_refund_key, editable=False
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_positive"),
            # A cancellation or a lost-rooms refund happens once per payment.
            models.UniqueConstraint(
                fields=["payment", "purpose"],
                condition=Q(purpose__in=["cancellation", "unavailable", "duplicate"]),
                name="refund_once_per_purpose",
            ),
            # A shorter stay is refunded once per change.
            models.UniqueConstraint(
                fields=["change"],
                condition=Q(change__isnull=False),
                name="refund_once_per_change",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="refund_due",
            ),
            models.Index(fields=["gateway_id"], name="refund_gateway_id"),
        ]

    def __str__(self):
        return f"refund {self.amount} {self.currency}"


class GatewayEvent(models.Model):
    """Every event a gateway sent, stored once by its id, applied once."""

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    # Stripe's `created` (seconds): applying an older event never undoes a newer one.
    created = models.BigIntegerField(default=0)
    object_id = models.CharField(max_length=255, blank=True, db_index=True)
    payment = models.ForeignKey(
        Payment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "event_id"], name="gateway_event_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(processed_at__isnull=True),
                name="gateway_event_unprocessed",
            )
        ]

    def __str__(self):
        return f"{self.gateway}:{self.event_id}"


class SimulatedObject(models.Model):
    """State of the no-network test gateway: Stripe-shaped objects kept in PostgreSQL.

    Only the test gateway reads or writes these; they stand in for Stripe's servers.
    """

    id = models.CharField(max_length=64, primary_key=True)
    kind = models.CharField(max_length=30)
    data = models.JSONField()
    idempotency_key = models.CharField(
        max_length=255, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("test gateway object")
        indexes = [
            models.Index(fields=["kind", "created_at"], name="simulated_by_kind")
        ]

    def __str__(self):
        return self.id
