"""Guest privacy in the admin: the audit record, and a guest's data by e-mail address.

Owners and managers export or erase a guest of their own hotels (the rights
`privacy.export_guest_data` and `privacy.erase_guest_data` of their role); an export
holds only their hotels' bookings, and an erasure that reaches further (another
hotel's bookings, a site account) is for a superuser.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.admin_base import HotelScopedAdmin
from core.errors import DomainError, NotFound
from hotels.models import HotelMembership
from hotels.scoping import scope_for
from privacy.erasure import guest_erase
from privacy.export import guest_data_export
from privacy.models import PrivacyRequest
from privacy.subjects import ERASE_PERM, EXPORT_PERM, subject_by_email


class GuestDataForm(forms.Form):
    email = forms.EmailField(
        label=_("Guest's e-mail address"),
        help_text=_("The address of their bookings or of their site account."),
    )
    action = forms.ChoiceField(
        choices=[("export", "Export their data (JSON file)"), ("erase", "Erase them")],
        widget=forms.RadioSelect,
        initial="export",
    )
    confirm = forms.BooleanField(
        label=_("The guest asked for this erasure and I checked it is them."),
        required=False,
        help_text=_("Needed to erase; an erasure cannot be undone."),
    )

    def __init__(self, *args, allowed: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action and action not in self.allowed:
            self.add_error("action", "You may not do this for your hotels' guests.")
        elif action == "erase" and not data.get("confirm"):
            self.add_error("confirm", "Tick this to erase the guest.")
        return data


class DistinctChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # A record of several of the user's hotels matches once per hotel.
        return super().get_queryset(request, exclude_parameters).distinct()


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(HotelScopedAdmin):
    hotel_lookup = "hotels"
    # Records are written by the privacy services only; they name guests, so owners
    # and managers (who may export and erase) read them, not the front desk.
    hotel_roles = {"view": (HotelMembership.Role.OWNER, HotelMembership.Role.MANAGER)}
    list_display = ["created_at", "action", "channel", "actor_name", "bookings"]
    list_filter = ["action", "channel"]
    search_fields = ["booking_references"]
    readonly_fields = [
        "action",
        "channel",
        "actor_name",
        "subject_user_id",
        "booking_references",
        "counts",
        "created_at",
    ]
    exclude = ["actor", "hotels"]

    @admin.display(description=_("bookings"))
    def bookings(self, obj):
        return ", ".join(obj.booking_references) or "–"

    def get_changelist(self, request, **kwargs):
        return DistinctChangeList

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "guest-data/",
                self.admin_site.admin_view(self.guest_data_view),
                name="privacy_guest_data",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "guest_data": _allowed(request)}
        return super().changelist_view(request, extra_context)

    def guest_data_view(self, request):
        """Export or erase a guest named by e-mail address (POST only does either)."""
        allowed = _allowed(request)
        if not allowed:
            raise PermissionDenied
        form = GuestDataForm(
            request.POST if request.method == "POST" else None, allowed=allowed
        )
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    return self._apply(request, form.cleaned_data)
                except DomainError as error:
                    form.add_error(None, error.message)
                    status = 404 if isinstance(error, NotFound) else 409
        context = {
            **self.admin_site.each_context(request),
            "title": "A guest's data",
            "opts": self.model._meta,
            "form": form,
            "scoped": not scope_for(request).is_superuser,
        }
        return TemplateResponse(
            request, "admin/privacy/guest_data.html", context, status=status
        )

    def _apply(self, request, data):
        erase = data["action"] == "erase"
        subject = subject_by_email(
            email=data["email"],
            staff=request.user,
            perm=ERASE_PERM if erase else EXPORT_PERM,
        )
        channel = PrivacyRequest.Channel.ADMIN
        if not erase:
            exported = guest_data_export(
                subject=subject, actor=request.user, channel=channel
            )
            response = HttpResponse(
                json.dumps(exported, ensure_ascii=False, indent=2),
                content_type="application/json; charset=utf-8",
            )
            name = f"innkeep-guest-data-{timezone.now():%Y-%m-%d}.json"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "no-store"
            return response
        record = guest_erase(subject=subject, actor=request.user, channel=channel)
        self.message_user(
            request,
            f"The guest is erased: {record.counts.get('bookings', 0)} booking(s) "
            "anonymised"
            + (", their account deleted." if record.subject_user_id else "."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:privacy_privacyrequest_changelist"))


def _allowed(request) -> set[str]:
    scope = scope_for(request)
    allowed = set()
    if scope.has_perm(EXPORT_PERM):
        allowed.add("export")
    if scope.has_perm(ERASE_PERM):
        allowed.add("erase")
    return allowed
