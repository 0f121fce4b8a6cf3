"""Rows found by their natural key: how seed_demo stays idempotent."""

from django.db import models


def upsert(
    model: type[models.Model],
    lookup: dict,
    values: dict,
    create_only: dict | None = None,
) -> tuple[models.Model, bool]:
    """Return the row found by `lookup`, created or brought up to `values`, and whether
    it was created. Only changed fields are saved, so an unchanged row is not written.
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **values, **(create_only or {})), True
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, values[name])
        row.save(update_fields=changed)
    return row, False
