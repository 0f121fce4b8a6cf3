"""One mechanism that limits every admin page to the hotels a staff member works for.

Every ModelAdmin declares `hotel_lookup`, the ORM path from its model to Hotel
("room_type__hotel", "booking__hotel"; "" for Hotel itself). The admin site puts
`HotelScopeGuard` in front of every registered ModelAdmin and its inlines (see
`backoffice.admin_site`), so an admin that declares no `hotel_lookup` is for superusers only:
the mechanism fails closed.

For anyone else, lists, change pages, history, search, filters, actions, exports and
autocompletes see only objects of hotels where the user's role grants the permission
(hotels.scoping); foreign-key choices on forms offer only such objects, and a save is
checked once more before it is written.
"""

import csv
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path, unquote
from django.core.exceptions import FieldDoesNotExist, FieldError, PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from hotels.scoping import scope_for
from hotels.staff import action_codename

from .audit import object_changes
from .money import ALIAS, currency_of, major_units, money_fields


def _perm(opts, action: str) -> str:
    return f"{opts.app_label}.{action}_{opts.model_name}"


def hotel_q(lookup: str, hotel_ids) -> Q:
    """Return a filter for objects whose hotel (through `lookup`) is in `hotel_ids`."""
    return Q(pk__in=hotel_ids) if lookup == "" else Q(**{f"{lookup}__in": hotel_ids})


def hotel_id_of(obj, lookup: str) -> int | None:
    """Return the id of the hotel `obj` belongs to through `lookup` (None if unknown)."""
    if lookup == "":
        return obj.pk
    *path, last = lookup.split("__")
    target = obj
    try:
        for name in path:
            target = getattr(target, name)
            if target is None:
                return None
        return getattr(target, f"{last}_id")
    except (AttributeError, FieldDoesNotExist):
        if obj.pk is None:
            return None
        return (
            type(obj)
            ._default_manager.filter(pk=obj.pk)
            .values_list(lookup, flat=True)
            .first()
        )


def related_choices(admin_site, request, db_field, model_opts, queryset=None):
    """Return the objects a non-superuser may pick for `db_field` on a form.

    Objects of a hotel-scoped model are limited to the hotels where the user may add or
    change `model_opts`' model; models marked `hotel_shared` (reference data such as
    amenities) are offered whole; anything else offers nothing (fail closed).
    """
    remote = db_field.remote_field.model
    base = queryset if queryset is not None else remote._default_manager.all()
    related_admin = admin_site._registry.get(remote)
    if related_admin is not None and getattr(related_admin, "hotel_shared", False):
        return base
    lookup = getattr(related_admin, "hotel_lookup", None)
    if lookup is None:
        return base.none()
    scope = scope_for(request)
    hotels = scope.hotel_ids(_perm(model_opts, "add")) | scope.hotel_ids(
        _perm(model_opts, "change")
    )
    return base.filter(hotel_q(lookup, hotels))


