"""Pay at hotel: the card kept by a SetupIntent, charged by the hotel for a no-show."""

from booking.models import BookingStatus
from core.errors import ErrorCode, IllegalTransition, ValidationError

from ..errors import PaymentDeclined, PaymentRefused, PaymentUnavailable
from ..gateways import CardDeclined, GatewayError, GatewayUnavailable
from ..models import Payment
from .intents import intent_create, payment_sync
from .lookup import booking_for_payment
from .serial import booking_serial


def charge_no_show_fee(
    *, booking_id: int, amount: int | None = None, created_by: str = ""
) -> Payment:
    """Charge the kept card of a no-show booking, off session; once per booking.

    The fee defaults to the first night (all rooms), and may not exceed the booking's
    total. Raises NotFound, IllegalTransition (not a no-show), ValidationError
    (NO_CARD_ON_FILE, a bad amount), PaymentDeclined or PaymentUnavailable.
    """
    with booking_serial(booking_id):
        booking = booking_for_payment(booking_id)
        if booking.status != BookingStatus.NO_SHOW:
            raise IllegalTransition(
                ErrorCode.ILLEGAL_TRANSITION,
                "Mark the booking as a no-show before charging the fee.",
            )
        card = (
            booking.payments.filter(
                kind=Payment.Kind.GUARANTEE, status=Payment.Status.SUCCEEDED
            )
            .exclude(payment_method_id="")
            .order_by("-pk")
            .first()
        )
        if card is None:
            raise ValidationError(
                ErrorCode.NO_CARD_ON_FILE, "No card was kept for this booking."
            )
        fee = booking.payments.filter(kind=Payment.Kind.NO_SHOW_FEE).exclude(
            status__in=[Payment.Status.FAILED, Payment.Status.CANCELED]
        )
        existing = fee.first()
        if existing is not None:
            return existing
        if amount is None:
            amount = booking.nightly_prices[0] * booking.rooms
        if not 0 < amount <= booking.total:
            raise ValidationError(
                ErrorCode.INVALID_INVENTORY_CHANGE,
                "The fee must be more than zero and at most the booking's total.",
                maximum=booking.total,
            )
        payment = Payment.objects.create(
            booking=booking,
            booking_reference=booking.reference,
            kind=Payment.Kind.NO_SHOW_FEE,
            amount=amount,
            currency=booking.currency,
            gateway=card.gateway,
            customer_id=card.customer_id,
            payment_method_id=card.payment_method_id,
        )
        try:
            return intent_create(payment=payment, booking=booking)
        except CardDeclined as error:
            if error.intent is not None:
                Payment.objects.filter(pk=payment.pk).update(gateway_id=error.intent.id)
                payment_sync(payment_id=payment.pk, intent=error.intent)
            raise PaymentDeclined(
                ErrorCode.PAYMENT_DECLINED, error.message, decline_code=error.code
            ) from error
        except GatewayUnavailable as error:
            raise PaymentUnavailable(
                ErrorCode.PAYMENT_UNAVAILABLE,
                "Payment is unavailable right now; the sweep will retry this charge.",
            ) from error
        except GatewayError as error:
            raise PaymentRefused(ErrorCode.PAYMENT_REFUSED, error.message) from error
