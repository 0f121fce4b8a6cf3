from celery import shared_task

from booking.events import BookingEvent

from .models import Payment
from .outgoing import REFUNDED_LATE, dispatch, dispatch_payment_event
from .services import no_show_fee_record, no_show_fee_submit, refund_submit
from .services import reconcile_payments as reconcile_payments_service

# Defined beside publish() so that services import no task module; listed here so the
# worker's autodiscovery (which imports each app's tasks) registers it.
__all__ = [
    "dispatch_payment_event",
    "on_booking_event",
    "reconcile_payments",
    "submit_no_show_fee",
    "submit_refund",
    "tell_guest_refunded",
]


def on_booking_event(booking_id: int, event: str, data: dict) -> None:
    """A BOOKING_EVENT_HANDLERS entry: a no-show pays its fee from the card it kept.

    Called in a worker by booking.events.dispatch_booking_event, at least once per
    event: the fee is recorded once per booking, whatever the deliveries, and sent
    by submit_no_show_fee once recorded.
    """
    if event == BookingEvent.NO_SHOW:
        no_show_fee_record(booking_id=booking_id)


@shared_task(name="payments.tasks.submit_no_show_fee", ignore_result=True)
def submit_no_show_fee(payment_id: int) -> None:
    """Charge one recorded no-show fee; a lost or failed send is the sweep's to retry."""
    no_show_fee_submit(payment_id=payment_id)


@shared_task(name="payments.tasks.reconcile_payments", ignore_result=True)
def reconcile_payments() -> dict:
    """Heal lost webhooks and interrupted payments, and retry due refunds."""
    report = reconcile_payments_service()
    return {"events": report.events, "payments": report.payments}


@shared_task(name="payments.tasks.submit_refund", ignore_result=True)
def submit_refund(refund_id: int) -> None:
    """Send one refund to the gateway; a failure is retried by the sweep with backoff."""
    refund_submit(refund_id=refund_id)


# Queued before the outbox carried payment events (payment_settle writes a
# REFUNDED_LATE row now); kept so that messages already queued still find it.
@shared_task(name="payments.tasks.tell_guest_refunded", ignore_result=True)
def tell_guest_refunded(payment_id: int) -> None:
    """Tell PAYMENT_EVENT_HANDLERS that a payment came too late and is refunded."""
    payment = Payment.objects.get(pk=payment_id)
    data = {"payment_id": payment.pk, "amount": payment.amount}
    dispatch(payment.pk, REFUNDED_LATE, data)
