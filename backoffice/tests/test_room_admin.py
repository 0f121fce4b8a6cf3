"""The Room admin and the room type's room inline write housekeeping through its service.

Out of order takes a room to sell off each night and back in order gives it back
(inventory.housekeeping); a page that wrote the status by itself left the room on sale,
or its nights off sale for good.
"""

import threading
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connections, transaction

from backoffice.tests.world import form_data, url
from hotels.models import Room, RoomType
from hotels.tests.factories import RoomTypeFactory, staff
from inventory.housekeeping import room_set_housekeeping
from inventory.models import Inventory
from inventory.services import inventory_open

pytestmark = pytest.mark.django_db


def rooms_to_sell(room_type, start, nights):
    return [
        Inventory.objects.get(room_type=room_type, date=start + timedelta(days=i)).rooms
        for i in range(nights)
    ]


def room_page(client, room):
    return form_data(client.get(url(Room, "change", room.pk)))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_out_of_order_on_the_room_page_takes_the_room_off_sale(
    owner_client, room_type, rooms, today
):
    until = today + timedelta(days=2)
    data = {
        **room_page(owner_client, rooms[0]),
        "housekeeping_status": "out_of_order",
        "out_of_order_until": until.isoformat(),
    }

    response = owner_client.post(url(Room, "change", rooms[0].pk), data)

    assert response.status_code == 302
    room = Room.objects.get(pk=rooms[0].pk)
    assert (room.housekeeping_status, room.out_of_order_until) == (
        "out_of_order",
        until,
    )
    assert room.out_of_order_nights == [today + timedelta(days=i) for i in range(3)]
    assert rooms_to_sell(room_type, today, 4) == [2, 2, 2, 3]


def test_back_in_order_on_the_room_page_gives_its_nights_back(
    owner_client, room_type, rooms, today
):
    room_set_housekeeping(
        room_id=rooms[0].pk,
        status="out_of_order",
        out_of_order_until=today + timedelta(days=2),
    )
    data = {
        **room_page(owner_client, rooms[0]),
        "housekeeping_status": "dirty",
        "out_of_order_until": "",
    }

    response = owner_client.post(url(Room, "change", rooms[0].pk), data)

    assert response.status_code == 302
    room = Room.objects.get(pk=rooms[0].pk)
    assert (room.housekeeping_status, room.out_of_order_nights) == ("dirty", [])
    assert rooms_to_sell(room_type, today, 4) == [3, 3, 3, 3]


def test_the_nights_a_room_took_off_sale_are_not_a_form_field(
    owner_client, room_type, rooms, today
):
    room_set_housekeeping(
        room_id=rooms[0].pk,
        status="out_of_order",
        out_of_order_until=today + timedelta(days=1),
    )
    page = owner_client.get(url(Room, "change", rooms[0].pk))
    forged = {**form_data(page), "out_of_order_nights": "2030-01-01", "number": "101A"}

    owner_client.post(url(Room, "change", rooms[0].pk), forged)

    assert "out_of_order_nights" not in page.context["adminform"].form.fields
    room = Room.objects.get(pk=rooms[0].pk)
    assert room.number == "101A"
    assert room.out_of_order_nights == [today, today + timedelta(days=1)]
    assert rooms_to_sell(room_type, today, 3) == [2, 2, 3]


def test_a_last_night_before_today_is_a_form_error_and_changes_nothing(
    owner_client, room_type, rooms, today
):
    data = {
        **room_page(owner_client, rooms[0]),
        "housekeeping_status": "out_of_order",
        "out_of_order_until": (today - timedelta(days=1)).isoformat(),
        "floor": "7",
    }

    response = owner_client.post(url(Room, "change", rooms[0].pk), data)

    assert response.status_code == 200
    assert "until which night" in str(response.context["adminform"].form.errors)
    room = Room.objects.get(pk=rooms[0].pk)
    assert (room.housekeeping_status, room.floor) == ("clean", 1)
    assert rooms_to_sell(room_type, today, 2) == [3, 3]


def test_a_room_added_out_of_order_is_off_sale_from_the_start(
    owner_client, hotel, room_type, today
):
    page = owner_client.get(url(Room, "add"))
    data = {
        **form_data(page),
        "room_type": room_type.pk,
        "number": "104",
        "floor": "1",
        "housekeeping_status": "out_of_order",
        "out_of_order_until": today.isoformat(),
    }

    response = owner_client.post(url(Room, "add"), data)

    assert response.status_code == 302
    room = Room.objects.get(number="104")
    assert (room.hotel_id, room.out_of_order_nights) == (hotel.pk, [today])
    assert rooms_to_sell(room_type, today, 2) == [2, 3]


def test_an_out_of_order_room_cannot_move_to_another_room_type(
    owner_client, hotel, room_type, rooms, today
):
    other = RoomTypeFactory(hotel=hotel, room_count=2)
    inventory_open(room_type=other, start=today, end=today + timedelta(days=10))
    room_set_housekeeping(
        room_id=rooms[0].pk, status="out_of_order", out_of_order_until=today
    )
    data = {**room_page(owner_client, rooms[0]), "room_type": other.pk}

    response = owner_client.post(url(Room, "change", rooms[0].pk), data)

    assert response.status_code == 200
    assert "back in order before" in str(response.context["adminform"].form.errors)
    assert Room.objects.get(pk=rooms[0].pk).room_type_id == room_type.pk
    assert rooms_to_sell(room_type, today, 1) == [2]
    assert rooms_to_sell(other, today, 1) == [2]


