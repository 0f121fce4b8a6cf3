"""The admin site: every registered ModelAdmin is limited to its user's hotels."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class InnkeepAdminSite(admin.AdminSite):
    site_header = "Innkeep"
    site_title = "Innkeep admin"
    index_title = "Run your hotel"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as usual, with HotelScopeGuard in front of the ModelAdmin."""
        from hotels.admin_base import guard_admin

        admin_class = guard_admin(admin_class or admin.ModelAdmin)
        return super().register(model_or_iterable, admin_class, **options)


class InnkeepAdminConfig(AdminConfig):
    default_site = "core.admin_site.InnkeepAdminSite"
