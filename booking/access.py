"""Who may see a booking on the site: its guest's account, or the browser that made or
found it (reference + e-mail). Everyone else gets a 404, never a hint that it exists."""

from django.http import Http404, HttpRequest

from .models import Booking

SESSION_KEY = "booking_references"
MAX_REMEMBERED = 50


def remember(request: HttpRequest, booking: Booking) -> None:
    """Let this browser session see `booking` (after making it or finding it)."""
    references = [
        r for r in request.session.get(SESSION_KEY, []) if r != booking.reference
    ]
    request.session[SESSION_KEY] = [booking.reference, *references][:MAX_REMEMBERED]


def can_view(request: HttpRequest, booking: Booking) -> bool:
    user = request.user
    if user.is_authenticated and booking.user_id == user.pk:
        return True
    return booking.reference in request.session.get(SESSION_KEY, [])


def get_booking_for(request: HttpRequest, reference: str) -> Booking:
    """Return the booking with `reference` if this request may see it, else raise Http404."""
    booking = (
        Booking.objects.select_related("hotel", "room_type", "rate_plan")
        .filter(reference=reference.upper()[:16])
        .first()
    )
    if booking is None or not can_view(request, booking):
        raise Http404("No such booking.")
    return booking
