from celery import shared_task

from .services import expire_overdue_holds as expire_overdue_holds_service


@shared_task(name="booking.tasks.expire_overdue_holds", ignore_result=True)
def expire_overdue_holds() -> int:
    """Release every overdue hold; safe when two workers or a redelivery run it at once."""
    return expire_overdue_holds_service()
