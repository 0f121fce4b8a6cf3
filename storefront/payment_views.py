"""The guest's payment pages and Stripe's webhook endpoint: thin, services do the work."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, to_locale
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from booking.access import get_booking_for
from booking.models import Booking, BookingStatus
from core.errors import DomainError, ErrorCode, IllegalTransition
from core.messages import message_for
from core.money import format_money
from payments import services
from payments.errors import PaymentDeclined, PaymentUnavailable
from payments.gateways import (
    GatewayError,
    GatewayUnavailable,
    InvalidSignature,
    get_gateway,
)
from payments.gateways.simulator import TEST_CARDS
from payments.models import Payment
from summaries.booking import booking_summary

from .payment_forms import TestCardForm

logger = logging.getLogger(__name__)


def _context(request, booking: Booking, **extra) -> dict:
    try:
        gateway = get_gateway()
    except GatewayError:
        gateway = None
    hotel = booking.hotel
    held_until = booking.held_until.astimezone(hotel.tz) if booking.held_until else None
    return {
        "booking": booking,
        "hotel": hotel,
        "gateway": gateway,
        "test_mode": gateway is not None and gateway.test_mode,
        "pay_at_hotel": booking.payment_mode == "pay_at_hotel",
        "amount": format_money(
            booking.total, booking.currency, to_locale(get_language() or "en")
        ),
        "held_until": held_until,
        "held_until_text": f"{held_until:%H:%M}" if held_until else "",
        "test_cards": TEST_CARDS,
        **extra,
    }


@sensitive_post_parameters("card_number")
@require_http_methods(["GET", "POST"])
def pay(request, reference: str):
    booking = get_booking_for(request, reference)
    if booking.status != BookingStatus.HELD:
        return redirect("payments:done", reference=booking.reference)
    try:
        payment = services.payment_start(booking_id=booking.pk)
    except PaymentUnavailable as error:
        return _unavailable(request, booking, error)
    except IllegalTransition as error:
        return render(
            request,
            "payments/pay.html",
            _context(
                request,
                booking,
                closed=message_for(error),
                expired=error.code == ErrorCode.HOLD_EXPIRED,
            ),
            status=409,
        )
    except DomainError as error:
        return _unavailable(request, booking, error)
    if payment.status == Payment.Status.SUCCEEDED:
        return redirect("payments:done", reference=booking.reference)
    gateway = get_gateway(payment.gateway)
    form = None
    if gateway.has_authentication_page:
        form = TestCardForm(request.POST or None)
    if request.method == "POST" and form is not None and form.is_valid():
        done_url = request.build_absolute_uri(
            reverse("payments:done", args=[booking.reference])
        )
        try:
            payment = services.payment_confirm(
                booking_id=booking.pk,
                payment_method=form.cleaned_data["card_number"],
                return_url=done_url,
            )
        except PaymentDeclined as error:
            form.add_error("card_number", message_for(error))
        except PaymentUnavailable as error:
            return _unavailable(request, booking, error)
        except DomainError as error:
            form.add_error(None, message_for(error))
        else:
            if payment.status == Payment.Status.REQUIRES_ACTION:
                return redirect("payments:authenticate", reference=booking.reference)
            return redirect("payments:done", reference=booking.reference)
        booking.refresh_from_db()
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "payments/pay.html",
        _context(request, booking, payment=payment, form=form),
        status=status,
    )


def _unavailable(request, booking: Booking, error: DomainError) -> HttpResponse:
    response = render(
        request,
        "payments/pay.html",
        _context(request, booking, unavailable=message_for(error)),
        status=503,
    )
    response["Retry-After"] = "60"
    return response


@require_http_methods(["GET", "POST"])
def authenticate(request, reference: str):
    """The test gateway's stand-in for the bank's authentication page (no JS)."""
    booking = get_booking_for(request, reference)
    payment = booking.payments.filter(status=Payment.Status.REQUIRES_ACTION).first()
    if payment is None or not get_gateway(payment.gateway).has_authentication_page:
        return redirect("payments:pay", reference=booking.reference)
    error = ""
    if request.method == "POST":
        try:
            services.payment_authenticate(
                booking_id=booking.pk, approve=request.POST.get("action") == "approve"
            )
        except PaymentUnavailable as failure:
            return _unavailable(request, booking, failure)
        except DomainError as failure:
            error = message_for(failure)
        else:
            return redirect("payments:done", reference=booking.reference)
    return render(
        request,
        "payments/authenticate.html",
        _context(request, booking, payment=payment, error=error),
        status=400 if error else 200,
    )


def done(request, reference: str):
    """Where the guest lands after paying (also Stripe's return_url)."""
    booking = get_booking_for(request, reference)
    payment = booking.payments.exclude(kind=Payment.Kind.NO_SHOW_FEE).first()
    if payment is not None and payment.status not in (
        Payment.Status.SUCCEEDED,
        Payment.Status.CANCELED,
    ):
        try:  # back from Stripe before its webhook: ask once
            payment = services.payment_refresh(payment_id=payment.pk)
        except (GatewayUnavailable, GatewayError, DomainError):
            logger.info("done page: could not refresh payment %s", payment.pk)
        booking.refresh_from_db()
    return render(
        request,
        "payments/done.html",
        _context(
            request,
            booking,
            payment=payment,
            R=Payment.Resolution,
            summary=booking_summary(booking),
        ),
    )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events: signature first (400 if bad or stale), then stored and applied."""
    try:
        gateway = get_gateway("stripe")
        event = gateway.verify_event(
            request.body, request.headers.get("Stripe-Signature", "")
        )
    except (GatewayError, InvalidSignature):
        return HttpResponseBadRequest("Invalid signature.")
    try:
        row = services.event_receive(gateway="stripe", event=event)
    except DomainError as error:  # Busy: Stripe delivers again later
        status = 503 if error.retryable or error.code == ErrorCode.BUSY else 409
        return JsonResponse({"received": False, "detail": error.message}, status=status)
    return JsonResponse({"received": True, "outcome": row.outcome})
