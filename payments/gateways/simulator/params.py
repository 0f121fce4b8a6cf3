"""Request parameters: Stripe's form encoding, and the flags and integers in it."""

import re
from urllib.parse import parse_qsl

from .errors import SimError, invalid


def decode_form(body: str | bytes | None) -> dict:
    """Decode Stripe's form encoding (`metadata[ref]=X`, `expand[0]=y`) into dicts."""
    if isinstance(body, bytes):
        body = body.decode()
    result: dict = {}
    for key, value in parse_qsl(body or "", keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+|\[\]", key)
        node = result
        for part, following in zip(parts, [*parts[1:], None], strict=True):
            if following is None:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return result


def is_true(value) -> bool:
    """Tell whether a form value is Stripe's `true`."""
    return str(value).lower() == "true"


def to_int(value, name: str) -> int:
    """Return the parameter `name`'s `value` as an integer.

    Raises SimError (400) when it is not one.
    """
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SimError(400, invalid(f"Invalid integer: {value}", param=name)) from None
