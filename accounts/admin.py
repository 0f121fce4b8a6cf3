from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from rest_framework_api_key.admin import APIKeyModelAdmin

from .models import Partner, PartnerAPIKey, User

admin.site.register(User, UserAdmin)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active", "created_at"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
    """Shows the full key once, in a message, when it is made; only its hash is kept."""

    list_display = [*APIKeyModelAdmin.list_display, "partner", "scopes", "last_used_at"]
    list_filter = ["revoked", "partner__kind"]
    search_fields = ["name", "prefix", "partner__name"]
    readonly_fields = ["last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "last_used_at"]
