"""Template helpers for the site: money and dates for the reader, accessible fields."""

import secrets
from urllib.parse import urlencode

from babel.numbers import format_decimal
from django import template
from django.urls import reverse
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from core import dates
from core.messages import message_for
from core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    """Format minor units of `currency` for the current language: {{ total|money:"EUR" }}."""
    if amount is None or amount == "":
        return ""
    return format_money(int(amount), currency, get_language() or "en")


@register.filter
def ldate(value, style="medium"):
    """Format a calendar date for the current language: {{ check_in|ldate }}."""
    if not value:
        return ""
    return dates.format_date(value, get_language() or "en", style)


@register.filter
def ldatetime(value, tz):
    """Format an instant in a time zone for the current language: {{ at|ldatetime:tz }}."""
    if not value:
        return ""
    return dates.format_datetime(value, tz, get_language() or "en")


@register.filter
def ltime(value):
    """Format a wall-clock time for the current language: {{ hotel.check_in_time|ltime }}."""
    if not value:
        return ""
    return dates.format_time(value, get_language() or "en")


@register.simple_tag
def widget(field, **attrs):
    """Render a bound field's widget tied to its help text and errors for screen readers.

    Usage: {% widget form.check_in class="input" %}.
    """
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with some parameters changed or dropped (None)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def error_message(error):
    """Return the reader-facing message of a DomainError (core.messages)."""
    return message_for(error) if error is not None else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def stars(count):
    return "★" * int(count or 0)


@register.filter
def lnumber(value, digits=0):
    """Format a number for the current language with `digits` decimals."""

    if value is None:
        return ""
    digits = int(digits)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, pattern, locale=to_locale(get_language() or "en"))


@register.filter
def per_night(total, nights_rooms):
    """Return a stay total divided by nights × rooms, rounded down (minor units)."""
    return int(total) // max(int(nights_rooms), 1)


@register.filter
def meal_plan(plan):
    """Return what a rate plan includes to eat, in the reader's language."""

    return {
        "room_only": _("Room only"),
        "breakfast": _("Breakfast included"),
        "half_board": _("Half board"),
        "full_board": _("Full board"),
    }.get(plan.meal_plan, plan.get_meal_plan_display())


@register.filter
def payment_mode(plan_or_booking):
    """Return when the guest pays, in the reader's language."""

    return {
        "pay_now": _("Pay now"),
        "pay_at_hotel": _("Pay at the hotel (card guarantee)"),
    }.get(plan_or_booking.payment_mode, plan_or_booking.payment_mode)


@register.filter
def first_name(full_name):
    """Return the first word of a name: reviews show only a guest's first name."""
    return (full_name or "").split(" ")[0]


@register.filter
def booking_status(booking):
    """Return a booking's status in the reader's language."""

    return {
        "held": _("Held, awaiting payment"),
        "confirmed": _("Confirmed"),
        "checked_in": _("Checked in"),
        "checked_out": _("Checked out"),
        "cancelled": _("Cancelled"),
        "expired": _("Expired"),
        "no_show": _("No-show"),
    }.get(booking.status, booking.status)


@register.simple_tag
def idempotency_key():
    """Return a fresh idempotency key for a booking form: one per rendered form."""

    return secrets.token_urlsafe(18)


@register.filter
def retry_url(booking):
    """Return the hotel page priced for the same stay as `booking`: "try again"."""

    query = urlencode(
        {
            "check_in": booking.check_in.isoformat(),
            "check_out": booking.check_out.isoformat(),
            "adults": booking.adults,
            "children": booking.children,
            "rooms": booking.rooms,
        }
    )
    return f"{reverse('hotels:detail', args=[booking.hotel.slug])}?{query}#rooms"


@register.filter
def payment_status(payment):
    """Return a payment's status in the reader's language."""

    if payment.kind == "guarantee" and payment.status == "succeeded":
        return _("Card kept as a guarantee")
    return {
        "pending": _("Waiting for your card"),
        "requires_action": _("Waiting for your bank's confirmation"),
        "processing": _("Processing"),
        "succeeded": _("Paid"),
        "failed": _("Not paid: the last attempt failed"),
        "canceled": _("Cancelled"),
    }.get(payment.status, payment.status)