class HotelScopeGuard:
    """Limit a ModelAdmin to the hotels of the request's user; see the module docstring.

    The admin site puts this class in front of every registered ModelAdmin, so its
    checks run first and the ModelAdmin's own rules (e.g. "no adding bookings") still
    apply through super(). It reads `hotel_lookup` from the ModelAdmin behind it and
    so defines no attributes of its own.
    """

    @property
    def _lookup(self) -> str | None:
        return getattr(self, "hotel_lookup", None)

    # Permissions -------------------------------------------------------------------

    def _scoped(self, request) -> bool:
        """Return whether this request is limited to some hotels (not a superuser)."""
        return not scope_for(request).is_superuser

    def hotel_ids(self, request, *actions: str) -> set[int]:
        scope = scope_for(request)
        ids: set[int] = set()
        for action in actions:
            ids |= scope.hotel_ids(_perm(self.opts, action))
        return ids

    def hotel_id_of(self, obj) -> int | None:
        return hotel_id_of(obj, self._lookup or "")

    def _allowed(self, request, obj, *actions: str) -> bool:
        if self._lookup is None or not request.user.is_staff:
            return False
        hotels = self.hotel_ids(request, *actions)
        if obj is None:
            return bool(hotels)
        return self.hotel_id_of(obj) in hotels

    def has_view_permission(self, request, obj=None):
        if self._scoped(request) and not self._allowed(request, obj, "view", "change"):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._scoped(request) and not self._allowed(request, obj, "change"):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._scoped(request) and not self._allowed(request, obj, "delete"):
            return False
        return super().has_delete_permission(request, obj)

    def has_add_permission(self, request):
        if self._scoped(request) and (
            # Nobody but a superuser creates a hotel.
            not self._lookup or not self._allowed(request, None, "add")
        ):
            return False
        return super().has_add_permission(request)

    def has_module_permission(self, request):
        if self._scoped(request) and self._lookup is None:
            return False
        return super().has_module_permission(request)

    # Reads -------------------------------------------------------------------------

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not self._scoped(request):
            return queryset
        if self._lookup is None:
            return queryset.none()
        hotels = self.hotel_ids(request, "view", "change")
        return queryset.filter(hotel_q(self._lookup, hotels))

    def get_list_filter(self, request):
        """Offer only the user's own objects as choices of relation filters."""
        filters = super().get_list_filter(request)
        if not self._scoped(request):
            return filters
        scoped = []
        for entry in filters:
            if isinstance(entry, str):
                try:
                    field = get_fields_from_path(self.model, entry)[-1]
                except (FieldDoesNotExist, NotRelationField):
                    field = None
                if field is not None and field.is_relation:
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if not self._scoped(request):
            return inlines
        guarded = []
        for inline in inlines:
            inline = guard_inline(type(inline))(self.model, self.admin_site)
            if not inline.has_view_or_change_permission(request, obj):
                continue
            if not inline.has_add_permission(request, obj):
                inline.max_num = 0
            guarded.append(inline)
        return guarded

    def get_formsets_with_inlines(self, request, obj=None):
        """Name every field of a tabular inline's rows for screen readers.

        A tabular inline shows its labels once, as column headings, which no input
        is tied to; each input gets its column's label as `aria-label`.
        """
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if isinstance(inline, admin.TabularInline):
                formset = labelled_rows(formset)
            yield formset, inline

    # Forms -------------------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and self._scoped(request):
            field.queryset = related_choices(
                self.admin_site, request, db_field, self.opts, field.queryset
            )
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and self._scoped(request):
            field.queryset = related_choices(
                self.admin_site, request, db_field, self.opts, field.queryset
            )
        return field

    def save_model(self, request, obj, form, change):
        if self._scoped(request):
            action = "change" if change else "add"
            if self.hotel_id_of(obj) not in self.hotel_ids(request, action):
                raise PermissionDenied
        super().save_model(request, obj, form, change)

    def history_view(self, request, object_id, extra_context=None):
        """Add the changes the database recorded to the admin's own log."""

        model, pk = self.model, unquote(object_id)
        tz = self._hotel_zone(pk)
        extra_context = {
            **(extra_context or {}),
            # Called by the template only after the view checked the permission.
            "recorded_changes": lambda: object_changes(model, pk, tz),
            "recorded_tz": str(tz),
        }
        return super().history_view(request, object_id, extra_context)

    def _hotel_zone(self, pk) -> ZoneInfo:
        """Return the time zone of the object's hotel (UTC if it has none)."""
        lookup = self._lookup
        if lookup is None:
            return ZoneInfo("UTC")
        column = "time_zone" if lookup == "" else f"{lookup}__time_zone"
        try:
            zone = (
                self.model._default_manager.filter(pk=pk)
                .values_list(column, flat=True)
                .first()
            )
        except (ValueError, TypeError, FieldDoesNotExist, FieldError):
            zone = None
        return ZoneInfo(zone or "UTC")

    # Actions -----------------------------------------------------------------------

    # Site-wide actions and the export: their model permissions (allowed_permissions)
    # decide; every other action needs the roles its ModelAdmin declares for it in
    # `hotel_roles["actions"]` (hotels.staff), else it is for superusers only.
    MODEL_PERMISSION_ACTIONS = frozenset({"export_csv", "delete_selected"})

    def action_perm(self, name: str) -> str | None:
        """Return the permission to run action `name` (None: its model's own)."""
        if name in self.MODEL_PERMISSION_ACTIONS:
            return None
        return f"{self.opts.app_label}.{action_codename(self.opts, name)}"

    def response_action(self, request, queryset):
        """Run an action only on the selected objects the user may act on."""
        if self._scoped(request):
            name = request.POST.get("action", "")
            action = self.get_actions(request).get(name)
            needed = getattr(action[0], "allowed_permissions", None) if action else None
            perms = [_perm(self.opts, permission) for permission in needed or ()]
            if action is not None and self.action_perm(name):
                perms.append(self.action_perm(name))
            scope = scope_for(request)
            for perm in perms or [_perm(self.opts, "change")]:
                queryset = queryset.filter(
                    hotel_q(self._lookup or "", scope.hotel_ids(perm))
                )
        return super().response_action(request, queryset)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self._lookup is not None and self.has_view_permission(request):
            name = "export_csv"
            actions.setdefault(name, (export_csv, name, export_csv.short_description))
        if self._scoped(request):
            scope = scope_for(request)
            actions = {
                name: action
                for name, action in actions.items()
                if self._lookup is not None
                and (
                    self.action_perm(name) is None
                    or scope.has_perm(self.action_perm(name))
                )
            }
        return actions


@admin.action(description=_("Export selected as CSV"), permissions=["view"])
def export_csv(modeladmin, request, queryset):
    """Download the selected objects' list columns; the queryset is already scoped.

    Amounts in major units with a currency column, related rows and choices by name,
    dates and times in ISO 8601 (times in UTC).
    """
    shown = {
        name.removeprefix(ALIAS)
        for name in modeladmin.get_list_display(request)
        if isinstance(name, str)
    }
    fields = [
        field
        for field in modeladmin.model._meta.concrete_fields
        if field.name in shown or field.primary_key
    ]
    columns = csv_columns(modeladmin.model, fields)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{modeladmin.opts.model_name}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([str(title) for title, _value in columns])
    related = [f.name for f in fields if f.is_relation]
    for obj in queryset.select_related(*related).order_by("pk"):
        writer.writerow([value(obj) for _title, value in columns])
    return response


