"""Checks of the values read from the demo catalogue, failing with where they are.

Every check takes `at`, the place in the file ("cities[1] (Seoul).hotels[2].stars"), and
raises CatalogueError with it; each returns the value it checked, converted where needed.
"""

import difflib
import re
from collections.abc import Callable, Collection
from typing import Any, NoReturn

import yaml
from django.core.exceptions import ValidationError

TIME = re.compile(r"(\d{2}):(\d{2})")


class CatalogueError(ValueError):
    """The demo catalogue has a mistake; the message says where."""


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader refusing a key twice in one mapping, where YAML keeps only the last."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise CatalogueError(f"line {line}: {key!r} appears twice in one mapping")
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping
)


def fail(at: str, message: str) -> NoReturn:
    """Raise CatalogueError: `message` about the value at `at`."""
    raise CatalogueError(f"{at}: {message}")


def describe(value: Any) -> str:
    """Return what `value` is as the reader wrote it, for an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/on/off as booleans: quote it)"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping"


def label(at: str, value: Any) -> str:
    """Return `at` with the name of the item there, when it has one, for the reader."""
    name = value.get("name") if isinstance(value, dict) else None
    return f"{at} ({name})" if isinstance(name, str) else at


def mapping(at: str, value: Any) -> dict:
    """Return `value` if it is a mapping."""
    if not isinstance(value, dict):
        fail(at, f"expected a mapping, found {describe(value)}")
    return value


def record(at: str, value: Any, required: str, optional: str = "") -> dict:
    """Return `value`, a mapping with every key of `required` and none outside both."""
    row = mapping(at, value)
    allowed = [*required.split(), *optional.split()]
    missing = [key for key in required.split() if key not in row]
    if missing:
        fail(at, f"missing {', '.join(missing)}")
    for key in row:
        if key not in allowed:
            known(at, key, allowed, "key")
    return row


def items(at: str, value: Any) -> list:
    """Return `value` if it is a list."""
    if not isinstance(value, list):
        fail(at, f"expected a list, found {describe(value)}")
    return value


def pair(at: str, values: list) -> tuple:
    """Return the two `values` as a tuple."""
    if len(values) != 2:
        fail(at, f"expected two values, found {len(values)}")
    return tuple(values)


def text(at: str, value: Any, *, empty: bool = False) -> str:
    """Return `value` if it is a string, and not blank unless `empty` allows it."""
    if not isinstance(value, str) or not (empty or value.strip()):
        fail(at, f"expected some text, found {describe(value)}")
    return value


def whole(at: str, value: Any, *, low: int) -> int:
    """Return `value` if it is an integer of at least `low` (not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int):
        fail(at, f"expected a whole number, found {describe(value)}")
    if value < low:
        fail(at, f"expected {low} or more, found {value}")
    return value


def number(at: str, value: Any) -> float:
    """Return `value`, an integer or a float above 0, as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        fail(at, f"expected a number above 0, found {describe(value)}")
    return float(value)


def coordinates(at: str, value: Any) -> tuple[float, float]:
    """Return `value`, a [latitude, longitude] list, as a tuple of floats."""
    lat, lng = pair(at, items(at, value))
    for degrees, limit in ((lat, 90), (lng, 180)):
        if isinstance(degrees, bool) or not isinstance(degrees, int | float):
            fail(at, f"expected [latitude, longitude], found {describe(degrees)}")
        if abs(degrees) > limit:
            fail(at, f"{degrees} is out of range for [latitude, longitude]")
    return float(lat), float(lng)


def known(at: str, value: Any, choices: Collection, what: str) -> Any:
    """Return `value` if it is one of `choices`, else fail naming the closest one."""
    if value not in choices:
        close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        fail(at, f"unknown {what} {value!r}{hint}")
    return value


def clock_times(at: str, value: Any) -> tuple[tuple[int, int], ...]:
    """Return `value`, a list of "HH:MM" strings, as (hour, minute) tuples."""
    times = []
    for index, written in enumerate(items(at, value)):
        match = TIME.fullmatch(written) if isinstance(written, str) else None
        hour, minute = (int(part) for part in match.groups()) if match else (99, 99)
        if hour > 23 or minute > 59:
            # Unquoted, YAML 1.1 reads 14:00 as the sexagesimal number 840.
            found = describe(written)
            fail(f"{at}[{index}]", f'expected "14:00" in quotes, found {found}')
        times.append((hour, minute))
    if not times:
        fail(at, "list one time at least")
    return tuple(times)


def validated(at: str, value: Any, validator: Callable[[str], None]) -> str:
    """Return `value`, a string that `validator` (a model field's) accepts."""
    try:
        validator(text(at, value))
    except ValidationError as error:
        fail(at, " ".join(error.messages))
    return value
