"""Who changed what and when: the database-recorded history (django-pghistory).

Triggers record every change of hotels, their staff memberships, room types, rooms,
policies, rates, inventory nights, bookings, room assignments, payments, refunds,
reviews, partners, the hotels a partner is connected to and partners' API keys,
whether a form, a service's update() or raw SQL made it; admin requests tag them with
the user (core.middleware). A hotel's log holds what belongs to it: a partner and its
keys belong to the hotels the partner is connected to.

Secrets are never copied into the history (see the models' `exclude`): an API key's
event knows the key by its prefix, never by its hash.
"""

import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import IntegerField, OuterRef, Subquery, Value
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pghistory.models import Event

from core import dates

from .money import currency_of, money_fields, money_text

# Tracked models whose hotel the admin registry does not know (inline-only models, and
# partners, whose admin is for superusers: they belong to their connected hotels).
EXTRA_LOOKUPS = {
    "hotels.CancellationRule": "policy__hotel",
    "hotels.HotelMembership": "hotel",
    "hotels.HotelClosure": "hotel",
    "booking.RoomAssignment": "booking__hotel",
    "accounts.Partner": "pgh_obj__hotels",
    "accounts.Partner_hotels": "hotel",
    "accounts.PartnerAPIKey": "partner__hotels",
}
# Tracked models whose events do not point at their row: the field that names it.
IDENTITY = {"accounts.PartnerAPIKey": "prefix"}


# What an event is about, said the way staff know it (the default: a reference,
# number, name or date of the row). Each gets the event and the names of its keys.
def _membership_label(event, names) -> str:
    user = names.get(("user", event.user_id), event.user_id)
    return f"{user} ({event.get_role_display()})"


def _payment_label(event, names) -> str:
    booking = names.get(("booking", event.booking_id), event.booking_reference)
    return f"{booking} ({event.get_kind_display()})"


def _refund_label(event, names) -> str:
    booking = names.get(("payment", event.payment_id), event.payment_id)
    return f"{booking} ({event.reason or event.get_purpose_display()})"


def _connection_label(event, names) -> str:
    return str(names.get(("partner", event.partner_id), event.partner_id))


OBJECT_LABELS = {
    "hotels.HotelMembership": _membership_label,
    "payments.Payment": _payment_label,
    "payments.Refund": _refund_label,
    "accounts.Partner_hotels": _connection_label,
}
# What a model's events are called, where its verbose name says nothing to staff.
WHAT = {"accounts.Partner_hotels": gettext_lazy("partner")}
# Foreign keys shown by a name rather than an id: field name -> (model, its column).
NAMED = {
    "user": ("accounts.User", "username"),
    "housekeeper": ("accounts.User", "username"),
    "partner": ("accounts.Partner", "name"),
    "booking": ("booking.Booking", "reference"),
    "payment": ("payments.Payment", "booking__reference"),
    "hotel": ("hotels.Hotel", "name"),
}
# Never shown, whatever a model tracks.
SECRET_FIELDS = {"hashed_key", "client_secret", "password", "code_hash"}
LIMIT = 100
HIDDEN_LABELS = ["before"]  # old-row snapshots: they only give the next event its diff
EVENT_LABELS = {
    "insert": gettext_lazy("created"),
    "delete": gettext_lazy("deleted"),
    "connect": gettext_lazy("connected"),
    "disconnect": gettext_lazy("disconnected"),
}
CHANGED = gettext_lazy("changed")


@dataclass
class Change:
    """One recorded change. `diff` holds (field, old, new) values; `shown` the same
    said for the reader: dates in their language and the hotel's zone, money in the
    hotel's currency, rows by name, choices by label, lists joined."""

    at: datetime
    who: str
    what: str
    object_label: str
    label: str
    diff: list[tuple[str, object, object]]
    shown: list[tuple[str, str | None, str]] = dataclass_field(default_factory=list)
    at_text: str = ""


def _event_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Event) and getattr(model, "pgh_tracked_model", None)
    ]


def _hotel_lookup(tracked) -> str | None:
    if tracked._meta.label in EXTRA_LOOKUPS:
        return EXTRA_LOOKUPS[tracked._meta.label]
    return getattr(admin.site._registry.get(tracked), "hotel_lookup", None)


