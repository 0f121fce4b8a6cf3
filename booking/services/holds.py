"""Taking rooms: quote, hold, confirm, extend a hold, reinstate (invariants 1-4)."""

import functools
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Now

from accounts.models import Partner
from core import logs, metrics
from core.errors import (
    ErrorCode,
    IllegalTransition,
    NotFound,
    Unavailable,
    ValidationError,
)
from inventory import hints, locking
from inventory.rules import (
    StayRequest,
    check_nights,
    validate_request,
    validate_stay,
    validate_timing,
)

from .. import caps as hold_caps
from .. import events
from ..events import BookingEvent
from ..models import Booking, BookingStatus
from ..states import ensure_transition
from .common import (
    GuestDetails,
    lock_booking,
    plan_from_row,
    plan_read,
    request_fingerprint,
    validate_guest,
)
from .expiry import release_overdue_holds, release_overdue_holds_of


def booking_hold(
    *,
    rate_plan_id: int,
    stay: StayRequest,
    guest: GuestDetails,
    source: str,
    user=None,
    partner: Partner | None = None,
    idempotency_scope: str = "",
    idempotency_key: str | None = None,
    language: str = "",
    key_is_new: bool = False,
    hint_checked: bool = False,
    known_short: bool = False,
    visitor: hold_caps.Visitor | None = None,
) -> Booking:
    """Hold rooms for every night of a stay, or none, until the hold deadline.

    A repeated `idempotency_key` in the same scope returns the booking it made.
    `language` (a LANGUAGES code) is the one the guest's e-mails are written in.
    A caller that knows the key was never used (`key_is_new`: the API's marker) saves
    the lookup of an earlier booking; the key's unique constraint still backs it. A
    caller that already asked the sold-out hint (`hint_checked`) saves asking again,
    and says what it answered (`known_short`).
    The hold counts against the caps of its `partner`, `user` and site `visitor`
    (booking/caps.py), in the statement that takes the nights.
    Round trips: the hint (Redis), then BEGIN, one message that bounds lock waits,
    reads the plan (and an earlier booking with the key) and locks the nights, one
    statement that takes them, counts the hold in its caps and inserts the booking,
    COMMIT.
    Raises ValidationError (bad request, reused key), NotFound, Unavailable (sold out,
    restrictions), LimitReached (HOLD_LIMIT: a cap is reached) or Busy (lock
    contention: retry).
    """
    validate_stay(stay)
    validate_guest(guest)
    caps = hold_caps.hold_caps(partner=partner, user=user, visitor=visitor)
    room_nights = stay.rooms * len(stay.nights)
    hold_caps.check_size(caps, room_nights)
    fingerprint = request_fingerprint(rate_plan_id, stay, guest)
    lookup = bool(idempotency_key) and not key_is_new
    # Sold out answers first, from Redis, before any SQL; only a request that may be a
    # replay looks for its earlier booking before it is told.
    if not hint_checked:
        known_short = hints.known_short_for_plan(rate_plan_id, stay.nights, stay.rooms)
    if known_short:
        existing = (
            _replay(idempotency_scope, idempotency_key, fingerprint) if lookup else None
        )
        if existing is not None:
            return existing
        metrics.SOLD_OUT.labels("hint").inc()
        raise Unavailable(ErrorCode.SOLD_OUT, SOLD_OUT_MESSAGE)
    # Everything but the plan, the prices and the deadline is known before any lock.
    booking = Booking(
        rooms=stay.rooms,
        check_in=stay.check_in,
        check_out=stay.check_out,
        adults=stay.adults,
        children=stay.children,
        status=BookingStatus.HELD,
        guest_name=guest.name.strip(),
        guest_email=guest.email.strip(),
        guest_phone=guest.phone.strip(),
        special_requests=guest.special_requests.strip(),
        source=source,
        user=user,
        partner=partner,
        idempotency_scope=idempotency_scope,
        idempotency_key=idempotency_key or None,
        request_fingerprint=fingerprint,
        language=language[:10],
        hold_actors=[cap.actor for cap in caps],
    )
    # Every column not read under the lock is ready before it is taken.
    prepared = _prepared_values(booking)
    guard = None
    if caps:
        guard = (*hold_caps.tally_guard(caps, room_nights), len(caps))
    for attempt in range(2):
        try:
            return _hold_once(
                rate_plan_id, stay, booking, prepared, lookup=lookup, guard=guard
            )
        except locking.GuardRefused:
            # As for nights: an actor's overdue holds are freed first, then one retry.
            if attempt or not release_overdue_holds_of(actors=booking.hold_actors):
                raise hold_caps.limit_error(caps, room_nights) from None
        except IntegrityError as error:
            if (
                idempotency_key
                and _constraint(error) == "booking_idempotency_key_unique"
            ):
                return _replay(idempotency_scope, idempotency_key, fingerprint)
            raise
        except _NightsShort as short:
            # Correctness never waits for beat: free what overdue holds keep, then retry.
            if attempt or not release_overdue_holds(
                room_type_id=short.room_type_id,
                check_in=stay.check_in,
                check_out=stay.check_out,
            ):
                hints.remember_short(
                    short.room_type_id,
                    {
                        date.fromisoformat(n): free
                        for n, free in short.error.params["free"].items()
                    },
                    rate_plan_id=rate_plan_id,
                )
                metrics.SOLD_OUT.labels("lock").inc()
                raise short.error from None
    raise AssertionError("unreachable")


