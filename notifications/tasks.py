"""The guest e-mails' handlers (BOOKING_EVENT_HANDLERS, PAYMENT_EVENT_HANDLERS) and the
task that sends each e-mail once, retried while SMTP is unreachable."""

from smtplib import SMTPException

from celery import shared_task

from .emails import email_for_event, send_once


def on_booking_event(booking_id: int, event: str, data: dict) -> None:
    """Queue the guest's e-mail about `event`, if the guest gets one for it."""
    email = email_for_event(event, data)
    if email is not None:
        kind, key = email
        send_booking_email.delay(booking_id, kind, key, data)


def on_payment_event(booking_id: int, event: str, data: dict) -> None:
    """E-mail the guest that a payment came too late for the rooms and is refunded.

    In the booking's language, HTML and text, once per payment.
    """
    if event == "payment.refunded_late":
        send_once(
            booking_id=booking_id,
            kind="late_payment_refunded",
            key=f"payment-{data['payment_id']}-refunded",
            data={"amount": data["amount"]},
        )


# The task's name keeps its first module's: queued messages name it so.
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
    return send_once(booking_id=booking_id, kind=kind, key=key, data=data)