def _snapshot_fields(event_model) -> list:
    tracked = {f.name for f in event_model.pgh_tracked_model._meta.concrete_fields}
    return [
        f
        for f in event_model._meta.concrete_fields
        if f.name in tracked and f.name != "id" and f.name not in SECRET_FIELDS
    ]


def _identity(event_model) -> str | None:
    """Return the field that says which row an event is about (None: none does)."""
    label = event_model.pgh_tracked_model._meta.label
    if label in IDENTITY:
        return IDENTITY[label]
    return "pgh_obj_id" if hasattr(event_model, "pgh_obj_id") else None


def _with_previous(queryset):
    identity = _identity(queryset.model)
    if identity is None:  # connections and disconnections: no earlier row to diff
        return queryset.annotate(previous_id=Value(None, IntegerField()))
    previous = (
        queryset.model.objects.filter(
            **{identity: OuterRef(identity)}, pgh_id__lt=OuterRef("pgh_id")
        )
        .order_by("-pgh_id")
        .values("pgh_id")[:1]
    )
    return queryset.annotate(previous_id=Subquery(previous))


def _names(event_model, events: list) -> dict:
    """Return {(field name, id): name} for the named foreign keys of the events."""
    names = {}
    for field in event_model._meta.concrete_fields:
        if field.name not in NAMED or not field.is_relation:
            continue
        model_label, column = NAMED[field.name]
        ids = {getattr(e, field.attname) for e in events} - {None}
        if ids:
            rows = apps.get_model(model_label).objects.filter(pk__in=ids)
            names.update(
                ((field.name, pk), value)
                for pk, value in rows.values_list("pk", column)
            )
    return names


def _value(field, event, names: dict):
    value = field.value_from_object(event)
    if field.is_relation and field.name in NAMED and value is not None:
        return names.get((field.name, value), value)
    return value


def _changes(event_model, events: list, tz: ZoneInfo = UTC) -> list[Change]:
    fields = _snapshot_fields(event_model)
    previous = event_model.objects.in_bulk(
        [e.previous_id for e in events if e.previous_id]
    )
    names = _names(event_model, [*events, *previous.values()])
    reader = Reader(event_model, [*events, *previous.values()], tz)
    tracked = event_model.pgh_tracked_model._meta
    name = WHAT.get(tracked.label, tracked.verbose_name)
    changes = []
    for event in events:
        before = previous.get(event.previous_id)
        if event.pgh_label in ("delete", "disconnect"):
            changed = []
        elif before is None:
            changed = [
                f for f in fields if f.value_from_object(event) not in (None, "", [])
            ]
        else:
            changed = [
                f
                for f in fields
                if f.value_from_object(before) != f.value_from_object(event)
            ]
        diff = [
            (
                f.verbose_name,
                None if before is None else _value(f, before, names),
                _value(f, event, names),
            )
            for f in changed
        ]
        shown = [
            (
                capfirst(reader.field(f).verbose_name),
                None if before is None else reader.show(f, before),
                reader.show(f, event),
            )
            for f in changed
        ]
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        label = OBJECT_LABELS.get(tracked.label)
        changes.append(
            Change(
                at=event.pgh_created_at,
                who=metadata.get("user") or "",
                what=name,
                object_label=label(event, names) if label else _label(event),
                label=EVENT_LABELS.get(event.pgh_label, CHANGED),
                diff=diff,
                shown=shown,
                at_text=reader.instant(event.pgh_created_at),
            )
        )
    return changes