log = logs.get_logger(__name__)

SOLD_OUT_MESSAGE = "Sold out: not enough rooms left for these dates."

_REPLAY_SQL = (
    "SELECT id, request_fingerprint FROM booking_booking"
    " WHERE idempotency_scope = %s AND idempotency_key = %s"
)


class _NightsShort(Exception):
    """A stay found too few rooms under lock (its room type travels with the error)."""

    def __init__(self, error: Unavailable, room_type_id: int):
        super().__init__(error.message)
        self.error = error
        self.room_type_id = room_type_id


def _hold_once(
    rate_plan_id: int,
    stay: StayRequest,
    booking: Booking,
    prepared: list,
    *,
    lookup: bool,
    guard: tuple | None = None,
) -> Booking:
    reads = [plan_read(rate_plan_id)]
    if lookup:
        reads.append(
            (_REPLAY_SQL, [booking.idempotency_scope, booking.idempotency_key])
        )
    with (
        locking.busy_on_contention(),
        metrics.lock_timer() as locked,
        transaction.atomic(durable=True),
    ):
        found = locking.lock_plan_nights(
            rate_plan_id, stay.nights, stay.check_out, reads
        )
        locked()
        if lookup and found.reads[1] is not None:
            earlier = found.reads[1]
        else:
            earlier = None
            plan = plan_from_row(found.reads[0])
            room_type = plan.room_type
            hotel = room_type.hotel
            validate_request(stay, room_type)
            validate_timing(stay, hotel, found.now)
            try:
                check_nights(stay, found.rows, found.departure)
            except Unavailable as error:
                if error.code != ErrorCode.SOLD_OUT:
                    raise
                raise _NightsShort(error, room_type.pk) from None
            booking.hotel = hotel
            booking.room_type = room_type
            booking.rate_plan = plan
            booking.currency = hotel.currency
            booking.payment_mode = plan.payment_mode
            booking.policy = plan.policy_snapshot
            booking.nightly_prices = [
                plan.nightly_price(found.rows[n].price) for n in stay.nights
            ]
            booking.total = sum(booking.nightly_prices) * stay.rooms
            booking.held_until = found.now + timedelta(
                minutes=settings.BOOKING_HOLD_MINUTES
            )
            # The clock of the hold's transaction: a fresh hold is summarised from
            # what it is (no payment yet) without another round trip (summaries).
            booking.held_at = found.now
            # The held event is written by the booking's own INSERT statement.
            _take_and_insert(booking, prepared, found.rows.values(), guard)
    if earlier is not None:  # a replay: nothing was written, the locks are gone
        return _earlier_booking(earlier, booking.request_fingerprint)
    metrics.HOLDS_TAKEN.labels(booking.source).inc()
    logs.bind(booking=booking.reference, hotel=booking.hotel.slug)
    log.info("booking held", rooms=booking.rooms, nights=len(stay.nights))
    return booking


