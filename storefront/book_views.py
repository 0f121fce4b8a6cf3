"""Booking on the site: a rate's Reserve button → guest details → hold → payment."""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from booking import access
from booking.caps import Visitor
from booking.models import Booking
from booking.services import GuestDetails, booking_hold, booking_quote
from core.clientaddr import client_address
from core.errors import (
    Busy,
    DomainError,
    ErrorCode,
    LimitReached,
    NotFound,
    ValidationError,
)
from core.messages import message_for
from hotels.policies import refund_schedule
from inventory.models import RatePlan

from .booking_forms import GuestForm, ReserveForm

# A guest-details error from the engine shown next to the field it is about.
_GUEST_FIELDS = ("name", "email", "phone", "special_requests")


def booking_rate(group, request):
    return settings.RATELIMIT_BOOKING


def idempotency_scope(request) -> str:
    """Return the scope of this browser's idempotency keys: its account or session."""
    if request.user.is_authenticated:
        return f"site-user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
        request.session.modified = True  # so the cookie goes out with this response
    return f"site-session:{request.session.session_key}"


def _initial_guest(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {"name": user.get_full_name(), "email": user.email}


@ratelimit(key="ip", rate=booking_rate, method="POST", block=True)
@require_http_methods(["GET", "POST"])
def new_booking(request):
    """Show the stay and its price with the guest form; on POST, hold the rooms.

    A POST goes straight to booking_hold (which checks everything again under lock);
    the stay is priced for the page only when the page is shown.
    """
    posted = request.method == "POST"
    reserve = ReserveForm(request.POST if posted else request.GET)
    if not reserve.is_valid():
        return _cannot_book(
            request, _("This booking link is incomplete. Choose a room again.")
        )
    data = reserve.cleaned_data
    if not data.get("key"):
        data["key"] = secrets.token_urlsafe(18)
    stay = reserve.stay()
    scope = idempotency_scope(request)
    guest_form = GuestForm(
        request.POST if posted else None, initial=_initial_guest(request)
    )
    refusal = None
    if posted and guest_form.is_valid():
        try:
            booking = booking_hold(
                rate_plan_id=data["rate_plan"],
                stay=stay,
                guest=GuestDetails(**guest_form.cleaned_data),
                source="site",
                user=request.user if request.user.is_authenticated else None,
                idempotency_scope=scope,
                idempotency_key=data["key"],
                language=get_language() or "",
                visitor=Visitor(
                    session_key=request.session.session_key or "",
                    address=client_address(request),
                ),
            )
        except DomainError as error:
            refusal = error
        else:
            access.remember(request, booking)
            return redirect("payments:pay", reference=booking.reference)
    if getattr(refusal, "code", None) == ErrorCode.SOLD_OUT:
        # A rush's many "sold out": a small page, no quote, no form to fill in vain.
        return _cannot_book(
            request,
            message_for(refusal),
            plan_id=data["rate_plan"],
            status=409,
            stay=stay,
        )
    try:
        quote = booking_quote(rate_plan_id=data["rate_plan"], stay=stay)
    except NotFound:
        return _cannot_book(
            request, _("We could not find that room. Choose a room again."), status=404
        )
    except DomainError as error:  # bad dates or guests, a rate no longer on sale
        return _cannot_book(request, message_for(error), plan_id=data["rate_plan"])
    hotel = quote.rate_plan.room_type.hotel
    context = {
        "quote": quote,
        "plan": quote.rate_plan,
        "hotel": hotel,
        "stay": stay,
        "reserve": ReserveForm(initial=data),
        "form": guest_form,
        "nights": list(zip(stay.nights, quote.nightly_prices, strict=False)),
        "refund_steps": refund_schedule(
            quote.rate_plan.policy_snapshot,
            check_in=stay.check_in,
            tz=hotel.tz,
            at=quote.quoted_at,
        ),
        "hold_minutes": settings.BOOKING_HOLD_MINUTES,
        "back_url": _hotel_url(hotel, stay),
    }
    if not posted:
        return render(request, "booking/new.html", context)
    if refusal is None:  # the guest form has errors
        return render(request, "booking/new.html", context, status=400)
    if isinstance(refusal, ValidationError):
        return _refused_details(request, context, refusal, scope, data)
    context["problem"] = message_for(refusal)
    if isinstance(refusal, LimitReached):
        # What to do about it: their own holds, to pay for or to release.
        context["holds"] = access.live_holds_for(request)
        response = render(request, "booking/new.html", context, status=429)
        if refusal.retryable:
            response["Retry-After"] = str(refusal.params["retry_after"])
        return response
    if isinstance(refusal, Busy):
        response = render(request, "booking/new.html", context, status=503)
        response["Retry-After"] = "5"
        return response
    return render(request, "booking/new.html", context, status=409)


def _hotel_url(hotel, stay) -> str:
    """Return the hotel's page priced for `stay`: where "choose another room" goes."""
    query = urlencode(
        {
            "check_in": stay.check_in.isoformat(),
            "check_out": stay.check_out.isoformat(),
            "adults": stay.adults,
            "children": stay.children,
            "rooms": stay.rooms,
        }
    )
    return f"{reverse('hotels:detail', args=[hotel.slug])}?{query}#rooms"


def _refused_details(request, context, error, scope, data):
    if error.code == ErrorCode.INVALID_GUEST_DETAILS:
        form = context["form"]
        for field, message in error.params.get("fields", {}).items():
            form.add_error(field if field in _GUEST_FIELDS else None, _(message))
    elif error.code == ErrorCode.IDEMPOTENCY_MISMATCH:
        # The guest came back to this form after booking with it and changed something:
        # point at that booking, and let a new key make a new one if they mean it.
        earlier = Booking.objects.filter(
            idempotency_scope=scope, idempotency_key=data["key"]
        ).first()
        if earlier is not None:
            access.remember(request, earlier)
            context["earlier"] = earlier
        context["problem"] = message_for(error)
        context["reserve"] = ReserveForm(
            initial={**data, "key": secrets.token_urlsafe(18)}
        )
    else:
        context["problem"] = message_for(error)
    return render(request, "booking/new.html", context, status=400)


def _cannot_book(
    request, message: str, plan_id: int | None = None, status: int = 400, stay=None
):
    """A short page: what went wrong, and the way back (priced for `stay`, if given)."""
    plan = (
        RatePlan.objects.select_related("room_type__hotel").filter(pk=plan_id).first()
        if plan_id
        else None
    )
    hotel = plan.room_type.hotel if plan else None
    context = {
        "problem": message,
        "hotel": hotel,
        "back_url": _hotel_url(hotel, stay) if hotel and stay else "",
    }
    return render(request, "booking/cannot_book.html", context, status=status)
