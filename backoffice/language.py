"""The language switcher in the admin's header: staff choose the back office's language.

The choice is saved on the user (accounts.services.staff_language_set) and in Django's
language cookie, so the admin speaks it on every device they sign in on and the login
page follows on this one.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.services import staff_language_set
from core.errors import DomainError


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=forms.Select(
            attrs={"id": "bo-language", "class": "bo-language__select"}
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


def language_page(admin_site, request):
    """Save the chosen language and go back to the page it was chosen on."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index", current_app=admin_site.name)
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the languages offered."))
        return HttpResponseRedirect(target)
    try:
        language = staff_language_set(
            user_id=request.user.pk, language=form.cleaned_data["language"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(target)
    translation.activate(language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response