@functools.cache
def _insert_sql() -> tuple[list, str]:
    fields = [f for f in Booking._meta.local_concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    # The column names come from the model, not from input.
    sql = f"INSERT INTO booking_booking ({columns}) VALUES ({values})"  # noqa: S608
    return fields, sql + " RETURNING id"


# The columns set from what the lock read; every other one is known before the lock.
_LOCKED_FIELDS = frozenset(
    {
        "hotel",
        "room_type",
        "rate_plan",
        "currency",
        "payment_mode",
        "policy",
        "nightly_prices",
        "total",
        "held_until",
    }
)


def _prepared_values(booking: Booking) -> list:
    """Return the insert's values, None where a column is only known under the lock.

    Preparing a value (JSON, arrays, dates) is the most Python a hold runs; done before
    the lock, it no longer lengthens the time the nights stay locked.
    """
    fields, _ = _insert_sql()
    return [
        None
        if f.name in _LOCKED_FIELDS
        else f.get_db_prep_save(f.pre_save(booking, True), connection)
        for f in fields
    ]


def _take_and_insert(
    booking: Booking, prepared: list, rows, guard: tuple | None
) -> None:
    """Take the booking's nights, count it in its caps' tallies (`guard`), insert it
    and write its held event: one round trip.

    Under the row lock every round trip counts; Django's own insert needs a second one
    and compiles its SQL each time, and the event would need a third.
    Raises locking.GuardRefused when a cap is reached.
    """
    fields, sql = _insert_sql()
    values = [
        f.get_db_prep_save(f.pre_save(booking, True), connection)
        if f.name in _LOCKED_FIELDS
        else value
        for f, value in zip(fields, prepared, strict=True)
    ]
    event = events.publish_sql("inserted", BookingEvent.HELD, source=booking.source)
    (booking.pk,) = locking.take_and_insert(
        rows, booking.rooms, sql, values, after=event, guard=guard
    )
    booking._state.adding = False
    booking._state.db = "default"


def _replay(scope: str, key: str, fingerprint: str) -> Booking | None:
    """Return the booking an idempotency key made, if any (one indexed lookup).

    Raises ValidationError when the key was used for a different request.
    """
    with connection.cursor() as cursor:
        cursor.execute(_REPLAY_SQL, [scope, key])
        row = cursor.fetchone()
    return None if row is None else _earlier_booking(row, fingerprint)


def _earlier_booking(row: tuple, fingerprint: str) -> Booking:
    """Return the booking of a (id, request_fingerprint) row found by its key.

    Raises ValidationError when the key was used for a different request.
    """
    if row[1] != fingerprint:
        raise ValidationError(
            ErrorCode.IDEMPOTENCY_MISMATCH,
            "This idempotency key was already used for a different booking request.",
        )
    return Booking.objects.select_related("hotel", "room_type", "rate_plan").get(
        pk=row[0]
    )


def _constraint(error: IntegrityError) -> str | None:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def booking_confirm(*, booking_id: int, override_reason: str = "") -> Booking:
    """Confirm a held booking whose hold has not passed; confirming twice is harmless.

    `override_reason`: why staff confirm it without the payment it needs (the payments
    app decides when that is allowed); kept on the booking by the same UPDATE, so its
    history event records it with the confirmation.
    Raises NotFound, IllegalTransition (HOLD_EXPIRED when the deadline passed).
    """
    fields = (
        {"confirmation_override": override_reason[:2000]} if override_reason else {}
    )
    with transaction.atomic(durable=True):
        confirmed = Booking.objects.filter(
            pk=booking_id, status=BookingStatus.HELD, held_until__gt=Now()
        ).update(
            status=BookingStatus.CONFIRMED,
            confirmed_at=Now(),
            updated_at=Now(),
            **fields,
        )
        if confirmed:
            events.publish(booking_id, BookingEvent.CONFIRMED)
        booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such booking.")
    if confirmed or booking.status == BookingStatus.CONFIRMED:
        return booking
    if booking.status == BookingStatus.HELD:
        raise IllegalTransition(
            ErrorCode.HOLD_EXPIRED,
            "The hold on these rooms has expired.",
            held_until=booking.held_until,
        )
    ensure_transition(booking, BookingStatus.CONFIRMED)
    raise AssertionError("unreachable")


def booking_extend_hold(*, booking_id: int) -> Booking:
    """Move a live hold's deadline to now + the hold time, a limited number of times.

    Raises NotFound, IllegalTransition (HOLD_EXPIRED, HOLD_EXTENSION_LIMIT, not held).
    """
    with transaction.atomic(durable=True):
        extended = Booking.objects.filter(
            pk=booking_id,
            status=BookingStatus.HELD,
            held_until__gt=Now(),
            hold_extensions__lt=settings.BOOKING_HOLD_MAX_EXTENSIONS,
        ).update(
            held_until=Greatest(
                F("held_until"),
                Now() + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
            ),
            hold_extensions=F("hold_extensions") + 1,
            updated_at=Now(),
        )
        booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such booking.")
    if extended:
        return booking
    if booking.status != BookingStatus.HELD:
        raise IllegalTransition(
            ErrorCode.ILLEGAL_TRANSITION, "Only a held booking can be extended."
        )
    if booking.hold_extensions >= settings.BOOKING_HOLD_MAX_EXTENSIONS:
        raise IllegalTransition(
            ErrorCode.HOLD_EXTENSION_LIMIT, "This hold cannot be extended any further."
        )
    raise IllegalTransition(
        ErrorCode.HOLD_EXPIRED, "The hold on these rooms has expired."
    )


def booking_reinstate(*, booking_id: int) -> Booking:
    """Confirm a paid booking whose hold lapsed, taking its rooms again if still free.

    For the payments app only: a payment that succeeded after the hold's deadline. A hold
    past its deadline still counts its rooms, so it is confirmed in place; an expired
    booking takes every night again or none (capacity only: restrictions bound new sales,
    not a stay already paid for). Locks the booking row first, then its nights in date
    order, as every service does. Confirming a confirmed booking again is harmless.
    Raises NotFound, IllegalTransition (cancelled, no-show, ...), Unavailable (SOLD_OUT,
    or NOT_BOOKABLE when the stay has begun) or Busy.
    """
    with locking.busy_on_contention(), transaction.atomic(durable=True):
        now = locking.begin_locked_section()
        booking = lock_booking(booking_id)
        if booking.status in (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN):
            return booking
        if booking.status == BookingStatus.EXPIRED:
            if booking.check_in < now.astimezone(booking.hotel.tz).date():
                raise Unavailable(
                    ErrorCode.NOT_BOOKABLE, "This stay has already begun."
                )
            nights = StayRequest(booking.check_in, booking.check_out).nights
            rows, _ = locking.lock_nights(booking.room_type_id, nights)
            free = {
                night.isoformat(): rows[night].free if night in rows else 0
                for night in nights
            }
            if any(count < booking.rooms for count in free.values()):
                raise Unavailable(
                    ErrorCode.SOLD_OUT,
                    "The rooms of this booking have been sold since its hold lapsed.",
                    free=free,
                )
            locking.take(rows.values(), booking.rooms)
        elif booking.status != BookingStatus.HELD:
            ensure_transition(booking, BookingStatus.CONFIRMED)
        booking.status = BookingStatus.CONFIRMED
        booking.confirmed_at = now
        booking.save(update_fields=["status", "confirmed_at", "updated_at"])
        events.publish(booking.pk, BookingEvent.CONFIRMED, reinstated=True)
    return booking
