"""Serializers built once per class, for the hot paths.

DRF builds a serializer's fields anew for every instance: for BookingSerializer that is
deep copies of each declared field and a field per model column, about 1.5 ms a booking,
more than the hold itself costs in Python. The fields of a serializer that needs no
context are the same every time, so one instance per class is built once and kept;
to_representation and run_validation keep no state on it, so threads may share it.
The serializer classes stay the one definition of what goes in and out (and the schema).
"""

import functools

from rest_framework import serializers


@functools.cache
def _built(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    serializer = serializer_class()
    serializer.fields  # noqa: B018 (builds and binds the fields, once)
    return serializer


def represent(serializer_class: type[serializers.Serializer], instance) -> dict:
    """Return what `serializer_class(instance).data` holds."""
    return _built(serializer_class).to_representation(instance)


def validated(serializer_class: type[serializers.Serializer], data) -> dict:
    """Return `serializer_class(data=data)`'s validated data.

    Raises the ValidationError (with the same detail) that `is_valid(raise_exception=True)`
    raises.
    """
    return _built(serializer_class).run_validation(data)
