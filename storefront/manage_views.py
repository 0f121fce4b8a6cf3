"""The guest changes or cancels a booking: see the price or the refund, then confirm.

Every view finds the booking through booking.access: a booking that is not this
guest's is a 404, whatever the URL or the form says.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from booking import access
from booking.models import BookingStatus
from booking.services import booking_change_quote
from booking.states import CHANGEABLE
from core.clock import db_now
from core.errors import Busy, DomainError, ErrorCode, ValidationError
from core.messages import message_for
from core.money import format_money
from payments.selectors import (
    booking_refund,
    cancellation_preview,
    change_refund_preview,
    change_settlement,
)
from payments.services import cancel_booking_and_refund, change_booking_and_refund
from search.forms import FIELD_FOR_CODE

from .book_views import booking_rate
from .booking_forms import CancelForm, ChangeForm


def _money(amount: int, booking) -> str:
    return format_money(amount, booking.currency, get_language() or "en")


@ratelimit(key="ip", rate=booking_rate, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def cancel_booking(request, reference):
    """Show what cancelling gives back now (hotel time); cancel when the guest confirms."""

    booking = access.get_booking_for(request, reference)
    if booking.status not in (BookingStatus.HELD, BookingStatus.CONFIRMED):
        return render(
            request, "booking/cannot_manage.html", {"booking": booking}, status=409
        )
    preview = cancellation_preview(booking, at=db_now())
    form = CancelForm(request.POST or None, initial={"expected_refund": preview.refund})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and form.cleaned_data["expected_refund"] != preview.refund:
            # A refund deadline passed since the page was shown: show the new figure.
            form = CancelForm(initial={"expected_refund": preview.refund})
            form.changed_refund = True
            status = 409
        elif form.is_valid():
            try:
                result = cancel_booking_and_refund(
                    booking_id=booking.pk,
                    reason=form.cleaned_data["reason"] or "Cancelled by the guest.",
                    created_by="guest (site)",
                )
            except DomainError as error:
                form.add_error(None, _cancel_refusal(error))
                status = 503 if isinstance(error, Busy) else 409
            else:
                refund = booking_refund(result.booking)
                if refund.amount and refund.by == "partner":
                    messages.success(
                        request,
                        _(
                            "Your booking is cancelled. %(partner)s, who took your "
                            "payment, pays %(amount)s back to you."
                        )
                        % {
                            "partner": refund.partner,
                            "amount": _money(refund.amount, booking),
                        },
                    )
                elif refund.amount:
                    messages.success(
                        request,
                        _(
                            "Your booking is cancelled. %(amount)s is on its way back "
                            "to your card."
                        )
                        % {"amount": _money(refund.amount, booking)},
                    )
                else:
                    messages.success(request, _("Your booking is cancelled."))
                return redirect("booking:detail", reference=booking.reference)
    context = {
        "booking": booking,
        "preview": preview,
        "form": form,
        "tz": booking.hotel.tz,
        "local_now": preview.at.astimezone(booking.hotel.tz),
    }
    return render(request, "booking/cancel.html", context, status=status)


def _cancel_refusal(error: DomainError) -> str:
    if error.code == ErrorCode.ILLEGAL_TRANSITION:
        return _("This booking can no longer be cancelled.")
    return message_for(error)


@ratelimit(key="ip", rate=booking_rate, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def change_booking(request, reference):
    """Show the new price and the difference for new dates or rooms; change on confirm."""

    booking = access.get_booking_for(request, reference)
    if booking.status not in CHANGEABLE:
        return render(
            request, "booking/cannot_manage.html", {"booking": booking}, status=409
        )
    posted = request.method == "POST"
    asked = posted or "check_in" in request.GET
    initial = {
        "check_in": booking.check_in,
        "check_out": booking.check_out,
        "rooms": booking.rooms,
        "adults": booking.adults,
        "children": booking.children,
    }
    form = ChangeForm(
        request.POST if posted else (request.GET if asked else None), initial=initial
    )
    context = {"booking": booking, "form": form, "tz": booking.hotel.tz}
    if not asked:
        return render(request, "booking/change.html", context)
    if not form.is_valid():
        return render(request, "booking/change.html", context, status=400)
    changes = form.changes()
    try:
        quote = booking_change_quote(booking_id=booking.pk, **changes)
    except DomainError as error:
        _add_change_error(form, error)
        return render(request, "booking/change.html", context, status=400)
    refund = change_refund_preview(booking, quote.difference, at=db_now())
    context.update(
        quote=quote,
        nights=list(zip(quote.stay.nights, quote.nightly_prices, strict=False)),
        settlement=change_settlement(booking, quote.difference, refund),
        new_total=_money(quote.new_total, booking),
        difference=_money(abs(quote.difference), booking),
        refund=_money(refund, booking),
        confirm=ChangeForm(initial={**changes, "expected_total": quote.new_total}),
    )
    if quote.problem is not None:
        context["problem"] = message_for(quote.problem)
        return render(request, "booking/change.html", context, status=409)
    if not posted:
        return render(request, "booking/change.html", context)
    try:
        result = change_booking_and_refund(
            booking_id=booking.pk,
            expected_total=form.cleaned_data.get("expected_total"),
            created_by="guest (site)",
            **changes,
        ).result
    except DomainError as error:
        context["problem"] = message_for(error)
        status = 503 if isinstance(error, Busy) else 409
        return render(request, "booking/change.html", context, status=status)
    messages.success(
        request,
        _("Your booking is changed. The new total is %(amount)s.")
        % {"amount": _money(result.new_total, booking)},
    )
    if (
        result.booking.status == BookingStatus.HELD
        and result.booking.payment_mode == "pay_now"
    ):
        return redirect("payments:pay", reference=booking.reference)
    return redirect("booking:detail", reference=booking.reference)


def _add_change_error(form: ChangeForm, error: DomainError) -> None:
    field = None
    if isinstance(error, ValidationError):
        field = FIELD_FOR_CODE.get(error.code)
    if error.code == ErrorCode.HOLD_EXPIRED:
        field = None
    form.add_error(field, message_for(error))


def open_booking(request, reference, token):
    """Open a booking from a link in its guest's e-mail, then go where the link says."""
    booking = access.open_with_token(request, reference, token)
    target = {
        "pay": "payments:pay",
        "review": "booking:review",
        "change": "booking:change",
        "cancel": "booking:cancel",
    }.get(request.GET.get("next", ""), "booking:detail")
    return redirect(target, reference=booking.reference)
