"""A hotel's closures and deactivation: take nights off sale, see who is affected.

Thin: each form is checked, then one service of booking.services.closures does the
work (and refuses what only it can see); a refusal is an error message, never a 500.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from booking.models import ClosureBooking
from booking.selectors import closure_checklist
from booking.services import (
    hotel_closure_create,
    hotel_closure_lift,
    hotel_deactivate,
    hotel_reactivate,
)
from booking.services.closures import MAX_REASON, validate_closure
from core.errors import DomainError
from core.money import format_money
from hotels.models import Hotel, HotelClosure
from payments.services import cancel_booking_and_refund

from .base import hotel_today


class ClosureForm(forms.Form):
    start = forms.DateField(
        label=_("First night closed"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Last night closed"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        max_length=MAX_REASON,
        help_text=_("Guests read it in their e-mail (e.g. “Renovation of the rooms”)."),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if "start" in data and "end" in data:
            try:
                validate_closure(today=self.today, start=data["start"], end=data["end"])
            except DomainError as error:
                field = error.params.get("field")
                self.add_error(field if field in self.fields else None, error.message)
        return data


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON,
        label=_("Why the hotel closes"),
        help_text=_("Every guest with a stay from today on is e-mailed this."),
    )


def lifecycle_view(request, hotel, context):
    today = hotel_today(hotel)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    closure_form = ClosureForm(
        request.POST if action == "close" else None, today=today, prefix="closure"
    )
    deactivate_form = DeactivateForm(
        request.POST if action == "deactivate" else None, prefix="deactivate"
    )
    here = reverse("admin:hotels_hotel_lifecycle", args=[hotel.pk])
    if action:
        try:
            done = _act(request, hotel, action, closure_form, deactivate_form)
        except DomainError as error:
            messages.error(request, error.message)
            done = False
        if done:
            return redirect(here)
    closures = [
        (closure, closure_checklist(closure))
        for closure in HotelClosure.objects.filter(hotel=hotel).order_by(
            "lifted_at", "-start", "-pk"
        )[:50]
    ]
    context.update(
        today=today,
        closure_form=closure_form,
        deactivate_form=deactivate_form,
        closures=closures,
        active=hotel.status == Hotel.Status.ACTIVE,
    )
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "admin/backoffice/lifecycle.html", context, status=status
    )


def _act(request, hotel, action, closure_form, deactivate_form) -> bool:
    """Run the posted action; return whether it is done (else the page shows why)."""
    user = request.user
    if action == "close":
        if not closure_form.is_valid():
            return False
        data = closure_form.cleaned_data
        result = hotel_closure_create(
            hotel=hotel,
            by=user,
            start=data["start"],
            end=data["end"],
            reason=data["reason"],
        )
        messages.success(
            request,
            f"Nights {result.closure.start:%d %b %Y} to {result.closure.end:%d %b %Y} "
            f"are off sale; {result.affected} booking(s) told.",
        )
        return True
    if action == "deactivate":
        if not deactivate_form.is_valid():
            return False
        result = hotel_deactivate(
            hotel=hotel, by=user, reason=deactivate_form.cleaned_data["reason"]
        )
        messages.success(
            request,
            f"{hotel.name} is deactivated: nothing more is sold; "
            f"{result.affected} booking(s) told.",
        )
        return True
    if action == "reactivate":
        hotel_reactivate(hotel=hotel, by=user)
        messages.success(request, f"{hotel.name} is on sale again.")
        return True
    if action == "lift":
        raw = request.POST.get("closure", "")
        closure = (
            HotelClosure.objects.filter(pk=int(raw), hotel=hotel).first()
            if raw.isdigit()
            else None
        )
        if closure is None:
            messages.error(request, "Choose a closure of this hotel to lift.")
            return False
        hotel_closure_lift(closure_id=closure.pk, by=user)
        messages.success(
            request, "The closure is lifted: its nights are on sale again."
        )
        return True
    if action == "cancel":
        return _cancel_in_full(request, hotel)
    messages.error(request, "Unknown action.")
    return False


def _cancel_in_full(request, hotel) -> bool:
    """Cancel a booking a live closure of this hotel lists, refunding its whole total."""
    raw_closure, raw_booking = (
        request.POST.get("closure", ""),
        request.POST.get("booking", ""),
    )
    listed = (
        ClosureBooking.objects.filter(
            closure_id=int(raw_closure),
            closure__hotel=hotel,
            booking_id=int(raw_booking),
        )
        .select_related("booking")
        .first()
        if raw_closure.isdigit() and raw_booking.isdigit()
        else None
    )
    if listed is None:
        messages.error(request, "Choose a booking on this hotel's closure list.")
        return False
    result = cancel_booking_and_refund(
        booking_id=listed.booking_id,
        reason="Cancelled by the hotel: closed on these nights.",
        created_by=request.user.get_username(),
        closure_id=listed.closure_id,
    )
    refunded = result.refund.amount if result.refund else 0
    messages.success(
        request,
        f"{listed.booking.reference} cancelled; "
        f"{format_money(refunded, listed.booking.currency)} refunded.",
    )
    return True
