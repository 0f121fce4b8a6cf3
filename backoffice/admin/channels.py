"""Where connected channel managers disagree with the inventory (read only)."""

from django.contrib import admin

from backoffice.admin_base import HotelScopedAdmin
from inventory.models import ChannelDrift


@admin.register(ChannelDrift)
class ChannelDriftAdmin(HotelScopedAdmin):
    """The last consistency check's list; the channel fixes it by pushing or pulling."""

    hotel_lookup = "hotel"
    list_display = [
        "date",
        "room_type",
        "field",
        "ours_shown",
        "theirs_shown",
        "partner",
        "source",
        "seen_at",
    ]
    list_filter = ["field", "partner", "hotel"]
    date_hierarchy = "date"
    search_fields = ["room_type__name", "partner__name"]
    list_select_related = ["room_type", "partner", "hotel"]
    ordering = ["date", "room_type", "field"]

    @admin.display(description="Innkeep")
    def ours_shown(self, obj):
        return "no night" if obj.ours is None else _shown(obj.ours)

    @admin.display(description="Channel")
    def theirs_shown(self, obj):
        return _shown(obj.theirs)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _shown(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
