"""Where the simulator keeps its objects, events and idempotent answers."""

import copy
import threading
from contextlib import AbstractContextManager
from typing import Protocol


class Store(Protocol):
    def lock(self) -> AbstractContextManager: ...
    def get(self, object_id: str) -> dict | None: ...
    def put(self, obj: dict) -> None: ...
    def add_event(self, event: dict) -> None: ...
    def list_events(self) -> list[dict]: ...
    def replay(self, key: str) -> tuple[int, dict] | None: ...
    def remember(self, key: str, status: int, body: dict) -> None: ...


class MemoryStore:
    """Simulator state in a dict, for a fake Stripe server that lives as long as a test."""

    def __init__(self):
        self._lock = threading.RLock()
        self.objects: dict[str, dict] = {}
        self.events: list[dict] = []
        self.responses: dict[str, tuple[int, dict]] = {}

    def lock(self):
        return self._lock

    def get(self, object_id):
        found = self.objects.get(object_id)
        return copy.deepcopy(found) if found else None

    def put(self, obj):
        self.objects[obj["id"]] = copy.deepcopy(obj)

    def add_event(self, event):
        self.events.append(copy.deepcopy(event))

    def list_events(self):
        return copy.deepcopy(self.events)

    def replay(self, key):
        return self.responses.get(key)

    def remember(self, key, status, body):
        self.responses[key] = (status, copy.deepcopy(body))
