"""Booking use cases: each function owns its transaction (STYLE.md)."""

from .accounts import bookings_attach_to_user
from .changes import (
    ChangeQuote,
    ChangeResult,
    booking_cancel,
    booking_change,
    booking_change_quote,
)
from .closures import (
    ClosureResult,
    hotel_closure_create,
    hotel_closure_lift,
    hotel_deactivate,
    hotel_reactivate,
)
from .common import GuestDetails
from .consistency import consistency_check
from .expiry import (
    booking_expire,
    expire_overdue_holds,
    purge_idle_tallies,
    release_overdue_holds,
)
from .holds import (
    booking_confirm,
    booking_extend_hold,
    booking_hold,
    booking_reinstate,
)
from .quotes import Quote, booking_quote
from .rooms import booking_assign_room
from .stays import (
    booking_check_in,
    booking_check_out,
    booking_mark_no_show,
    booking_move_room,
)

__all__ = [
    "ChangeQuote",
    "ChangeResult",
    "ClosureResult",
    "GuestDetails",
    "Quote",
    "booking_assign_room",
    "booking_cancel",
    "booking_change",
    "booking_change_quote",
    "booking_check_in",
    "booking_check_out",
    "booking_confirm",
    "booking_expire",
    "booking_extend_hold",
    "booking_hold",
    "booking_mark_no_show",
    "booking_move_room",
    "booking_quote",
    "booking_reinstate",
    "bookings_attach_to_user",
    "consistency_check",
    "expire_overdue_holds",
    "hotel_closure_create",
    "hotel_closure_lift",
    "hotel_deactivate",
    "hotel_reactivate",
    "purge_idle_tallies",
    "release_overdue_holds",
]