class Reader:
    """Say the values of some events of one model the way staff read them."""

    def __init__(self, event_model, events: list, tz: ZoneInfo):
        self.tracked = event_model.pgh_tracked_model
        self.money = money_fields(event_model)
        self.language = get_language() or "en"
        self.tz = tz
        self.currencies: dict = {}
        self.rows: dict = {}
        for f in event_model._meta.concrete_fields:
            if not f.is_relation or f.name.startswith("pgh_"):
                continue
            ids = {getattr(e, f.attname) for e in events} - {None}
            if ids:
                remote = f.related_model
                self.rows[f.name] = remote._default_manager.in_bulk(ids)

    def field(self, f):
        try:
            return self.tracked._meta.get_field(f.name)
        except Exception:
            return f

    def instant(self, value: datetime) -> str:
        return dates.format_datetime(value, self.tz, self.language)

    def _currency(self, event, path: str) -> str | None:
        first, _sep, rest = path.partition("__")
        if not rest:
            return getattr(event, first, None)
        key = (path, getattr(event, f"{first}_id", None))
        if key not in self.currencies:
            row = self.rows.get(first, {}).get(key[1])
            self.currencies[key] = currency_of(row, rest) if row else None
        return self.currencies[key]

    def show(self, f, event) -> str:
        """Return the value of field `f` of `event` for the reader."""
        value = f.value_from_object(event)
        if value is None or value == "":
            return "–"
        if f.name in self.money:
            return money_text(value, self._currency(event, self.money[f.name]))
        if f.is_relation:
            row = self.rows.get(f.name, {}).get(value)
            if row is None:
                return f"#{value}"
            name = NAMED.get(f.name)
            if name and "__" not in name[1]:
                return str(getattr(row, name[1]))
            return str(getattr(row, "name", None) or row)
        choices = dict(self.field(f).flatchoices or [])
        if choices and not isinstance(value, list | dict):
            return str(choices.get(value, value))
        return self.plain(value)

    def plain(self, value) -> str:
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if isinstance(value, datetime):
            return self.instant(value)
        if isinstance(value, date):
            return dates.format_date(value, self.language)
        if isinstance(value, time):
            return dates.format_time(value, self.language)
        if hasattr(value, "lower") and hasattr(value, "upper"):  # a range of dates
            return f"{self.plain(value.lower)} – {self.plain(value.upper)}"
        if isinstance(value, list | tuple):
            return ", ".join(self.plain(v) for v in value) or "–"
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return str(value)


def _label(event) -> str:
    for attr in ("reference", "number", "name"):
        value = getattr(event, attr, None)
        if value:
            return str(value)
    if getattr(event, "date", None):
        return dates.format_date(event.date, get_language() or "en")
    return f"#{event.pgh_obj_id}"


def _name_users(changes: list[Change]) -> None:
    ids = {c.who for c in changes if c.who}
    names = dict(
        get_user_model().objects.filter(pk__in=ids).values_list("pk", "username")
    )
    for change in changes:
        change.who = names.get(change.who, "") if change.who else ""
        change.who = change.who or _("the site, API or a task")


def hotel_changes(hotel, *, limit: int = LIMIT) -> list[Change]:
    """Return the hotel's latest recorded changes, newest first."""
    tz = ZoneInfo(hotel.time_zone)
    changes = []
    for event_model in _event_models():
        lookup = _hotel_lookup(event_model.pgh_tracked_model)
        if lookup is None:
            continue
        where = {"pgh_obj_id": hotel.pk} if lookup == "" else {lookup: hotel.pk}
        events = list(
            _with_previous(
                event_model.objects.filter(**where)
                .exclude(pgh_label__in=HIDDEN_LABELS)
                .select_related("pgh_context")
                .order_by("-pgh_id")
            )[:limit]
        )
        changes += _changes(event_model, events, tz)
    changes.sort(key=lambda change: change.at, reverse=True)
    changes = changes[:limit]
    _name_users(changes)
    return changes


def object_changes(model, pk, tz: ZoneInfo = UTC) -> list[Change]:
    """Return the recorded changes of one object, newest first (times in `tz`)."""
    changes = []
    for event_model in _event_models():
        if event_model.pgh_tracked_model is not model:
            continue
        identity = _identity(event_model)
        if identity is None:
            continue
        if identity != "pgh_obj_id":
            pk = model._default_manager.filter(pk=pk).values_list(identity).first()
            pk = pk[0] if pk else None
        events = list(
            _with_previous(
                event_model.objects.filter(**{identity: pk})
                .exclude(pgh_label__in=HIDDEN_LABELS)
                .select_related("pgh_context")
                .order_by("-pgh_id")
            )[:LIMIT]
        )
        changes += _changes(event_model, events, tz)
    _name_users(changes)
    return changes


def audit_view(request, hotel, context):
    context.update(changes=hotel_changes(hotel))
    return TemplateResponse(request, "admin/backoffice/audit.html", context)
