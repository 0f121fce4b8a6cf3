"""Pay at hotel: the card kept by a SetupIntent, charged the fee of a no-show.

Marking a booking a no-show (its booking.no_show event) charges the fee: the event's
handler records the fee's payment (`no_show_fee_record`), and a task sends it to the
gateway after that commits (`no_show_fee_submit`); the reconciliation sweep sends a
fee whose task was lost, with the same idempotency key. A person can charge again
from the admin (another amount, or after a decline) with `charge_no_show_fee`.
"""

import logging

from django.db import transaction

from booking.models import Booking, BookingStatus
from core.errors import ErrorCode, IllegalTransition, ValidationError

from ..errors import PaymentDeclined, PaymentRefused, PaymentUnavailable
from ..gateways import CardDeclined, GatewayError, GatewayUnavailable
from ..models import Payment
from .intents import intent_create, payment_sync
from .lookup import booking_for_payment
from .queueing import SUBMIT_NO_SHOW_FEE, queue_task
from .serial import booking_serial

logger = logging.getLogger(__name__)


def _kept_card(booking: Booking) -> Payment | None:
    return (
        booking.payments.filter(
            kind=Payment.Kind.GUARANTEE, status=Payment.Status.SUCCEEDED
        )
        .exclude(payment_method_id="")
        .order_by("-pk")
        .first()
    )


def _fee_payment(booking: Booking, card: Payment, amount: int) -> Payment:
    return Payment.objects.create(
        booking=booking,
        booking_reference=booking.reference,
        kind=Payment.Kind.NO_SHOW_FEE,
        amount=amount,
        currency=booking.currency,
        gateway=card.gateway,
        customer_id=card.customer_id,
        payment_method_id=card.payment_method_id,
    )


def _send(payment: Payment, booking: Booking) -> Payment:
    """Charge the fee at the gateway, off session. Raises PaymentDeclined,
    PaymentUnavailable or PaymentRefused."""
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


def no_show_fee_record(*, booking_id: int) -> Payment | None:
    """Record the fee a booking just marked a no-show owes; its charge is queued.

    The booking.no_show event's handler calls this. The fee is the first night (all
    rooms), charged to the card kept as the booking's guarantee, once per booking
    however often the event arrives: a declined card stays declined for a person (the
    admin's "charge the no-show fee"). Return the fee's payment, or None when there
    is nothing to charge (no card was kept, or the booking is no longer a no-show).
    """
    mode = (
        Booking.objects.filter(pk=booking_id)
        .values_list("payment_mode", flat=True)
        .first()
    )
    if mode != "pay_at_hotel":
        return None  # paid online, or gone: no card to charge
    with booking_serial(booking_id):
        booking = booking_for_payment(booking_id)
        if booking.status != BookingStatus.NO_SHOW:
            return None
        earlier = (
            booking.payments.filter(kind=Payment.Kind.NO_SHOW_FEE)
            .order_by("pk")
            .first()
        )
        if earlier is not None:
            return earlier
        card = _kept_card(booking)
        if card is None:
            return None
        with transaction.atomic():
            fee = _fee_payment(booking, card, booking.nightly_prices[0] * booking.rooms)
            # Sent once the row is committed: a lost message leaves a pending payment
            # with no intent, which the sweep sends with the same key.
            transaction.on_commit(lambda: queue_task(SUBMIT_NO_SHOW_FEE, fee.pk))
    return fee


def no_show_fee_submit(*, payment_id: int) -> Payment:
    """Send a recorded no-show fee to its gateway, once (safe to repeat).

    Never raises for a decline (the payment is left failed, for a person) or an outage
    (the sweep sends it again with the same idempotency key).
    """
    booking_id = (
        Payment.objects.filter(pk=payment_id).values_list("booking_id", flat=True).get()
    )
    with booking_serial(booking_id):
        payment = Payment.objects.get(pk=payment_id)
        if payment.gateway_id or payment.status != Payment.Status.PENDING:
            return payment  # sent already: its events and the sweep finish it
        try:
            return _send(payment, booking_for_payment(booking_id))
        except (PaymentDeclined, PaymentRefused, PaymentUnavailable) as error:
            logger.warning(
                "No-show fee %s of booking %s not charged: %s",
                payment_id,
                booking_id,
                error.code,
            )
    return Payment.objects.get(pk=payment_id)


def charge_no_show_fee(
    *, booking_id: int, amount: int | None = None, created_by: str = ""
) -> Payment:
    """Charge the kept card of a no-show booking, off session; once per booking.

    The fee defaults to the first night (all rooms), and may not exceed the booking's
    total; a fee that failed may be charged again. Raises NotFound, IllegalTransition
    (not a no-show), ValidationError (NO_CARD_ON_FILE, a bad amount), PaymentDeclined
    or PaymentUnavailable.
    """
    with booking_serial(booking_id):
        booking = booking_for_payment(booking_id)
        if booking.status != BookingStatus.NO_SHOW:
            raise IllegalTransition(
                ErrorCode.ILLEGAL_TRANSITION,
                "Mark the booking as a no-show before charging the fee.",
            )
        card = _kept_card(booking)
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
        return _send(_fee_payment(booking, card, amount), booking)
