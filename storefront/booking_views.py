"""The guest's side of bookings: my bookings, find a booking, one booking (read-only)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from booking import access
from booking.models import BookingStatus
from booking.selectors import booking_by_reference_and_email, bookings_of_user
from booking.states import CHANGEABLE
from core.clock import db_now
from inventory.rules import StayRequest
from reviews.models import Review
from summaries.booking import booking_summary
from summaries.calendar import booking_ics

from .booking_forms import FindBookingForm


def _lookup_rate(group, request):
    return settings.RATELIMIT_LOOKUP


@login_required
def my_bookings(request):
    upcoming, past = bookings_of_user(request.user, db_now())
    return render(request, "booking/mine.html", {"upcoming": upcoming, "past": past})


@ratelimit(key="ip", rate=_lookup_rate, method="POST", block=True)
def find_booking(request):
    """Find a booking by reference and e-mail; a miss says nothing about which was wrong."""
    form = FindBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        booking = booking_by_reference_and_email(
            form.cleaned_data["reference"], form.cleaned_data["email"]
        )
        if booking is not None:
            access.remember(request, booking)
            return redirect("booking:detail", reference=booking.reference)
        form.add_error(None, _("No booking matches this reference and e-mail address."))
    status = 400 if form.errors else 200
    return render(request, "booking/find.html", {"form": form}, status=status)


def booking_detail(request, reference):
    """One booking, for its guest only; anyone else gets a 404."""
    booking = access.get_booking_for(request, reference)
    tz = booking.hotel.tz
    context = {
        "booking": booking,
        "tz": tz,
        "nights": list(
            zip(
                StayRequest(booking.check_in, booking.check_out).nights,
                booking.nightly_prices,
                strict=False,
            )
        ),
        "summary": booking_summary(booking),
        **_detail_extras(booking),
    }
    return render(request, "booking/detail.html", context)


def _detail_extras(booking) -> dict:
    """Return the hold countdown, the refund and the review shown on a booking's page."""

    extras = {
        "changeable": booking.status in CHANGEABLE,
        "review": Review.objects.filter(booking=booking).first()
        if booking.status == BookingStatus.CHECKED_OUT
        else None,
    }
    if booking.status == BookingStatus.HELD:
        now = db_now()
        held_until = booking.held_until.astimezone(booking.hotel.tz)
        extras.update(
            held_until=held_until,
            held_until_text=f"{held_until:%H:%M}",
            hold_expired=booking.held_until <= now,
        )
    return extras


def booking_calendar(request, reference):
    """The stay as an add-to-calendar .ics file, for its guest only."""
    booking = access.get_booking_for(request, reference)
    response = HttpResponse(booking_ics(booking), content_type="text/calendar")
    response["Content-Disposition"] = (
        f'attachment; filename="innkeep-{booking.reference}.ics"'
    )
    return response
