"""Races between real threads, each on its own PostgreSQL connection, started together."""

import threading
from datetime import timedelta

import psycopg.errors
import pytest
from django.db import connection, transaction

from booking.models import Booking, BookingStatus
from booking.selectors import inventory_disagreements
from booking.services import (
    GuestDetails,
    booking_change,
    booking_confirm,
    booking_hold,
    expire_overdue_holds,
)
from booking.tests.factories import make_overdue
from core.errors import Busy, ErrorCode, Unavailable
from core.testing import run_together
from hotels.tests.factories import HotelFactory, RoomTypeFactory, hotel_today
from inventory.models import Inventory
from inventory.rules import StayRequest
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("races")]


def small_hotel(rooms: int, overbooking_percent: int = 0, days: int = 30):
    hotel = HotelFactory(time_zone="America/New_York", currency="USD")
    today = hotel_today(hotel)
    room_type = RoomTypeFactory(
        hotel=hotel,
        room_count=rooms,
        overbooking_percent=overbooking_percent,
        max_occupancy=4,
    )
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=days))
    return room_type, RatePlanFactory(room_type=room_type), today


def guest(i: int) -> GuestDetails:
    return GuestDetails(name=f"Guest {i}", email=f"guest{i}@example.com")


def assert_within_capacity(room_type):
    over = [
        row
        for row in Inventory.objects.filter(room_type=room_type)
        if not 0 <= row.booked <= row.rooms + row.overbooking
    ]
    assert over == []


def test_last_room_goes_to_exactly_one_of_fifty_guests():
    room_type, plan, today = small_hotel(rooms=1)
    night = today + timedelta(days=5)
    stay = StayRequest(night, night + timedelta(days=1))

    outcomes = run_together(
        50,
        lambda i: booking_hold(
            rate_plan_id=plan.pk, stay=stay, guest=guest(i), source="site"
        ),
    )

    winners = [o.value for o in outcomes if o.error is None]
    losers = [o.error for o in outcomes if o.error is not None]
    assert len(winners) == 1
    assert len(losers) == 49
    assert all(
        isinstance(e, Unavailable) and e.code == ErrorCode.SOLD_OUT for e in losers
    ), {repr(e) for e in losers}
    assert Booking.objects.filter(room_type=room_type).count() == 1
    assert Inventory.objects.get(room_type=room_type, date=night).booked == 1
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_overbooking_allowance_holds_under_a_race():
    room_type, plan, today = small_hotel(rooms=10, overbooking_percent=10)
    night = today + timedelta(days=3)
    stay = StayRequest(night, night + timedelta(days=2))

    outcomes = run_together(
        30,
        lambda i: booking_hold(
            rate_plan_id=plan.pk, stay=stay, guest=guest(i), source="site"
        ),
    )

    assert sum(o.error is None for o in outcomes) == 11  # 10 rooms + 10%
    assert {o.error.code for o in outcomes if o.error} == {ErrorCode.SOLD_OUT}
    assert Inventory.objects.get(room_type=room_type, date=night).booked == 11
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_overlapping_stays_and_changes_in_opposite_directions_never_deadlock():
    # Rooms enough for every request (10 movers + 30 holds of 1-2 rooms = 55 a night at
    # most): whether a change or a hold wins a room is timing, the absence of deadlock
    # is the point, and a sold-out night would make "some change went through" luck.
    room_type, plan, today = small_hotel(rooms=60, days=20)
    start = today + timedelta(days=1)
    early = StayRequest(start, start + timedelta(days=4))
    late = StayRequest(start + timedelta(days=10), start + timedelta(days=14))
    movers = []
    for i in range(10):
        stay = early if i % 2 == 0 else late
        booking = booking_hold(
            rate_plan_id=plan.pk, stay=stay, guest=guest(i), source="site"
        )
        booking_confirm(booking_id=booking.pk)
        movers.append(booking)

    def work(i):
        if i < 10:  # move early stays late and late stays early, over the same rows
            booking = movers[i]
            target = late if booking.check_in == early.check_in else early
            return booking_change(
                booking_id=booking.pk,
                check_in=target.check_in,
                check_out=target.check_out,
            )
        offset = i % 7  # long stays overlapping both ranges, taking rows in both orders
        check_in = start + timedelta(days=offset)
        stay = StayRequest(
            check_in, check_in + timedelta(days=8), rooms=1 + i % 2, adults=2
        )
        return booking_hold(
            rate_plan_id=plan.pk, stay=stay, guest=guest(i), source="site"
        )

    outcomes = run_together(40, work)

    errors = [o.error for o in outcomes if o.error is not None]
    assert all(
        isinstance(e, Unavailable) and e.code == ErrorCode.SOLD_OUT for e in errors
    ), {repr(e) for e in errors}
    assert all(o.error is None for o in outcomes[:10]), "a change did not go through"
    assert all(o.error is None for o in outcomes[10:]), "a hold did not go through"
    assert_within_capacity(room_type)
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_two_workers_expiring_at_once_release_each_hold_once():
    room_type, plan, today = small_hotel(rooms=5)
    night = today + timedelta(days=2)
    stay = StayRequest(night, night + timedelta(days=3))
    holds = [
        booking_hold(rate_plan_id=plan.pk, stay=stay, guest=guest(i), source="site")
        for i in range(5)
    ]
    for booking in holds:
        make_overdue(booking)

    outcomes = run_together(4, lambda i: expire_overdue_holds())

    assert [o.error for o in outcomes] == [None] * 4
    assert sum(o.value for o in outcomes) == 5
    assert Booking.objects.filter(status=BookingStatus.EXPIRED).count() == 5
    assert Inventory.objects.get(room_type=room_type, date=night).booked == 0
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []


