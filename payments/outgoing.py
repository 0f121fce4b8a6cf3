"""Payment events told to other apps: rows of the payment's transaction (the outbox).

`publish()` writes the event in the current transaction (core/outbox.py); the relay
publishes it to `dispatch_payment_event`, which calls each handler in
`settings.PAYMENT_EVENT_HANDLERS` as `handler(booking_id, event, data)` with the
event's id in `booking.events.current_event_id()`. Delivery is at least once: a
handler dedupes (the late-refund e-mail is sent once per payment).
"""

from celery import shared_task
from django.conf import settings
from django.utils.module_loading import import_string

from booking.events import handling
from core import outbox

from .models import Payment

TOPIC = "payment"
REFUNDED_LATE = "payment.refunded_late"


def publish(payment_id: int, event: str, /, **data) -> str:
    """Record a payment event in the current transaction; return its id.

    Raises RuntimeError outside a transaction.
    """
    return outbox.write(
        topic=TOPIC, aggregate_id=payment_id, event_type=event, data=data
    )


def dispatch(payment_id: int, event: str, data: dict, event_id: str = "") -> None:
    """Hand one payment event to every configured handler."""
    booking_id = (
        Payment.objects.filter(pk=payment_id)
        .values_list("booking_id", flat=True)
        .first()
    )
    if booking_id is None:
        return
    with handling(event_id):
        for path in settings.PAYMENT_EVENT_HANDLERS:
            import_string(path)(booking_id, event, data)


# Named in settings.OUTBOX_TASKS: the relay publishes "payment" rows to it.
@shared_task(name="payments.tasks.dispatch_payment_event", ignore_result=True)
def dispatch_payment_event(
    payment_id: int, event: str, data: dict, event_id: str = ""
) -> None:
    """Hand one payment event from the outbox to PAYMENT_EVENT_HANDLERS."""
    dispatch(payment_id, event, data, event_id)
