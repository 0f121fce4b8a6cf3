from celery import shared_task

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
    """E-mail the guest that a payment came too late for the rooms and is refunded.

    In the booking's language, HTML and text, once per payment (booking/emails.py).
    """
    from booking.emails import send_once

    payment = Payment.objects.get(pk=payment_id)
    send_once(
        booking_id=payment.booking_id,
        kind="late_payment_refunded",
        key=f"payment-{payment.pk}-refunded",
        data={"amount": payment.amount},
    )
