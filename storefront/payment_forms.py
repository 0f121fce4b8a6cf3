from django import forms
from django.utils.translation import gettext_lazy as _

from payments.gateways.simulator import TEST_CARDS


class TestCardForm(forms.Form):
    """Test mode only: one of Stripe's test card numbers, mapped to its token, then gone."""

    __test__ = False  # not a pytest test class

    card_number = forms.CharField(
        label=_("Test card number"),
        max_length=23,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_card_number(self) -> str:
        """Return the gateway token of the test card (the number itself is dropped)."""
        number = "".join(self.cleaned_data["card_number"].split()).replace("-", "")
        token = TEST_CARDS.get(number)
        if token is None:
            raise forms.ValidationError(
                _("In test mode, use one of the test cards listed on this page.")
            )
        return token
