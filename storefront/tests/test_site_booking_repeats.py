"""Booking on the site, posted twice: one booking per key and browser (invariant 7).

The same form again, the same key with other details, a key replayed from another
browser, and a double-clicked button.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from booking.models import Booking
from core.testing import run_together
from inventory.tests.factories import booked
from storefront.tests.site import book, reserve

pytestmark = pytest.mark.django_db


def test_posting_the_same_form_again_returns_the_same_booking(
    client, rate_plan, room_type, today
):
    check_in = today + timedelta(days=12)

    first = book(client, rate_plan, check_in)
    second = book(client, rate_plan, check_in)

    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1
    assert booked(room_type, check_in) == 1


def test_the_same_key_with_other_details_points_to_the_first_booking(
    client, rate_plan, today
):
    check_in = today + timedelta(days=12)
    book(client, rate_plan, check_in)
    first = Booking.objects.get()

    response = book(client, rate_plan, check_in, guest={"name": "Ada King"})

    html = response.content.decode()
    assert response.status_code == 400
    assert Booking.objects.count() == 1
    assert "already used for a booking with other details" in html
    assert reverse("booking:detail", args=[first.reference]) in html
    new_key = re.search(r'name="key"[^>]*value="([^"]+)"', html)
    new_key = new_key or re.search(r'value="([^"]+)"[^>]*name="key"', html)
    assert new_key[1] != "k" * 20  # a new key: sending again makes a new booking
    assert book(client, rate_plan, check_in, key=new_key[1]).status_code == 302
    assert Booking.objects.count() == 2


def test_another_browser_cannot_replay_a_key_to_get_someone_elses_booking(
    rate_plan, today
):
    check_in = today + timedelta(days=12)
    book(Client(), rate_plan, check_in)
    intruder = Client()

    response = book(intruder, rate_plan, check_in)

    assert Booking.objects.count() == 2  # its own scope: its own booking
    first = Booking.objects.order_by("pk").first()
    assert reverse("payments:pay", args=[first.reference]) != response["Location"]
    detail = reverse("booking:detail", args=[first.reference])
    assert intruder.get(detail).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_a_double_clicked_book_button_makes_one_booking(rate_plan, room_type, today):
    check_in = today + timedelta(days=10)
    browser = Client()
    browser.get(reverse("booking:new"), reserve(rate_plan, check_in))  # session made
    cookies = browser.cookies

    def click(_):
        clicker = Client()
        clicker.cookies = cookies
        return book(clicker, rate_plan, check_in)

    outcomes = run_together(2, click)

    assert [o.error for o in outcomes] == [None, None]
    assert [o.value.status_code for o in outcomes] == [302, 302]
    booking = Booking.objects.get()
    assert {o.value["Location"] for o in outcomes} == {
        reverse("payments:pay", args=[booking.reference])
    }
    assert booked(room_type, check_in) == 1
