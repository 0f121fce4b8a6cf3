"""Serve the partner API through its own short middleware chain.

The site and the admin need sessions, CSRF, messages, two-factor sign-in, allauth,
django-axes and django-ratelimit; the API authenticates every request by its key and
needs none of them, so on an API call they are only cost. `settings.MIDDLEWARE` stays
the site's chain, untouched (allauth and axes check that their entries are in it);
`settings.API_MIDDLEWARE` is the API's. The WSGI application sends each request to
one chain or the other by its path; the ASGI application (config/asgi.py) does the same.
"""

from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.wsgi import WSGIHandler


def is_api_path(path: str) -> bool:
    return path.startswith(settings.API_URL_PREFIX)


class ApiMiddlewareMixin:
    """Build a handler's middleware chain from API_MIDDLEWARE instead of MIDDLEWARE."""

    def load_middleware(self, is_async=False):
        # Django builds the chain from settings.MIDDLEWARE and offers no other hook;
        # this runs once, when the application is made, before any request is served.
        site = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.API_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = site


class ApiWSGIHandler(ApiMiddlewareMixin, WSGIHandler):
    """Django's WSGI handler with the API's middleware chain."""


class PathRouter:
    """A WSGI application: API paths to one handler, everything else to the other."""

    def __init__(self, site, api):
        self.site = site
        self.api = api

    def __call__(self, environ, start_response):
        handler = self.api if is_api_path(environ.get("PATH_INFO", "")) else self.site
        return handler(environ, start_response)


def routed_wsgi_application() -> PathRouter:
    """Return the project's WSGI application: the site's chain and the API's."""
    return PathRouter(WSGIHandler(), ApiWSGIHandler())


class ApiASGIHandler(ApiMiddlewareMixin, ASGIHandler):
    """Django's ASGI handler with the API's middleware chain."""


class AsgiPathRouter:
    """An ASGI application: HTTP API paths to one handler, everything else to the other."""

    def __init__(self, site, api):
        self.site = site
        self.api = api

    async def __call__(self, scope, receive, send):
        api = scope["type"] == "http" and is_api_path(scope.get("path", ""))
        handler = self.api if api else self.site
        return await handler(scope, receive, send)


def routed_asgi_application() -> AsgiPathRouter:
    """Return the project's ASGI application, routed as the WSGI one is."""
    return AsgiPathRouter(ASGIHandler(), ApiASGIHandler())
