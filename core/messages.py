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
    if code == ErrorCode.HOTEL_CLOSED:
        return _("The hotel is closed on some of these nights.")
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
    if code == ErrorCode.HOLD_EXPIRED:
        return _("The hold on these rooms has expired.")
    if code == ErrorCode.NOTHING_TO_CHANGE:
        return _("The new stay is the same as the old one.")
    if code == ErrorCode.PRICE_CHANGED:
        return _("The price changed while you were looking. Check the new price.")
    if code == ErrorCode.IDEMPOTENCY_MISMATCH:
        return _("This form was already used for a booking with other details.")
    if code == ErrorCode.INVALID_GUEST_DETAILS:
        return _("Please check the guest details.")
    if code == ErrorCode.REVIEW_NOT_ALLOWED:
        return _("You can review a stay after you have checked out.")
    if code == ErrorCode.ALREADY_REVIEWED:
        return _("You have already reviewed this stay.")
    if code == ErrorCode.INVALID_REVIEW:
        return _("Please check your review.")
    if code == ErrorCode.PAYMENT_DECLINED:
        if str(params.get("decline_code", "")).endswith("authentication_failure"):
            return _("Your card failed authentication. Try again or use another card.")
        return _("Your card was declined. Try another card.")
    if code == ErrorCode.PAYMENT_UNAVAILABLE:
        if params.get("until"):
            return _(
                "Payment is unavailable right now. Your rooms are held until "
                "%(time)s (hotel time)."
            ) % {"time": params["until"]}
        return _("Payment is unavailable right now.")
    if code == ErrorCode.HOLD_LIMIT:
        return _hold_limit(params)
    # Messages marked with gettext_noop where they are raised read in the reader's
    # language here; any other stays as it was written.
    return _(error.message) if error.message else error.message


def _hold_limit(params: dict) -> str:
    minutes = max(1, -(-int(params.get("retry_after") or 60) // 60))
    wait = ngettext(
        "the oldest one ends in %(count)d minute.",
        "the oldest one ends in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}
    if params.get("actor") == "address":
        return _(
            "Too many bookings from your network are waiting for payment. Pay for one "
            "of yours or release it, then book again; or wait: %(wait)s"
        ) % {"wait": wait}
    if not params.get("retry_after"):
        return _(
            "This booking is too large to hold at once. Book fewer rooms or nights."
        )
    count = params.get("live_holds") or 0
    return ngettext(
        "You already have %(count)d booking waiting for payment, the most at once. "
        "Pay for it or release it, then book again; or wait: %(wait)s",
        "You already have %(count)d bookings waiting for payment, the most at once. "
        "Pay for one or release it, then book again; or wait: %(wait)s",
        count,
    ) % {"count": count, "wait": wait}
