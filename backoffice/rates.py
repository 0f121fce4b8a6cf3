"""Rates: room types' nightly prices and what each rate plan sells at, changed by
relative rules over many nights (with a preview and an undo) or one night at a time."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode
from core.money import format_money, minor_exponent
from hotels.scoping import scope_for
from inventory.models import RateChange, RatePlan
from inventory.rates import (
    PriceRule,
    RateChangeRequest,
    RuleKind,
    rate_change_apply,
    rate_change_preview,
    rate_change_undo,
)
from inventory.services import InventoryChange, inventory_apply

from .base import hotel_today
from .calendar import month_grid, month_of

WEEKDAYS = [
    (1, gettext_lazy("Mon")),
    (2, gettext_lazy("Tue")),
    (3, gettext_lazy("Wed")),
    (4, gettext_lazy("Thu")),
    (5, gettext_lazy("Fri")),
    (6, gettext_lazy("Sat")),
    (7, gettext_lazy("Sun")),
]


def to_minor(text: str, currency: str, *, signed: bool = False) -> int:
    """Read an amount in major units ("120", "+20", "-5.50") as minor units.

    Raises forms.ValidationError with a message for the person who typed it.
    """
    cleaned = (text or "").strip().replace(" ", "").replace(",", ".")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as error:
        raise forms.ValidationError(_("Enter an amount, e.g. 120 or 99.50.")) from error
    if not amount.is_finite():
        raise forms.ValidationError(_("Enter an amount, e.g. 120 or 99.50."))
    if amount < 0 and not signed:
        raise forms.ValidationError(_("A price cannot be negative."))
    exponent = minor_exponent(currency)
    minor = amount * Decimal(10) ** exponent
    if minor != minor.to_integral_value():
        raise forms.ValidationError(
            _("%(currency)s has %(places)s decimal place(s).")
            % {"currency": currency, "places": exponent}
        )
    if abs(minor) > 2_147_483_647:
        raise forms.ValidationError(_("That amount is too large."))
    return int(minor)


def to_basis_points(text: str) -> int:
    """Read a percentage ("10", "+10%", "-5.5") as basis points.

    Raises forms.ValidationError.
    """
    cleaned = (text or "").strip().replace(" ", "").replace(",", ".").rstrip("%")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    try:
        percent = Decimal(cleaned)
    except InvalidOperation as error:
        raise forms.ValidationError(_("Enter a percentage, e.g. 10 or -5.")) from error
    if not percent.is_finite() or abs(percent) > 100_000:
        raise forms.ValidationError(_("Enter a percentage, e.g. 10 or -5."))
    points = percent * 100
    if points != points.to_integral_value():
        raise forms.ValidationError(_("Use at most two decimals in a percentage."))
    return int(points)


def describe_rule(kind: str, value: int, currency: str) -> str:
    """Say a rule for staff: "+10%", "-₩5,000", "set to ₩120,000"."""
    language = get_language() or "en"
    if kind == RuleKind.PERCENT:
        return f"{value / 100:+g}%"
    if kind == RuleKind.AMOUNT:
        sign = "+" if value >= 0 else "-"
        return sign + format_money(abs(value), currency, language)
    return _("set to %(price)s") % {"price": format_money(value, currency, language)}


class RatesForm(forms.Form):
    """Dates and weekdays, then a rule per room type and a rule per rate plan."""

    start = forms.DateField(
        label=gettext_lazy("First night"), widget=forms.DateInput({"type": "date"})
    )
    last = forms.DateField(
        label=gettext_lazy("Last night"), widget=forms.DateInput({"type": "date"})
    )
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        initial=[d for d, _ in WEEKDAYS],
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("On these weekdays"),
    )

    def __init__(self, *args, hotel, room_types, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.hotel = hotel
        self.room_types = room_types
        self.plans = plans
        currency = hotel.currency
        kinds = [
            ("", _("No change")),
            (RuleKind.PERCENT, _("Change by %")),
            (
                RuleKind.AMOUNT,
                _("Change by amount (%(currency)s)") % {"currency": currency},
            ),
            (RuleKind.SET, _("Set to (%(currency)s)") % {"currency": currency}),
        ]
        for room_type in room_types:
            self.fields[f"kind_{room_type.pk}"] = forms.ChoiceField(
                choices=kinds,
                required=False,
                label=_("Change for %(room_type)s") % {"room_type": room_type.name},
            )
            self.fields[f"value_{room_type.pk}"] = forms.CharField(
                required=False,
                max_length=20,
                label=_("Amount for %(room_type)s") % {"room_type": room_type.name},
                widget=forms.TextInput({"inputmode": "decimal", "size": 8}),
            )
        for plan in plans:
            self.fields[f"plan_{plan.pk}"] = forms.CharField(
                required=False,
                max_length=20,
                initial=f"{plan.price_adjustment_bp / 100:g}",
                label=_("%(plan)s: %% of the room type's price") % {"plan": plan.name},
                widget=forms.TextInput({"inputmode": "decimal", "size": 6}),
            )

    def room_type_rows(self):
        """Return (room type, kind field, value field, [(plan, field)]) for the table."""
        return [
            (
                room_type,
                self[f"kind_{room_type.pk}"],
                self[f"value_{room_type.pk}"],
                [
                    (plan, self[f"plan_{plan.pk}"])
                    for plan in self.plans
                    if plan.room_type_id == room_type.pk
                ],
            )
            for room_type in self.room_types
        ]

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
                )

    def clean(self):
        data = super().clean()
        start, last = data.get("start"), data.get("last")
        if start and last and last < start:
            self.add_error("last", _("The last night cannot be before the first."))
        rules = {}
        for room_type in self.room_types:
            kind = data.get(f"kind_{room_type.pk}") or ""
            text = (data.get(f"value_{room_type.pk}") or "").strip()
            if not kind:
                if text:
                    self.add_error(
                        f"kind_{room_type.pk}", _("Choose how to change this price.")
                    )
                continue
            if not text:
                self.add_error(f"value_{room_type.pk}", _("Enter the change."))
                continue
            try:
                if kind == RuleKind.PERCENT:
                    value = to_basis_points(text)
                else:
                    value = to_minor(
                        text, self.hotel.currency, signed=kind == RuleKind.AMOUNT
                    )
            except forms.ValidationError as error:
                self.add_error(f"value_{room_type.pk}", error)
                continue
            rules[room_type.pk] = PriceRule(RuleKind(kind), value)
        plan_rules = {}
        for plan in self.plans:
            text = (data.get(f"plan_{plan.pk}") or "").strip()
            if not text:
                continue
            try:
                value = to_basis_points(text)
            except forms.ValidationError as error:
                self.add_error(f"plan_{plan.pk}", error)
                continue
            if value != plan.price_adjustment_bp:
                plan_rules[plan.pk] = value
        if not self.errors and not rules and not plan_rules:
            raise forms.ValidationError(
                _("Nothing to change: give a room type a change or a plan a new rule.")
            )
        self.rules, self.plan_rules = rules, plan_rules
        return data

    def change_request(self) -> RateChangeRequest:
        data = self.cleaned_data
        weekdays = frozenset(data["weekdays"])
        return RateChangeRequest(
            start=data["start"],
            end=data["last"] + timedelta(days=1),
            weekdays=None if len(weekdays) == 7 else weekdays,
            rules=self.rules,
            plan_rules=self.plan_rules,
        )


class NightForm(forms.Form):
    room_type = forms.IntegerField()
    night = forms.DateField()
    price = forms.CharField(max_length=20, label=gettext_lazy("Price"))

    def __init__(self, *args, hotel, **kwargs):
        super().__init__(*args, **kwargs)
        self.hotel = hotel

    def clean_price(self):
        return to_minor(self.cleaned_data["price"], self.hotel.currency)


def _rates_url(hotel, month: date | None = None) -> str:
    url = reverse("admin:hotels_hotel_rates", args=[hotel.pk])
    return f"{url}?month={month:%Y-%m}" if month else url


def _preview_rows(hotel, preview, room_types, plans):
    """Group the preview by room type: nights old → new with each plan's price."""
    language = get_language() or "en"
    currency = hotel.currency
    new_rules = {p.rate_plan_id: p.after for p in preview.plans}
    rows = []
    for room_type in room_types:
        type_plans = [p for p in plans if p.room_type_id == room_type.pk]
        nights = [n for n in preview.nights if n.room_type_id == room_type.pk]
        plan_changes = [p for p in preview.plans if p.room_type_id == room_type.pk]
        if not nights and not plan_changes:
            continue
        lines = []
        for night in nights:
            lines.append(
                {
                    "date": night.date,
                    "before": format_money(night.before, currency, language),
                    "after": format_money(night.after, currency, language),
                    "direction": "up"
                    if night.after > night.before
                    else "down"
                    if night.after < night.before
                    else "same",
                    "plans": [
                        (
                            plan.name,
                            format_money(
                                plan.nightly_price(night.before), currency, language
                            ),
                            format_money(
                                RatePlan(
                                    price_adjustment_bp=new_rules.get(
                                        plan.pk, plan.price_adjustment_bp
                                    )
                                ).nightly_price(night.after),
                                currency,
                                language,
                            ),
                        )
                        for plan in type_plans
                    ],
                }
            )
        rows.append(
            {
                "room_type": room_type,
                "nights": lines,
                "changed": sum(1 for n in nights if n.changed),
                "plans": [
                    (
                        next(p.name for p in type_plans if p.pk == change.rate_plan_id),
                        f"{change.before / 100:+g}%",
                        f"{change.after / 100:+g}%",
                    )
                    for change in plan_changes
                ],
                "plan_names": [p.name for p in type_plans],
            }
        )
    return rows


