from celery import shared_task

from .retention import retention_apply


@shared_task(name="privacy.tasks.apply_retention", ignore_result=True)
def apply_retention() -> int:
    """Anonymise the guest data of stays past the retention period (idempotent)."""
    return retention_apply().bookings
