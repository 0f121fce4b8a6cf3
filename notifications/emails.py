"""The guest's e-mails about a booking: in the booking's language, HTML and text, once.

`email_for_event` says which e-mail an event gets; notifications.tasks holds the
handlers that queue it and the task that sends each e-mail once per (booking, key),
however often its task is delivered.
"""

import hashlib
import json
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from booking import access
from booking.events import BookingEvent, current_event_id
from booking.models import Booking, BookingEmail, BookingSource, BookingStatus
from core import dates
from core.money import format_money
from core.templatetags.innkeep import retry_url
from inventory.rules import StayRequest
from payments.selectors import booking_refund, change_settlement
from summaries.booking import booking_summary
from summaries.calendar import booking_ics

KINDS = {
    BookingEvent.HELD: "held",
    BookingEvent.CONFIRMED: "confirmed",
    BookingEvent.CHANGED: "changed",
    BookingEvent.CANCELLED: "cancelled",
    BookingEvent.EXPIRED: "expired",
    BookingEvent.CHECKED_OUT: "review_invitation",
    BookingEvent.HOTEL_DEACTIVATED: "hotel_closed",
    BookingEvent.HOTEL_CLOSED: "hotel_closed",
}
# A closure tells each of its bookings once: (booking, event, closure) names the e-mail.
PER_CLOSURE = {BookingEvent.HOTEL_DEACTIVATED, BookingEvent.HOTEL_CLOSED}
# The other events happen at most once per booking, so (booking, event) names their
# e-mail; a booking may change many times, and each change has its own e-mail.
REPEATABLE = {BookingEvent.CHANGED}
# An e-mail about a state the booking has already left would mislead: a "please pay"
# after the payment went through, an "expired" after a late payment re-took the rooms.
STILL_TRUE = {
    "held": {BookingStatus.HELD},
    "expired": {BookingStatus.EXPIRED},
    "review_invitation": {BookingStatus.CHECKED_OUT},
    "hotel_closed": {BookingStatus.HELD, BookingStatus.CONFIRMED},
}
# A partner's hold is the partner's to confirm or let lapse, and the partner collects
# from its guest: "pay before the hold ends" and "your hold expired, book again here"
# would both send that guest to pay Innkeep.
PARTNERS_OWN = {"held", "expired"}
# The stay, to add to a calendar: on the e-mails that confirm it or change its dates.
CALENDAR_KINDS = {"confirmed", "changed"}
SUBJECTS = {
    "held": _("Your rooms at %(hotel)s are held until %(time)s"),
    "confirmed": _("Booking confirmed: %(hotel)s, %(reference)s"),
    "changed": _("Booking changed: %(hotel)s, %(reference)s"),
    "cancelled": _("Booking cancelled: %(hotel)s, %(reference)s"),
    "expired": _("Your hold at %(hotel)s has expired"),
    "review_invitation": _("How was your stay at %(hotel)s?"),
    "hotel_closed": _("%(hotel)s cannot host your stay: cancel free of charge"),
    # Sent for a payment event (notifications.tasks.on_payment_event), not a booking's.
    "late_payment_refunded": _("Your booking %(reference)s could not be kept"),
}


def email_for_event(event: str, data: dict) -> tuple[str, str] | None:
    """Return the (kind, key) of the guest's e-mail about `event`, or None if none."""
    kind = KINDS.get(event)
    if kind is None:
        return None
    if event == BookingEvent.HELD and data.get("source") == BookingSource.PARTNER:
        # The partner confirms on its own guarantee and collects from its customer:
        # a "pay us before the hold ends" e-mail would ask that guest to pay twice.
        return None
    key = str(event)
    if event in PER_CLOSURE:
        key = f"{event}:{data.get('closure_id')}"
    elif event in REPEATABLE:
        occurrence = (
            current_event_id()
            or hashlib.sha256(
                json.dumps(data, sort_keys=True, default=str).encode()
            ).hexdigest()[:32]
        )
        key = f"{event}:{occurrence}"
    return kind, key


