from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.utils.module_loading import import_string

from .events import handling
from .services import expire_overdue_holds as expire_overdue_holds_service


@shared_task(name="booking.tasks.expire_overdue_holds", ignore_result=True)
def expire_overdue_holds() -> int:
    """Release every overdue hold; safe when two workers or a redelivery run it at once."""
    return expire_overdue_holds_service()


@shared_task(name="booking.tasks.dispatch_booking_event", ignore_result=True)
def dispatch_booking_event(
    booking_id: int, event: str, data: dict, event_id: str = ""
) -> None:
    """Hand one booking event to every configured handler."""
    with handling(event_id):
        for path in settings.BOOKING_EVENT_HANDLERS:
            import_string(path)(booking_id, event, data)


@shared_task(
    name="booking.tasks.send_booking_email",
    ignore_result=True,
    autoretry_for=(SMTPException, OSError),  # connection trouble: try again later
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_booking_email(booking_id: int, kind: str, key: str, data: dict) -> bool:
    """Send one e-mail about a booking, once per (booking, key); retried if SMTP fails."""
    from .emails import send_once

    return send_once(booking_id=booking_id, kind=kind, key=key, data=data)
