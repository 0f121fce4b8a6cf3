from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from core.money import format_money


@shared_task(name="payments.tasks.reconcile_payments", ignore_result=True)
def reconcile_payments() -> dict:
    """Heal lost webhooks and interrupted payments, and retry due refunds."""
    from .services import reconcile_payments as reconcile

    report = reconcile()
    return {"events": report.events, "payments": report.payments}


@shared_task(name="payments.tasks.submit_refund", ignore_result=True)
def submit_refund(refund_id: int) -> None:
    """Send one refund to the gateway; a failure is retried by the sweep with backoff."""
    from .services import refund_submit

    refund_submit(refund_id=refund_id)


@shared_task(name="payments.tasks.tell_guest_refunded", ignore_result=True)
def tell_guest_refunded(payment_id: int) -> None:
    """E-mail the guest that a payment came too late for the rooms and is refunded."""
    from .models import Payment

    payment = Payment.objects.select_related("booking__hotel").get(pk=payment_id)
    booking = payment.booking
    amount = format_money(payment.amount, payment.currency)
    send_mail(
        subject=f"Your booking {booking.reference} could not be kept",
        message=(
            f"Dear {booking.guest_name},\n\n"
            f"Your payment for booking {booking.reference} at {booking.hotel.name} "
            "arrived after the rooms were no longer available, so the booking could not "
            f"be confirmed. We have refunded the full {amount}; it reaches your card "
            "within 5 to 10 days.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[booking.guest_email],
    )
