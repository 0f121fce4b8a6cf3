from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.services import MAX_TEXT

_SCORES = [(n, str(n)) for n in range(10, 0, -1)]


def _rating(label, required=False):
    return forms.TypedChoiceField(
        label=label,
        choices=([] if required else [("", "–")]) + _SCORES,
        coerce=int,
        required=required,
        empty_value=None,
    )


class ReviewForm(forms.Form):
    overall = _rating(_("Overall, from 1 (poor) to 10 (superb)"), required=True)
    cleanliness = _rating(_("Cleanliness"))
    comfort = _rating(_("Comfort"))
    location = _rating(_("Location"))
    service = _rating(_("Service"))
    value = _rating(_("Value for money"))
    text = forms.CharField(
        label=_("Your review (optional)"),
        max_length=MAX_TEXT,
        required=False,
        help_text=_("What would you tell a friend about this stay?"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
