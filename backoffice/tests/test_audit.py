from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db

InventoryEvent = apps.get_model("inventory", "InventoryEvent")
BookingEvent = apps.get_model("booking", "BookingEvent")


def test_a_calendar_change_is_recorded_with_who_and_what(
    owner_client, owner, hotel, room_type, today
):
    night = today + timedelta(days=6)

    owner_client.post(
        reverse("admin:hotels_hotel_calendar", args=[hotel.pk]),
        {
            "room_types": [room_type.pk],
            "start": night,
            "last": night,
            "weekdays": [1, 2, 3, 4, 5, 6, 7],
            "price": "120000",
        },
    )

    event = InventoryEvent.objects.get(pgh_label="update")
    assert (event.date, event.price) == (night, 120_000)
    assert event.pgh_context.metadata["user"] == owner.pk
    response = owner_client.get(reverse("admin:hotels_hotel_audit", args=[hotel.pk]))
    change = response.context["changes"][0]
    assert (change.who, change.what, change.label) == ("owner", "inventory", "changed")
    assert ("price", 100_000, 120_000) in change.diff
    assert "<del>₩100,000</del> → <ins>₩120,000</ins>" in response.content.decode()


def test_service_updates_that_bypass_model_signals_are_recorded(
    owner_client, owner, hotel, hold
):
    booking = hold()
    PaymentFactory(booking=booking)

    response = owner_client.post(
        reverse("admin:booking_booking_changelist"),
        {"action": "confirm", ACTION_CHECKBOX_NAME: [booking.pk]},
    )

    assert response.status_code == 302
    event = BookingEvent.objects.get(pgh_label="update")
    assert event.status == "confirmed"
    assert event.pgh_context.metadata["user"] == owner.pk
    history = owner_client.get(
        reverse("admin:booking_booking_history", args=[booking.pk])
    )
    html = history.content.decode()
    assert "Changes recorded by the database" in html
    assert "<del>Held (awaiting payment)</del> → <ins>Confirmed</ins>" in html


def test_booking_rooms_on_the_hot_path_write_no_history(room_type, hold):
    before = InventoryEvent.objects.count(), BookingEvent.objects.count()

    hold(nights=3)

    assert (InventoryEvent.objects.count(), BookingEvent.objects.count()) == before
