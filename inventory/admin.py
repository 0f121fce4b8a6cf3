from django.contrib import admin

from .models import Inventory, RatePlan


@admin.register(RatePlan)
class RatePlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "room_type",
        "meal_plan",
        "price_adjustment_bp",
        "payment_mode",
    ]
    list_filter = ["meal_plan", "payment_mode", "is_active"]
    search_fields = ["name", "room_type__name", "room_type__hotel__name"]
    autocomplete_fields = ["room_type"]


@admin.register(Inventory)
class InventoryAdmin(admin.ModelAdmin):
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
