from datetime import timedelta

import pytest
from django.urls import reverse

from booking.models import Booking, BookingStatus
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


def test_admin_action_confirms_and_reports_refusals_readably(admin_client, hold):
    live = hold()
    PaymentFactory(booking=live)  # pay now: paid (confirm_payment tests the unpaid)
    expired = hold(offset=11)
    Booking.objects.filter(pk=expired.pk).update(
        held_until=expired.created_at - timedelta(minutes=1)
    )

    response = admin_client.post(
        reverse("admin:booking_booking_changelist"),
        {"action": "confirm", "_selected_action": [live.pk, expired.pk]},
        follow=True,
    )

    assert response.status_code == 200
    text = [str(m) for m in response.context["messages"]]
    assert f"{expired.reference}: The hold on these rooms has expired." in text
    assert "1 booking(s) confirmed." in text
    assert Booking.objects.get(pk=live.pk).status == BookingStatus.CONFIRMED
    assert Booking.objects.get(pk=expired.pk).status == BookingStatus.HELD


@pytest.mark.parametrize(
    "name",
    ["hotels_hotel", "hotels_roomtype", "inventory_inventory", "booking_booking"],
)
def test_admin_lists_render(admin_client, hold, name):
    hold()
    assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
