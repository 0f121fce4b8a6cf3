"""Stripe's error answers: the exception that carries one, and their usual body."""

from typing import Any


class SimError(Exception):
    """A request Stripe refuses: the HTTP status and Stripe's error object."""

    def __init__(self, status: int, error: dict):
        super().__init__(error.get("message", ""))
        self.status = status
        self.error = error


def invalid(message: str, **extra: Any) -> dict:
    """Return an `invalid_request_error` saying `message`, with any `extra` fields."""
    return {"type": "invalid_request_error", "message": message, **extra}
