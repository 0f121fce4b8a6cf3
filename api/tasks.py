from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models.functions import Now

from . import webhooks
from .models import IdempotencyKey


def on_booking_event(booking_id: int, event: str, data: dict) -> None:
    """A BOOKING_EVENT_HANDLERS entry: queue one delivery per endpoint of the partner."""
    ids = webhooks.deliveries_create(booking_id=booking_id, event=event, data=data)
    if ids:  # sent once the deliveries are committed (at once outside a transaction)
        transaction.on_commit(lambda: [deliver_webhook.delay(pk) for pk in ids])


@shared_task(name="api.tasks.deliver_webhook", ignore_result=True)
def deliver_webhook(delivery_id: str) -> None:
    """Try a webhook delivery; schedule the next try with backoff and jitter if it failed.

    The next try is a new message with a countdown (not Task.retry), so the attempt
    count lives in the delivery row, which the delivery log shows.
    """
    wait = webhooks.deliver(delivery_id)
    if wait is not None:
        deliver_webhook.apply_async(args=[delivery_id], countdown=wait)


@shared_task(name="api.tasks.purge_idempotency_keys", ignore_result=True)
def purge_idempotency_keys() -> int:
    """Delete Idempotency-Key records past their lifetime (they are ignored already)."""
    cutoff = Now() - timedelta(hours=settings.API_IDEMPOTENCY_KEY_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
