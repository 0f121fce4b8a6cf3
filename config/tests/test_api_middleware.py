"""The WSGI application sends /api/ through the API's short chain, the rest as before."""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import CsrfViewMiddleware

from config.wsgi import application


def call(path: str, **environ) -> tuple[str, dict, bytes]:
    env = {"PATH_INFO": path, "wsgi.input": io.BytesIO(b""), **environ}
    setup_testing_defaults(env)
    env["SERVER_NAME"] = env["HTTP_HOST"] = "localhost"
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    # As Django's test client does: the test's connection must outlive the request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        body = b"".join(application(env, start_response))
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return answer["status"], answer["headers"], body


@pytest.mark.django_db
def test_an_api_call_skips_the_site_middleware_and_keeps_the_security_headers():
    status, headers, _ = call("/api/v1/hotels/", HTTP_ACCEPT_LANGUAGE="ko")

    assert status.startswith("403") or status.startswith("401")
    assert headers["Content-Type"] == "application/problem+json"
    # The API's own language (api.language), not the site's LocaleMiddleware.
    assert headers["Content-Language"] == "ko"
    assert "Cookie" not in headers.get("Vary", "")  # no sessions
    assert headers["X-Content-Type-Options"] == "nosniff"  # SecurityMiddleware
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_site_keeps_its_whole_chain():
    status, headers, _ = call("/", HTTP_ACCEPT_LANGUAGE="ko")

    assert status.startswith("200")
    assert headers["Content-Language"] == "ko"
    assert headers["X-Frame-Options"] == "DENY"


def test_only_the_site_chain_checks_csrf():
    def has_csrf(handler):
        return any(
            isinstance(getattr(hook, "__self__", None), CsrfViewMiddleware)
            for hook in handler._view_middleware
        )

    assert has_csrf(application.site)
    assert not has_csrf(application.api)


def asgi_call(path: str, **headers) -> tuple[int, dict, bytes]:
    """One HTTP request through config.asgi's application, as uvicorn or daphne would."""
    import asyncio

    from config.asgi import application as asgi_application

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost")]
        + [
            (k.lower().replace("_", "-").encode(), v.encode())
            for k, v in headers.items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }
    sent = []
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if messages:
            return messages.pop()
        await asyncio.Event().wait()  # the client stays connected until the answer

    async def send(message):
        sent.append(message)

    asyncio.run(asgi_application(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    head = {k.decode(): v.decode() for k, v in start["headers"]}
    body = b"".join(
        m.get("body", b"") for m in sent if m["type"] == "http.response.body"
    )
    return start["status"], head, body


@pytest.mark.django_db(transaction=True)
def test_the_asgi_application_routes_the_api_through_its_short_chain_too(monkeypatch):
    from django.db import connections

    # Each ASGI request runs its views in a thread of its own: with CONN_MAX_AGE 0 the
    # request's end closes the connection that thread opened, as under a real server.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    status, headers, _ = asgi_call("/api/v1/hotels/", accept_language="ko")
    assert status in (401, 403)
    assert headers["Content-Type"] == "application/problem+json"
    assert "Cookie" not in headers.get("Vary", "")  # the API's chain: no sessions

    status, headers, _ = asgi_call("/", accept_language="ko")
    assert status == 200
    assert headers["Content-Language"] == "ko"  # the site's whole chain
