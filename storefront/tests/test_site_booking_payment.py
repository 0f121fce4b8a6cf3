"""Booking on the site, the payment page: pay or guarantee, then the confirmation."""

from datetime import timedelta

import pytest
from django.urls import reverse

from booking.models import Booking, BookingStatus
from inventory.tests.factories import RatePlanFactory
from payments.tests.factories import VISA
from storefront.tests.site import book

pytestmark = pytest.mark.django_db


def test_paying_with_the_test_card_confirms_and_shows_the_reference(
    client, rate_plan, today
):
    book(client, rate_plan, today + timedelta(days=12))
    booking = Booking.objects.get()

    response = client.post(
        reverse("payments:pay", args=[booking.reference]), {"card_number": VISA}
    )
    page = client.get(response["Location"]).content.decode()

    assert Booking.objects.get().status == BookingStatus.CONFIRMED
    assert "Your booking is confirmed" in page
    assert booking.reference in page
    assert reverse("booking:detail", args=[booking.reference]) in page


def test_a_pay_at_hotel_rate_goes_to_the_card_guarantee(
    client, room_type, policy, today
):
    plan = RatePlanFactory(
        room_type=room_type, cancellation_policy=policy, payment_mode="pay_at_hotel"
    )

    response = book(client, plan, today + timedelta(days=12))
    booking = Booking.objects.get()
    page = client.get(response["Location"]).content.decode()
    kept = client.post(response["Location"], {"card_number": VISA})

    assert "Guarantee your booking with a card" in page
    assert kept.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_the_payment_page_counts_down_in_the_readers_language(client, rate_plan, today):
    book(client, rate_plan, today + timedelta(days=10))
    booking = Booking.objects.get()

    html = client.get(
        reverse("payments:pay", args=[booking.reference]), HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()

    local = booking.held_until.astimezone(booking.hotel.tz)
    assert f'datetime="{local.isoformat()}"' in html
    assert 'data-left-text="{time} 남음"' in html
    assert "js/hold-countdown.js" in html
