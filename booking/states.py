"""The booking state machine: which action may move a booking from which state."""

from core.errors import ErrorCode, IllegalTransition

from .models import Booking, BookingStatus

S = BookingStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.HELD: frozenset({S.CONFIRMED, S.CANCELLED, S.EXPIRED}),
    S.CONFIRMED: frozenset({S.CHECKED_IN, S.CANCELLED, S.NO_SHOW}),
    S.CHECKED_IN: frozenset({S.CHECKED_OUT}),
    S.CHECKED_OUT: frozenset(),
    S.CANCELLED: frozenset(),
    S.EXPIRED: frozenset(),
    S.NO_SHOW: frozenset(),
}

# Dates and rooms may change only before the guest arrives.
CHANGEABLE = frozenset({S.HELD, S.CONFIRMED})

_VERBS = {
    S.CONFIRMED: "confirmed",
    S.CANCELLED: "cancelled",
    S.EXPIRED: "expired",
    S.CHECKED_IN: "checked in",
    S.CHECKED_OUT: "checked out",
    S.NO_SHOW: "marked as a no-show",
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def ensure_transition(booking: Booking, target: str) -> None:
    """Raise IllegalTransition unless `booking` may move to `target`."""
    if not can_transition(booking.status, target):
        raise IllegalTransition(
            ErrorCode.ILLEGAL_TRANSITION,
            f"A booking that is {BookingStatus(booking.status).label.lower()} "
            f"cannot be {_VERBS[target]}.",
            status=booking.status,
            target=target,
        )


def ensure_changeable(booking: Booking) -> None:
    """Raise IllegalTransition unless the booking's dates or rooms may still change."""
    if booking.status not in CHANGEABLE:
        raise IllegalTransition(
            ErrorCode.ILLEGAL_TRANSITION,
            f"A booking that is {BookingStatus(booking.status).label.lower()} cannot be changed.",
            status=booking.status,
        )
