from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from booking import events
from booking.events import BookingEvent
from booking.models import Booking, BookingStatus
from booking.services import booking_cancel, booking_change, booking_confirm
from core import outbox
from core.errors import DomainError
from core.models import OutboxEvent

pytestmark = pytest.mark.django_db

received: list[tuple] = []


def record(booking_id, event, data):
    received.append((booking_id, event, data, events.current_event_id()))


@pytest.fixture
def handlers(settings):
    settings.BOOKING_EVENT_HANDLERS = ["booking.tests.test_events.record"]
    received.clear()
    return received


def test_the_held_event_is_written_by_the_bookings_own_insert(handlers, hold):
    with CaptureQueriesContext(connection) as queries:
        booking = hold()

    [insert] = [q["sql"] for q in queries if "INSERT INTO" in q["sql"]]
    assert "INSERT INTO booking_booking" in insert
    assert "INSERT INTO core_outboxevent" in insert
    [event] = OutboxEvent.objects.all()
    assert (event.topic, event.aggregate_id, event.event_type, event.data) == (
        "booking",
        booking.pk,
        BookingEvent.HELD,
        {"source": "site"},  # where it came from: a partner's guest is not e-mailed
    )
    assert event.published_at is None
    assert handlers == []  # nothing reaches a handler before the relay


def test_each_state_change_writes_its_event_and_the_relay_hands_each_on_once(
    handlers, hold, today
):
    booking = hold(offset=10, nights=2)
    booking_confirm(booking_id=booking.pk)
    booking_confirm(booking_id=booking.pk)  # a repeat writes nothing
    booking_change(booking_id=booking.pk, check_out=today + timedelta(days=13))
    booking_cancel(booking_id=booking.pk)

    assert outbox.drain() == 4
    assert outbox.drain() == 0  # published rows are not published again

    # In the test's one transaction every row has the same now(): no order to assert.
    by_event = {event: (data, event_id) for _, event, data, event_id in handlers}
    assert len(handlers) == len(by_event) == 4
    assert by_event[BookingEvent.CHANGED][0] == {
        "old_total": 200_000,
        "new_total": 300_000,
        "change_id": booking.changes.get().pk,  # the BookingChange it wrote
    }
    assert by_event[BookingEvent.CANCELLED][0] == {"refund_amount": 300_000}
    assert {BookingEvent.HELD, BookingEvent.CONFIRMED} <= by_event.keys()
    rows = OutboxEvent.objects.all()
    assert {event_id for _, event_id in by_event.values()} == {str(r.pk) for r in rows}
    assert all(row.published_at is not None for row in rows)


def test_an_event_rolls_back_with_its_booking(handlers, hold):
    booking = hold()
    OutboxEvent.objects.all().delete()

    with pytest.raises(ZeroDivisionError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CONFIRMED)
        events.publish(booking.pk, BookingEvent.CONFIRMED)
        1 / 0  # the booking's transaction fails after its event

    assert not OutboxEvent.objects.exists()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD


def test_a_refused_action_writes_no_event(handlers, hold):
    booking = hold()
    with pytest.raises(DomainError):
        booking_change(booking_id=booking.pk, rooms=9, adults=9)

    assert list(OutboxEvent.objects.values_list("event_type", flat=True)) == [
        BookingEvent.HELD
    ]


@pytest.mark.django_db(transaction=True)
def test_an_event_cannot_be_published_outside_a_transaction():
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        events.publish(1, BookingEvent.CONFIRMED)
    assert not OutboxEvent.objects.exists()