def _history(hotel, room_types, plans):
    names = {rt.pk: rt.name for rt in room_types}
    plan_names = {p.pk: p.name for p in plans}
    changes = list(
        RateChange.objects.filter(hotel=hotel).select_related(
            "created_by", "undone_by"
        )[:10]
    )
    for change in changes:
        change.rule_texts = [
            (
                names.get(int(rt), "?"),
                describe_rule(r["kind"], r["value"], hotel.currency),
            )
            for rt, r in change.rules.items()
        ]
        change.plan_texts = [
            (
                plan_names.get(p["rate_plan_id"], "?"),
                f"{p['before'] / 100:+g}%",
                f"{p['after'] / 100:+g}%",
            )
            for p in change.plans
        ]
        change.weekday_names = [
            str(label) for d, label in WEEKDAYS if d in change.weekdays
        ]
        change.kept_nights = [k for k in change.undo_kept if "date" in k]
    return changes


def _grid(hotel, first, plans):
    nights, grid = month_grid(hotel, first)
    language = get_language() or "en"
    rows = []
    for room_type, cells in grid:
        type_plans = [p for p in plans if p.room_type_id == room_type.pk]
        rows.append(
            {
                "room_type": room_type,
                "cells": [
                    {
                        "night": cell.night,
                        "row": cell.row,
                        "price": None
                        if cell.row is None
                        else format_money(cell.row.price, hotel.currency, language),
                        "input": None
                        if cell.row is None
                        else _major(cell.row.price, hotel.currency),
                    }
                    for cell in cells
                ],
                "plans": [
                    (
                        plan,
                        f"{plan.price_adjustment_bp / 100:+g}%",
                        [
                            (
                                cell.night,
                                None
                                if cell.row is None
                                else format_money(
                                    plan.nightly_price(cell.row.price),
                                    hotel.currency,
                                    language,
                                ),
                            )
                            for cell in cells
                        ],
                    )
                    for plan in type_plans
                ],
            }
        )
    return nights, rows


