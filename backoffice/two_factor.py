"""The admin's second factor at /admin/2fa/: a TOTP code from an enrolled device, or,
for a staff member with none, enrolment in two steps.

1. The enrolment code an owner or a superuser issued (`hotels.enrolment`). The
   password alone never shows a device's key: whoever has it would own the second
   factor. Tries are limited per user and per address.
2. A new device's QR code and key, shown only to this session (the grant is kept in
   it), confirmed by the first code the app shows, which consumes the enrolment code.
"""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.core import is_ratelimited

from accounts.enrolment import (
    enrolment_code_check,
    enrolment_device_start,
    staff_device_enrol,
)
from backoffice.admin_site import is_verified
from core.errors import DomainError

ENROLMENT_SESSION_KEY = "staff_enrolment"
WRONG_TOKEN = "That code is not right (or has expired)."  # noqa: S105 (a message)
TOO_MANY_TRIES = (
    "Too many enrolment codes were tried. Wait an hour, or ask for a new code."
)
ENROLMENT_TITLE = "Set up two-factor sign-in"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Enrolment code"),
        max_length=40,
        widget=forms.TextInput(
            {"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )


def two_factor_page(site, request):
    """Answer /admin/2fa/ for the request's user: verify, or enrol then verify."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return HttpResponseRedirect(reverse("admin:login", current_app=site.name))
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    target = target or reverse("admin:index", current_app=site.name)
    if is_verified(user):
        return HttpResponseRedirect(target)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        return second_factor_step(site, request, device, target)
    grant = request.session.get(ENROLMENT_SESSION_KEY) or {}
    device = None
    if grant.get("user") == user.pk:
        device = TOTPDevice.objects.filter(
            pk=grant.get("device"), user=user, confirmed=False
        ).first()
    if device is None:
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        return enrolment_code_step(site, request)
    return enrol_device_step(site, request, device, grant["code"], target)


def second_factor_step(site, request, device, target):
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            otp_login(request, device)
            return HttpResponseRedirect(target)
        form.add_error("token", WRONG_TOKEN)
    return render(site, request, "Two-factor sign-in", form, step="verify")


def enrolment_code_step(site, request):
    """Ask for the enrolment code; a valid one starts a device and reloads the page."""
    form = EnrolmentCodeForm(request.POST or None)
    if form.is_bound and enrolment_tries_exceeded(request):
        response = render(
            site,
            request,
            ENROLMENT_TITLE,
            EnrolmentCodeForm(),
            step="code",
            notice=TOO_MANY_TRIES,
        )
        response.status_code = 429
        return response
    if form.is_valid():
        try:
            code = enrolment_code_check(
                user=request.user, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            device = enrolment_device_start(user=request.user)
            request.session[ENROLMENT_SESSION_KEY] = {
                "user": request.user.pk,
                "code": code.pk,
                "device": device.pk,
            }
            return HttpResponseRedirect(request.get_full_path())
    return render(site, request, ENROLMENT_TITLE, form, step="code")


def enrolment_tries_exceeded(request) -> bool:
    """Count this try of an enrolment code, per user and per address."""
    limited = [
        is_ratelimited(
            request,
            group=f"admin-enrolment-{key}",
            key=key,
            rate=settings.RATELIMIT_ADMIN_ENROLMENT,
            increment=True,
        )
        for key in ("user", "ip")
    ]
    return any(limited)


def enrol_device_step(site, request, device, code_id, target):
    """Show the new device's key; its first right code confirms it."""
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            try:
                device = staff_device_enrol(
                    user=request.user, code_id=code_id, device=device
                )
            except DomainError as error:
                # Replaced or expired while the QR code was on screen: start again.
                request.session.pop(ENROLMENT_SESSION_KEY, None)
                return render(
                    site,
                    request,
                    ENROLMENT_TITLE,
                    EnrolmentCodeForm(),
                    step="code",
                    notice=error.message,
                )
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            otp_login(request, device)
            return HttpResponseRedirect(target)
        form.add_error("token", WRONG_TOKEN)
    qr = segno.make(device.config_url, error="m")
    return render(
        site,
        request,
        ENROLMENT_TITLE,
        form,
        step="enrol",
        qr_svg=mark_safe(  # noqa: S308 (segno's own SVG markup)
            qr.svg_inline(scale=4, title="QR code for your authenticator app")
        ),
        secret=b32encode(device.bin_key).decode(),
    )


def render(site, request, title, form, **extra):
    context = {**site.each_context(request), "title": title, "form": form, **extra}
    return TemplateResponse(request, "admin/two_factor.html", context)
