"""Changing a booking on the site: the new price is shown, then applied as shown."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from booking.models import Booking
from booking.tests.factories import browser_of
from inventory.models import Inventory
from inventory.tests.factories import booked
from payments.models import Payment
from payments.tests.factories import pay
from storefront.tests.site import change_url, krw

pytestmark = pytest.mark.django_db


def test_the_change_page_shows_the_new_price_and_the_difference_and_changes_nothing(
    hold, room_type, today
):
    booking = hold(offset=10, nights=2)
    new_check_out = booking.check_out + timedelta(days=1)
    Inventory.objects.filter(room_type=room_type, date=booking.check_out).update(
        price=150_000
    )

    response = browser_of(booking).get(
        change_url(booking),
        {
            "check_in": booking.check_in,
            "check_out": new_check_out,
            "rooms": 1,
            "adults": 1,
            "children": 0,
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'class="new-total">([^<]+)<', html)[1] == krw(350_000)
    assert f"+{krw(150_000)}" in html
    assert "on the payment page" in html  # a hold pays the new total online
    assert Booking.objects.get(pk=booking.pk).check_out == booking.check_out
    assert booked(room_type, booking.check_out) == 0


def test_confirming_a_change_moves_the_booking_at_the_price_shown(
    hold, room_type, today
):
    booking = hold(offset=10, nights=2)
    payment_of_old_total = pay(booking)  # noqa: F841 (confirmed, paid ₩200,000)
    new_in = booking.check_in + timedelta(days=7)
    browser = browser_of(booking)

    response = browser.post(
        change_url(booking),
        {
            "check_in": new_in,
            "check_out": new_in + timedelta(days=3),
            "rooms": 1,
            "adults": 1,
            "children": 0,
            "expected_total": 300_000,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("booking:detail", args=[booking.reference])
    booking.refresh_from_db()
    assert (booking.check_in, booking.nights, booking.total) == (new_in, 3, 300_000)
    assert booked(room_type, new_in) == 1
    assert booked(room_type, new_in - timedelta(days=7)) == 0


def test_a_paid_booking_that_costs_more_says_the_hotel_collects_the_difference(
    paid,
):
    booking = paid(offset=10)

    html = (
        browser_of(booking)
        .get(
            change_url(booking),
            {
                "check_in": booking.check_in,
                "check_out": booking.check_out + timedelta(days=1),
                "rooms": 1,
                "adults": 1,
            },
        )
        .content.decode()
    )

    assert f"The difference, {krw(100_000)}, is not charged online" in html


def test_a_price_that_changed_since_it_was_shown_is_not_applied(hold, room_type):
    booking = hold(offset=10, nights=2)
    data = {
        "check_in": booking.check_in,
        "check_out": booking.check_out + timedelta(days=1),
        "rooms": 1,
        "adults": 1,
        "children": 0,
        "expected_total": 300_000,
    }
    Inventory.objects.filter(room_type=room_type, date=booking.check_out).update(
        price=120_000
    )

    response = browser_of(booking).post(change_url(booking), data)

    html = response.content.decode()
    assert response.status_code == 409
    assert "The price changed while you were looking" in html
    assert re.search(r'class="new-total">([^<]+)<', html)[1] == krw(320_000)
    assert Booking.objects.get(pk=booking.pk).total == 200_000
    assert booked(room_type, booking.check_out) == 0


def test_changing_a_hold_goes_back_to_payment_for_the_new_total(hold):
    booking = hold(offset=10, nights=2)
    browser = browser_of(booking)
    browser.get(reverse("payments:pay", args=[booking.reference]))  # an intent

    response = browser.post(
        change_url(booking),
        {
            "check_in": booking.check_in,
            "check_out": booking.check_out - timedelta(days=1),
            "rooms": 1,
            "adults": 1,
            "children": 0,
            "expected_total": 100_000,
        },
    )

    assert response["Location"] == reverse("payments:pay", args=[booking.reference])
    browser.get(response["Location"])
    open_payment = Payment.objects.filter(booking=booking).order_by("-pk").first()
    assert open_payment.amount == 100_000


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"check_out": -1}, "check_out", "Check-out must be after check-in."),
        ({"rooms": 0}, "rooms", "Book between 1 and 9 rooms."),
        ({"adults": 50}, "adults", "This room sleeps at most 2 guests."),
        ({"check_in": -20}, "check_in", "Check-in cannot be in the past."),
    ],
)
def test_bad_changes_show_a_field_error_and_change_nothing(
    hold, room_type, data, field, message
):
    booking = hold(offset=10, nights=2)
    params = {
        "check_in": booking.check_in,
        "check_out": booking.check_out,
        "rooms": 1,
        "adults": 1,
        "children": 0,
    }
    if "check_out" in data:
        params["check_out"] = booking.check_in + timedelta(days=data.pop("check_out"))
    if "check_in" in data:
        params["check_in"] = booking.check_in + timedelta(days=data.pop("check_in"))
    params.update(data)

    for response in (
        browser_of(booking).get(change_url(booking), params),
        browser_of(booking).post(change_url(booking), params),
    ):
        html = response.content.decode()
        assert response.status_code == 400
        assert f'id="id_{field}_error">{message}<' in html
    after = Booking.objects.get(pk=booking.pk)
    assert (after.check_in, after.check_out, after.rooms) == (
        booking.check_in,
        booking.check_out,
        booking.rooms,
    )


def test_a_sold_out_change_says_so_and_keeps_the_booking(hold, room_type):
    booking = hold(offset=10, nights=2)
    Inventory.objects.filter(room_type=room_type, date=booking.check_out).update(
        rooms=0
    )
    params = {
        "check_in": booking.check_in,
        "check_out": booking.check_out + timedelta(days=1),
        "rooms": 1,
        "adults": 1,
    }

    response = browser_of(booking).post(change_url(booking), params)

    assert response.status_code == 409
    assert "Sold out for these dates." in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).check_out == booking.check_out
