from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from backoffice.admin_base import HotelScopedAdmin
from backoffice.frontdesk import refund_text
from booking import services
from booking.models import Booking, BookingStatus, RoomAssignment
from core.errors import DomainError
from hotels.models import HotelMembership
from payments.services import booking_confirm_by_staff, cancel_booking_and_refund
from payments.services.desk import may_confirm_unpaid

MANAGERS = (HotelMembership.Role.OWNER, HotelMembership.Role.MANAGER)
# Who runs the front desk (housekeeping works the rooms, never the bookings).
DESK = (*MANAGERS, HotelMembership.Role.FRONT_DESK)


class AssignmentInline(admin.TabularInline):
    model = RoomAssignment
    extra = 0
    readonly_fields = ["room", "stay", "created_at"]
    can_delete = False


DONE = {
    "confirmed": gettext_lazy("%(count)s booking(s) confirmed."),
    "cancelled": gettext_lazy("%(count)s booking(s) cancelled."),
    "checked in": gettext_lazy("%(count)s booking(s) checked in."),
    "checked out": gettext_lazy("%(count)s booking(s) checked out."),
    "marked as no-show": gettext_lazy("%(count)s booking(s) marked as no-show."),
}


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
            request, str(DONE[done]) % {"count": succeeded}, messages.SUCCESS
        )


@admin.action(description=_("Confirm selected held bookings"))
def confirm(modeladmin, request, queryset):
    def confirm_paid(booking_id):
        return booking_confirm_by_staff(booking_id=booking_id, user=request.user)

    _run(modeladmin, request, queryset, confirm_paid, "confirmed")


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why confirm without payment?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on each booking and in the audit history, with your name."),
    )


@admin.action(
    description=_("Confirm selected held bookings without payment (manager)"),
    permissions=["confirm_unpaid"],
)
def confirm_without_payment(modeladmin, request, queryset):
    """Ask for a reason, then confirm each selected hold even if it is unpaid.

    The queryset holds only bookings of hotels where the user has the override
    (HotelScopeGuard.response_action); the others are named as left alone.
    """
    skipped = len(set(request.POST.getlist(ACTION_CHECKBOX_NAME))) - queryset.count()
    if skipped > 0:
        modeladmin.message_user(
            request,
            f"{skipped} selected booking(s) are at hotels where you may not confirm "
            "without payment: left as they were.",
            messages.ERROR,
        )
        if not queryset.exists():
            return None
    form = OverrideForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]

        def override(booking_id):
            return booking_confirm_by_staff(
                booking_id=booking_id, user=request.user, override_reason=reason
            )

        _run(modeladmin, request, queryset, override, "confirmed")
        return None
    return TemplateResponse(
        request,
        "admin/booking/confirm_without_payment.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Confirm without payment"),
            "opts": modeladmin.model._meta,
            "bookings": list(queryset),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        },
    )


@admin.action(description=_("Cancel selected bookings (refund by policy)"))
def cancel(modeladmin, request, queryset):
    def cancel_and_refund(booking_id):
        return cancel_booking_and_refund(
            booking_id=booking_id, created_by=f"admin:{request.user.get_username()}"
        )

    _run(modeladmin, request, queryset, cancel_and_refund, "cancelled")


@admin.action(description=_("Check in selected bookings"))
def check_in(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.booking_check_in, "checked in")


@admin.action(description=_("Check out selected bookings"))
def check_out(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.booking_check_out, "checked out")


@admin.action(description=_("Mark selected bookings as no-show"))
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
    # Every role runs the front desk one booking at a time (its page); the booking
    # services decide what may happen. Bulk confirm, cancel and no-show move money or
    # rooms for many guests at once: owners and managers only.
    hotel_roles = {
        "change": DESK,
        "actions": {
            "confirm": MANAGERS,
            "confirm_without_payment": MANAGERS,
            "cancel": MANAGERS,
            "no_show": MANAGERS,
            "check_in": DESK,
            "check_out": DESK,
        },
    }
    list_display = [
        "reference",
        "hotel",
        "room_type",
        "check_in",
        "check_out",
        "rooms",
        "status",
        "total",
        "source",
        "created_at",
    ]
    list_filter = ["status", "source", "hotel"]
    search_fields = ["reference", "guest_name", "guest_email"]
    date_hierarchy = "check_in"
    list_select_related = ["hotel", "room_type"]
    actions = [confirm, confirm_without_payment, cancel, check_in, check_out, no_show]
    inlines = [AssignmentInline]
    # Every change goes through a service; the admin shows the record, and the refund
    # as every other page shows it (not the policy's share the row keeps).
    readonly_fields = [
        "refund" if f.name == "refund_amount" else f.name for f in Booking._meta.fields
    ]

    @admin.display(description=_("Refund"))
    def refund(self, booking):
        if booking.status != BookingStatus.CANCELLED:
            return "–"
        return refund_text(booking)

    def has_add_permission(self, request):
        return False

    def has_confirm_unpaid_permission(self, request):
        # Owners and managers (per hotel, checked again for each booking), never
        # the front desk.
        return may_confirm_unpaid(request.user)

    def has_delete_permission(self, request, obj=None):
        return False
