"""A deactivated or closed hotel on the site: out of search, a page that says why,
and a booking form that refuses with a readable reason and books nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import Booking
from booking.services import hotel_closure_create, hotel_deactivate
from hotels.tests.factories import staff
from storefront.tests.site import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(hotel):
    return staff("manager", hotel, role="manager")


def search(client, hotel, check_in):
    return client.get(
        reverse("hotels:search"),
        {
            "q": hotel.city,
            "check_in": check_in.isoformat(),
            "check_out": (check_in + timedelta(days=2)).isoformat(),
            "adults": 2,
            "rooms": 1,
        },
    )


def test_a_deactivated_hotel_leaves_search_and_its_page_says_why(
    client, settings, hotel, rate_plan, manager, today
):
    # Search pages may come from a summary cached for seconds (never used to book):
    # the summary itself must leave the hotel out.
    settings.SEARCH_CACHE_SECONDS = 0
    check_in = today + timedelta(days=10)
    assert hotel.name in search(client, hotel, check_in).content.decode()

    hotel_deactivate(hotel=hotel, by=manager, reason="Closed for good")

    assert hotel.name not in search(client, hotel, check_in).content.decode()
    page = client.get(reverse("hotels:detail", args=[hotel.slug]))
    assert page.status_code == 410
    assert "no longer taking bookings" in page.content.decode()


def test_the_booking_form_of_a_deactivated_hotel_refuses_and_books_nothing(
    hotel, rate_plan, manager, today
):
    client = Client()
    hotel_deactivate(hotel=hotel, by=manager, reason="Closed for good")

    response = book(client, rate_plan, today + timedelta(days=10))

    assert response.status_code == 400
    assert "Not on sale for these dates." in response.content.decode()
    assert not Booking.objects.exists()


def test_closed_nights_leave_search_and_the_form_says_the_hotel_is_closed(
    settings, hotel, rate_plan, manager, today
):
    client = Client()
    settings.SEARCH_CACHE_SECONDS = 0
    check_in = today + timedelta(days=10)
    hotel_closure_create(
        hotel=hotel,
        by=manager,
        start=check_in + timedelta(days=1),
        end=check_in + timedelta(days=3),
        reason="Renovation",
    )

    assert hotel.name not in search(client, hotel, check_in).content.decode()
    assert (
        hotel.name
        in search(client, hotel, check_in + timedelta(days=4)).content.decode()
    )
    response = book(client, rate_plan, check_in)

    assert response.status_code == 409
    assert "The hotel is closed on some of these nights." in response.content.decode()
    assert not Booking.objects.exists()
