"""The admin site: every ModelAdmin limited to its user's hotels; staff sign in with a
password and, when ADMIN_REQUIRE_2FA is on, a TOTP code (django-otp)."""

from base64 import b32encode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class InnkeepAdminSite(admin.AdminSite):
    site_header = "Innkeep"
    site_title = "Innkeep admin"
    index_title = "Run your hotel"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as usual, with HotelScopeGuard in front of the ModelAdmin."""
        # Late: INSTALLED_APPS loads this module before the models are ready.
        from backoffice.admin_base import guard_admin

        admin_class = guard_admin(admin_class or admin.ModelAdmin)
        return super().register(model_or_iterable, admin_class, **options)

    # Two-factor sign-in --------------------------------------------------------------

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_REQUIRE_2FA or _verified(request.user)

    def needs_second_factor(self, request) -> bool:
        user = request.user
        return (
            settings.ADMIN_REQUIRE_2FA
            and user.is_active
            and user.is_staff
            and not _verified(user)
        )

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        # django-axes locks a username on one address; this bounds one address trying
        # many usernames (password spraying). Over the rate: the 429 page.
        if request.method == "POST" and is_ratelimited(
            request,
            group="admin-login",
            key="ip",
            rate=settings.RATELIMIT_ADMIN_LOGIN,
            increment=True,
        ):
            raise Ratelimited()
        if self.needs_second_factor(request):
            return HttpResponseRedirect(self._second_factor_url(request))
        response = super().login(request, extra_context)
        if request.method == "POST" and self.needs_second_factor(request):
            return HttpResponseRedirect(self._second_factor_url(request))
        return response

    def _second_factor_url(self, request) -> str:
        url = reverse("admin:two_factor", current_app=self.name)
        target = request.GET.get("next") or request.POST.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            return f"{url}?next={target}"
        return url

    def get_urls(self):
        return [
            path("2fa/", self.two_factor_view, name="two_factor"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor_view(self, request):
        """Ask a signed-in staff member for a TOTP code, enrolling a device first if
        they have none (scan the QR code, type the code it shows)."""
        # Late: INSTALLED_APPS loads this module before the models are ready.
        from django_otp import login as otp_login
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = request.user
        if not (user.is_active and user.is_staff):
            return HttpResponseRedirect(reverse("admin:login", current_app=self.name))
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, {request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        if _verified(user):
            return HttpResponseRedirect(target)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        enrolling = device is None
        if enrolling:
            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=False, defaults={"name": "Authenticator app"}
            )
        form = TokenForm(request.POST or None)
        if form.is_valid():
            if device.verify_token(form.cleaned_data["token"].strip()):
                if enrolling:
                    device.confirmed = True
                    device.save(update_fields=["confirmed"])
                otp_login(request, device)
                return HttpResponseRedirect(target)
            form.add_error("token", "That code is not right (or has expired).")
        context = {
            **self.each_context(request),
            "title": "Set up two-factor sign-in" if enrolling else "Two-factor sign-in",
            "form": form,
            "enrolling": enrolling,
        }
        if enrolling:
            qr = segno.make(device.config_url, error="m")
            context["qr_svg"] = mark_safe(  # noqa: S308 (segno's own SVG markup)
                qr.svg_inline(scale=4, title="QR code for your authenticator app")
            )
            context["secret"] = _base32(device.bin_key)
        return TemplateResponse(request, "admin/two_factor.html", context)


def _verified(user) -> bool:
    """Return whether the user passed a second factor in this session.

    A user who has just signed in is not yet wrapped by OTPMiddleware.
    """
    return bool(getattr(user, "is_verified", lambda: False)())


def _base32(key: bytes) -> str:
    return b32encode(key).decode()


class InnkeepAdminConfig(AdminConfig):
    default_site = "backoffice.admin_site.InnkeepAdminSite"
