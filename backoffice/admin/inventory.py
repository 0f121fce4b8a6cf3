from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from backoffice.admin_base import HotelScopedAdmin
from hotels.models import HotelMembership
from hotels.translation import every_language
from inventory.models import Inventory, RatePlan

Role = HotelMembership.Role


@admin.register(RatePlan)
class RatePlanAdmin(TranslationAdmin, HotelScopedAdmin):
    hotel_lookup = "room_type__hotel"
    list_display = [
        "name",
        "room_type",
        "meal_plan",
        "price_adjustment_bp",
        "payment_mode",
    ]
    list_filter = ["meal_plan", "payment_mode", "is_active"]
    search_fields = [
        *every_language("name"),
        *every_language("room_type__name"),
        *every_language("room_type__hotel__name"),
    ]
    autocomplete_fields = ["room_type"]


@admin.register(Inventory)
class InventoryAdmin(HotelScopedAdmin):
    """Nights as a list; they are changed in the hotel's rates calendar.

    The calendar goes through inventory_apply (locks, all or nothing, never below
    booked); an editable form here would bypass it.
    """

    hotel_lookup = "room_type__hotel"
    # The right to change nights, used by the rates calendar.
    hotel_roles = {"change": (Role.OWNER, Role.MANAGER)}
    list_display = [
        "room_type",
        "date",
        "rooms",
        "overbooking",
        "booked",
        "price",
        "stop_sell",
    ]
    list_filter = ["stop_sell", "room_type__hotel"]
    date_hierarchy = "date"
    search_fields = ["room_type__name", "room_type__hotel__name"]
    # Booked counts move only through the booking services (invariant 2).
    readonly_fields = ["room_type", "date", "booked"]
    list_select_related = ["room_type__hotel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
