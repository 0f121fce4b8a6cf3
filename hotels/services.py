"""Writes to the hotels app's own people: staff access to the admin."""

from django.contrib.auth import get_user_model


def staff_enable(*, user_ids) -> int:
    """Let people given a role at a hotel sign in to the admin; return how many changed."""
    return (
        get_user_model()
        .objects.filter(pk__in=list(user_ids), is_staff=False)
        .update(is_staff=True)
    )
