"""Rates and availability: a month of room types × nights, and bulk changes over dates."""

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.errors import DomainError, ErrorCode
from core.money import format_money, minor_exponent
from inventory.models import Inventory
from inventory.services import InventoryChange, inventory_apply

from .base import hotel_today

WEEKDAYS = [
    (1, "Mon"),
    (2, "Tue"),
    (3, "Wed"),
    (4, "Thu"),
    (5, "Fri"),
    (6, "Sat"),
    (7, "Sun"),
]
TRI_STATE = [("", "Unchanged"), ("on", "On"), ("off", "Off")]


@dataclass(frozen=True)
class Cell:
    night: date
    row: Inventory | None

    @property
    def occupancy(self) -> int | None:
        """Return booked as a percentage of rooms to sell (None with nothing to sell)."""
        if self.row is None or self.row.rooms == 0:
            return None
        return round(100 * self.row.booked / self.row.rooms)

    @property
    def css(self) -> str:
        if self.row is None:
            return "cal-none"
        if self.row.stop_sell or self.row.rooms == 0:
            return "cal-closed"
        occupancy = self.occupancy or 0
        if occupancy >= 100:
            return "cal-full"
        if occupancy >= 80:
            return "cal-high"
        if occupancy >= 50:
            return "cal-mid"
        return "cal-low"


def month_of(value: str | None, today: date) -> date:
    """Return the first day of the month "YYYY-MM" (today's month when unreadable)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def month_grid(hotel, first: date) -> tuple[list[date], list[tuple]]:
    """Return the month's nights and, per active room type, its cells (one query)."""
    days = pycalendar.monthrange(first.year, first.month)[1]
    nights = [first + timedelta(days=i) for i in range(days)]
    room_types = list(hotel.room_types.filter(is_active=True).order_by("base_price"))
    rows = Inventory.objects.filter(
        room_type__in=room_types, date__gte=nights[0], date__lte=nights[-1]
    )
    by_key = {(row.room_type_id, row.date): row for row in rows}
    grid = [
        (
            room_type,
            [Cell(night, by_key.get((room_type.pk, night))) for night in nights],
        )
        for room_type in room_types
    ]
    return nights, grid


class BulkEditForm(forms.Form):
    room_types = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Room types"
    )
    start = forms.DateField(
        label="First night", widget=forms.DateInput({"type": "date"})
    )
    last = forms.DateField(label="Last night", widget=forms.DateInput({"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        initial=[d for d, _ in WEEKDAYS],
        widget=forms.CheckboxSelectMultiple,
        label="On these weekdays",
    )
    price = forms.DecimalField(
        required=False, min_value=0, label="Price per night", decimal_places=3
    )
    rooms = forms.IntegerField(
        required=False, min_value=0, max_value=32_767, label="Rooms to sell"
    )
    stop_sell = forms.ChoiceField(choices=TRI_STATE, required=False, label="Stop-sell")
    min_stay = forms.IntegerField(
        required=False, min_value=1, max_value=365, label="Minimum stay"
    )
    max_stay = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=365,
        label="Maximum stay",
        help_text="0 removes the maximum.",
    )
    closed_to_arrival = forms.ChoiceField(
        choices=TRI_STATE, required=False, label="Closed to arrival"
    )
    closed_to_departure = forms.ChoiceField(
        choices=TRI_STATE, required=False, label="Closed to departure"
    )

    def __init__(self, *args, hotel, **kwargs):
        super().__init__(*args, **kwargs)
        self.hotel = hotel
        self.fields["room_types"].queryset = hotel.room_types.filter(is_active=True)
        self.fields["room_types"].label_from_instance = lambda room_type: room_type.name
        self.fields["price"].help_text = f"In {hotel.currency}."

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is None:
            return None
        exponent = minor_exponent(self.hotel.currency)
        try:
            minor = (price * Decimal(10) ** exponent).to_integral_exact()
        except InvalidOperation as error:
            raise forms.ValidationError("Enter a valid amount.") from error
        if minor != price * Decimal(10) ** exponent:
            raise forms.ValidationError(
                f"{self.hotel.currency} has {exponent} decimal place(s)."
            )
        return int(minor)

    def full_clean(self):
        super().full_clean()
        # Tie each error to its field for screen readers.
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
                )

    def clean(self):
        data = super().clean()
        start, last = data.get("start"), data.get("last")
        if start and last and last < start:
            self.add_error("last", "The last night cannot be before the first.")
        return data

    def changes(self) -> list[InventoryChange]:
        data = self.cleaned_data
        flags = {
            name: {"on": True, "off": False}.get(data.get(name) or "")
            for name in ("stop_sell", "closed_to_arrival", "closed_to_departure")
        }
        weekdays = frozenset(data["weekdays"])
        return [
            InventoryChange(
                room_type_id=room_type.pk,
                start=data["start"],
                end=data["last"] + timedelta(days=1),
                weekdays=None if len(weekdays) == 7 else weekdays,
                rooms=data.get("rooms"),
                price=data.get("price"),
                min_stay=data.get("min_stay"),
                max_stay=data.get("max_stay"),
                **flags,
            )
            for room_type in data["room_types"]
        ]


def calendar_view(request, hotel, context):
    today = hotel_today(hotel)
    first = month_of(request.GET.get("month"), today)
    form = BulkEditForm(
        request.POST or None,
        hotel=hotel,
        initial={"start": max(first, today), "last": max(first, today)},
    )
    refused = []
    if request.method == "POST" and form.is_valid():
        try:
            written = inventory_apply(
                changes=form.changes(),
                room_types=hotel.room_types.all(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            if error.code == ErrorCode.BELOW_BOOKED:
                names = {rt.pk: rt.name for rt in hotel.room_types.all()}
                refused = [
                    {**night, "room_type": names.get(night["room_type_id"], "")}
                    for night in error.params.get("nights", [])
                ]
        else:
            messages.success(request, f"{written} night(s) updated.")
            month = form.cleaned_data["start"].strftime("%Y-%m")
            url = reverse("admin:hotels_hotel_calendar", args=[hotel.pk])
            return redirect(f"{url}?month={month}")
    nights, grid = month_grid(hotel, first)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    prices = {
        (room_type.pk, cell.night): format_money(cell.row.price, hotel.currency)
        for room_type, cells in grid
        for cell in cells
        if cell.row is not None
    }
    rows = [
        (room_type, [(cell, prices.get((room_type.pk, cell.night))) for cell in cells])
        for room_type, cells in grid
    ]
    context.update(
        form=form,
        refused=refused,
        nights=nights,
        rows=rows,
        month=first,
        previous=previous.strftime("%Y-%m"),
        following=following.strftime("%Y-%m"),
        today=today,
    )
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request, "admin/backoffice/calendar.html", context, status=status
    )
