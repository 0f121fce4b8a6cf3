"""Site-wide views: the friendly 429 page for django-ratelimit, the 500 and 503 pages."""

import sys

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from .db import RETRY_AFTER_SECONDS, database_unavailable


def rate_limited(request, exception=None):
    """Tell a person (or a bot) to slow down, with the standard 429 status."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


def server_error(request):
    """handler500: a 503 "try again in a moment" when PostgreSQL is out of reach or full.

    A database restart or failover is not a bug: the guest gets a retryable answer
    (and the API, through api.middleware, its `service_unavailable` problem). The
    pages render without a request context, which would need the database.
    """
    if database_unavailable(sys.exc_info()[1]):
        page = loader.get_template("503.html").render()
        response = HttpResponseServerError(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
