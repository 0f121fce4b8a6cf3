from django.contrib import admin

from .models import GatewayEvent, Payment, Refund


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    hotel_lookup = "booking__hotel"
    hotel_roles: dict = {}  # staff see payments; money moves through services
    list_display = [
        "booking",
        "kind",
        "amount",
        "currency",
        "gateway",
        "status",
        "created_at",
    ]
    list_filter = ["status", "gateway"]


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    hotel_lookup = "payment__booking__hotel"
    hotel_roles: dict = {}
    list_display = ["payment", "amount", "currency", "status", "created_at"]


@admin.register(GatewayEvent)
class GatewayEventAdmin(admin.ModelAdmin):
    list_display = ["gateway", "event_id", "type", "received_at", "processed_at"]
