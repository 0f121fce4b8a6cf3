"""A hotel's life: deactivation stops sales at once, closures take nights off sale and
give back the hotel's own stop-sell, and only the hotel's own staff may do either."""

from datetime import timedelta

import pytest

from booking.models import BookingStatus, ClosureBooking
from booking.services import (
    booking_cancel,
    booking_confirm,
    hotel_closure_create,
    hotel_closure_lift,
    hotel_deactivate,
)
from core.errors import ErrorCode, NotFound, Unavailable
from core.errors import ValidationError as DomainValidationError
from core.models import OutboxEvent
from hotels.models import Hotel, HotelClosure
from hotels.tests.factories import HotelFactory, staff
from inventory.models import Inventory
from inventory.services import inventory_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(hotel):
    return staff("manager", hotel, role="manager")


def nights(room_type, first, last):
    return Inventory.objects.filter(
        room_type=room_type, date__gte=first, date__lte=last
    ).order_by("date")


def test_deactivation_refuses_the_next_hold_at_once(hold, hotel, manager, today):
    hold(offset=3)

    hotel_deactivate(hotel=hotel, by=manager, reason="The owners retire.")

    with pytest.raises(Unavailable) as refused:
        hold(offset=5)
    assert refused.value.code == ErrorCode.NOT_BOOKABLE
    hotel.refresh_from_db()
    assert hotel.status == Hotel.Status.INACTIVE
    assert not Inventory.objects.filter(
        room_type__hotel=hotel, date__gte=today, closed=False
    ).exists()


def test_closed_nights_refuse_a_hold_under_the_lock_even_on_an_active_hotel(
    hold, hotel, manager, today
):
    # The hold's plan read says "active" (a closure keeps the hotel active): only the
    # nights it locks can refuse it, as they do for a hold in flight at deactivation.
    hotel_closure_create(
        hotel=hotel,
        by=manager,
        start=today + timedelta(days=4),
        end=today + timedelta(days=6),
        reason="Renovation",
    )

    with pytest.raises(Unavailable) as refused:
        hold(offset=5, nights=3)
    assert refused.value.code == ErrorCode.HOTEL_CLOSED
    assert refused.value.params["nights"] == [
        str(today + timedelta(days=5)),
        str(today + timedelta(days=6)),
    ]
    assert hold(offset=7, nights=2).status == BookingStatus.HELD  # after the closure


def test_deactivation_lists_and_announces_every_live_future_stay_once(
    hold, hotel, manager
):
    confirmed = booking_confirm(booking_id=hold(offset=3).pk)
    held = hold(offset=8)
    cancelled = hold(offset=12)
    booking_cancel(booking_id=cancelled.pk)

    result = hotel_deactivate(hotel=hotel, by=manager, reason="Closing down")
    again = hotel_deactivate(hotel=hotel, by=manager, reason="Closing down")

    assert result.affected == 2
    assert again.closure == result.closure and again.affected == 0
    listed = ClosureBooking.objects.filter(closure=result.closure)
    assert {(c.booking_id, c.status_then) for c in listed} == {
        (confirmed.pk, BookingStatus.CONFIRMED),
        (held.pk, BookingStatus.HELD),
    }
    announced = OutboxEvent.objects.filter(event_type="hotel.deactivated")
    assert sorted(e.aggregate_id for e in announced) == sorted([confirmed.pk, held.pk])
    assert {e.data["closure_id"] for e in announced} == {result.closure.pk}


