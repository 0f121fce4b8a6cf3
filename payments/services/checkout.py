"""The guest pays: a payment started for a held booking, confirmed, authenticated.

Pay now takes the money with a PaymentIntent; pay at hotel keeps the card with a
SetupIntent. One intent serves every attempt; a decline keeps the hold for another card.
"""

import contextlib

from django.db.models import F
from django.utils.translation import gettext_noop

from booking.models import Booking, BookingStatus
from booking.services import booking_extend_hold
from core.clock import db_now
from core.errors import DomainError, ErrorCode, IllegalTransition
from inventory.models import RatePlan

from ..errors import PaymentDeclined, PaymentRefused, PaymentUnavailable
from ..gateways import CardDeclined, GatewayError, GatewayUnavailable, get_gateway
from ..models import Payment
from .intents import (
    OPEN,
    TERMINAL,
    intent_abandon,
    intent_create,
    payment_refresh,
    payment_settle,
    payment_sync,
)
from .lookup import booking_for_payment
from .serial import booking_serial

S = Payment.Status


def unavailable(booking: Booking) -> PaymentUnavailable:
    """Return the guest's answer when the gateway is down: the rooms wait until HH:MM."""
    until = (
        booking.held_until.astimezone(booking.hotel.tz) if booking.held_until else None
    )
    message = "Payment is unavailable right now."
    if until and booking.status == BookingStatus.HELD:
        message += f" Your rooms are held until {until:%H:%M} (hotel time)."
    return PaymentUnavailable(
        ErrorCode.PAYMENT_UNAVAILABLE,
        message,
        held_until=booking.held_until,
        until=f"{until:%H:%M}"
        if until and booking.status == BookingStatus.HELD
        else "",
    )


def payment_kind(booking: Booking) -> str:
    if booking.payment_mode == RatePlan.PaymentMode.PAY_AT_HOTEL:
        return Payment.Kind.GUARANTEE
    return Payment.Kind.CHARGE


def payment_start(*, booking_id: int) -> Payment:
    """Return the open payment of a held booking, creating its gateway intent once.

    One PaymentIntent (pay now) or SetupIntent (pay at hotel) serves every attempt.
    Raises NotFound, IllegalTransition (PAYMENT_NOT_NEEDED, HOLD_EXPIRED),
    PaymentUnavailable or PaymentRefused.
    """
    with booking_serial(booking_id):
        booking = booking_for_payment(booking_id)
        if booking.status != BookingStatus.HELD:
            raise IllegalTransition(
                ErrorCode.PAYMENT_NOT_NEEDED,
                gettext_noop("This booking is not waiting for a payment."),
                status=booking.status,
            )
        if booking.held_until <= db_now():
            raise IllegalTransition(
                ErrorCode.HOLD_EXPIRED, "The hold on these rooms has expired."
            )
        kind = payment_kind(booking)
        paid = booking.payments.filter(kind=kind, status=S.SUCCEEDED).first()
        if paid is not None:
            # Paid, its settling interrupted (Busy, a crash): finish it, never ask again.
            return payment_settle(payment_id=paid.pk)
        try:
            gateway = get_gateway()
        except GatewayError as error:
            raise PaymentRefused(ErrorCode.PAYMENT_REFUSED, error.message) from error
        payment = (
            booking.payments.filter(kind=kind, status__in=OPEN, gateway=gateway.name)
            .order_by("-pk")
            .first()
        )
        if (
            payment
            and kind == Payment.Kind.CHARGE
            and (
                payment.amount != booking.total or payment.currency != booking.currency
            )
        ):
            # The booking changed: a new intent for the new total.
            intent_abandon(payment=payment)
            payment = None
        if payment is None:
            payment = Payment.objects.create(
                booking=booking,
                booking_reference=booking.reference,
                kind=kind,
                amount=booking.total if kind == Payment.Kind.CHARGE else 0,
                currency=booking.currency,
                gateway=gateway.name,
            )
        if not payment.gateway_id:
            try:
                payment = intent_create(payment=payment, booking=booking)
            except GatewayUnavailable as error:
                raise unavailable(booking) from error
            except GatewayError as error:
                raise PaymentRefused(
                    ErrorCode.PAYMENT_REFUSED, error.message
                ) from error
        return payment


