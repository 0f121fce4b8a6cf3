from django.contrib import admin, messages

from backoffice.admin_base import HotelScopedAdmin
from backoffice.frontdesk import refund_text
from booking import services
from booking.models import Booking, BookingStatus, RoomAssignment
from core.errors import DomainError
from hotels.models import HotelMembership
from payments.services import cancel_booking_and_refund


class AssignmentInline(admin.TabularInline):
    model = RoomAssignment
    extra = 0
    readonly_fields = ["room", "stay", "created_at"]
    can_delete = False


def _run(modeladmin, request, queryset, action, done: str):
    """Apply a booking service to each selected booking and report each outcome."""
    succeeded = 0
    for booking in queryset:
        try:
            action(booking_id=booking.pk)
        except DomainError as error:
            modeladmin.message_user(
                request, f"{booking.reference}: {error.message}", messages.ERROR
            )
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(
            request, f"{succeeded} booking(s) {done}.", messages.SUCCESS
        )


@admin.action(description="Confirm selected held bookings")
def confirm(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.booking_confirm, "confirmed")


@admin.action(description="Cancel selected bookings (refund by policy)")
def cancel(modeladmin, request, queryset):
    def cancel_and_refund(booking_id):
        return cancel_booking_and_refund(
            booking_id=booking_id, created_by=f"admin:{request.user.get_username()}"
        )

    _run(modeladmin, request, queryset, cancel_and_refund, "cancelled")


@admin.action(description="Check in selected bookings")
def check_in(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.booking_check_in, "checked in")


@admin.action(description="Check out selected bookings")
def check_out(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.booking_check_out, "checked out")


@admin.action(description="Mark selected bookings as no-show")
def no_show(modeladmin, request, queryset):
    _run(
        modeladmin,
        request,
        queryset,
        services.booking_mark_no_show,
        "marked as no-show",
    )


@admin.register(Booking)
class BookingAdmin(HotelScopedAdmin):
    hotel_lookup = "hotel"
    # Every role runs the front desk; the booking services decide what may happen.
    hotel_roles = {"change": tuple(HotelMembership.Role)}
    list_display = [
        "reference",
        "hotel",
        "room_type",
        "check_in",
        "check_out",
        "rooms",
        "status",
        "total",
        "currency",
        "source",
        "created_at",
    ]
    list_filter = ["status", "source", "hotel"]
    search_fields = ["reference", "guest_name", "guest_email"]
    date_hierarchy = "check_in"
    list_select_related = ["hotel", "room_type"]
    actions = [confirm, cancel, check_in, check_out, no_show]
    inlines = [AssignmentInline]
    # Every change goes through a service; the admin shows the record, and the refund
    # as every other page shows it (not the policy's share the row keeps).
    readonly_fields = [
        "refund" if f.name == "refund_amount" else f.name for f in Booking._meta.fields
    ]

    @admin.display(description="Refund")
    def refund(self, booking):
        if booking.status != BookingStatus.CANCELLED:
            return "–"
        return refund_text(booking)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
