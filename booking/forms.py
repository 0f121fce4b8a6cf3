from django import forms
from django.utils.translation import gettext_lazy as _

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
