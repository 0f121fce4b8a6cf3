"""The full-refund cancellation a hotel closure offers its guests, from their e-mail.

The e-mail's link opens a page with one button, a plain form (no JavaScript): a GET
never cancels, because mail scanners and link previews open links by themselves. The
POST cancels through payments' one cancellation path with the closure's override, so
clicking twice (or two tabs) cancels and refunds once.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from booking import access
from booking.models import BookingStatus
from core.errors import Busy, DomainError, ErrorCode
from core.messages import message_for
from core.money import format_money
from hotels.models import HotelClosure
from payments.selectors import booking_refund
from payments.services import cancel_booking_and_refund

from .book_views import booking_rate


@ratelimit(key="ip", rate=booking_rate, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def closure_cancel(request, reference, closure_id, token):
    """Show the closure's free cancellation; cancel with a full refund on confirm."""
    booking = access.booking_for_closure_link(reference, closure_id, token)
    access.remember(request, booking)  # the link is as good as the guest's own
    closure = HotelClosure.objects.filter(pk=closure_id, hotel=booking.hotel).first()
    status = 200
    error = ""
    if request.method == "POST":
        try:
            result = cancel_booking_and_refund(
                booking_id=booking.pk,
                reason="Cancelled by the guest: the hotel closed.",
                created_by="guest (closure link)",
                closure_id=closure_id,
            )
        except DomainError as refusal:
            error = _refusal(refusal)
            status = 503 if isinstance(refusal, Busy) else 409
        else:
            refund = booking_refund(result.booking)
            if refund.amount and refund.by != "partner":
                amount = format_money(
                    refund.amount, booking.currency, get_language() or "en"
                )
                messages.success(
                    request,
                    _(
                        "Your booking is cancelled. %(amount)s is on its way back to your card."
                    )
                    % {"amount": amount},
                )
            else:
                messages.success(request, _("Your booking is cancelled."))
            return redirect("booking:detail", reference=booking.reference)
        booking.refresh_from_db()
    context = {
        "booking": booking,
        "closure": closure,
        "live": closure is not None and closure.lifted_at is None,
        "cancellable": booking.status in (BookingStatus.HELD, BookingStatus.CONFIRMED),
        "refund": booking_refund(booking),
        "error": error,
    }
    return render(request, "booking/closure_cancel.html", context, status=status)


def _refusal(error: DomainError) -> str:
    if error.code == ErrorCode.CLOSURE_LIFTED:
        return _(
            "The hotel has reopened for your dates, so this link no longer cancels "
            "free of charge. You can still cancel under the booking's policy."
        )
    if error.code == ErrorCode.ILLEGAL_TRANSITION:
        return _("This booking can no longer be cancelled.")
    return message_for(error)