def _major(amount: int, currency: str) -> str:
    exponent = minor_exponent(currency)
    value = Decimal(amount).scaleb(-exponent)
    return f"{value:.{exponent}f}"


def _save_night(request, hotel):
    form = NightForm(request.POST, hotel=hotel)
    wants_json = "application/json" in request.headers.get("Accept", "")
    error = None
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        data = form.cleaned_data
        room_types = hotel.room_types.all()
        try:
            inventory_apply(
                changes=[
                    InventoryChange(
                        room_type_id=data["room_type"],
                        start=data["night"],
                        end=data["night"] + timedelta(days=1),
                        price=data["price"],
                    )
                ],
                room_types=room_types,
            )
        except DomainError as failure:
            error = failure.message
    if wants_json:
        if error:
            return JsonResponse({"ok": False, "error": error}, status=400)
        data = form.cleaned_data
        language = get_language() or "en"
        plans = RatePlan.objects.filter(
            room_type_id=data["room_type"], is_active=True
        ).order_by("price_adjustment_bp", "pk")
        return JsonResponse(
            {
                "ok": True,
                "price": format_money(data["price"], hotel.currency, language),
                "input": _major(data["price"], hotel.currency),
                "plans": {
                    str(plan.pk): format_money(
                        plan.nightly_price(data["price"]), hotel.currency, language
                    )
                    for plan in plans
                },
            }
        )
    if error:
        messages.error(request, error)
        month = None
    else:
        night = form.cleaned_data["night"]
        messages.success(
            request,
            _("The price of %(night)s is now %(price)s.")
            % {
                "night": night.isoformat(),
                "price": format_money(
                    form.cleaned_data["price"], hotel.currency, get_language() or "en"
                ),
            },
        )
        month = night.replace(day=1)
    return redirect(_rates_url(hotel, month))


