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


class Heartbeat(models.Model):
    """When a periodic job last ran: the readiness check reads it (core/health.py)."""

    name = models.CharField(primary_key=True, max_length=60)
    beat_at = models.DateTimeField(db_default=Now())

    def __str__(self):
        return f"{self.name} at {self.beat_at}"
