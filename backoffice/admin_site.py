"""The admin site: every ModelAdmin limited to its user's hotels; staff sign in with a
password and, when ADMIN_REQUIRE_2FA is on, a TOTP code (django-otp)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited


class InnkeepAdminSite(admin.AdminSite):
    site_header = "Innkeep"
    site_title = gettext_lazy("Innkeep admin")
    index_title = gettext_lazy("Run your hotel")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as usual, with HotelScopeGuard in front of the ModelAdmin and money
        shown in the hotel's currency (backoffice.money)."""
        # Late: INSTALLED_APPS loads this module before the models are ready.
        from backoffice.admin_base import guard_admin
        from backoffice.money import money_admin

        admin_class = money_admin(guard_admin(admin_class or admin.ModelAdmin))
        return super().register(model_or_iterable, admin_class, **options)

    # Two-factor sign-in --------------------------------------------------------------

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.ADMIN_REQUIRE_2FA or is_verified(request.user)

    def needs_second_factor(self, request) -> bool:
        user = request.user
        return (
            settings.ADMIN_REQUIRE_2FA
            and user.is_active
            and user.is_staff
            and not is_verified(user)
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
            path("language/", self.admin_view(self.language_view), name="language"),
            *super().get_urls(),
        ]

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def language_view(self, request):
        """Keep the language a staff member picked in the header, and show it."""
        from backoffice.language import language_page

        return language_page(self, request)

    def each_context(self, request):
        from backoffice.language import LanguageForm

        context = super().each_context(request)
        context["language_form"] = LanguageForm(
            initial={
                "language": translation.get_language(),
                "next": request.get_full_path(),
            }
        )
        return context

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor_view(self, request):
        """Ask a signed-in staff member for a TOTP code, enrolling a first device with
        an enrolment code (backoffice/two_factor.py)."""
        # Late: INSTALLED_APPS loads this module before the models are ready.
        from backoffice.two_factor import two_factor_page

        return two_factor_page(self, request)


def is_verified(user) -> bool:
    """Return whether the user passed a second factor in this session.

    A user who has just signed in is not yet wrapped by OTPMiddleware.
    """
    return bool(getattr(user, "is_verified", lambda: False)())


class InnkeepAdminConfig(AdminConfig):
    default_site = "backoffice.admin_site.InnkeepAdminSite"
