"""Room types and their physical rooms: every write that moves inventory is a service's.

A room's housekeeping status (and its nights out of order) is written by
inventory.housekeeping, which takes rooms to sell off and gives them back; the forms
check the same rules first, so bad input is a form error and changes nothing.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from backoffice.admin_base import HotelScopedAdmin
from backoffice.base import hotel_today
from backoffice.housekeeping import tell_housekeeping
from backoffice.service_admin import ServiceWritesAdmin
from core.errors import DomainError
from hotels.models import HotelMembership, Room, RoomType
from hotels.scoping import scope_for
from hotels.translation import every_language
from inventory import housekeeping
from inventory.room_types import (
    resize_refusal,
    room_type_resize,
    room_type_resize_preview,
)

Role = HotelMembership.Role
STAFF = (Role.OWNER, Role.MANAGER, Role.FRONT_DESK)
OUT_OF_ORDER = Room.Housekeeping.OUT_OF_ORDER
# The services name the field they refuse; the forms call some of them differently.
FORM_FIELDS = {"until": "out_of_order_until", "status": "housekeeping_status"}


def form_error(form, error: DomainError) -> None:
    """Show a service's refusal on the form field it names (or on the form)."""
    field = error.params.get("field")
    field = FORM_FIELDS.get(field, field)
    form.add_error(field if field in form.fields else None, error.message)


class RoomFormMixin:
    """Checks a room's housekeeping and room type as the services will."""

    # The room type of an inline's rooms: the page's, not a field of the form.
    parent_room_type: RoomType | None = None

    def clean(self):
        data = super().clean()
        if data.get("housekeeping_status") != OUT_OF_ORDER:
            data["out_of_order_until"] = None
        room_type = (
            data.get("room_type")
            or self.parent_room_type
            or (self.instance.room_type if self.instance.room_type_id else None)
        )
        status = data.get("housekeeping_status")
        if room_type is None or status is None or self.errors:
            return data
        if self.instance.pk is None:
            # A new room belongs to its room type's hotel (the scoping checks it).
            self.instance.hotel_id = room_type.hotel_id
            room = Room(hotel_id=room_type.hotel_id, room_type_id=room_type.pk)
        else:
            room = self.instance  # as stored: the form's values are not on it yet
        try:
            housekeeping.room_change_check(
                room=room,
                room_type=room_type,
                status=status,
                out_of_order_until=data.get("out_of_order_until"),
                today=hotel_today(room_type.hotel),
            )
        except DomainError as error:
            form_error(self, error)
        return data


