from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.db.backends.postgresql.psycopg_any import DateRange
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from backoffice.tapechart import tape_chart
from booking.models import RoomAssignment
from booking.services import GuestDetails, booking_assign_room, booking_confirm
from booking.tests.factories import GUEST
from hotels.tests.factories import RoomFactory, RoomTypeFactory, staff
from inventory.housekeeping import room_set_housekeeping

pytestmark = pytest.mark.django_db


def chart_url(hotel, start=None):
    url = reverse("admin:hotels_hotel_tapechart", args=[hotel.pk])
    return f"{url}?start={start:%Y-%m-%d}" if start else url


@pytest.fixture
def booked(hold):
    def make(**kwargs):
        booking = hold(**kwargs)
        booking_confirm(booking_id=booking.pk)
        return booking

    return make


def stays_of(booking):
    return dict(
        RoomAssignment.objects.filter(booking=booking).values_list("room_id", "stay")
    )


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_rooms_by_type_and_floor_with_bookings_as_bars_across_their_nights(
    owner_client, hotel, room_type, rooms, booked, today
):
    upstairs = RoomFactory(room_type=room_type, number="201", floor=2)
    booking = booked(offset=2, nights=3)
    booking_assign_room(booking_id=booking.pk, room_id=rooms[1].pk)

    response = owner_client.get(chart_url(hotel, today))

    assert response.status_code == 200
    [block] = response.context["blocks"]
    assert [floor for floor, _ in block.floors] == [1, 2]
    assert [row.room.number for row in block.floors[1][1]] == [upstairs.number]
    row = next(r for r in block.floors[0][1] if r.room == rooms[1])
    kinds = [cell[0] for cell in row.cells]
    # 14 days: two free, a bar of three nights in one cell, nine free.
    assert kinds == ["free"] * 2 + ["bar"] + ["free"] * 9
    bar = row.cells[2][1]
    assert (bar.first, bar.nights, bar.booking) == (booking.check_in, 3, booking)
    html = response.content.decode()
    assert 'colspan="3"' in html and GUEST.name in html and "Confirmed" in html
    # The bar's own form offers the other free rooms of the type, not its own.
    assert {room.number for room in bar.choices} == {"101", "103", "201"}


def test_bookings_without_a_room_are_listed_per_type_and_day(
    owner_client, hotel, room_type, rooms, booked, today
):
    booking = booked(offset=1, nights=2)

    response = owner_client.get(chart_url(hotel, today))

    [block] = response.context["blocks"]
    per_day = [[bar.booking for bar in bars] for bars in block.unassigned]
    assert per_day[0] == [] and per_day[1] == [booking] and per_day[2] == [booking]
    assert per_day[3] == []
    assert [bar.booking for bar in block.waiting] == [booking]
    assert f'id="wait-{booking.pk}"' in response.content.decode()


def test_picking_a_free_room_assigns_it_through_the_service(
    owner_client, hotel, rooms, booked, today
):
    booking = booked(offset=3, nights=2)

    response = owner_client.post(
        chart_url(hotel),
        {"booking": booking.pk, "to_room": rooms[2].pk, "start": today.isoformat()},
    )

    assert response.status_code == 302
    assert response.url == chart_url(hotel, today)
    assert stays_of(booking) == {
        rooms[2].pk: DateRange(booking.check_in, booking.check_out, "[)")
    }
    assert f"is now in room {rooms[2].number}" in messages_of(response)[0]


def test_moving_to_a_room_taken_on_an_overlapping_night_changes_nothing(
    owner_client, hotel, rooms, booked, today
):
    first, second = booked(offset=3, nights=3), booked(offset=4, nights=3)
    booking_assign_room(booking_id=first.pk, room_id=rooms[0].pk)
    booking_assign_room(booking_id=second.pk, room_id=rooms[1].pk)

    response = owner_client.post(
        chart_url(hotel),
        {"booking": second.pk, "from_room": rooms[1].pk, "to_room": rooms[0].pk},
        follow=True,
    )

    assert response.status_code == 200
    assert "already assigned to another stay" in response.content.decode()
    assert list(stays_of(second)) == [rooms[1].pk]
    assert list(stays_of(first)) == [rooms[0].pk]


@pytest.mark.parametrize(
    "data",
    [
        {"booking": "x", "to_room": "1"},
        {"booking": "", "to_room": ""},
    ],
)
def test_a_garbled_move_is_a_404_not_a_500(owner_client, hotel, data):
    assert owner_client.post(chart_url(hotel), data).status_code == 404


def test_a_move_without_a_room_is_a_message_and_changes_nothing(
    owner_client, hotel, rooms, booked
):
    booking = booked(offset=3, nights=2)

    response = owner_client.post(
        chart_url(hotel), {"booking": booking.pk, "to_room": "abc"}
    )

    assert response.status_code == 302
    assert messages_of(response) == ["Pick the room to give this booking."]
    assert stays_of(booking) == {}


def test_another_hotels_booking_or_room_cannot_be_moved_from_here(
    owner_client, hotel, rooms, booked
):

    other_type = RoomTypeFactory(room_count=1)
    other_room = RoomFactory(room_type=other_type, number="X1")
    booking = booked(offset=3, nights=2)

    response = owner_client.post(
        chart_url(hotel), {"booking": booking.pk, "to_room": other_room.pk}
    )

    assert messages_of(response) == ["Pick the room to give this booking."]
    assert stays_of(booking) == {}


def test_out_of_order_rooms_are_shown_and_offered_to_nobody(
    owner_client, hotel, rooms, booked, today
):
    room_set_housekeeping(
        room_id=rooms[0].pk,
        status="out_of_order",
        out_of_order_until=today + timedelta(days=2),
    )
    booking = booked(offset=1, nights=2)

    response = owner_client.get(chart_url(hotel, today))

    [block] = response.context["blocks"]
    row = next(r for r in block.floors[0][1] if r.room == rooms[0])
    out = [cell[2] for cell in row.cells if cell[0] == "free"]
    assert out == [True] * 3 + [False] * 11
    assert "tc-room-out" in response.content.decode()
    [waiting] = block.waiting
    assert waiting.booking == booking
    assert rooms[0] not in waiting.choices


def test_the_chart_takes_three_queries_whatever_the_number_of_bookings(
    hotel, room_type, rooms, booked, today
):
    def count():
        with CaptureQueriesContext(connection) as queries:
            tape_chart(hotel, today, today)
        return len(queries)

    booking = booked(offset=1, nights=2)
    booking_assign_room(booking_id=booking.pk, room_id=rooms[0].pk)
    few = count()
    other = RoomTypeFactory(hotel=hotel, room_count=4)
    for number in ("401", "402", "403", "404"):
        RoomFactory(room_type=other, number=number, floor=4)
    for offset in range(2, 8):
        booked(
            offset=offset,
            nights=2,
            guest=GuestDetails(name=f"G{offset}", email="g@example.com"),
        )
        assert offset

    assert few == 3
    assert count() == 3


def test_the_front_desk_moves_bookings_and_other_hotels_staff_see_nothing(
    client, hotel, rooms, booked, today
):
    booking = booked(offset=3, nights=2)
    client.force_login(staff("desk", hotel, role="front_desk"))

    response = client.post(
        chart_url(hotel), {"booking": booking.pk, "to_room": rooms[0].pk}
    )

    assert response.status_code == 302
    assert list(stays_of(booking)) == [rooms[0].pk]
    client.force_login(staff("stranger", RoomTypeFactory().hotel))
    assert client.get(chart_url(hotel)).status_code == 404
