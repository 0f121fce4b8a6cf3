from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from rest_framework_api_key.admin import APIKeyModelAdmin

from accounts import services
from accounts.models import Partner, PartnerAPIKey, User
from backoffice import enrolment
from core.errors import DomainError


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["issue_enrolment_codes"]

    @admin.action(description="Issue authenticator enrolment codes")
    def issue_enrolment_codes(self, request, queryset):
        """Show each chosen staff member's new one-time enrolment code, once."""
        return enrolment.users_code_response(self, request, queryset)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active", "created_at"]
    prepopulated_fields = {"slug": ["name"]}

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
