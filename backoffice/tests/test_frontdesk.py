from datetime import timedelta

import pytest
from django.urls import reverse

from backoffice.tests.world import build_hotel
from booking.models import Booking, BookingStatus, RoomAssignment
from booking.services import GuestDetails, booking_check_in, booking_confirm
from core import dates
from core.errors import ErrorCode, Unavailable
from core.testing import run_together
from hotels.models import Room
from payments.models import Payment
from payments.tests.factories import pay

pytestmark = pytest.mark.django_db


def desk_url(hotel):
    return reverse("admin:hotels_hotel_frontdesk", args=[hotel.pk])


def arrival(hold, **kwargs):
    booking = hold(offset=0, **kwargs)
    return booking_confirm(booking_id=booking.pk)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_front_desk_lists_todays_arrivals_with_rooms_suggested_by_request_and_status(
    owner_client, hotel, hold, rooms, today
):
    Room.objects.filter(pk=rooms[2].pk).update(housekeeping_status="inspected")
    Room.objects.filter(pk=rooms[0].pk).update(housekeeping_status="dirty")
    plain = arrival(hold, nights=2)
    picky = arrival(
        hold,
        nights=1,
        guest=GuestDetails(
            name="Quiet Quentin",
            email="q@example.com",
            special_requests="A quiet room, please",
        ),
    )
    later = hold(offset=3)
    booking_confirm(booking_id=later.pk)

    response = owner_client.get(desk_url(hotel))

    assert response.status_code == 200
    arrivals = {b.pk: b for b in response.context["arrivals"]}
    assert set(arrivals) == {plain.pk, picky.pk}
    # The quiet request wins over housekeeping status; then inspected, clean, dirty.
    assert [r.number for r in arrivals[picky.pk].room_choices] == ["101", "103", "102"]
    assert [r.number for r in arrivals[plain.pk].room_choices] == ["103", "102", "101"]
    assert arrivals[plain.pk].suggested == {rooms[2].pk}
    html = response.content.decode()
    assert "Quiet Quentin" in html and "A quiet room, please" in html
    assert later.reference not in html
    assert (
        dates.format_date(today, "en", "full") in html
    )  # "Thursday, December 3, 2026"


def test_check_in_through_the_front_desk_assigns_rooms_and_refuses_a_taken_one(
    owner_client, hotel, hold, rooms
):
    first, second = arrival(hold, nights=2), arrival(hold, nights=1)

    response = owner_client.post(
        desk_url(hotel),
        {"booking": first.pk, "action": "check_in", "room_ids": [rooms[0].pk]},
        follow=True,
    )
    assert f"{first.reference} checked in to room 101." in messages_of(response)

    response = owner_client.post(
        desk_url(hotel),
        {"booking": second.pk, "action": "check_in", "room_ids": [rooms[0].pk]},
        follow=True,
    )
    assert "One of these rooms is already assigned to another stay." in messages_of(
        response
    )
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.CONFIRMED
    assert RoomAssignment.objects.filter(room=rooms[0]).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_two_clerks_checking_two_guests_into_one_room_at_once_assign_it_once(
    hold, rooms
):
    guests = [arrival(hold, nights=2) for _ in range(2)]

    outcomes = run_together(
        2,
        lambda i: booking_check_in(booking_id=guests[i].pk, room_ids=[rooms[1].pk]),
    )

    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1
    assert isinstance(errors[0], Unavailable)
    assert errors[0].code == ErrorCode.ROOM_TAKEN
    assert RoomAssignment.objects.filter(room=rooms[1]).count() == 1
    statuses = sorted(
        Booking.objects.filter(pk__in=[g.pk for g in guests]).values_list(
            "status", flat=True
        )
    )
    assert statuses == [BookingStatus.CHECKED_IN, BookingStatus.CONFIRMED]


def test_check_out_no_show_and_cancel_from_the_front_desk(
    owner_client, hotel, hold, rooms, today
):
    staying = arrival(hold, nights=1)
    booking_check_in(booking_id=staying.pk, room_ids=[rooms[0].pk])
    Booking.objects.filter(pk=staying.pk).update(
        check_in=today - timedelta(days=1), check_out=today
    )
    absent, cancelling = arrival(hold, nights=1), arrival(hold, nights=1)

    response = owner_client.get(desk_url(hotel))
    assert [b.pk for b in response.context["departures"]] == [staying.pk]

    owner_client.post(desk_url(hotel), {"booking": staying.pk, "action": "check_out"})
    owner_client.post(desk_url(hotel), {"booking": absent.pk, "action": "no_show"})
    response = owner_client.post(
        desk_url(hotel),
        {"booking": cancelling.pk, "action": "cancel", "reason": "Flight cancelled"},
        follow=True,
    )

    assert Booking.objects.get(pk=staying.pk).status == BookingStatus.CHECKED_OUT
    assert Room.objects.get(pk=rooms[0].pk).housekeeping_status == "dirty"
    assert Booking.objects.get(pk=absent.pk).status == BookingStatus.NO_SHOW
    cancelled = Booking.objects.get(pk=cancelling.pk)
    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.cancellation_reason == "Flight cancelled"
    assert (
        f"{cancelling.reference} cancelled; nothing was paid online, so nothing is "
        "refunded." in messages_of(response)
    )


def test_move_from_the_front_desk(owner_client, hotel, hold, rooms):
    guest = arrival(hold, nights=2)
    booking_check_in(booking_id=guest.pk, room_ids=[rooms[0].pk])

    page = owner_client.get(desk_url(hotel))
    in_house = page.context["in_house"]
    assert [r.number for r in in_house[0].move_choices] == ["102", "103"]
    response = owner_client.post(
        desk_url(hotel),
        {
            "booking": guest.pk,
            "action": "move",
            "from_room": rooms[0].pk,
            "to_room": rooms[2].pk,
        },
        follow=True,
    )

    assert f"{guest.reference} moved to room 103." in messages_of(response)
    assert list(
        RoomAssignment.objects.filter(booking=guest).values_list("room_id", flat=True)
    ) == [rooms[2].pk]


def test_a_booking_of_another_hotel_is_not_found_at_this_desk(
    owner_client, hotel, rooms
):
    other = build_hotel("Elsewhere").objects["booking"]

    response = owner_client.post(
        desk_url(hotel), {"booking": other.pk, "action": "cancel"}
    )

    assert response.status_code == 404
    assert Booking.objects.get(pk=other.pk).status == BookingStatus.CONFIRMED


def test_a_no_show_marked_at_the_desk_is_charged_its_first_night_on_the_kept_card(
    owner_client,
    hotel,
    hold,
    pay_at_hotel_plan,
    no_show_fees,
    relayed,
    django_capture_on_commit_callbacks,
):
    booking = hold(offset=0, nights=3, rate_plan_id=pay_at_hotel_plan.pk)
    pay(booking)  # the test gateway keeps the card; nothing is charged yet
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True), relayed():
        response = owner_client.post(
            desk_url(hotel), {"booking": booking.pk, "action": "no_show"}, follow=True
        )

    assert any(
        "The first night is charged to the card kept as guarantee" in text
        for text in messages_of(response)
    )
    fee = Payment.objects.get(booking=booking, kind=Payment.Kind.NO_SHOW_FEE)
    assert (fee.amount, fee.status) == (booking.nightly_prices[0], "succeeded")
