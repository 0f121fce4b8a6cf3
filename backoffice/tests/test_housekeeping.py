from datetime import timedelta

import pytest
from django.urls import reverse

from booking.services import booking_confirm
from core.dates import format_date
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
        f"is booked on {format_date(full.check_in)}" in t
        and "a guest needs another room" in t
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


# The board by floor, who cleans what, what is due, and the phone's one-tap buttons.


@pytest.fixture
def floors(room_type, rooms):
    """Rooms 101-103 on floor 1 and 201-202 on floor 2; 202 dirty."""
    from hotels.tests.factories import RoomFactory

    upper = [
        RoomFactory(room_type=room_type, number="201", floor=2),
        RoomFactory(room_type=room_type, number="202", floor=2),
    ]
    Room.objects.filter(pk=upper[1].pk).update(housekeeping_status="dirty")
    return rooms + upper


def test_board_groups_rooms_by_floor_with_each_floors_counts(
    owner_client, hotel, floors
):
    response = owner_client.get(board_url(hotel))

    assert response.status_code == 200
    got = {
        floor.number: [room.number for room in floor.rooms]
        for floor in response.context["floors"]
    }
    assert got == {1: ["101", "102", "103"], 2: ["201", "202"]}
    counts = {
        floor.number: {value: n for value, _, n in floor.counts if n}
        for floor in response.context["floors"]
    }
    assert counts == {1: {"clean": 3}, 2: {"clean": 1, "dirty": 1}}
    html = response.content.decode()
    assert 'href="#floor-2"' in html and 'id="floor-2"' in html
    # Every status is one small form per room, the current one pressed.
    assert html.count('class="hk-status hk-status-clean"') == 5
    assert 'aria-pressed="true" disabled>Dirty' in html


def test_board_shows_departures_and_stayovers_due_today(
    owner_client, hotel, rooms, hold, today
):
    from booking.models import Booking, RoomAssignment
    from booking.services import booking_check_in

    staying = booking_confirm(booking_id=hold(offset=0, nights=3).pk)
    booking_check_in(booking_id=staying.pk, room_ids=[rooms[0].pk])
    leaving = booking_confirm(booking_id=hold(offset=0, nights=1).pk)
    booking_check_in(booking_id=leaving.pk, room_ids=[rooms[1].pk])
    # The second guest arrived yesterday and leaves today.
    yesterday = today - timedelta(days=1)
    Booking.objects.filter(pk=leaving.pk).update(check_in=yesterday, check_out=today)
    from psycopg.types.range import DateRange

    RoomAssignment.objects.filter(booking=leaving).update(
        stay=DateRange(yesterday, today)
    )

    response = owner_client.get(board_url(hotel))

    due = {
        room.number: room.due
        for floor in response.context["floors"]
        for room in floor.rooms
    }
    assert due == {"101": "stayover", "102": "departure", "103": ""}
    counts = {key: n for key, _, n in response.context["due_counts"]}
    assert counts["departure"] == 1 and counts["stayover"] == 1
    assert "Departure today" in response.content.decode()


def test_a_floor_and_a_room_are_given_to_staff_and_my_rooms_shows_theirs(
    owner_client, client, hotel, floors
):
    cleaner = staff("mina", hotel, role="front_desk")

    response = owner_client.post(
        board_url(hotel),
        {"action": "assign", "floor": "2", "housekeeper": cleaner.pk},
        follow=True,
    )

    assert set(
        Room.objects.filter(housekeeper=cleaner).values_list("number", flat=True)
    ) == {"201", "202"}
    assert "mina cleans room(s) 201, 202." in [
        str(m) for m in response.context["messages"]
    ]
    owner_client.post(
        board_url(hotel),
        {"action": "assign", "room": floors[0].pk, "housekeeper": cleaner.pk},
    )
    owner_client.post(
        board_url(hotel), {"action": "assign", "room": floors[3].pk, "housekeeper": ""}
    )

    client.force_login(cleaner)
    mine = client.get(board_url(hotel) + "?mine=1")

    numbers = [room.number for floor in mine.context["floors"] for room in floor.rooms]
    assert numbers == ["101", "202"]
    assert Room.objects.get(pk=floors[3].pk).housekeeper is None


def test_rooms_go_only_to_staff_of_the_hotel_and_only_its_rooms(
    owner_client, hotel, floors
):
    from hotels.tests.factories import HotelFactory, RoomFactory

    other_hotel = HotelFactory()
    outsider = staff("outsider", other_hotel, role="owner")
    elsewhere = RoomFactory(hotel=other_hotel, number="9")

    response = owner_client.post(
        board_url(hotel),
        {"action": "assign", "floor": "1", "housekeeper": outsider.pk},
        follow=True,
    )
    assert "Pick someone who works at this hotel." in [
        str(m) for m in response.context["messages"]
    ]
    response = owner_client.post(
        board_url(hotel),
        {"action": "assign", "room": [floors[0].pk, elsewhere.pk], "housekeeper": ""},
        follow=True,
    )
    assert "Pick rooms of this hotel." in [str(m) for m in response.context["messages"]]
    response = owner_client.post(
        board_url(hotel),
        {"action": "assign", "room": floors[0].pk, "housekeeper": "mina"},
        follow=True,
    )
    assert response.status_code == 200
    assert not Room.objects.filter(housekeeper__isnull=False).exists()


