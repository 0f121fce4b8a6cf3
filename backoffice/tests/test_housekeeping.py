from datetime import timedelta

import pytest
from django.urls import reverse

from booking.services import booking_confirm
from hotels.models import Room
from hotels.tests.factories import staff
from inventory.housekeeping import room_set_housekeeping
from inventory.models import Inventory

pytestmark = pytest.mark.django_db


def board_url(hotel):
    return reverse("admin:hotels_hotel_housekeeping", args=[hotel.pk])


def rooms_to_sell(room_type, start, nights):
    return [
        Inventory.objects.get(room_type=room_type, date=start + timedelta(days=i)).rooms
        for i in range(nights)
    ]


def test_board_shows_rooms_by_status_and_changes_one_in_one_click(
    owner_client, hotel, rooms
):
    Room.objects.filter(pk=rooms[1].pk).update(housekeeping_status="dirty")

    response = owner_client.get(board_url(hotel))

    assert response.status_code == 200
    columns = {
        status: [r.number for r in rs] for status, _, rs in response.context["columns"]
    }
    assert columns == {
        "clean": ["101", "103"],
        "dirty": ["102"],
        "inspected": [],
        "out_of_order": [],
    }
    assert 'id="room-102"' in response.content.decode()

    response = owner_client.post(
        board_url(hotel), {"room": rooms[1].pk, "status": "inspected"}, follow=True
    )

    assert Room.objects.get(pk=rooms[1].pk).housekeeping_status == "inspected"
    assert "Room 102 is now inspected." in [
        str(m) for m in response.context["messages"]
    ]


def test_out_of_order_takes_a_room_off_sale_and_back_in_order_returns_it(
    owner_client, hotel, room_type, rooms, today
):
    until = today + timedelta(days=2)

    owner_client.post(
        board_url(hotel),
        {"room": rooms[0].pk, "status": "out_of_order", "until": until.isoformat()},
    )

    room = Room.objects.get(pk=rooms[0].pk)
    assert room.housekeeping_status == "out_of_order"
    assert rooms_to_sell(room_type, today, 4) == [2, 2, 2, 3]
    assert room.out_of_order_nights == [today + timedelta(days=i) for i in range(3)]

    owner_client.post(board_url(hotel), {"room": rooms[0].pk, "status": "dirty"})

    assert rooms_to_sell(room_type, today, 4) == [3, 3, 3, 3]
    assert Room.objects.get(pk=rooms[0].pk).out_of_order_nights == []


def test_out_of_order_never_goes_below_booked_and_says_which_nights_are_short(
    owner_client, hotel, room_type, rooms, hold, today
):
    full = hold(offset=1, nights=1, rooms=3, adults=3)
    booking_confirm(booking_id=full.pk)

    response = owner_client.post(
        board_url(hotel),
        {
            "room": rooms[2].pk,
            "status": "out_of_order",
            "until": (today + timedelta(days=2)).isoformat(),
        },
        follow=True,
    )

    assert rooms_to_sell(room_type, today, 3) == [2, 3, 2]
    text = [str(m) for m in response.context["messages"]]
    assert any(
        f"is booked on {full.check_in:%d %b}" in t and "a guest needs another room" in t
        for t in text
    )
    room = Room.objects.get(pk=rooms[2].pk)
    assert full.check_in not in room.out_of_order_nights

    room_set_housekeeping(room_id=room.pk, status="clean")

    assert rooms_to_sell(room_type, today, 3) == [3, 3, 3]


def test_out_of_order_needs_a_last_night_from_today(owner_client, hotel, rooms, today):
    response = owner_client.post(
        board_url(hotel),
        {
            "room": rooms[0].pk,
            "status": "out_of_order",
            "until": (today - timedelta(days=1)).isoformat(),
        },
        follow=True,
    )

    assert Room.objects.get(pk=rooms[0].pk).housekeeping_status == "clean"
    assert any("until which night" in str(m) for m in response.context["messages"])


def test_front_desk_can_change_housekeeping(client, hotel, rooms):
    client.force_login(staff("desk", hotel, role="front_desk"))

    client.post(board_url(hotel), {"room": rooms[0].pk, "status": "dirty"})

    assert Room.objects.get(pk=rooms[0].pk).housekeeping_status == "dirty"
