"""An API key's row and its partner's as the JSON Redis keeps (the front door reads it).

JSON rather than a pickle: the front door's Lua script reads the hash, the scopes and
the partner's id from it. Only the prefix and the hash are kept, never the key.
"""

import functools
import json

from accounts.models import Partner, PartnerAPIKey

# last_used_at is written at most once a minute per key: a rush must not write per read.
LAST_USED_RESOLUTION_SECONDS = 60


def _values(obj) -> dict:
    return {
        field.attname: None
        if field.value_from_object(obj) is None
        else field.value_to_string(obj)
        for field in obj._meta.concrete_fields
    }


def _build(model, values: dict):
    # A row cached before a field was added lacks it: the field's default stands in.
    obj = model(
        **{
            field.attname: None
            if values[field.attname] is None
            else field.to_python(values[field.attname])
            for field in model._meta.concrete_fields
            if field.attname in values
        }
    )
    obj._state.adding = False
    obj._state.db = "default"
    return obj


def encode_key(key: PartnerAPIKey) -> str:
    """Return the JSON of a key row with its partner."""
    return json.dumps(
        {
            "hash": key.hashed_key,
            "partner_id": key.partner_id,
            "scopes": list(key.scopes),
            "key": _values(key),
            "partner": _values(key.partner),
        }
    )


# Rebuilding the models from JSON costs more than the rest of authenticating; a row's
# text names its content, so each process decodes a row once. A changed key or partner
# is a new row (accounts.services drops the cached one), so a stale decode is never used.
@functools.lru_cache(maxsize=4096)
def decode_key(text: str) -> PartnerAPIKey:
    """Return the key (with its partner) that encode_key() wrote.

    The same row's text gives the same objects, shared by the process's requests.
    """
    data = json.loads(text)
    key = _build(PartnerAPIKey, data["key"])
    key.partner = _build(Partner, data["partner"])
    return key