def _undo(request, hotel):
    raw = request.POST.get("change", "")
    if not raw.isdigit():
        messages.error(request, _("No such rate change at this hotel."))
        return redirect(_rates_url(hotel))
    try:
        result = rate_change_undo(hotel=hotel, change_id=int(raw), by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_rates_url(hotel))
    text = _("Undone: %(nights)s night(s) and %(plans)s plan rule(s) put back.") % {
        "nights": result.restored,
        "plans": result.plans_restored,
    }
    changed = [k for k in result.kept if k["reason"] == "changed"]
    past = [k for k in result.kept if k["reason"] == "past"]
    if changed:
        text += " " + _(
            "%(count)s changed again since and kept their current value: %(which)s."
        ) % {
            "count": len(changed),
            "which": ", ".join(k.get("date", _("a plan rule")) for k in changed),
        }
    if past:
        text += " " + _("%(count)s night(s) already past were left as they were.") % {
            "count": len(past)
        }
    (messages.warning if result.kept else messages.success)(request, text)
    return redirect(_rates_url(hotel))


def rates_view(request, hotel, context):
    today = hotel_today(hotel)
    room_types = list(hotel.room_types.filter(is_active=True).order_by("base_price"))
    plans = list(
        RatePlan.objects.filter(room_type__in=room_types, is_active=True).order_by(
            "room_type", "price_adjustment_bp", "pk"
        )
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "night":
        return _save_night(request, hotel)
    if action == "undo":
        return _undo(request, hotel)
    first = month_of(request.GET.get("month"), today)
    form = RatesForm(
        request.POST if action in ("preview", "apply", "edit") else None,
        hotel=hotel,
        room_types=room_types,
        plans=plans,
        initial={"start": max(first, today), "last": max(first, today)},
    )
    status = 200
    if action in ("preview", "apply") and form.is_valid():
        if form.plan_rules and not scope_for(request).has_perm(
            "inventory.change_rateplan", hotel.pk
        ):
            form.add_error(None, _("Only owners and managers change rate plans."))
        else:
            change = form.change_request()
            try:
                # An apply always follows its preview: without the preview's digest
                # the preview is shown first.
                if action == "apply" and request.POST.get("digest"):
                    record = rate_change_apply(
                        hotel=hotel,
                        request=change,
                        by=request.user,
                        expected=request.POST["digest"],
                    )
                    messages.success(
                        request,
                        _(
                            "%(nights)s night(s) and %(plans)s plan rule(s) changed. "
                            "You can undo it below."
                        )
                        % {"nights": len(record.nights), "plans": len(record.plans)},
                    )
                    return redirect(_rates_url(hotel, change.start.replace(day=1)))
                preview = rate_change_preview(hotel=hotel, request=change)
            except DomainError as error:
                form.add_error(None, error.message)
                if error.code == ErrorCode.PRICE_CHANGED:
                    preview = rate_change_preview(hotel=hotel, request=change)
                    return _render_preview(
                        request, hotel, context, form, preview, room_types, plans
                    )
            else:
                return _render_preview(
                    request, hotel, context, form, preview, room_types, plans
                )
    if action in ("preview", "apply") and form.errors:
        status = 400
    nights, rows = _grid(hotel, first, plans)
    context.update(
        form=form,
        nights=nights,
        rows=rows,
        month=first,
        previous=(first - timedelta(days=1)).replace(day=1).strftime("%Y-%m"),
        following=(first + timedelta(days=32)).replace(day=1).strftime("%Y-%m"),
        today=today,
        history=_history(hotel, room_types, plans),
        currency=hotel.currency,
    )
    return TemplateResponse(
        request, "admin/backoffice/rates.html", context, status=status
    )


def _render_preview(request, hotel, context, form, preview, room_types, plans):
    context.update(
        form=form,
        preview=preview,
        preview_rows=_preview_rows(hotel, preview, room_types, plans),
        change=form.change_request(),
        weekday_names=[
            str(label)
            for d, label in WEEKDAYS
            if d in (form.cleaned_data.get("weekdays") or [])
        ],
    )
    return TemplateResponse(request, "admin/backoffice/rates_preview.html", context)
