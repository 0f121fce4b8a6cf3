from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from backoffice import urls
from backoffice.admin_base import HotelScopedAdmin
from backoffice.base import PAGES
from core.errors import DomainError
from hotels.models import (
    Amenity,
    CancellationPolicy,
    CancellationRule,
    Hotel,
    HotelMembership,
    HotelPhoto,
)
from hotels.photos import photo_clean
from hotels.scoping import scope_for
from hotels.services import staff_enable
from hotels.translation import every_language

Role = HotelMembership.Role


class StaffAccountField(forms.CharField):
    """A person's account named by username or e-mail: staff never browse all users."""

    def prepare_value(self, value):
        if isinstance(value, int):
            return (
                get_user_model()
                .objects.filter(pk=value)
                .values_list("username", flat=True)
                .first()
            )
        return getattr(value, "username", value)

    def clean(self, value):
        value = super().clean(value).strip()
        matches = get_user_model().objects.filter(
            Q(username__iexact=value) | Q(email__iexact=value), is_active=True
        )[:2]
        if len(matches) != 1:
            raise forms.ValidationError(
                "No single active account has this username or e-mail address."
            )
        return matches[0]


class MembershipForm(forms.ModelForm):
    user = StaffAccountField(label=_("Username or e-mail"), max_length=254)

    class Meta:
        model = HotelMembership
        fields = ["user", "role"]


class MembershipInline(admin.TabularInline):
    """The hotel's staff; owners add people by username or e-mail."""

    model = HotelMembership
    form = MembershipForm
    extra = 0
    hotel_roles = {
        "add": (Role.OWNER,),
        "change": (Role.OWNER,),
        "delete": (Role.OWNER,),
    }
    readonly_fields = ["enrolment_code"]

    def get_fields(self, request, obj=None):
        fields = ["user", "role"]
        scope = scope_for(request)
        # Owners (and superusers) issue the codes staff enrol their authenticator with.
        if obj is not None and (scope.is_superuser or scope.role(obj.pk) == Role.OWNER):
            fields.append("enrolment_code")
        return fields

    @admin.display(description=_("Authenticator enrolment"))
    def enrolment_code(self, membership):
        if membership.pk is None:
            return "–"
        return format_html(
            '<a href="{}">Issue a one-time code</a>',
            reverse(
                "admin:hotels_hotel_enrolment_code",
                args=[membership.hotel_id, membership.pk],
            ),
        )


class PhotoForm(forms.ModelForm):
    """A photo is stored as hotels.photos re-encodes it, never as uploaded."""

    class Meta:
        model = HotelPhoto
        fields = ["room_type", "image", "caption", "position"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image is None or not hasattr(image, "content_type"):
            return image  # unchanged: the stored file was cleaned when it came in
        try:
            return photo_clean(image)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


class PhotoInline(admin.TabularInline):
    model = HotelPhoto
    form = PhotoForm
    extra = 0


@admin.register(Hotel)
class HotelAdmin(TranslationAdmin, HotelScopedAdmin):
    hotel_lookup = ""
    hotel_roles = {"change": (Role.OWNER, Role.MANAGER)}
    list_display = [
        "name",
        "city",
        "country",
        "star_rating",
        "currency",
        "time_zone",
        "status",
    ]
    list_filter = ["status", "country", "star_rating"]
    search_fields = [*every_language("name"), "city", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Checkboxes, not the two-list widget: labelled, and usable without JavaScript.
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}
    }
    # Kept by the review services from the published reviews.
    readonly_fields = ["rating_average", "rating_count"]
    inlines = [MembershipInline, PhotoInline]
    change_form_template = "admin/hotels/hotel/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        # Deactivating tells guests and partners and closes the nights; reactivating
        # lifts that: both go through the Closures page's services, never this form.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("status")
        return fields

    def get_list_display(self, request):
        scope = scope_for(request)

        @admin.display(description=_("Run the hotel"))
        def hotel_pages(hotel):
            """Link the hotel's pages this user may open."""
            links = [
                format_html(
                    '<a href="{}">{}</a>',
                    reverse(f"admin:hotels_hotel_{name}", args=[hotel.pk]),
                    title,
                )
                for name, title, perm in PAGES
                if scope.has_perm(perm, hotel.pk)
            ]
            return format_html_join(" · ", "{}", ((link,) for link in links))

        return [*super().get_list_display(request), hotel_pages]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        scope = scope_for(request)
        pk = int(object_id) if str(object_id).isdigit() else None
        extra_context = {
            **(extra_context or {}),
            "hotel_pages": [
                (f"admin:hotels_hotel_{name}", title)
                for name, title, perm in PAGES
                if pk is not None and scope.has_perm(perm, pk)
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is HotelMembership:
            staff_enable(user_ids=[m.user_id for m in formset.new_objects])

    def get_urls(self):
        return urls.hotel_urls(self) + super().get_urls()


class RuleInline(admin.TabularInline):
    model = CancellationRule
    extra = 1


@admin.register(CancellationPolicy)
class CancellationPolicyAdmin(TranslationAdmin, HotelScopedAdmin):
    hotel_lookup = "hotel"
    list_display = ["name", "hotel"]
    search_fields = [*every_language("name"), *every_language("hotel__name")]
    autocomplete_fields = ["hotel"]
    inlines = [RuleInline]


@admin.register(Amenity)
class AmenityAdmin(TranslationAdmin, HotelScopedAdmin):
    # Shared by every hotel: staff pick amenities on forms, only superusers edit them.
    hotel_shared = True
    list_display = ["name", "code", "scope"]
    search_fields = [*every_language("name"), "code"]
