"""Every kind of answer carries the Content-Security-Policy (django-csp)."""

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.urls import reverse

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: sources for name, *sources in (part.split() for part in header.split(";"))
    }


def test_a_site_page_an_admin_page_and_an_api_answer_carry_the_policy(client):
    site = client.get(reverse("hotels:home"))
    admin_login = client.get(reverse("admin:login"))
    api = client.get("/api/v1/hotels/")

    assert (site.status_code, admin_login.status_code, api.status_code) == (
        200,
        200,
        401,
    )
    for response in (site, admin_login, api):
        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"][0] == "'self'"
        assert "'unsafe-inline'" not in directives["script-src"]
        assert directives["style-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]


def test_a_page_with_an_inline_script_gets_its_nonce_in_the_policy(rf):
    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')

    request = rf.get("/")
    response = CSPMiddleware(view)(request)

    assert f"'nonce-{request.csp_nonce}'" in response["Content-Security-Policy"]
