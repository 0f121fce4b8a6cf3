"""The audit log says each change the way staff read it: dates in their language and
the hotel's zone, money in the hotel's currency, rows by name, choices by label."""

from datetime import date

import pytest
from django.urls import reverse

from booking.models import Booking
from hotels.models import Room, RoomType
from hotels.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


def audit(client, hotel, **headers):
    return client.get(reverse("admin:hotels_hotel_audit", args=[hotel.pk]), **headers)


def test_a_list_of_dates_reads_as_dates_not_python(owner_client, hotel, room_type):
    room = RoomFactory(room_type=room_type, number="301")
    Room.objects.filter(pk=room.pk).update(
        out_of_order_nights=[date(2026, 12, 1), date(2026, 12, 2)]
    )

    response = audit(owner_client, hotel)

    html = response.content.decode()
    assert "datetime.date" not in html
    assert "Dec 1, 2026, Dec 2, 2026" in html
    created = next(
        c
        for c in response.context["changes"]
        if (c.object_label, c.label) == ("301", "created")
    )
    # Foreign keys by name, choices by label.
    shown = {name: new for name, _old, new in created.shown}
    assert shown["Room type"] == room_type.name
    assert shown["Housekeeping status"] == "Clean"


def test_a_price_change_reads_in_the_hotels_currency_and_the_readers_language(
    owner_client, hotel, room_type
):
    RoomType.objects.filter(pk=room_type.pk).update(base_price=120_000)

    english = audit(owner_client, hotel).content.decode()
    korean = audit(owner_client, hotel, HTTP_ACCEPT_LANGUAGE="ko").content.decode()

    assert "<del>₩100,000</del> → <ins>₩120,000</ins>" in english
    assert "₩120,000" in korean
    # The times read in Korean, in the hotel's zone (Seoul).
    assert "년" in korean or "." in korean
    assert "Asia/Seoul" in korean


def test_a_booking_change_reads_with_status_labels_money_and_dates(
    owner_client, hotel, hold
):
    booking = hold(nights=2)
    Booking.objects.filter(pk=booking.pk).update(
        status="confirmed",
        nightly_prices=[100_000, 90_000],
        check_out=date(2027, 3, 4),
    )

    response = audit(owner_client, hotel)

    changed = next(
        c for c in response.context["changes"] if c.object_label == booking.reference
    )
    shown = {name: (old, new) for name, old, new in changed.shown}
    assert shown["Status"] == ("Held (awaiting payment)", "Confirmed")
    assert shown["Nightly prices"] == ("₩100,000, ₩100,000", "₩100,000, ₩90,000")
    assert shown["Check out"][1] == "Mar 4, 2027"
