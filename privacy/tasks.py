from celery import shared_task

from .dormancy import dormancy_apply
from .retention import retention_apply


@shared_task(name="privacy.tasks.apply_retention", ignore_result=True)
def apply_retention() -> int:
    """Anonymise the guest data of stays past the retention period, then warn and
    delete dormant guest accounts (idempotent)."""
    bookings = retention_apply().bookings
    dormancy_apply()
    return bookings
