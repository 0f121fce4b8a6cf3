"""Who changed what and when: the database-recorded history (django-pghistory).

Triggers record every change of hotels, room types, rooms, policies, rates, inventory
nights, bookings, room assignments and reviews, whether a form, a service's update()
or raw SQL made it; admin requests tag them with the user (core.middleware).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from pghistory.models import Event

# Tracked models whose hotel the admin registry does not know (inline-only models).
EXTRA_LOOKUPS = {
    "hotels.CancellationRule": "policy__hotel",
    "booking.RoomAssignment": "booking__hotel",
}
LIMIT = 100
HIDDEN_LABELS = ["before"]  # old-row snapshots: they only give the next event its diff


@dataclass
class Change:
    at: datetime
    who: str
    what: str
    object_label: str
    label: str
    diff: list[tuple[str, object, object]]


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
        if f.name in tracked and f.name != "id"
    ]


def _with_previous(queryset):
    previous = (
        queryset.model.objects.filter(
            pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id")
        )
        .order_by("-pgh_id")
        .values("pgh_id")[:1]
    )
    return queryset.annotate(previous_id=Subquery(previous))


def _changes(event_model, events: list) -> list[Change]:
    fields = _snapshot_fields(event_model)
    previous = event_model.objects.in_bulk(
        [e.previous_id for e in events if e.previous_id]
    )
    name = event_model.pgh_tracked_model._meta.verbose_name
    changes = []
    for event in events:
        before = previous.get(event.previous_id)
        if event.pgh_label == "delete":
            diff = []
        elif before is None:
            diff = [(f.verbose_name, None, f.value_from_object(event)) for f in fields]
            diff = [d for d in diff if d[2] not in (None, "", [])]
        else:
            diff = [
                (
                    f.verbose_name,
                    f.value_from_object(before),
                    f.value_from_object(event),
                )
                for f in fields
                if f.value_from_object(before) != f.value_from_object(event)
            ]
        metadata = event.pgh_context.metadata if event.pgh_context else {}
        changes.append(
            Change(
                at=event.pgh_created_at,
                who=metadata.get("user") or "",
                what=name,
                object_label=_label(event),
                label={"insert": "created", "delete": "deleted"}.get(
                    event.pgh_label, "changed"
                ),
                diff=diff,
            )
        )
    return changes


def _label(event) -> str:
    for attr in ("reference", "number", "name"):
        value = getattr(event, attr, None)
        if value:
            return str(value)
    if getattr(event, "date", None):
        return f"{event.date:%d %b %Y}"
    return f"#{event.pgh_obj_id}"


def _name_users(changes: list[Change]) -> None:
    ids = {c.who for c in changes if c.who}
    names = dict(
        get_user_model().objects.filter(pk__in=ids).values_list("pk", "username")
    )
    for change in changes:
        change.who = names.get(change.who, "") if change.who else ""
        change.who = change.who or "the site, API or a task"


def hotel_changes(hotel, *, limit: int = LIMIT) -> list[Change]:
    """Return the hotel's latest recorded changes, newest first."""
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
        changes += _changes(event_model, events)
    changes.sort(key=lambda change: change.at, reverse=True)
    changes = changes[:limit]
    _name_users(changes)
    return changes


def object_changes(model, pk) -> list[Change]:
    """Return the recorded changes of one object, newest first."""
    changes = []
    for event_model in _event_models():
        if event_model.pgh_tracked_model is not model:
            continue
        events = list(
            _with_previous(
                event_model.objects.filter(pgh_obj_id=pk)
                .exclude(pgh_label__in=HIDDEN_LABELS)
                .select_related("pgh_context")
                .order_by("-pgh_id")
            )[:LIMIT]
        )
        changes += _changes(event_model, events)
    _name_users(changes)
    return changes


def audit_view(request, hotel, context):
    context.update(changes=hotel_changes(hotel))
    return TemplateResponse(request, "admin/backoffice/audit.html", context)
