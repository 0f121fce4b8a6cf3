"""The search forms: a GET form whose query string is the shareable search."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.errors import ErrorCode
from core.errors import ValidationError as DomainValidationError
from core.messages import message_for
from hotels.models import Amenity
from inventory.rules import StayRequest, validate_stay

from .hotels import HotelSearch

# A refusal of inventory.rules.validate_stay shown next to the field it is about.
FIELD_FOR_CODE = {
    ErrorCode.INVALID_DATES: "check_out",
    ErrorCode.STAY_TOO_LONG: "check_out",
    ErrorCode.PAST_DATE: "check_in",
    ErrorCode.TOO_FAR_AHEAD: "check_in",
    ErrorCode.INVALID_ROOMS: "rooms",
    ErrorCode.INVALID_GUESTS: "adults",
    ErrorCode.TOO_MANY_GUESTS: "adults",
}


def earliest_today(utc_today: date) -> date:
    """Return the earliest calendar date that is still today somewhere (UTC-12).

    A search spans hotels in many zones; each hotel's own "today" is applied in SQL.
    """
    return utc_today - timedelta(days=1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StayForm(forms.Form):
    """Dates, guests and rooms, checked by the booking engine's own rules."""

    check_in = forms.DateField(label=_("Check-in"), widget=DateInput())
    check_out = forms.DateField(label=_("Check-out"), widget=DateInput())
    adults = forms.IntegerField(
        label=_("Adults"), initial=2, widget=forms.NumberInput(attrs={"min": 1})
    )
    children = forms.IntegerField(
        label=_("Children"),
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"min": 0}),
    )
    rooms = forms.IntegerField(
        label=_("Rooms"), initial=1, widget=forms.NumberInput(attrs={"min": 1})
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["check_in"].widget.attrs["min"] = earliest_today(today).isoformat()
        self.fields["rooms"].widget.attrs["max"] = settings.BOOKING_MAX_ROOMS
        if not self.is_bound:
            self.initial.setdefault("check_in", today + timedelta(days=7))
            self.initial.setdefault("check_out", today + timedelta(days=9))

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        stay = StayRequest(
            check_in=data["check_in"],
            check_out=data["check_out"],
            rooms=data["rooms"],
            adults=data["adults"],
            children=data.get("children") or 0,
        )
        try:
            validate_stay(stay)
            self._validate_search(stay)
        except DomainValidationError as error:
            self.add_error(FIELD_FOR_CODE.get(error.code), message_for(error))
            return data
        data["stay"] = stay
        return data

    def _validate_search(self, stay: StayRequest) -> None:
        if stay.check_in < earliest_today(self.today):
            raise DomainValidationError(ErrorCode.PAST_DATE, "Check-in is in the past.")
        if stay.check_in > self.today + timedelta(days=settings.BOOKING_MAX_DAYS_AHEAD):
            raise DomainValidationError(ErrorCode.TOO_FAR_AHEAD, "Not on sale yet.")
        per_room = settings.SEARCH_MAX_GUESTS_PER_ROOM
        if stay.children < 0:
            raise DomainValidationError(ErrorCode.INVALID_GUESTS, "Negative children.")
        if stay.adults + stay.children > per_room * stay.rooms:
            raise DomainValidationError(
                ErrorCode.TOO_MANY_GUESTS, "Too many guests.", per_room=per_room
            )


class SearchForm(StayForm):
    """Where (a place or a point), when, who, and how to filter and sort."""

    SORT_CHOICES = [
        ("price", _("Lowest price")),
        ("rating", _("Best rated")),
        ("distance", _("Distance")),
    ]
    RATING_CHOICES = [
        ("", _("Any")),
        ("6", _("6+ Pleasant")),
        ("7", _("7+ Good")),
        ("8", _("8+ Very good")),
        ("9", _("9+ Superb")),
    ]

    place = forms.CharField(
        label=_("Destination"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "list": "place-suggestions",
                "autocomplete": "off",
                "placeholder": _("City or hotel name"),
                "data-suggest": "",
            }
        ),
    )
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    lng = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    radius = forms.IntegerField(
        label=_("Within (km)"),
        required=False,
        initial=5,
        min_value=1,
        max_value=settings.SEARCH_MAX_RADIUS_KM,
    )
    min_price = forms.DecimalField(
        label=_("Min. per night"), required=False, min_value=0, decimal_places=2
    )
    max_price = forms.DecimalField(
        label=_("Max. per night"), required=False, min_value=0, decimal_places=2
    )
    stars = forms.TypedMultipleChoiceField(
        label=_("Stars"),
        required=False,
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.CheckboxSelectMultiple,
    )
    amenities = forms.MultipleChoiceField(
        label=_("Amenities"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_rating = forms.ChoiceField(
        label=_("Guest rating"), required=False, choices=RATING_CHOICES
    )
    free_cancellation = forms.BooleanField(label=_("Free cancellation"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # "Other hotels nearby" from a hotel's page: the hotel (a slug) to leave out.
    # Any text is harmless (a slug no hotel has leaves nobody out), so it never fails.
    exclude = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, amenity_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amenities"].choices = list(amenity_choices)

    def clean(self):
        data = super().clean()
        lat, lng = data.get("lat"), data.get("lng")
        if (lat is None) != (lng is None):
            self.add_error(
                "lng" if lng is None else "lat",
                _("Give both latitude and longitude, or neither."),
            )
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The maximum must be at least the minimum."))
        return data

    def clean_exclude(self) -> str:
        return self.cleaned_data.get("exclude", "").strip()[:200]

    def to_search(self) -> HotelSearch:
        data = self.cleaned_data
        return HotelSearch(
            stay=data["stay"],
            place=data.get("place") or "",
            latitude=data.get("lat"),
            longitude=data.get("lng"),
            radius_km=float(data.get("radius") or 5),
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            stars=tuple(sorted(data.get("stars") or ())),
            amenities=tuple(sorted(data.get("amenities") or ())),
            min_rating=Decimal(data["min_rating"]) if data.get("min_rating") else None,
            free_cancellation=bool(data.get("free_cancellation")),
            sort=data.get("sort") or "price",
            page=data.get("page") or 1,
            page_size=settings.SEARCH_PAGE_SIZE,
            exclude_slugs=(data["exclude"],) if data.get("exclude") else (),
        )


def amenity_choices():
    """Return the hotel amenities a search may filter on, as (code, name)."""
    return list(
        Amenity.objects.filter(scope=Amenity.Scope.HOTEL)
        .order_by("name")
        .values_list("code", "name")
    )
