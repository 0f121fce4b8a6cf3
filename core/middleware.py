"""Request middleware of the project."""

from django.conf import settings
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