def test_twenty_requests_with_one_idempotency_key_make_one_booking():
    room_type, plan, today = small_hotel(rooms=30)
    night = today + timedelta(days=4)
    stay = StayRequest(night, night + timedelta(days=1))

    outcomes = run_together(
        20,
        lambda i: booking_hold(
            rate_plan_id=plan.pk,
            stay=stay,
            guest=guest(0),
            source="partner",
            idempotency_scope="partner:7",
            idempotency_key="same-key",
        ),
    )

    assert [o.error for o in outcomes] == [None] * 20
    assert len({o.value.pk for o in outcomes}) == 1
    assert Booking.objects.count() == 1
    assert Inventory.objects.get(room_type=room_type, date=night).booked == 1


def test_a_lock_wait_is_bounded_and_answers_busy(settings):
    settings.INVENTORY_LOCK_TIMEOUT_MS = 200
    room_type, plan, today = small_hotel(rooms=5)
    night = today + timedelta(days=2)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row_lock():
        try:
            with transaction.atomic():
                Inventory.objects.select_for_update().get(
                    room_type=room_type, date=night
                )
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    blocker = threading.Thread(target=hold_the_row_lock)
    blocker.start()
    try:
        assert locked.wait(10)
        with pytest.raises(Busy) as busy:
            booking_hold(
                rate_plan_id=plan.pk,
                stay=StayRequest(night, night + timedelta(days=1)),
                guest=guest(1),
                source="site",
            )
    finally:
        release.set()
        blocker.join()

    assert busy.value.code == ErrorCode.BUSY
    assert busy.value.retryable
    assert isinstance(busy.value.__cause__.__cause__, psycopg.errors.LockNotAvailable)
    assert Booking.objects.count() == 0
    assert Inventory.objects.get(room_type=room_type, date=night).booked == 0


def test_a_hold_locks_its_nights_before_it_writes_them(settings):
    """Saleor's assert_locks_rows_before_write, done by PostgreSQL itself.

    A second session takes a SHARE lock on booking_booking, so the hold's write (one
    statement that takes the nights and inserts the booking) waits at its start, before
    it changes any row. While it waits, its nights must already be locked: a
    `FOR UPDATE NOWAIT` on them fails. Without the hold's row lock it would succeed,
    on every run, not only when a race happens to interleave badly.
    """
    settings.INVENTORY_LOCK_TIMEOUT_MS = 30_000  # the write waits for the test
    room_type, plan, today = small_hotel(rooms=1)
    night = today + timedelta(days=5)
    stay = StayRequest(night, night + timedelta(days=2))
    rows = list(
        Inventory.objects.filter(
            room_type=room_type, date__in=[night, night + timedelta(days=1)]
        ).values_list("pk", flat=True)
    )
    params = connection.get_connection_params()
    outcome = {}

    def hold():
        try:
            outcome["booking"] = booking_hold(
                rate_plan_id=plan.pk, stay=stay, guest=guest(0), source="site"
            )
        except BaseException as error:
            outcome["error"] = error
        finally:
            connection.close()

    with psycopg.connect(**params) as blocker, psycopg.connect(**params) as probe:
        blocker.execute("LOCK TABLE booking_booking IN SHARE MODE")
        writer = threading.Thread(target=hold)
        writer.start()
        waiting = False
        for _ in range(200):  # until the hold's write waits on the table lock
            waiting = probe.execute(
                """
                SELECT count(*) FROM pg_locks
                WHERE relation = 'booking_booking'::regclass AND NOT granted
                """
            ).fetchone()[0]
            probe.rollback()
            if waiting:
                break
            threading.Event().wait(0.05)
        assert waiting, "the hold never reached its write"
        booked = probe.execute(
            "SELECT booked FROM inventory_inventory WHERE id = ANY(%s)", [rows]
        ).fetchall()
        with pytest.raises(psycopg.errors.LockNotAvailable):
            probe.execute(
                "SELECT id FROM inventory_inventory WHERE id = ANY(%s) "
                "FOR UPDATE NOWAIT",
                [rows],
            )
        probe.rollback()
        blocker.rollback()  # the write goes on
        writer.join(60)

    assert booked == [(0,), (0,)]  # the nights were locked, not yet written
    assert "error" not in outcome, outcome
    assert Inventory.objects.filter(pk__in=rows, booked=1).count() == 2
    assert inventory_disagreements(room_type_ids=[room_type.pk]) == []
