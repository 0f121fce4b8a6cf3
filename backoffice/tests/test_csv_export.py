"""The CSV export: amounts in major units with a currency column, names not ids,
choices by label, dates in ISO 8601."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from backoffice.tests.world import url
from booking.models import Booking
from hotels.models import RoomType
from hotels.tests.factories import RoomTypeFactory

pytestmark = pytest.mark.django_db


def export(client, model, pks) -> list[dict]:
    response = client.post(
        url(model, "changelist"),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: pks},
    )
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_bookings_export_reads_as_a_person_would_write_it(owner_client, hold):
    booking = hold(nights=2)

    (row,) = export(owner_client, Booking, [booking.pk])

    assert row["Reference"] == booking.reference
    assert row["Hotel"] == booking.hotel.name
    assert row["Room type"] == booking.room_type.name
    # 2 nights at 100,000 KRW; KRW has no minor unit.
    assert row["Total"] == "200000"
    assert row["Currency"] == "KRW"
    assert row["Status"] == "Held (awaiting payment)"
    assert row["Check in"] == booking.check_in.isoformat()
    assert row["Created at"].startswith(booking.created_at.date().isoformat()[:4])
    assert row["Created at"].endswith("+00:00")


def test_room_types_export_amounts_in_major_units_with_the_currency(
    owner_client, hotel
):
    hotel.currency = "EUR"
    hotel.save(update_fields=["currency"])
    room_type = RoomTypeFactory(hotel=hotel, name="Deluxe", base_price=13505)

    (row,) = export(owner_client, RoomType, [room_type.pk])

    assert row["Base price"] == "135.05"
    assert row["Currency"] == "EUR"
    assert row["Hotel"] == hotel.name
