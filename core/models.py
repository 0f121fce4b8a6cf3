"""The transactional outbox: events written in their transaction, relayed after commit."""

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Now


class OutboxEvent(models.Model):
    """One event that happened in a committed transaction, and whether it left yet.

    The row is written in the transaction that made the change (core/outbox.py), so
    the event exists exactly when the change does; the relay publishes it to Celery
    and sets `published_at`. Its id is the event's id on every delivery.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # What the event is about: "booking" or "payment" and that row's id. The topic
    # picks the task that dispatches it (OUTBOX_TASKS).
    topic = models.CharField(max_length=40)
    aggregate_id = models.BigIntegerField()
    event_type = models.CharField(max_length=60)
    data = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(db_default=Now())
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(db_default=0)
    last_error = models.TextField(blank=True, db_default="")
    # A row whose publication failed on its own (not a broker outage) waits this long.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # The id of the request that caused the event (core/logs.py): the tasks it runs log
    # under it.
    request_id = models.CharField(max_length=64, blank=True, db_default="")

    class Meta:
        indexes = [
            # The relay's queue: only the rows still to publish, oldest first.
            models.Index(
                fields=["created_at"],
                name="outbox_unpublished",
                condition=models.Q(published_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"{self.event_type} {self.topic}#{self.aggregate_id} ({self.id})"


class ExchangeRate(models.Model):
    """How many units of `currency` one unit of the base currency buys (EUR = 1).

    Only for ordering prices in different currencies against each other (the search's
    "lowest price" with no destination); a guest always sees and pays the hotel's own
    currency, so a stale rate can misorder results but never misprice a stay.
    """

    BASE = "EUR"

    currency = models.CharField(max_length=3, primary_key=True)
    per_base = models.DecimalField(
        max_digits=18,
        decimal_places=6,
        help_text="Units of this currency for one unit of the base currency (EUR).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(per_base__gt=0), name="exchange_rate_positive"
            )
        ]

    def __str__(self):
        return f"1 {self.BASE} = {self.per_base} {self.currency}"


class Heartbeat(models.Model):
    """When a periodic job last ran: the readiness check reads it (core/health.py)."""

    name = models.CharField(primary_key=True, max_length=60)
    beat_at = models.DateTimeField(db_default=Now())

    def __str__(self):
        return f"{self.name} at {self.beat_at}"
