from celery import shared_task
from django.conf import settings
from django.db.models.functions import Now

from . import webhooks
from .models import IdempotencyKey


@shared_task(
    bind=True, name="api.tasks.deliver_webhook", ignore_result=True, max_retries=None
)
def deliver_webhook(self, delivery_id: str) -> None:
    """Try a webhook delivery; schedule the next try with backoff and jitter if it failed."""
    wait = webhooks.deliver(delivery_id)
    if wait is not None:
        raise self.retry(countdown=wait)


@shared_task(name="api.tasks.purge_idempotency_keys", ignore_result=True)
def purge_idempotency_keys() -> int:
    """Delete Idempotency-Key records past their lifetime (they are ignored already)."""
    from datetime import timedelta

    cutoff = Now() - timedelta(hours=settings.API_IDEMPOTENCY_KEY_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