def test_one_tap_with_javascript_answers_json_and_changes_the_status(
    client, hotel, floors
):
    client.force_login(staff("desk", hotel, role="front_desk"))

    response = client.post(
        board_url(hotel),
        {"room": floors[4].pk, "status": "clean"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["label"], data["floor"]) == ("clean", "Clean", 2)
    assert data["counts"] == {"clean": 2}
    assert data["messages"] == ["Room 202 is now clean."]
    assert Room.objects.get(pk=floors[4].pk).housekeeping_status == "clean"

    response = client.post(
        board_url(hotel),
        {"room": floors[4].pk, "status": "sparkling"},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 400
    assert response.json()["messages"] == ["Room 202: Pick a housekeeping status."]
    assert Room.objects.get(pk=floors[4].pk).housekeeping_status == "clean"


def test_a_status_change_on_the_board_is_in_the_audit_log_with_who_made_it(
    owner_client, owner, hotel, floors
):
    from hotels.models import RoomEvent

    owner_client.post(board_url(hotel), {"room": floors[4].pk, "status": "inspected"})

    event = RoomEvent.objects.filter(pgh_obj=floors[4], pgh_label="update").latest(
        "pgh_created_at"
    )
    assert event.housekeeping_status == "inspected"
    assert event.pgh_context.metadata["user"] == owner.pk


def test_staff_of_another_hotel_cannot_change_or_give_its_rooms(client, hotel, floors):
    from hotels.tests.factories import HotelFactory

    client.force_login(staff("stranger", HotelFactory(), role="owner"))

    response = client.post(board_url(hotel), {"room": floors[4].pk, "status": "clean"})
    assert response.status_code == 404
    response = client.post(
        board_url(hotel), {"action": "assign", "floor": "2", "housekeeper": ""}
    )
    assert response.status_code == 404
    assert Room.objects.get(pk=floors[4].pk).housekeeping_status == "dirty"


def test_the_audit_log_names_who_a_room_was_given_to(owner_client, hotel, floors):
    cleaner = staff("mina", hotel, role="front_desk")
    owner_client.post(
        board_url(hotel),
        {"action": "assign", "room": floors[3].pk, "housekeeper": cleaner.pk},
    )

    response = owner_client.get(reverse("admin:hotels_hotel_audit", args=[hotel.pk]))

    change = next(c for c in response.context["changes"] if c.object_label == "201")
    assert change.who == "owner"
    assert ("housekeeper", None, "mina") in change.diff


def test_the_housekeeping_role_gets_the_board_and_nothing_else(client, hotel, floors):
    from hotels.staff import sync_staff_groups

    sync_staff_groups()
    cleaner = staff("mina", hotel, role="housekeeping")
    Room.objects.filter(pk=floors[4].pk).update(housekeeper=cleaner)
    client.force_login(cleaner)

    board = client.get(board_url(hotel) + "?mine=1")
    assert board.status_code == 200
    assert [r.number for f in board.context["floors"] for r in f.rooms] == ["202"]
    assert 'name="action" value="assign"' not in board.content.decode()
    tapped = client.post(board_url(hotel), {"room": floors[4].pk, "status": "clean"})
    assert tapped.status_code == 302
    assert Room.objects.get(pk=floors[4].pk).housekeeping_status == "clean"

    # No giving rooms out, no editing the room itself, no other page of the hotel.
    assign = client.post(
        board_url(hotel), {"action": "assign", "floor": "1", "housekeeper": ""}
    )
    assert assign.status_code == 403
    for name in ("frontdesk", "reviews", "dashboard", "calendar", "audit"):
        url = reverse(f"admin:hotels_hotel_{name}", args=[hotel.pk])
        assert client.get(url).status_code == 403, name
    for url in (
        reverse("admin:booking_booking_changelist"),
        reverse("admin:payments_payment_changelist"),
        reverse("admin:reviews_review_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    room_page = client.post(
        reverse("admin:hotels_room_change", args=[floors[4].pk]),
        {"number": "999", "floor": 9},
    )
    assert room_page.status_code == 403
    assert Room.objects.get(pk=floors[4].pk).number == "202"
    # The hotel list leads to the board, and to no other page.
    hotels = client.get(reverse("admin:hotels_hotel_changelist")).content.decode()
    assert board_url(hotel) in hotels
    assert reverse("admin:hotels_hotel_frontdesk", args=[hotel.pk]) not in hotels


def test_the_board_speaks_the_readers_language(owner_client, hotel, floors):
    response = owner_client.get(
        board_url(hotel), headers={"accept-language": "zh-hant"}
    )

    html = response.content.decode()
    assert "我的客房" in html and "2 樓" in html and "待清潔" in html
