from celery import shared_task

from .models import Payment
from .outgoing import REFUNDED_LATE, dispatch, dispatch_payment_event
from .services import reconcile_payments as reconcile_payments_service
from .services import refund_submit

# Defined beside publish() so that services import no task module; listed here so the
# worker's autodiscovery (which imports each app's tasks) registers it.
__all__ = [
    "dispatch_payment_event",
    "reconcile_payments",
    "submit_refund",
    "tell_guest_refunded",
]


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