class RoomForm(RoomFormMixin, forms.ModelForm):
    class Meta:
        model = Room
        fields = [
            "room_type",
            "number",
            "floor",
            "features",
            "housekeeping_status",
            "out_of_order_until",
        ]
        help_texts = {
            "out_of_order_until": "The last night the room is out of order (hotel "
            "time): one room less to sell on each night until then.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("room_type")
        if field is not None and self.instance.pk is not None:
            field.queryset = field.queryset.filter(hotel_id=self.instance.hotel_id)

    def clean_number(self):
        number = self.cleaned_data["number"]
        room_type = self.cleaned_data.get("room_type")
        hotel_id = self.instance.hotel_id or getattr(room_type, "hotel_id", None)
        taken = Room.objects.filter(hotel_id=hotel_id, number=number).exclude(
            pk=self.instance.pk
        )
        if hotel_id is not None and taken.exists():
            raise forms.ValidationError("This hotel has a room with this number.")
        return number


def save_room(request, form, *, room_type_id: int) -> housekeeping.HousekeepingResult:
    """Create or change the room of `form` through the housekeeping service, and say
    what a change of its status did to the nights."""
    result = _save_room(form, room_type_id=room_type_id)
    if {"housekeeping_status", "out_of_order_until"} & set(form.changed_data):
        tell_housekeeping(request, result)
    return result


def _save_room(form, *, room_type_id: int) -> housekeeping.HousekeepingResult:
    # The validated form has put its values on the instance; fields the page showed
    # read-only keep the stored ones.
    room = form.instance
    fields = {
        "room_type_id": room_type_id,
        "number": room.number,
        "floor": room.floor,
        "features": room.features,
        "status": room.housekeeping_status,
        "out_of_order_until": room.out_of_order_until,
    }
    if room.pk is None:
        return housekeeping.room_create(**fields)
    return housekeeping.room_update(room_id=room.pk, **fields)


@admin.register(Room)
class RoomAdmin(ServiceWritesAdmin, HotelScopedAdmin):
    hotel_lookup = "hotel"
    # Front desk keeps housekeeping status current (the housekeeping board).
    hotel_roles = {
        "add": (Role.OWNER, Role.MANAGER),
        "change": STAFF,
        "delete": (Role.OWNER, Role.MANAGER),
    }
    form = RoomForm
    list_display = ["number", "hotel", "room_type", "floor", "housekeeping_status"]
    list_filter = ["housekeeping_status", "hotel"]
    search_fields = ["number", "hotel__name"]
    autocomplete_fields = ["room_type"]

    def get_fields(self, request, obj=None):
        fields = list(RoomForm.Meta.fields)
        if obj is not None:
            fields = ["hotel", *fields, "nights_off_sale"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The hotel follows the room type; the nights are the service's record; the
        # front desk keeps the housekeeping status, the rest is the managers'.
        readonly = ["hotel", "nights_off_sale"]
        if scope_for(request).role(obj.hotel_id) == Role.FRONT_DESK:
            readonly += ["room_type", "number", "floor", "features"]
        return readonly

    @admin.display(description=_("Nights taken off sale"))
    def nights_off_sale(self, room):
        nights = room.out_of_order_nights
        if not nights:
            return "–"
        return format_html(
            "{} night(s): {}",
            len(nights),
            ", ".join(f"{night:%d %b %Y}" for night in nights),
        )

    def save_with_services(self, request, obj, form, change):
        result = save_room(request, form, room_type_id=obj.room_type_id)
        obj.pk, obj.hotel_id = result.room.pk, result.room.hotel_id

    def delete_with_services(self, request, obj):
        housekeeping.room_delete(room_id=obj.pk)


class RoomInlineForm(RoomFormMixin, forms.ModelForm):
    class Meta:
        model = Room
        fields = [
            "number",
            "floor",
            "features",
            "housekeeping_status",
            "out_of_order_until",
        ]


class RoomInlineFormSet(forms.BaseInlineFormSet):
    """Rooms added under a room type belong to its hotel; numbers are unique there."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.hotel_id = self.instance.hotel_id
        form.parent_room_type = self.instance
        return form

    def clean(self):
        super().clean()
        numbers = {
            form.cleaned_data["number"]: form
            for form in self.forms
            if form.cleaned_data.get("number") and not form.cleaned_data.get("DELETE")
        }
        taken = (
            Room.objects.filter(hotel_id=self.instance.hotel_id, number__in=numbers)
            .exclude(pk__in=[f.instance.pk for f in numbers.values() if f.instance.pk])
            .values_list("number", flat=True)
        )
        for number in taken:
            numbers[number].add_error(
                "number", "This hotel has a room with this number."
            )


class RoomInline(admin.TabularInline):
    model = Room
    form = RoomInlineForm
    formset = RoomInlineFormSet
    extra = 0
    fields = RoomInlineForm.Meta.fields


# Written by inventory.room_types, which moves the open nights with them.
RESIZE_FIELDS = ("room_count", "overbooking_percent")


class RoomTypeForm(forms.ModelForm):
    """A room count or overbooking change is shown night by night, then confirmed."""

    apply_to_open_nights = forms.BooleanField(
        required=False,
        label=_("Apply to the open nights"),
        help_text=_(
            "Shown when the room count or overbooking changes: rooms to sell "
            "of every open night from today move with it."
        ),
    )
    # The (room count, overbooking) the preview was shown for: a confirmation of
    # other numbers gets a new preview.
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = RoomType
        fields = [
            "hotel",
            "name",
            "code",
            "description",
            "max_occupancy",
            "bed_type",
            "size_sqm",
            "amenities",
            "room_count",
            "overbooking_percent",
            "base_price",
            "is_active",
        ]

    resize_plan = None

    def clean(self):
        data = super().clean()
        if self.instance.pk is None or not set(RESIZE_FIELDS) <= set(data):
            return data  # a new room type has no open nights yet
        wanted = tuple(data[name] for name in RESIZE_FIELDS)
        stored = tuple(getattr(self.instance, name) for name in RESIZE_FIELDS)
        if wanted == stored:
            return data
        try:
            plan = room_type_resize_preview(
                room_type_id=self.instance.pk,
                room_count=wanted[0],
                overbooking_percent=wanted[1],
            )
        except DomainError as error:
            form_error(self, error)
            return data
        self.resize_plan = plan
        field = "room_count" if wanted[0] != stored[0] else "overbooking_percent"
        token = f"{wanted[0]}/{wanted[1]}"
        if plan.blocked:
            self.add_error(field, resize_refusal(plan).message)
        elif plan.nights and not (
            data.get("apply_to_open_nights") and data.get("previewed") == token
        ):
            self.data = self.data.copy()
            self.data[self.add_prefix("previewed")] = token
            self.data.pop(self.add_prefix("apply_to_open_nights"), None)
            self.add_error(
                "apply_to_open_nights",
                f"This changes rooms to sell on {len(plan.nights)} open night(s), "
                "listed below: check them and tick the box to apply it.",
            )
        return data


@admin.register(RoomType)
class RoomTypeAdmin(TranslationAdmin, ServiceWritesAdmin, HotelScopedAdmin):
    hotel_lookup = "hotel"
    list_display = [
        "name",
        "hotel",
        "room_count",
        "max_occupancy",
        "overbooking_percent",
        "base_price",
    ]
    list_filter = ["hotel__city"]
    search_fields = [*every_language("name"), *every_language("hotel__name")]
    autocomplete_fields = ["hotel"]
    # Checkboxes, not the two-list widget: labelled, and usable without JavaScript.
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}
    }
    inlines = [RoomInline]
    form = RoomTypeForm

    def get_fields(self, request, obj=None):
        # TranslationAdmin asks for the fields again while it builds the form.
        hidden = ("previewed", "apply_to_open_nights")
        fields = [f for f in super().get_fields(request, obj) if f not in hidden]
        if obj is not None:
            at = fields.index("overbooking_percent") + 1
            fields[at:at] = ["apply_to_open_nights", "previewed"]
        return fields

    def save_with_services(self, request, obj, form, change):
        if not change:
            obj.save()
            return
        if set(RESIZE_FIELDS) & set(form.changed_data):
            plan = room_type_resize(
                room_type_id=obj.pk,
                room_count=obj.room_count,
                overbooking_percent=obj.overbooking_percent,
                expected=tuple(form.initial[name] for name in RESIZE_FIELDS),
            )
            self.message_user(
                request,
                f"Rooms to sell changed on {len(plan.nights)} open night(s).",
                messages.SUCCESS,
            )
        plain = [
            field.name
            for field in RoomType._meta.concrete_fields
            if field.name in form.changed_data and field.name not in RESIZE_FIELDS
        ]
        if plain:
            obj.save(update_fields=plain)

    def save_formset_with_services(self, request, form, formset, change):
        if formset.model is not Room:
            return super().save_formset_with_services(request, form, formset, change)
        for room_form in formset.deleted_forms:
            if room_form.instance.pk is not None:
                housekeeping.room_delete(room_id=room_form.instance.pk)
                formset.deleted_objects.append(room_form.instance)
        for room_form in formset.forms:
            if room_form in formset.deleted_forms or not room_form.has_changed():
                continue
            new = room_form.instance.pk is None
            room = save_room(request, room_form, room_type_id=form.instance.pk).room
            if new:
                formset.new_objects.append(room)
            else:
                formset.changed_objects.append((room, room_form.changed_data))
        return None
