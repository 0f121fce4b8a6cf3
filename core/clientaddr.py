"""The client's address: REMOTE_ADDR, or what the trusted proxies in front report.

Behind TRUSTED_PROXY_COUNT proxies that each append the address they saw to
X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`, a load balancer), the client's
address is the N-th entry from the right: the one the outermost trusted proxy wrote.
Entries to its left were sent by the client and prove nothing. With no trusted proxy
the header is ignored, so it cannot be spoofed.

Not django-ipware: its `proxy_count` counts proxies listed inside the header (not the
one in REMOTE_ADDR), and with a count of 0 it believes a header the client wrote.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """Return the client's address as the trusted proxies report it ("" if unknown).

    An IPv6 address is reduced to its /64 network: one subscriber holds a whole /64.
    """
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    raw = request.META.get("REMOTE_ADDR", "")
    if proxies > 0:
        hops = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Fewer entries than proxies: the request skipped the outer proxy; the
        # nearest address is the best that is known.
        raw = hops[-proxies] if len(hops) >= proxies else (hops[0] if hops else raw)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return ""
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def ratelimit_address(request) -> str:
    """django-ratelimit's RATELIMIT_IP_META_KEY: the client address, never empty."""
    return client_address(request) or "0.0.0.0"  # noqa: S104 (a key, not a bind)
