"""Site-wide views: the friendly 429 page for django-ratelimit."""

from django.shortcuts import render


def rate_limited(request, exception=None):
    """Tell a person (or a bot) to slow down, with the standard 429 status."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response
