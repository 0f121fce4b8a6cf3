"""The back office speaks the language each staff member chose."""

from django.conf import settings
from django.utils import translation


class StaffLanguageMiddleware:
    """Activate a signed-in user's saved language on the admin's pages.

    After LocaleMiddleware (cookie or browser) and AuthenticationMiddleware: a saved
    choice wins in the back office, where staff choose it in the header; the guest
    site keeps its own switcher.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.offered = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        if request.path.startswith(settings.ADMIN_URL_PREFIX):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                language = user.preferred_language
                if language in self.offered:
                    translation.activate(language)
                    request.LANGUAGE_CODE = language
        return self.get_response(request)
