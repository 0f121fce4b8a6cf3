"""Request middleware of the project."""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotFound
from pghistory.middleware import HistoryMiddleware


class AdminHistoryMiddleware(HistoryMiddleware):
    """Tag the audit history of admin requests with the user and URL.

    Limited to the admin: the booking site and API keep their hot path free of the
    per-statement context that pghistory adds; their changes are still recorded by
    the triggers, without a user.
    """

    def __call__(self, request):
        if request.path.startswith(settings.ADMIN_URL_PREFIX):
            return super().__call__(request)
        return self.get_response(request)


class RejectNulMiddleware:
    """Answer a NUL byte in the path (404) or the query (400) before any view runs.

    PostgreSQL text cannot hold NUL, so such a value would fail as a 500 deep inside a
    lookup. No reference, slug or search term contains one: it is bad input. (Form and
    JSON fields are already refused by Django's and DRF's ProhibitNullCharactersValidator.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            return HttpResponseNotFound("Not found.", content_type="text/plain")
        if b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return HttpResponseBadRequest(
                "Bad request: a query value holds a NUL byte.",
                content_type="text/plain",
            )
        return self.get_response(request)
