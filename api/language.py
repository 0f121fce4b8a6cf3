"""The language of an API answer's hotel content: `lang`, else Accept-Language.

Hotel, room type, rate plan and amenity names and descriptions come in the language
asked for, with English where a hotel has not translated them (hotels/translation.py).
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .middleware import API_PREFIX, problem_response

LANG_PARAMETER = "lang"


def supported_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def requested_language(request) -> str | None:
    """Return the language `request` asks for; None when its `lang` is unknown."""
    asked = request.GET.get(LANG_PARAMETER)
    if asked is not None:
        asked = asked.strip().lower()
        return asked if asked in supported_languages() else None
    return translation.get_language_from_request(request)


class ApiLanguageMiddleware:
    """Answer every API request in its language; an unknown `lang` is a 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        language = requested_language(request)
        if language is None:
            return problem_response(
                request,
                400,
                f"Unknown {LANG_PARAMETER}: use one of "
                f"{', '.join(supported_languages())}.",
            )
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language",))
        return response


def document_language(result, generator, request, public):
    """drf-spectacular hook: add `lang` and Accept-Language to every operation."""
    languages = supported_languages()
    description = (
        "Language of the hotel content (names, descriptions, addresses, amenities); "
        "English where a hotel has no translation."
    )
    parameters = [
        {
            "name": LANG_PARAMETER,
            "in": "query",
            "required": False,
            "description": description + " Wins over Accept-Language.",
            "schema": {"type": "string", "enum": languages},
        },
        {
            "name": "Accept-Language",
            "in": "header",
            "required": False,
            "description": description,
            "schema": {"type": "string", "example": "ko"},
        },
    ]
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            names = {
                (p.get("name"), p.get("in")) for p in operation.get("parameters", [])
            }
            operation.setdefault("parameters", []).extend(
                p for p in parameters if (p["name"], p["in"]) not in names
            )
    return result
