from django.contrib import admin

from .models import (
    Amenity,
    CancellationPolicy,
    CancellationRule,
    Hotel,
    HotelMembership,
    HotelPhoto,
    Room,
    RoomType,
)


class MembershipInline(admin.TabularInline):
    model = HotelMembership
    extra = 0
    autocomplete_fields = ["user"]


class PhotoInline(admin.TabularInline):
    model = HotelPhoto
    extra = 0


@admin.register(Hotel)
class HotelAdmin(admin.ModelAdmin):
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
    search_fields = ["name", "city", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["amenities"]
    inlines = [MembershipInline, PhotoInline]


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ["number", "floor", "features", "housekeeping_status"]


@admin.register(RoomType)
class RoomTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "hotel",
        "room_count",
        "max_occupancy",
        "overbooking_percent",
        "base_price",
    ]
    list_filter = ["hotel__city"]
    search_fields = ["name", "hotel__name"]
    autocomplete_fields = ["hotel"]
    filter_horizontal = ["amenities"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["number", "hotel", "room_type", "floor", "housekeeping_status"]
    list_filter = ["housekeeping_status", "hotel"]
    search_fields = ["number", "hotel__name"]
    autocomplete_fields = ["hotel", "room_type"]


class RuleInline(admin.TabularInline):
    model = CancellationRule
    extra = 1


@admin.register(CancellationPolicy)
class CancellationPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "hotel"]
    search_fields = ["name", "hotel__name"]
    autocomplete_fields = ["hotel"]
    inlines = [RuleInline]


@admin.register(Amenity)
class AmenityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "scope"]
    search_fields = ["name"]
