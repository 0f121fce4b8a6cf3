"""Booking on the site, a hold past its deadline: said so, and the same stay offered."""

from datetime import timedelta

import pytest
from django.urls import reverse

from booking.models import Booking
from booking.services import booking_expire
from booking.tests.factories import make_overdue
from storefront.tests.site import book

pytestmark = pytest.mark.django_db


def test_an_overdue_hold_says_so_and_offers_the_same_stay_again(
    client, rate_plan, today
):
    check_in = today + timedelta(days=10)
    book(client, rate_plan, check_in, rooms=1, adults=2)
    booking = Booking.objects.get()
    make_overdue(booking)

    pay_page = client.get(reverse("payments:pay", args=[booking.reference]))
    detail = client.get(reverse("booking:detail", args=[booking.reference]))

    for response in (pay_page, detail):
        html = response.content.decode()
        assert "Your hold has expired" in html
        assert (
            f"/hotels/{booking.hotel.slug}/?check_in={check_in.isoformat()}"
            f"&amp;check_out={booking.check_out.isoformat()}&amp;adults=2"
            f"&amp;children=0&amp;rooms=1#rooms"
        ) in html
        assert 'name="card_number"' not in html


def test_an_expired_booking_offers_to_try_again_on_the_confirmation_page(
    client, rate_plan, today
):
    book(client, rate_plan, today + timedelta(days=10))
    booking = Booking.objects.get()
    make_overdue(booking)
    booking_expire(booking_id=booking.pk)

    response = client.get(
        reverse("payments:pay", args=[booking.reference]), follow=True
    )

    html = response.content.decode()
    assert "Your hold has expired" in html
    assert "Try again for the same stay" in html
