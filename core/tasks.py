from celery import shared_task

from . import outbox


@shared_task(name="core.tasks.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Publish outbox rows the relay process has left for a minute (a safety net)."""
    return outbox.drain(min_age=60)


@shared_task(name="core.tasks.purge_outbox", ignore_result=True)
def purge_outbox() -> int:
    """Delete outbox rows published more than OUTBOX_KEEP_DAYS ago."""
    return outbox.purge_published()