def payment_confirm(
    *, booking_id: int, payment_method: str, return_url: str
) -> Payment:
    """Pay (or keep a card) with a gateway payment-method token, and settle the booking.

    A decline keeps the hold (extended at most BOOKING_HOLD_MAX_EXTENSIONS times, so
    retrying cannot keep rooms forever). Raises what payment_start raises, and
    PaymentDeclined.
    """
    with booking_serial(booking_id):
        paid = Payment.objects.filter(
            booking_id=booking_id,
            kind__in=[Payment.Kind.CHARGE, Payment.Kind.GUARANTEE],
            status=S.SUCCEEDED,
        ).first()
        if paid is not None:  # a double click, or another tab: already paid
            return payment_settle(payment_id=paid.pk)
        payment = payment_start(booking_id=booking_id)
        if payment.status in TERMINAL:
            return payment
        Payment.objects.filter(pk=payment.pk).update(attempts=F("attempts") + 1)
        payment.refresh_from_db(fields=["attempts"])
        gateway = get_gateway(payment.gateway)
        confirm = (
            gateway.confirm_setup_intent
            if payment.kind == Payment.Kind.GUARANTEE
            else gateway.confirm_payment_intent
        )
        try:
            intent = confirm(
                payment.gateway_id,
                payment_method=payment_method,
                return_url=return_url,
                idempotency_key=f"{payment.idempotency_prefix}-confirm-{payment.attempts}",
            )
        except CardDeclined as error:
            _declined(payment, error)
        except GatewayUnavailable as error:
            raise unavailable(booking_for_payment(booking_id)) from error
        except GatewayError as error:
            # E.g. the intent already succeeded in another tab: the gateway knows best.
            payment = payment_refresh(payment_id=payment.pk)
            if payment.status in TERMINAL:
                return payment
            raise PaymentRefused(ErrorCode.PAYMENT_REFUSED, error.message) from error
        return payment_sync(payment_id=payment.pk, intent=intent)


def payment_authenticate(*, booking_id: int, approve: bool) -> Payment:
    """Finish the test gateway's authentication step (the bank's page, simulated).

    Raises NotFound, IllegalTransition, PaymentDeclined or PaymentUnavailable.
    """
    with booking_serial(booking_id):
        payment = (
            Payment.objects.filter(booking_id=booking_id, status=S.REQUIRES_ACTION)
            .order_by("-pk")
            .first()
        )
        if payment is None:
            raise IllegalTransition(
                ErrorCode.ILLEGAL_TRANSITION,
                gettext_noop("No payment is waiting for authentication."),
            )
        gateway = get_gateway(payment.gateway)
        try:
            intent = gateway.authenticate(payment.gateway_id, approve=approve)
        except CardDeclined as error:
            _declined(payment, error)
        except GatewayUnavailable as error:
            raise unavailable(booking_for_payment(booking_id)) from error
        except GatewayError as error:
            raise PaymentRefused(ErrorCode.PAYMENT_REFUSED, error.message) from error
        return payment_sync(payment_id=payment.pk, intent=intent)


def _declined(payment: Payment, error: CardDeclined):
    if error.intent is not None:
        payment_sync(payment_id=payment.pk, intent=error.intent)
    # At the cap, or with the hold gone, the guest keeps what is left of it.
    with contextlib.suppress(DomainError):
        booking_extend_hold(booking_id=payment.booking_id)
    raise PaymentDeclined(
        ErrorCode.PAYMENT_DECLINED, error.message, decline_code=error.code
    )


__all__ = [
    "payment_authenticate",
    "payment_confirm",
    "payment_start",
]
