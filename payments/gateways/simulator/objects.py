"""Stripe objects kept in a Store: ids, loading, events, customers, the event list."""

import copy
import secrets
import time
from collections.abc import Callable

from .errors import SimError, invalid
from .params import to_int
from .store import Store

API_VERSION = "2025-simulated"


def new_id(prefix: str) -> str:
    """Return a new Stripe-like object id (`cus_…`, `pi_…`) with `prefix`."""
    return f"{prefix}_{secrets.token_hex(12)}"


class Objects:
    """Load, store and list Stripe objects, and emit the events their changes send."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.time):
        self.store = store
        self.clock = clock
        # The idempotency key of the request being answered, which events carry.
        self.request_key: str | None = None

    def load(self, object_id: str, prefix: str | None = None) -> dict:
        """Return a copy of the stored object `object_id`.

        Raises SimError (404) when there is none, or when its id lacks `prefix`.
        """
        obj = self.store.get(object_id)
        if obj is None or (prefix and not object_id.startswith(prefix)):
            raise SimError(
                404,
                invalid(f"No such object: '{object_id}'", code="resource_missing"),
            )
        return obj

    def emit(self, type_: str, obj: dict) -> None:
        """Record the event `type_` about `obj`, as Stripe would send it to webhooks."""
        self.store.add_event(
            {
                "id": new_id("evt"),
                "object": "event",
                "api_version": API_VERSION,
                "created": int(self.clock()),
                "type": type_,
                "livemode": False,
                "pending_webhooks": 1,
                "data": {"object": copy.deepcopy(obj)},
                "request": {"id": None, "idempotency_key": self.request_key},
            }
        )

    def retrieve(self, params, id):
        return self.load(id)

    def create_customer(self, params):
        customer = {
            "id": new_id("cus"),
            "object": "customer",
            "created": int(self.clock()),
            "metadata": params.get("metadata", {}),
            "livemode": False,
        }
        self.store.put(customer)
        return customer

    def list_events(self, params):
        events = self.store.list_events()
        if params.get("type"):
            events = [e for e in events if e["type"] == params["type"]]
        created = params.get("created")
        if isinstance(created, dict) and created.get("gte"):
            events = [e for e in events if e["created"] >= int(created["gte"])]
        events.reverse()  # newest first, as Stripe lists them
        if params.get("starting_after"):
            ids = [e["id"] for e in events]
            if params["starting_after"] in ids:
                events = events[ids.index(params["starting_after"]) + 1 :]
        limit = min(100, to_int(params.get("limit", 10), "limit"))
        return {
            "object": "list",
            "url": "/v1/events",
            "data": events[:limit],
            "has_more": len(events) > limit,
        }