def test_closure_and_lift_keep_the_hotels_own_stop_sell(
    hold, hotel, room_type, manager, today
):
    first, last = today + timedelta(days=20), today + timedelta(days=24)
    own_stop = today + timedelta(days=22)
    Inventory.objects.filter(room_type=room_type, date=own_stop).update(stop_sell=True)
    outside_stop = today + timedelta(days=30)
    Inventory.objects.filter(room_type=room_type, date=outside_stop).update(
        stop_sell=True
    )

    closure = hotel_closure_create(
        hotel=hotel, by=manager, start=first, end=last, reason="New bathrooms"
    ).closure
    assert [n.closed for n in nights(room_type, first, last)] == [True] * 5
    hotel_closure_lift(closure_id=closure.pk, by=manager)

    rows = nights(room_type, first - timedelta(days=1), last + timedelta(days=1))
    assert not any(n.closed for n in rows)
    assert [n.date for n in rows if n.stop_sell] == [own_stop]
    assert Inventory.objects.get(room_type=room_type, date=outside_stop).stop_sell
    assert hold(offset=20, nights=2).status == BookingStatus.HELD


def test_lifting_one_of_two_overlapping_closures_keeps_the_other_closed(
    hotel, room_type, manager, today
):
    def day(offset):
        return today + timedelta(days=offset)

    a = hotel_closure_create(
        hotel=hotel, by=manager, start=day(10), end=day(14), reason="Roof"
    ).closure
    hotel_closure_create(
        hotel=hotel, by=manager, start=day(13), end=day(16), reason="Lifts"
    )

    hotel_closure_lift(closure_id=a.pk, by=manager)

    closed = [n.date for n in nights(room_type, day(9), day(17)) if n.closed]
    assert closed == [day(13), day(14), day(15), day(16)]


def test_a_manager_of_another_hotel_cannot_deactivate_or_close(hotel, today):
    other = staff("other-manager", HotelFactory(), role="manager")
    front_desk = staff("desk", hotel, role="front_desk")
    stranger = staff("stranger")

    for user in (other, front_desk, stranger):
        with pytest.raises(NotFound):
            hotel_deactivate(hotel=hotel, by=user, reason="Not mine")
        with pytest.raises(NotFound):
            hotel_closure_create(
                hotel=hotel,
                by=user,
                start=today + timedelta(days=1),
                end=today + timedelta(days=2),
                reason="Not mine",
            )

    hotel.refresh_from_db()
    assert hotel.status == Hotel.Status.ACTIVE
    assert not HotelClosure.objects.exists()
    assert not Inventory.objects.filter(closed=True).exists()


def test_another_hotels_manager_cannot_lift_a_closure(hotel, manager, today):
    closure = hotel_closure_create(
        hotel=hotel,
        by=manager,
        start=today + timedelta(days=1),
        end=today + timedelta(days=2),
        reason="Works",
    ).closure
    other = staff("other-manager", HotelFactory(), role="manager")

    with pytest.raises(NotFound):
        hotel_closure_lift(closure_id=closure.pk, by=other)

    closure.refresh_from_db()
    assert closure.lifted_at is None


@pytest.mark.parametrize(
    ("start", "end", "reason", "message"),
    [
        (5, 3, "Works", "cannot be before the first"),
        (-1, 3, "Works", "Nights before today"),
        (2, 3, "   ", "Give a reason"),
        (2, 900, "Works", "deactivate the hotel instead"),
    ],
)
def test_bad_closure_input_is_refused_and_changes_nothing(
    hotel, manager, today, start, end, reason, message
):
    with pytest.raises(DomainValidationError) as refused:
        hotel_closure_create(
            hotel=hotel,
            by=manager,
            start=today + timedelta(days=start),
            end=today + timedelta(days=end),
            reason=reason,
        )

    assert message in refused.value.message
    assert not HotelClosure.objects.exists()
    assert not Inventory.objects.filter(closed=True).exists()


def test_a_night_opened_inside_a_closure_is_born_closed(
    hotel, room_type, manager, today
):
    last_open = today + timedelta(days=119)
    hotel_closure_create(
        hotel=hotel,
        by=manager,
        start=last_open,
        end=last_open + timedelta(days=5),
        reason="Winter",
    )

    inventory_open(
        room_type=room_type, start=last_open, end=last_open + timedelta(days=10)
    )

    closed = [
        n.date
        for n in nights(room_type, last_open, last_open + timedelta(days=9))
        if n.closed
    ]
    assert closed == [last_open + timedelta(days=i) for i in range(6)]
