from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin

from accounts import services
from accounts.models import Partner, PartnerAPIKey, User
from backoffice import enrolment
from core.errors import DomainError


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["issue_enrolment_codes"]

    @admin.action(description=_("Issue authenticator enrolment codes"))
    def issue_enrolment_codes(self, request, queryset):
        """Show each chosen staff member's new one-time enrolment code, once."""
        return enrolment.users_code_response(self, request, queryset)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "slug",
            "kind",
            "is_active",
            "hotels",
            "unlimited_holds",
            "max_live_holds",
            "max_held_room_nights",
            "bookings_per_minute",
        ]

    def clean(self):
        data = super().clean()
        if data.get("unlimited_holds"):
            for name in ("max_live_holds", "max_held_room_nights"):
                if data.get(name) is not None:
                    self.add_error(
                        name, "Leave this empty: the partner has no hold limits."
                    )
        return data


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerForm
    list_display = ["name", "kind", "is_active", "hold_limits", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "is_active", "hotels"]}),
        (
            "Hold limits and booking rate",
            {
                "description": (
                    "Live holds and held room-nights at once, and booking requests a "
                    "minute (all keys together). Empty: the defaults, "
                    f"{settings.BOOKING_PARTNER_MAX_HOLDS} holds, "
                    f"{settings.BOOKING_PARTNER_MAX_ROOM_NIGHTS} room-nights, "
                    f"{settings.API_BOOKING_RATE_PER_MINUTE} requests a minute. "
                    "See docs/partner-guide.md."
                ),
                "fields": [
                    "unlimited_holds",
                    "max_live_holds",
                    "max_held_room_nights",
                    "bookings_per_minute",
                ],
            },
        ),
    ]

    @admin.display(description=_("hold limits"))
    def hold_limits(self, obj):
        if obj.unlimited_holds:
            return "no limit"
        holds = obj.max_live_holds or settings.BOOKING_PARTNER_MAX_HOLDS
        nights = obj.max_held_room_nights or settings.BOOKING_PARTNER_MAX_ROOM_NIGHTS
        return f"{holds} holds / {nights} room-nights"

    def save_model(self, request, obj, form, change):
        services.partner_update(partner=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Connected hotels changed too: the keys must see them at once.
        services.forget_cached_keys(
            form.instance.api_keys.values_list("prefix", flat=True)
        )


class PartnerAPIKeyForm(forms.ModelForm):
    class Meta:
        model = PartnerAPIKey
        fields = ["partner", "name", "scopes", "expiry_date", "revoked"]

    def clean(self):
        data = super().clean()
        partner, scopes = data.get("partner"), data.get("scopes")
        if partner is not None and scopes is not None:
            try:
                services.check_scopes(partner, scopes)
            except DomainError as error:
                self.add_error("scopes", error.message)
        return data


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
    """Makes a key through the service and shows it once; only its hash is kept."""

    form = PartnerAPIKeyForm
    list_display = [*APIKeyModelAdmin.list_display, "partner", "scopes", "last_used_at"]
    list_filter = ["revoked", "partner__kind"]
    search_fields = ["name", "prefix", "partner__name"]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "last_used_at"]
        if obj is not None:
            fields += ["partner", "scopes"]
        return fields

    def save_model(self, request, obj, form, change):
        if change:
            if obj.revoked and not form.initial.get("revoked"):
                services.partner_key_revoke(key_id=obj.pk)
                obj.refresh_from_db()
            obj.save()
            services.forget_cached_keys([obj.prefix])
            return
        key, raw = services.partner_key_create(
            partner=obj.partner,
            name=obj.name,
            scopes=obj.scopes,
            expires_at=obj.expiry_date,
        )
        obj.pk, obj.prefix, obj.hashed_key = key.pk, key.prefix, key.hashed_key
        self.message_user(
            request,
            f"The API key for {obj.partner} is: {raw} — store it now: it is not kept "
            "and cannot be shown again.",
            messages.WARNING,
        )
