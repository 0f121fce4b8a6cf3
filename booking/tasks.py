from celery import shared_task
from django.conf import settings
from django.utils.module_loading import import_string

from .services import expire_overdue_holds as expire_overdue_holds_service


@shared_task(name="booking.tasks.expire_overdue_holds", ignore_result=True)
def expire_overdue_holds() -> int:
    """Release every overdue hold; safe when two workers or a redelivery run it at once."""
    return expire_overdue_holds_service()


@shared_task(name="booking.tasks.dispatch_booking_event", ignore_result=True)
def dispatch_booking_event(booking_id: int, event: str, data: dict) -> None:
    """Hand one booking event to every configured handler."""
    for path in settings.BOOKING_EVENT_HANDLERS:
        import_string(path)(booking_id, event, data)
