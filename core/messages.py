"""What the site says for each ErrorCode, in the reader's language.

DomainError messages are English for logs and the API; the site translates by code so the
same refusal reads the same on every page.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import DomainError, ErrorCode


def message_for(error: DomainError) -> str:
    """Return the reader-facing message for `error`, falling back to its own text."""
    params = error.params
    code = error.code
    if code == ErrorCode.INVALID_DATES:
        return _("Check-out must be after check-in.")
    if code == ErrorCode.PAST_DATE:
        return _("Check-in cannot be in the past.")
    if code == ErrorCode.TOO_FAR_AHEAD:
        return _("These dates are not on sale yet.")
    if code == ErrorCode.STAY_TOO_LONG:
        count = params.get("max_nights", 30)
        return ngettext(
            "A stay can be at most %(count)d night.",
            "A stay can be at most %(count)d nights.",
            count,
        ) % {"count": count}
    if code == ErrorCode.INVALID_ROOMS:
        return _("Book between 1 and %(count)d rooms.") % {
            "count": params.get("max_rooms", 9)
        }
    if code == ErrorCode.INVALID_GUESTS:
        return _("Each room needs at least one adult.")
    if code == ErrorCode.TOO_MANY_GUESTS:
        if "per_room" in params:
            return _("At most %(count)d guests per room: add a room.") % {
                "count": params["per_room"]
            }
        return _("This room sleeps at most %(count)d guests.") % {
            "count": params.get("capacity", 0)
        }
    if code == ErrorCode.NOT_FOUND:
        return _("We could not find that.")
    if code in (ErrorCode.NOT_BOOKABLE, ErrorCode.NO_INVENTORY, ErrorCode.STOP_SELL):
        return _("Not on sale for these dates.")
    if code == ErrorCode.SOLD_OUT:
        return _("Sold out for these dates.")
    if code == ErrorCode.MIN_STAY:
        count = params.get("min_stay", 1)
        return ngettext(
            "Stays arriving that day are at least %(count)d night.",
            "Stays arriving that day are at least %(count)d nights.",
            count,
        ) % {"count": count}
    if code == ErrorCode.MAX_STAY:
        count = params.get("max_stay", 1)
        return ngettext(
            "Stays arriving that day are at most %(count)d night.",
            "Stays arriving that day are at most %(count)d nights.",
            count,
        ) % {"count": count}
    if code == ErrorCode.CLOSED_TO_ARRIVAL:
        return _("No arrivals on that day.")
    if code == ErrorCode.CLOSED_TO_DEPARTURE:
        return _("No departures on that day.")
    if code == ErrorCode.SAME_DAY_CUTOFF:
        return _("Arrivals for today are no longer sold.")
    if code == ErrorCode.BUSY:
        return _("Many guests are booking right now. Please try again in a moment.")
    return error.message
