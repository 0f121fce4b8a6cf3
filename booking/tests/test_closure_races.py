"""Deactivation against holds, on real threads and connections: nothing is sold after
the deactivation commits, and every hold that got in before it is on its list."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from booking.models import Booking, BookingStatus, ClosureBooking
from booking.selectors import inventory_disagreements
from booking.services import hotel_deactivate
from core.errors import Busy, ErrorCode, Unavailable
from core.testing import run_together
from hotels.tests.factories import staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("races")]


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_for_waiters(count: int) -> None:
    deadline = time.monotonic() + 2
    while lock_waiters() < count:
        assert time.monotonic() < deadline, "the racers never waited on the lock"
        time.sleep(0.02)


class Thread(threading.Thread):
    """Run `work` on its own connection; keep what it returned or raised."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.value, self.error = work, None, None

    def run(self):
        try:
            self.value = self.work()
        except BaseException as error:
            self.error = error
        finally:
            connections.close_all()


@pytest.fixture
def nights_locked(room_type):
    """Hold every night of the room type in another transaction until released."""
    release = threading.Event()
    locked = threading.Event()

    def blocker():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM inventory_inventory WHERE room_type_id = %s"
                " ORDER BY date FOR UPDATE",
                [room_type.pk],
            )
            locked.set()
            release.wait(5)

    thread = Thread(blocker)
    thread.start()
    locked.wait(5)
    yield release
    release.set()
    thread.join(5)


def test_a_hold_waiting_behind_a_deactivation_is_refused(hotel, hold, nights_locked):
    manager = staff("manager", hotel, role="manager")
    deactivation = Thread(
        lambda: hotel_deactivate(hotel=hotel, by=manager, reason="Closing")
    )
    deactivation.start()
    wait_for_waiters(1)  # it holds the hotel row and waits for tonight's row
    # The hold reads the hotel as still active (the deactivation has not committed),
    # then queues for tonight's row behind the deactivation.
    holding = Thread(lambda: hold(offset=0, nights=2))
    holding.start()
    wait_for_waiters(2)

    nights_locked.set()
    deactivation.join(10)
    holding.join(10)

    assert deactivation.error is None
    assert isinstance(holding.error, Unavailable), holding.error
    assert holding.error.code == ErrorCode.HOTEL_CLOSED
    assert not Booking.objects.exists()
    assert not inventory_disagreements()


def test_a_hold_in_flight_at_deactivation_is_on_its_list(hotel, hold, nights_locked):
    manager = staff("manager", hotel, role="manager")
    holding = Thread(lambda: hold(offset=0, nights=2))
    holding.start()
    wait_for_waiters(1)  # it read the plan and waits for tonight's row
    deactivation = Thread(
        lambda: hotel_deactivate(hotel=hotel, by=manager, reason="Closing")
    )
    deactivation.start()
    wait_for_waiters(2)

    nights_locked.set()
    holding.join(10)
    deactivation.join(10)

    assert holding.error is None and deactivation.error is None
    booking = holding.value
    assert booking.status == BookingStatus.HELD
    listed = ClosureBooking.objects.filter(closure=deactivation.value.closure)
    assert [c.booking_id for c in listed] == [booking.pk]


def test_a_rush_of_holds_against_a_deactivation_sells_nothing_unlisted(
    hotel, room_type, rate_plan, hold
):
    manager = staff("manager", hotel, role="manager")
    room_type.inventory.update(rooms=50)

    def work(index):
        if index == 0:
            return hotel_deactivate(hotel=hotel, by=manager, reason="Closing")
        return hold(offset=index % 3, nights=2)

    outcomes = run_together(16, work)

    assert outcomes[0].error is None, outcomes[0].error
    closure = outcomes[0].value.closure
    for outcome in outcomes[1:]:
        if outcome.error is not None:
            assert isinstance(outcome.error, Unavailable | Busy), outcome.error
            if isinstance(outcome.error, Unavailable):
                assert outcome.error.code in (
                    ErrorCode.NOT_BOOKABLE,
                    ErrorCode.HOTEL_CLOSED,
                )
    live = set(
        Booking.objects.filter(hotel=hotel)
        .exclude(status=BookingStatus.CANCELLED)
        .values_list("pk", flat=True)
    )
    listed = set(
        ClosureBooking.objects.filter(closure=closure).values_list(
            "booking_id", flat=True
        )
    )
    assert live == listed
    assert live == {o.value.pk for o in outcomes[1:] if o.error is None}
    assert not inventory_disagreements()
    # After the deactivation committed, nothing more sells.
    with pytest.raises(Unavailable):
        hold(offset=1, nights=1)