def send_once(*, booking_id: int, kind: str, key: str, data: dict) -> bool:
    """Send the `kind` e-mail about a booking unless one was sent for `key`; say if sent.

    The row that records the e-mail is inserted before sending and committed after: a
    concurrent delivery waits on it and then skips, and a failed send rolls it back so a
    retry sends. Raises what the mail backend raises (the task retries).
    """
    booking = (
        Booking.objects.select_related("hotel", "room_type", "rate_plan")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or not booking.guest_email:
        return False
    if kind in STILL_TRUE and booking.status not in STILL_TRUE[kind]:
        return False
    if booking.source == BookingSource.PARTNER and kind in PARTNERS_OWN:
        return False
    language = booking.language or settings.LANGUAGE_CODE
    with transaction.atomic():
        _, created = BookingEmail.objects.get_or_create(
            booking=booking,
            key=key[:100],
            defaults={"kind": kind, "to": booking.guest_email, "language": language},
        )
        if not created:
            return False
        build_message(booking, kind, data, language).send()
    return True


def build_message(
    booking: Booking, kind: str, data: dict, language: str
) -> EmailMultiAlternatives:
    """Render the `kind` e-mail about `booking` in `language`, as text and HTML."""
    with translation.override(language):
        context = _context(booking, kind, data, language)
        subject = str(SUBJECTS[kind]) % {
            "hotel": booking.hotel.name,
            "reference": booking.reference,
            "time": context["held_until_text"],
        }
        text = render_to_string(f"emails/{kind}.txt", context)
        html = render_to_string(f"emails/{kind}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.guest_email],
    )
    message.attach_alternative(html, "text/html")
    if kind in CALENDAR_KINDS:
        message.attach(
            f"innkeep-{booking.reference}.ics",
            booking_ics(booking),
            "text/calendar; charset=utf-8; method=PUBLISH",
        )
    return message


def _link(booking: Booking, target: str = "detail") -> str:
    token = access.link_token(booking)
    path = reverse("booking:open", args=[booking.reference, token])
    query = f"?{urlencode({'next': target})}" if target != "detail" else ""
    return f"{settings.SITE_URL.rstrip('/')}{path}{query}"


def _context(booking: Booking, kind: str, data: dict, language: str) -> dict:
    tz = booking.hotel.tz
    currency = booking.currency

    def money(amount: int) -> str:
        return format_money(amount, currency, language)

    summary = booking_summary(booking)
    context = {
        "booking": booking,
        "summary": summary,
        "balance_due": money(summary.balance_due),
        "hotel": booking.hotel,
        "kind": kind,
        "link": _link(booking),
        "check_in": dates.format_date(booking.check_in, language, "full"),
        "check_out": dates.format_date(booking.check_out, language, "full"),
        "check_in_time": dates.format_time(booking.hotel.check_in_time, language),
        "check_out_time": dates.format_time(booking.hotel.check_out_time, language),
        "total": money(booking.total),
        "held_until_text": (
            dates.format_datetime(booking.held_until, tz, language)
            if booking.held_until
            else ""
        ),
        "nights": [
            (dates.format_date(night, language, "weekday"), money(price))
            for night, price in zip(
                StayRequest(booking.check_in, booking.check_out).nights,
                booking.nightly_prices,
                strict=False,
            )
        ],
    }
    if kind == "held":
        context["pay_link"] = _link(booking, "pay")
    elif kind == "changed":
        old = data.get("old_total", booking.total)
        new = data.get("new_total", booking.total)
        change = booking.changes.filter(pk=data.get("change_id")).first()
        refund = change.refund_amount if change is not None else 0
        context.update(
            old_total=money(old),
            new_total=money(new),
            difference=money(abs(new - old)),
            refund=money(refund),
            settlement=change_settlement(booking, new - old, refund),
        )
    elif kind == "cancelled":
        figure = booking_refund(booking)
        context.update(
            refund=money(figure.amount),
            refunds=figure.amount > 0,
            refund_by=figure.by,
            partner=figure.partner,
            paid=figure.paid > 0,
        )
    elif kind == "expired":
        context["retry_link"] = f"{settings.SITE_URL.rstrip('/')}{retry_url(booking)}"
    elif kind == "review_invitation":
        context["review_link"] = _link(booking, "review")
    elif kind == "hotel_closed":
        closure_id = int(data["closure_id"])
        token = access.closure_link_token(booking, closure_id)
        path = reverse(
            "booking:closure_cancel", args=[booking.reference, closure_id, token]
        )
        end = data.get("end")
        figure = booking_refund(booking)
        context.update(
            cancel_link=f"{settings.SITE_URL.rstrip('/')}{path}",
            reason=data.get("reason", ""),
            deactivated=data.get("kind") == "deactivation",
            closed_from=dates.format_date(
                date.fromisoformat(data["start"]), language, "full"
            ),
            closed_until=(
                dates.format_date(date.fromisoformat(end), language, "full")
                if end
                else ""
            ),
            held=booking.status == BookingStatus.HELD,
            paid_amount=money(figure.paid),
            paid=figure.paid > 0,
            partner=figure.partner or (booking.partner.name if booking.partner else ""),
        )
    elif kind == "late_payment_refunded":
        context["refund"] = money(data.get("amount", booking.total))
    return context
