"""Who may see a booking on the site: its guest's account, or the browser that made or
found it (reference + e-mail). Everyone else gets a 404, never a hint that it exists."""

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.db.models.functions import Now
from django.http import Http404, HttpRequest

from .models import Booking, BookingStatus

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


def live_holds_for(request: HttpRequest) -> list[Booking]:
    """Return the live holds this browser may see (its account's or session's)."""
    mine = Q(reference__in=request.session.get(SESSION_KEY, []))
    if request.user.is_authenticated:
        mine |= Q(user=request.user)
    return list(
        Booking.objects.filter(mine, status=BookingStatus.HELD, held_until__gt=Now())
        .select_related("hotel")
        .order_by("held_until")
    )


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


_LINK_SALT = "booking.access.link"


def link_token(booking: Booking) -> str:
    """Return a signed, expiring token that opens `booking` from its guest's e-mails."""
    signed = signing.TimestampSigner(salt=_LINK_SALT).sign(
        f"{booking.reference}:{booking.guest_email.lower()}"
    )
    # The timestamp and signature only, "." between them for a tidy URL.
    return ".".join(signed.rsplit(":", 2)[1:])


def open_with_token(request: HttpRequest, reference: str, token: str) -> Booking:
    """Remember the booking a valid e-mail link names in this browser; else Http404.

    The signature covers the reference and the guest's e-mail, so a link stops working
    if either changes, and after BOOKING_LINK_MAX_AGE_DAYS.
    """
    booking = (
        Booking.objects.select_related("hotel")
        .filter(reference=reference.upper()[:16])
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    signer = signing.TimestampSigner(salt=_LINK_SALT)
    value = (
        f"{booking.reference}:{booking.guest_email.lower()}:{token.replace('.', ':')}"
    )
    try:
        signer.unsign(value, max_age=settings.BOOKING_LINK_MAX_AGE_DAYS * 86400)
    except signing.BadSignature as error:  # SignatureExpired is one
        raise Http404("No such booking.") from error
    remember(request, booking)
    return booking


_CLOSURE_SALT = "booking.access.closure-cancel"


def closure_link_token(booking: Booking, closure_id: int) -> str:
    """Return a signed, expiring token for `booking`'s full-refund cancellation link.

    It names the closure that offers it: once that closure is lifted the link no longer
    cancels (booking.services.closures.closure_refund_allowed).
    """
    signed = signing.TimestampSigner(salt=_CLOSURE_SALT).sign(
        f"{booking.reference}:{closure_id}:{booking.guest_email.lower()}"
    )
    return ".".join(signed.rsplit(":", 2)[1:])


def booking_for_closure_link(reference: str, closure_id: int, token: str) -> Booking:
    """Return the booking a valid full-refund cancellation link names; else Http404.

    The link expires after BOOKING_LINK_MAX_AGE_DAYS, and stops working if the
    reference, the closure or the guest's e-mail differ from those it was made for.
    """
    booking = (
        Booking.objects.select_related("hotel", "room_type")
        .filter(reference=reference.upper()[:16])
        .first()
    )
    if booking is None:
        raise Http404("No such booking.")
    signer = signing.TimestampSigner(salt=_CLOSURE_SALT)
    value = (
        f"{booking.reference}:{closure_id}:{booking.guest_email.lower()}:"
        f"{token.replace('.', ':')}"
    )
    try:
        signer.unsign(value, max_age=settings.BOOKING_LINK_MAX_AGE_DAYS * 86400)
    except signing.BadSignature as error:
        raise Http404("No such booking.") from error
    return booking
