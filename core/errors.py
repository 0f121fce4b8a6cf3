"""Error codes shared by the site, the admin and the API, and the exception carrying them."""

from enum import StrEnum


class ErrorCode(StrEnum):
    """A stable machine-readable reason; the API exposes it, the site and admin translate it."""

    INVALID_DATES = "invalid_dates"
    PAST_DATE = "past_date"
    TOO_FAR_AHEAD = "too_far_ahead"
    STAY_TOO_LONG = "stay_too_long"
    INVALID_ROOMS = "invalid_rooms"
    TOO_MANY_GUESTS = "too_many_guests"
    INVALID_GUESTS = "invalid_guests"
    NOT_FOUND = "not_found"
    NOT_BOOKABLE = "not_bookable"
    NO_INVENTORY = "no_inventory"
    SOLD_OUT = "sold_out"
    STOP_SELL = "stop_sell"
    MIN_STAY = "min_stay"
    MAX_STAY = "max_stay"
    CLOSED_TO_ARRIVAL = "closed_to_arrival"
    CLOSED_TO_DEPARTURE = "closed_to_departure"
    SAME_DAY_CUTOFF = "same_day_cutoff"
    BUSY = "busy"
    SERVICE_UNAVAILABLE = "service_unavailable"
    ILLEGAL_TRANSITION = "illegal_transition"
    HOLD_EXPIRED = "hold_expired"
    HOLD_EXTENSION_LIMIT = "hold_extension_limit"
    TOO_EARLY = "too_early"
    NOTHING_TO_CHANGE = "nothing_to_change"
    IDEMPOTENCY_MISMATCH = "idempotency_key_reused"
    BELOW_BOOKED = "below_booked"
    INVALID_INVENTORY_CHANGE = "invalid_inventory_change"
    ROOM_TAKEN = "room_taken"
    ROOM_NOT_SUITABLE = "room_not_suitable"
    INVALID_GUEST_DETAILS = "invalid_guest_details"
    PAYMENT_UNAVAILABLE = "payment_unavailable"
    PAYMENT_DECLINED = "payment_declined"
    PAYMENT_NOT_NEEDED = "payment_not_needed"
    PAYMENT_REFUSED = "payment_refused"
    REFUND_TOO_LARGE = "refund_too_large"
    NOTHING_TO_REFUND = "nothing_to_refund"
    NO_CARD_ON_FILE = "no_card_on_file"
    # Raised by the partner API's own layer (request shape, keys, rate limits).
    INVALID_REQUEST = "invalid_request"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    THROTTLED = "throttled"
    IDEMPOTENCY_KEY_MISSING = "idempotency_key_missing"
    IDEMPOTENCY_IN_FLIGHT = "idempotency_key_in_flight"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    SERVER_ERROR = "server_error"
    INVALID_REVIEW_CHANGE = "invalid_review_change"
    ROOM_NOT_ASSIGNED = "room_not_assigned"
    PRICE_CHANGED = "price_changed"
    REVIEW_NOT_ALLOWED = "review_not_allowed"
    ALREADY_REVIEWED = "already_reviewed"
    INVALID_REVIEW = "invalid_review"
    ENROLMENT_CODE_INVALID = "enrolment_code_invalid"
    HOLD_LIMIT = "hold_limit"
    PAYMENT_MISSING = "payment_missing"
    OVERRIDE_NOT_ALLOWED = "override_not_allowed"
    HOTEL_CLOSED = "hotel_closed"
    CLOSURE_LIFTED = "closure_lifted"
    INVALID_CLOSURE = "invalid_closure"
    # Guest privacy (privacy/): an erasure that must wait or is not the caller's to do.
    ERASURE_LIVE_STAY = "erasure_live_stay"
    ERASURE_STAFF_ACCOUNT = "erasure_staff_account"
    ERASURE_BEYOND_SCOPE = "erasure_beyond_scope"


class DomainError(Exception):
    """A business rule refused a request; nothing was changed.

    `code` says why in a stable form, `message` says it to a person, `params` carries the
    details (e.g. the nights that are sold out) for the caller to show.
    """

    retryable = False

    def __init__(self, code: ErrorCode, message: str, **params):
        super().__init__(message)
        self.code = code
        self.message = message
        self.params = params

    def __repr__(self):
        return f"{type(self).__name__}({self.code!s}, {self.message!r})"


class ValidationError(DomainError):
    """The request itself is malformed or impossible (bad dates, too many guests)."""


class Unavailable(DomainError):
    """The request is well-formed but the rooms cannot be had under the current inventory."""


class Busy(DomainError):
    """Lock contention outlasted the lock timeout; the caller may retry shortly."""

    retryable = True


class LimitReached(DomainError):
    """The caller holds as much as it may at once (hold caps); nothing was taken.

    `params["retry_after"]` says in how many seconds its oldest hold ends (0: a
    retry cannot help, e.g. one hold larger than the cap).
    """

    @property
    def retryable(self) -> bool:
        return bool(self.params.get("retry_after"))


class IllegalTransition(DomainError):
    """The booking's state does not allow this action."""


class NotFound(DomainError):
    """The object does not exist or is not the caller's to see."""
