"""Anonymise bookings in place and scrub their copies: history, payments, e-mails.

What accounting must keep stays (dates, rooms, prices, totals, payments, refunds);
what names the guest goes: their name, e-mail, phone and own words, the gateway's
tokens of their card, the address their e-mails went to. The pghistory triggers are
ignored while these rows change, so the change itself writes no copy (an update
event stores the old row), and the event tables are scrubbed directly.
"""

import re
from collections.abc import Iterable

import pgtrigger
from django.apps import apps
from django.conf import settings
from django.db.models import F, Func, Q, Value
from django.utils.module_loading import import_string

from booking.models import Booking, BookingEmail, RoomAssignment
from payments.models import GatewayEvent, Payment, Refund
from reviews.models import Review

ERASED = "[erased]"
ERASED_NAME = "Erased guest"
# Needles shorter than this are not searched for in free text: "Li" or "12" would
# erase half of a hotel's notes.
MIN_NEEDLE = 4

BOOKING_FIELDS = {
    "guest_name": ERASED_NAME,
    "guest_email": "",
    "guest_phone": "",
    "special_requests": "",
    "cancellation_reason": "",
    "user": None,
    "hold_actors": [],
}
PAYMENT_FIELDS = {"client_secret": "", "customer_id": "", "payment_method_id": ""}
REVIEW_FIELDS = {"text": "", "reply": ""}
# Free text staff or the gateway wrote: kept, with the guest's details cut out.
FREE_TEXT = {
    Booking: ["confirmation_override"],
    Payment: ["failure_message", "dispute_reason"],
    Refund: ["reason", "last_error"],
    Review: ["moderation_reason"],
}
TRACKED = (Booking, Payment, Refund, Review, RoomAssignment)


def history_triggers() -> list[str]:
    """Return the URIs of the pghistory triggers of the models an erasure writes."""
    return [
        f"{model._meta.label}:{trigger.name}"
        for model, trigger in pgtrigger.registered()
        if model in TRACKED and type(trigger).__module__.startswith("pghistory")
    ]


def needles_of(values: Iterable[str]) -> list[str]:
    """Return the distinct strings worth searching for, longest first."""
    found = {v.strip() for v in values if v and len(v.strip()) >= MIN_NEEDLE}
    return sorted(found, key=lambda v: (-len(v), v))


def _pattern(needles: list[str]):
    return re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)


def redact(value, needles: list[str]):
    """Return `value` (JSON: dicts, lists, strings) with every needle cut out."""
    if not needles:
        return value
    pattern = _pattern(needles)

    def walk(item):
        if isinstance(item, str):
            return pattern.sub(ERASED, item)
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v) for v in item]
        return item

    return walk(value)


def redact_json_rows(queryset, field: str, needles: list[str]) -> int:
    """Rewrite the JSON `field` of the rows that mention a needle; return how many."""
    if not needles:
        return 0
    match = Q(pk__in=[])
    for needle in needles:
        match |= Q(**{f"{field}__icontains": needle})
    changed = 0
    for pk, value in queryset.filter(match).values_list("pk", field):
        cleaned = redact(value, needles)
        if cleaned != value:
            queryset.model._default_manager.filter(pk=pk).update(**{field: cleaned})
            changed += 1
    return changed


def redact_text(queryset, fields: list[str], needles: list[str]) -> None:
    """Cut every needle out of text columns `fields`, in the database."""
    names = {f.name for f in queryset.model._meta.concrete_fields}
    for name in fields:
        if name not in names:
            continue
        for needle in needles:
            queryset.filter(**{f"{name}__icontains": needle}).update(
                **{
                    name: Func(
                        F(name),
                        Value(re.escape(needle)),
                        Value(ERASED),
                        Value("gi"),
                        function="regexp_replace",
                    )
                }
            )


def _event_models(tracked):
    from pghistory.models import Event

    return [
        model
        for model in apps.get_models()
        if issubclass(model, Event)
        and getattr(model, "pgh_tracked_model", None) is tracked
        and hasattr(model, "pgh_obj_id")
    ]


def _set(model, pks: list[int], values: dict, needles: list[str]) -> None:
    """Set `values` and redact free text on the rows `pks` and on their history."""
    model._default_manager.filter(pk__in=pks).update(**values)
    redact_text(
        model._default_manager.filter(pk__in=pks), FREE_TEXT.get(model, []), needles
    )
    for event_model in _event_models(model):
        names = {f.name for f in event_model._meta.concrete_fields}
        events = event_model.objects.filter(pgh_obj_id__in=pks)
        present = {k: v for k, v in values.items() if k in names}
        if present:
            events.update(**present)
        redact_text(events, FREE_TEXT.get(model, []), needles)


def booking_needles(booking_ids: list[int]) -> list[str]:
    """Return the guest details recorded on these bookings, as needles.

    The guest's own words (special requests) count: copies of a booking (a partner's
    webhook payload) carry them too.
    """
    values = []
    for row in Booking.objects.filter(pk__in=booking_ids).values_list(
        "guest_name", "guest_email", "guest_phone", "special_requests"
    ):
        values += row
    return needles_of(values)


def bookings_anonymise(booking_ids: list[int], needles: list[str]) -> dict:
    """Anonymise these bookings, their payments, reviews, e-mails and history.

    Call inside a transaction, with the bookings locked. Return counts per kind.
    """
    payment_ids = list(
        Payment.objects.filter(booking_id__in=booking_ids).values_list("pk", flat=True)
    )
    gateway_ids = [
        g
        for g in Payment.objects.filter(pk__in=payment_ids).values_list(
            "gateway_id", flat=True
        )
        if g
    ]
    refund_ids = list(
        Refund.objects.filter(payment_id__in=payment_ids).values_list("pk", flat=True)
    )
    review_ids = list(
        Review.objects.filter(booking_id__in=booking_ids).values_list("pk", flat=True)
    )
    references = list(
        Booking.objects.filter(pk__in=booking_ids).values_list("reference", flat=True)
    )
    with pgtrigger.ignore(*history_triggers()):
        _set(Booking, booking_ids, BOOKING_FIELDS, needles)
        _set(Payment, payment_ids, PAYMENT_FIELDS, needles)
        _set(Refund, refund_ids, {}, needles)
        _set(Review, review_ids, REVIEW_FIELDS, needles)
    emails = BookingEmail.objects.filter(booking_id__in=booking_ids).update(to="")
    events = GatewayEvent.objects.filter(
        Q(payment_id__in=payment_ids) | Q(object_id__in=gateway_ids)
    )
    redact_json_rows(events, "payload", needles)
    redact_text(events, ["outcome"], needles)
    for handler in settings.PRIVACY_ERASURE_HANDLERS:
        import_string(handler)(references=references, needles=needles)
    return {
        "bookings": len(booking_ids),
        "payments": len(payment_ids),
        "reviews": len(review_ids),
        "emails": emails,
    }
