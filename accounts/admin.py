from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Partner, User

admin.site.register(User, UserAdmin)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
