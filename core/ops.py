"""The operations endpoints: /health/live, /health/ready and /metrics.

`OpsEndpointsMiddleware` answers them first in the site's chain, before the host check
(ALLOWED_HOSTS), the HTTPS redirect and sessions: a probe or Prometheus reaches a
container by its address in plain HTTP, and a probe must not cost a session.

/metrics is open where METRICS_REQUIRE_AUTH is off (development, tests). In production
it needs `Authorization: Bearer <METRICS_TOKEN>` or a client address (core/clientaddr.py,
TRUSTED_PROXY_COUNT) inside METRICS_ALLOWED_NETWORKS; a wrong or missing token is a 403,
and with neither configured the endpoint does not exist (404).
"""

import hmac
import ipaddress
import json
import logging

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from . import health, metrics
from .clientaddr import client_address

log = logging.getLogger(__name__)

LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"
METRICS_PATH = "/metrics"


def _problem(status: int, title: str, detail: str) -> HttpResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return HttpResponse(
        json.dumps(body), status=status, content_type="application/problem+json"
    )


def live(request) -> HttpResponse:
    """The process is up and serving: no dependency is asked."""
    return JsonResponse({"status": "ok"})


def ready(request) -> HttpResponse:
    """Run the readiness checks: 200, or 503 naming each check that failed."""
    results = health.readiness()
    failed = {name: reason for name, reason in results.items() if reason}
    body = {
        "status": "fail" if failed else "ok",
        "checks": {
            name: {"status": "fail", "reason": reason} if reason else {"status": "ok"}
            for name, reason in results.items()
        },
        "failed": sorted(failed),
    }
    return JsonResponse(body, status=503 if failed else 200)


def _networks() -> list:
    networks = []
    for value in settings.METRICS_ALLOWED_NETWORKS:
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            log.warning("METRICS_ALLOWED_NETWORKS: not a network: %r", value)
    return networks


def metrics_allowed(request) -> int | None:
    """Return None when the request may read /metrics, else the status to refuse with."""
    if not settings.METRICS_REQUIRE_AUTH:
        return None
    token = settings.METRICS_TOKEN
    networks = _networks()
    if not token and not networks:
        return 404
    if token:
        scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            return None
    address = client_address(request)
    if address and networks:
        ip = ipaddress.ip_address(address)
        if any(ip.version == net.version and ip in net for net in networks):
            return None
    return 403


def metrics_view(request) -> HttpResponse:
    """The Prometheus text of this process (or of every process in multiprocess mode)."""
    refused = metrics_allowed(request)
    if refused == 404:
        return _problem(404, "Not Found", "No such page.")
    if refused:
        return _problem(
            403, "Forbidden", "Metrics need a bearer token or an allowed address."
        )
    return HttpResponse(
        generate_latest(metrics.scrape_registry()), content_type=CONTENT_TYPE_LATEST
    )


_ENDPOINTS = {LIVE_PATH: live, READY_PATH: ready, METRICS_PATH: metrics_view}


class OpsEndpointsMiddleware:
    """Answer the operations endpoints (GET or HEAD) before the rest of the chain."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = _ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _problem(405, "Method Not Allowed", "Use GET.")
            response["Allow"] = "GET, HEAD"
            return response
        response = view(request)
        response["Cache-Control"] = "no-store"
        return response