def csv_columns(model, fields) -> list[tuple[str, object]]:
    """Return (title, value of a row) for each exported field, and a currency column."""
    money = money_fields(model)
    columns = []
    for field in fields:
        columns.append((capfirst(field.verbose_name), _csv_value(field, money)))
    names = {f.name for f in fields}
    if money.keys() & names and "currency" not in names:
        path = next(money[name] for name in money if name in names)
        columns.append((_("Currency"), lambda obj: currency_of(obj, path) or ""))
    return columns


def _csv_value(field, money: dict[str, str]):
    name = field.name
    if name in money:

        def amount(obj):
            value = getattr(obj, name)
            currency = currency_of(obj, money[name])
            if isinstance(value, list):
                return " ".join(major_units(v, currency) for v in value)
            return major_units(value, currency) if currency else value

        return amount
    if field.is_relation:

        def related(obj):
            target = getattr(obj, name)
            return "" if target is None else str(getattr(target, "name", target))

        return related
    if field.choices:
        return lambda obj: getattr(obj, f"get_{name}_display")()

    def plain(obj):
        value = field.value_from_object(obj)
        if isinstance(value, datetime):
            return value.astimezone(UTC).isoformat()
        if isinstance(value, date | time):
            return value.isoformat()
        if isinstance(value, list):
            return " ".join(
                str(v.isoformat() if hasattr(v, "isoformat") else v) for v in value
            )
        if value is None:
            return ""
        return value

    return plain


class HotelScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin of a model that belongs to a hotel: set `hotel_lookup`.

    Inheriting is optional: the admin site guards every ModelAdmin by its
    `hotel_lookup`; this base only documents the attributes.
    """

    # The ORM path from the model to Hotel ("" for Hotel); None: superusers only.
    hotel_lookup: str | None = None
    # Reference data (amenities) that every staff member may pick on forms.
    hotel_shared: bool = False


class HotelScopeInlineGuard:
    """Guard an inline like its parent: the inline model's permission in its hotel."""

    def _parent_hotel_allowed(self, request, obj, *actions: str) -> bool:
        scope = scope_for(request)
        hotels: set[int] = set()
        for action in actions:
            hotels |= scope.hotel_ids(_perm(self.opts, action))
        if obj is None:
            return bool(hotels)
        parent_admin = self.admin_site._registry.get(type(obj))
        lookup = getattr(parent_admin, "hotel_lookup", None)
        return lookup is not None and hotel_id_of(obj, lookup) in hotels

    def _scoped(self, request) -> bool:
        return not scope_for(request).is_superuser

    def has_view_permission(self, request, obj=None):
        if self._scoped(request) and not self._parent_hotel_allowed(
            request, obj, "view", "change"
        ):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._scoped(request) and not self._parent_hotel_allowed(
            request, obj, "change"
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj):
        if self._scoped(request) and not self._parent_hotel_allowed(
            request, obj, "add"
        ):
            return False
        return super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._scoped(request) and not self._parent_hotel_allowed(
            request, obj, "delete"
        ):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            field is not None
            and self._scoped(request)
            and db_field.remote_field.model is not self.parent_model
        ):
            field.queryset = related_choices(
                self.admin_site, request, db_field, self.opts, field.queryset
            )
        return field


def labelled_rows(formset_class):
    """Return `formset_class` whose forms' inputs carry their label as aria-label."""

    class LabelledRows(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            row = "" if index is None else f" ({index + 1})"
            for name, form_field in form.fields.items():
                label = form_field.label or name.replace("_", " ").capitalize()
                widget = form_field.widget
                # A related-object wrapper renders the widget it wraps.
                for target in {
                    id(w): w for w in (widget, getattr(widget, "widget", widget))
                }.values():
                    target.attrs.setdefault("aria-label", f"{label}{row}")

    LabelledRows.__name__ = formset_class.__name__
    return LabelledRows


def guard_admin(admin_class):
    """Return `admin_class` with HotelScopeGuard in front (once)."""
    if issubclass(admin_class, HotelScopeGuard):
        return admin_class
    return type(
        admin_class.__name__,
        (HotelScopeGuard, admin_class),
        {
            "__module__": admin_class.__module__,
            "__qualname__": admin_class.__qualname__,
        },
    )


def guard_inline(inline_class):
    """Return `inline_class` with HotelScopeInlineGuard in front (once)."""
    if issubclass(inline_class, HotelScopeInlineGuard):
        return inline_class
    return type(
        inline_class.__name__,
        (HotelScopeInlineGuard, inline_class),
        {
            "__module__": inline_class.__module__,
            "__qualname__": inline_class.__qualname__,
        },
    )
