"""JSON request bodies with a bounded nesting depth."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than MAX_DEPTH (a 400).

    Python's decoder raises RecursionError on deep nesting, which would be a 500; no
    request of this API nests beyond a handful of levels.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(self.too_deep()) from error
        if depth(data) > MAX_DEPTH:
            raise ParseError(self.too_deep())
        return data

    @staticmethod
    def too_deep() -> str:
        return f"The JSON body is nested too deeply (at most {MAX_DEPTH} levels)."


def depth(value) -> int:
    """Return how deeply lists and objects nest in `value` (0 for a scalar)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = (
            item.values()
            if isinstance(item, dict)
            else item
            if isinstance(item, list)
            else ()
        )
        for child in children:
            if isinstance(child, dict | list):
                stack.append((child, level + 1))
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
    return deepest
