from datetime import timedelta

import pytest
from django.urls import reverse

from booking.services import GuestDetails, booking_hold
from core.errors import ErrorCode, Unavailable
from hotels.tests.factories import HotelFactory, RoomTypeFactory
from inventory.models import Inventory
from inventory.rules import StayRequest
from inventory.services import inventory_open

pytestmark = pytest.mark.django_db


def calendar_url(hotel, month=None):
    url = reverse("admin:hotels_hotel_calendar", args=[hotel.pk])
    return f"{url}?month={month:%Y-%m}" if month else url


def post_bulk(client, hotel, **fields):
    data = {"weekdays": [1, 2, 3, 4, 5, 6, 7], **fields}
    return client.post(calendar_url(hotel), data)


def test_calendar_shows_each_night_with_booked_rooms_price_and_restrictions(
    owner_client, hotel, room_type, hold, today
):
    booking = hold(offset=3, nights=1, rooms=2, adults=2)
    Inventory.objects.filter(room_type=room_type, date=booking.check_in).update(
        stop_sell=True, min_stay=2
    )

    response = owner_client.get(calendar_url(hotel, booking.check_in))

    assert response.status_code == 200
    html = response.content.decode()
    assert room_type.name in html
    cells = dict(response.context["rows"])[room_type]
    cell, price = next(c for c in cells if c[0].night == booking.check_in)
    assert (cell.row.booked, cell.row.rooms) == (2, 3)
    assert cell.css == "cal-closed"
    assert price == "₩100,000"
    assert f'data-night="{booking.check_in:%Y-%m-%d}"' in html
    assert "2 / 3" in html and "SS" in html and "2–∞" in html


def test_bulk_edit_sets_price_and_stop_sell_on_the_chosen_weekdays_only(
    owner_client, hotel, room_type, today
):
    start = today + timedelta(days=7)
    last = start + timedelta(days=13)

    response = post_bulk(
        owner_client,
        hotel,
        room_types=[room_type.pk],
        start=start,
        last=last,
        weekdays=[6, 7],
        price="125000",
        stop_sell="on",
    )

    assert response.status_code == 302
    rows = Inventory.objects.filter(room_type=room_type, date__range=(start, last))
    for row in rows:
        weekend = row.date.isoweekday() in (6, 7)
        assert row.price == (125_000 if weekend else 100_000)
        assert row.stop_sell is weekend
    assert rows.filter(stop_sell=True).count() == 4


def test_bulk_edit_below_booked_changes_nothing_and_names_the_nights(
    owner_client, hotel, room_type, hold, today
):
    other = RoomTypeFactory(hotel=hotel, room_count=5)
    inventory_open(room_type=other, start=today, end=today + timedelta(days=60))
    booking = hold(offset=10, nights=2, rooms=2, adults=2)
    start, last = today + timedelta(days=5), today + timedelta(days=20)
    before = list(Inventory.objects.order_by("pk").values())

    response = post_bulk(
        owner_client,
        hotel,
        room_types=[room_type.pk, other.pk],
        start=start,
        last=last,
        rooms="1",
        price="90000",
    )

    assert response.status_code == 400
    assert list(Inventory.objects.order_by("pk").values()) == before
    refused = response.context["refused"]
    assert [(r["date"], r["booked"], r["room_type"]) for r in refused] == [
        (str(booking.check_in), 2, room_type.name),
        (str(booking.check_in + timedelta(days=1)), 2, room_type.name),
    ]
    html = response.content.decode()
    assert "cannot go below the rooms already booked" in html
    assert str(booking.check_in) in html


def test_restrictions_set_in_the_calendar_are_honoured_by_bookings(
    owner_client, hotel, room_type, rate_plan, today
):
    arrival = today + timedelta(days=14)
    guest = GuestDetails(name="Ada", email="ada@example.com")

    def book(nights):
        return booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=StayRequest(arrival, arrival + timedelta(days=nights)),
            guest=guest,
            source="site",
        )

    post_bulk(
        owner_client, hotel, room_types=[room_type.pk], start=arrival, last=arrival,
        min_stay="3",
    )  # fmt: skip
    with pytest.raises(Unavailable) as refused:
        book(2)
    assert refused.value.code == ErrorCode.MIN_STAY

    post_bulk(
        owner_client, hotel, room_types=[room_type.pk], start=arrival, last=arrival,
        closed_to_arrival="on",
    )  # fmt: skip
    with pytest.raises(Unavailable) as refused:
        book(3)
    assert refused.value.code == ErrorCode.CLOSED_TO_ARRIVAL

    post_bulk(
        owner_client, hotel, room_types=[room_type.pk], start=arrival, last=arrival,
        closed_to_arrival="off", stop_sell="on",
    )  # fmt: skip
    with pytest.raises(Unavailable) as refused:
        book(3)
    assert refused.value.code == ErrorCode.STOP_SELL

    post_bulk(
        owner_client, hotel, room_types=[room_type.pk], start=arrival, last=arrival,
        stop_sell="off",
    )  # fmt: skip
    assert book(3).check_in == arrival


def test_bad_bulk_edit_input_gets_field_errors(owner_client, hotel, room_type, today):
    response = post_bulk(
        owner_client,
        hotel,
        room_types=[room_type.pk],
        start=today + timedelta(days=5),
        last=today + timedelta(days=2),
        price="12.5",
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "last" in form.errors
    assert "KRW has 0 decimal place(s)." in form.errors["price"]
    html = response.content.decode()
    assert 'id="id_last_error"' in html and 'aria-describedby="id_last_error"' in html


def test_nothing_to_change_is_a_readable_error(owner_client, hotel, room_type, today):
    response = post_bulk(
        owner_client, hotel, room_types=[room_type.pk], start=today, last=today
    )

    assert response.status_code == 400
    assert "Nothing to change" in response.content.decode()


def test_calendar_of_another_hotel_is_not_found(owner_client, today):
    other = HotelFactory()
    assert owner_client.get(calendar_url(other)).status_code == 404
    assert post_bulk(owner_client, other, start=today, last=today).status_code == 404
