from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from inventory.rules import StayRequest

# Crockford base-32 reads O as 0 and I/L as 1: a reference read over the phone still works.
_CROCKFORD = str.maketrans({"O": "0", "I": "1", "L": "1"})


class FindBookingForm(forms.Form):
    reference = forms.CharField(
        label=_("Booking reference"),
        max_length=20,
        help_text=_("The 10 characters in your confirmation e-mail, e.g. 7KQ2M9XH4B."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address the booking was made with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_reference(self):
        raw = self.cleaned_data["reference"]
        return "".join(raw.split()).replace("-", "").upper().translate(_CROCKFORD)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


# A key the site generated (secrets.token_urlsafe); anything else is not one of ours.
_KEY = RegexValidator(r"^[A-Za-z0-9_-]{16,64}$")


class ReserveForm(forms.Form):
    """What the Reserve button of a rate asks for: carried in the URL, then hidden."""

    rate_plan = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    check_in = forms.DateField(widget=forms.HiddenInput)
    check_out = forms.DateField(widget=forms.HiddenInput)
    rooms = forms.IntegerField(min_value=0, max_value=99, widget=forms.HiddenInput)
    adults = forms.IntegerField(min_value=0, max_value=99, widget=forms.HiddenInput)
    children = forms.IntegerField(
        min_value=0, max_value=99, required=False, widget=forms.HiddenInput
    )
    key = forms.CharField(
        max_length=64, required=False, validators=[_KEY], widget=forms.HiddenInput
    )

    def stay(self) -> StayRequest:
        data = self.cleaned_data
        return StayRequest(
            check_in=data["check_in"],
            check_out=data["check_out"],
            rooms=data["rooms"],
            adults=data["adults"],
            children=data.get("children") or 0,
        )


class GuestForm(forms.Form):
    """Who is staying: the booking's contact."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the confirmation here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        help_text=_("For the hotel, if it needs to reach you about your arrival."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    special_requests = forms.CharField(
        label=_("Special requests (optional)"),
        max_length=2000,
        required=False,
        help_text=_("The hotel will do its best; requests are not guaranteed."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ChangeForm(forms.Form):
    """New dates, rooms or guests for a booking."""

    check_in = forms.DateField(label=_("Check-in"), widget=_DateInput())
    check_out = forms.DateField(label=_("Check-out"), widget=_DateInput())
    rooms = forms.IntegerField(
        label=_("Rooms"), min_value=0, max_value=99, widget=forms.NumberInput()
    )
    adults = forms.IntegerField(
        label=_("Adults"), min_value=0, max_value=99, widget=forms.NumberInput()
    )
    children = forms.IntegerField(
        label=_("Children"),
        min_value=0,
        max_value=99,
        required=False,
        widget=forms.NumberInput(),
    )
    expected_total = forms.IntegerField(
        min_value=0, required=False, widget=forms.HiddenInput
    )

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "check_in": data["check_in"],
            "check_out": data["check_out"],
            "rooms": data["rooms"],
            "adults": data["adults"],
            "children": data.get("children") or 0,
        }


class CancelForm(forms.Form):
    # The refund the guest was shown: cancelling for another amount needs a new look.
    expected_refund = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why are you cancelling? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
