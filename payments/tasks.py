from celery import shared_task
from django.conf import settings
from django.utils.module_loading import import_string

from .models import Payment
from .services import reconcile_payments as reconcile_payments_service
from .services import refund_submit


@shared_task(name="payments.tasks.reconcile_payments", ignore_result=True)
def reconcile_payments() -> dict:
    """Heal lost webhooks and interrupted payments, and retry due refunds."""
    report = reconcile_payments_service()
    return {"events": report.events, "payments": report.payments}


@shared_task(name="payments.tasks.submit_refund", ignore_result=True)
def submit_refund(refund_id: int) -> None:
    """Send one refund to the gateway; a failure is retried by the sweep with backoff."""
    refund_submit(refund_id=refund_id)


@shared_task(name="payments.tasks.tell_guest_refunded", ignore_result=True)
def tell_guest_refunded(payment_id: int) -> None:
    """Tell PAYMENT_EVENT_HANDLERS that a payment came too late and is refunded.

    The guest's e-mail hangs there (notifications.tasks.on_payment_event); a handler
    may run twice (a redelivered task) and must be idempotent.
    """
    payment = Payment.objects.get(pk=payment_id)
    data = {"payment_id": payment.pk, "amount": payment.amount}
    for path in settings.PAYMENT_EVENT_HANDLERS:
        import_string(path)(payment.booking_id, "payment.refunded_late", data)
