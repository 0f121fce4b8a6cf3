from datetime import timedelta

import pytest

from booking.events import BookingEvent
from booking.services import booking_cancel, booking_change, booking_confirm
from core.errors import DomainError

pytestmark = pytest.mark.django_db

received: list[tuple] = []


def record(booking_id, event, data):
    received.append((booking_id, event, data))


@pytest.fixture
def handlers(settings):
    settings.BOOKING_EVENT_HANDLERS = ["booking.tests.test_events.record"]
    received.clear()
    return received


def test_events_reach_handlers_only_after_commit(
    handlers, hold, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as pending:
        booking = hold()
    assert handlers == []  # nothing before the transaction commits
    for callback in pending:
        callback()
    assert handlers == [(booking.pk, BookingEvent.HELD, {})]


def test_each_state_change_publishes_its_event(
    handlers, hold, today, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = hold(offset=10, nights=2)
        booking_confirm(booking_id=booking.pk)
        booking_confirm(booking_id=booking.pk)  # a repeat publishes nothing
        booking_change(booking_id=booking.pk, check_out=today + timedelta(days=13))
        booking_cancel(booking_id=booking.pk)

    assert [event for _, event, _ in handlers] == [
        BookingEvent.HELD,
        BookingEvent.CONFIRMED,
        BookingEvent.CHANGED,
        BookingEvent.CANCELLED,
    ]
    assert handlers[2][2] == {"old_total": 200_000, "new_total": 300_000}
    assert handlers[3][2] == {"refund_amount": 300_000}


def test_a_refused_action_publishes_nothing(
    handlers, hold, django_capture_on_commit_callbacks
):
    booking = hold()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError),
    ):
        booking_change(booking_id=booking.pk, rooms=9, adults=9)
    assert callbacks == []
    assert handlers == []