def test_deleting_an_out_of_order_room_gives_its_nights_back(
    owner_client, room_type, rooms, today
):
    room_set_housekeeping(
        room_id=rooms[0].pk,
        status="out_of_order",
        out_of_order_until=today + timedelta(days=1),
    )

    response = owner_client.post(url(Room, "delete", rooms[0].pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Room.objects.filter(pk=rooms[0].pk).exists()
    assert rooms_to_sell(room_type, today, 3) == [3, 3, 3]


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_elsewhere_is_a_readable_refusal_and_changes_nothing(
    owner_client, room_type, rooms, today, settings
):
    settings.INVENTORY_LOCK_TIMEOUT_MS = 200
    data = {
        **room_page(owner_client, rooms[0]),
        "number": "101A",
        "housekeeping_status": "out_of_order",
        "out_of_order_until": today.isoformat(),
    }
    locked, release = threading.Event(), threading.Event()

    def hold_tonight():  # a guest's booking holding tonight's row lock
        try:
            with transaction.atomic():
                Inventory.objects.select_for_update().get(
                    room_type=room_type, date=today
                )
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    other = threading.Thread(target=hold_tonight)
    other.start()
    assert locked.wait(10)
    try:
        response = owner_client.post(
            url(Room, "change", rooms[0].pk), data, follow=True
        )
    finally:
        release.set()
        other.join()

    assert any("try again" in text for text in messages_of(response))
    assert not any("successfully" in text for text in messages_of(response))
    room = Room.objects.get(pk=rooms[0].pk)
    assert (room.number, room.housekeeping_status) == ("101", "clean")
    assert rooms_to_sell(room_type, today, 1) == [3]
    assert not LogEntry.objects.exists()


def test_the_front_desk_changes_a_rooms_status_and_nothing_else(
    client, hotel, room_type, rooms, today
):
    client.force_login(staff("desk", hotel, role="front_desk"))
    page = client.get(url(Room, "change", rooms[0].pk))
    fields = set(page.context["adminform"].form.fields)
    forged = {
        **form_data(page),
        "number": "999",
        "housekeeping_status": "out_of_order",
        "out_of_order_until": today.isoformat(),
    }

    response = client.post(url(Room, "change", rooms[0].pk), forged)

    assert fields == {"housekeeping_status", "out_of_order_until"}
    assert response.status_code == 302
    room = Room.objects.get(pk=rooms[0].pk)
    assert (room.number, room.housekeeping_status) == ("101", "out_of_order")
    assert rooms_to_sell(room_type, today, 1) == [2]


def inline_post(client, room_type, **changes):
    """The room type's page as shown, with `changes` made to the room inline's rows."""
    page = client.get(url(RoomType, "change", room_type.pk))
    data = form_data(page)
    forms = page.context["inline_admin_formsets"][0].formset.initial_forms
    for index, form in enumerate(forms):
        for name, value in changes.get(form.instance.number, {}).items():
            data[f"rooms-{index}-{name}"] = value
    return data


def test_the_room_inline_takes_a_room_out_of_order_through_the_service(
    owner_client, room_type, rooms, today
):
    until = today + timedelta(days=1)
    data = inline_post(
        owner_client,
        room_type,
        **{
            "102": {
                "housekeeping_status": "out_of_order",
                "out_of_order_until": until.isoformat(),
            }
        },
    )

    response = owner_client.post(url(RoomType, "change", room_type.pk), data)

    assert response.status_code == 302
    room = Room.objects.get(pk=rooms[1].pk)
    assert room.out_of_order_nights == [today, until]
    assert rooms_to_sell(room_type, today, 3) == [2, 2, 3]


def test_the_room_inline_puts_a_room_back_in_order_through_the_service(
    owner_client, room_type, rooms, today
):
    room_set_housekeeping(
        room_id=rooms[1].pk,
        status="out_of_order",
        out_of_order_until=today + timedelta(days=1),
    )
    data = inline_post(
        owner_client,
        room_type,
        **{"102": {"housekeeping_status": "clean", "out_of_order_until": ""}},
    )

    response = owner_client.post(url(RoomType, "change", room_type.pk), data)

    assert response.status_code == 302
    assert Room.objects.get(pk=rooms[1].pk).housekeeping_status == "clean"
    assert rooms_to_sell(room_type, today, 3) == [3, 3, 3]


def test_the_room_inline_refuses_out_of_order_without_a_last_night(
    owner_client, room_type, rooms, today
):
    data = inline_post(
        owner_client, room_type, **{"103": {"housekeeping_status": "out_of_order"}}
    )

    response = owner_client.post(url(RoomType, "change", room_type.pk), data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "until which night" in str(formset.errors)
    assert Room.objects.get(pk=rooms[2].pk).housekeeping_status == "clean"
    assert rooms_to_sell(room_type, today, 1) == [3]
