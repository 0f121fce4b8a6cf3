"""The Simulator: Stripe's API routes, and the answer to one request."""

import re

from .errors import SimError, invalid
from .intents import Intents
from .refunds import Refunds


class Simulator(Intents, Refunds):
    """Answer Stripe API requests as (status, JSON body) from state kept in a Store."""

    def handle(
        self,
        method: str,
        path: str,
        params: dict,
        idempotency_key: str | None = None,
    ) -> tuple[int, dict]:
        """Answer one request; a repeated POST with the same key gets the first answer."""
        with self.store.lock():
            if method == "POST" and idempotency_key:
                replayed = self.store.replay(idempotency_key)
                if replayed is not None:
                    return replayed
            try:
                status, body = 200, self._route(method, path, params, idempotency_key)
            except SimError as error:
                status, body = error.status, {"error": error.error}
            if method == "POST" and idempotency_key and status < 500:
                self.store.remember(idempotency_key, status, body)
            return status, body

    # Routing

    _ROUTES = (
        ("POST", r"/v1/customers", "create_customer"),
        ("POST", r"/v1/payment_intents", "create_payment_intent"),
        ("GET", r"/v1/payment_intents/(?P<id>[\w]+)", "retrieve"),
        ("POST", r"/v1/payment_intents/(?P<id>[\w]+)/confirm", "confirm_payment"),
        ("POST", r"/v1/payment_intents/(?P<id>[\w]+)/cancel", "cancel"),
        ("POST", r"/v1/setup_intents", "create_setup_intent"),
        ("GET", r"/v1/setup_intents/(?P<id>[\w]+)", "retrieve"),
        ("POST", r"/v1/setup_intents/(?P<id>[\w]+)/confirm", "confirm_setup"),
        ("POST", r"/v1/setup_intents/(?P<id>[\w]+)/cancel", "cancel"),
        ("POST", r"/v1/refunds", "create_refund"),
        ("GET", r"/v1/refunds/(?P<id>[\w]+)", "retrieve"),
        ("GET", r"/v1/charges/(?P<id>[\w]+)", "retrieve"),
        ("GET", r"/v1/events/(?P<id>[\w]+)", "retrieve"),
        ("GET", r"/v1/events", "list_events"),
        # Not Stripe's API: what a cardholder or a bank does in Stripe's test mode.
        ("POST", r"/_sim/authenticate/(?P<id>[\w]+)", "authenticate"),
        ("POST", r"/_sim/dispute/(?P<id>[\w]+)", "dispute"),
    )

    def _route(self, method, path, params, idempotency_key):
        for route_method, pattern, name in self._ROUTES:
            match = re.fullmatch(pattern, path)
            if match and route_method == method:
                self.request_key = idempotency_key
                return getattr(self, name)(params, **match.groupdict())
        raise SimError(
            404, invalid(f"Unrecognized request URL ({method}: {path}).")
        ) from None
