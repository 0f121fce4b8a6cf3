"""The site never misleads about money or deadlines (issue 14, item 1)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from booking.models import Booking, BookingStatus
from booking.services import booking_expire
from booking.tests.factories import browser_of, make_overdue
from core.money import format_money
from hotels.models import RoomType
from hotels.tests.factories import CancellationPolicyFactory, hotel_today
from inventory.tests.factories import RatePlanFactory
from payments.models import Payment, Refund
from payments.services import refund_change
from search.tests.factories import search_params
from storefront.tests.site import change_url, krw

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_search_cache(settings):
    settings.SEARCH_CACHE_SECONDS = 0


def test_a_stay_tomorrow_is_not_offered_a_free_cancellation_deadline_already_past(
    client, make_hotel
):
    # The policy refunds 100% up to 7 days before and 50% up to 2 days before.
    hotel = make_hotel(name="Casa Azul", refundable=True)
    tomorrow = hotel_today(hotel) + timedelta(days=1)

    html = client.get(
        reverse("hotels:detail", args=[hotel.slug]), search_params(tomorrow, nights=1)
    ).content.decode()

    assert "Free cancellation until" not in html
    assert "refund until" not in html
    assert "Non-refundable: no refund if you cancel" in html


def test_an_expired_holds_payment_link_says_it_expired_not_being_processed(hold):
    booking = hold(offset=10)
    browser = browser_of(booking)
    assert (
        browser.get(reverse("payments:pay", args=[booking.reference])).status_code
        == 200
    )
    assert booking.payments.get().status == Payment.Status.PENDING  # an open intent
    make_overdue(booking)
    assert booking_expire(booking_id=booking.pk)

    response = browser.get(
        reverse("payments:pay", args=[booking.reference]), follow=True
    )

    html = response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.EXPIRED
    # The intent is still open at the gateway: what the page used to read as "processing".
    assert booking.payments.get().status == Payment.Status.PENDING
    assert "being processed" not in html
    assert "Your hold has expired" in html
    assert "Not paid: the hold on these rooms has expired" in html


def test_a_paid_stay_that_gets_shorter_is_refunded_the_difference_by_policy(paid):
    booking = paid(offset=10, nights=3)  # ₩300,000, free cancellation for 3 more days
    browser = browser_of(booking)
    shorter = {
        "check_in": booking.check_in,
        "check_out": booking.check_out - timedelta(days=1),
        "rooms": 1,
        "adults": 1,
        "children": 0,
    }

    quote = browser.get(change_url(booking), shorter).content.decode()
    response = browser.post(change_url(booking), {**shorter, "expected_total": 200_000})

    assert f"{krw(100_000)} goes back to your card" in quote
    assert "not refunded automatically" not in quote
    assert response.status_code == 302
    [refund] = Refund.objects.filter(payment__booking=booking)
    assert (refund.purpose, refund.amount) == (Refund.Purpose.CHANGE, 100_000)
    change = booking.changes.get()
    assert (change.old_total, change.new_total, change.refund_amount) == (
        300_000,
        200_000,
        100_000,
    )
    # Asked again (a retry, a crash): the same refund, never a second one.
    assert refund_change(change_id=change.pk) == refund
    html = browser.get(reverse("booking:detail", args=[booking.reference]))
    assert f"Paid online: {krw(200_000)}" in html.content.decode()


def test_a_shorter_stay_past_its_refund_deadlines_says_nothing_comes_back(paid):
    booking = paid(offset=1, nights=3)  # every deadline of the policy has passed

    quote = (
        browser_of(booking)
        .get(
            change_url(booking),
            {
                "check_in": booking.check_in,
                "check_out": booking.check_out - timedelta(days=1),
                "rooms": 1,
                "adults": 1,
            },
        )
        .content.decode()
    )

    assert "the cancellation policy gives nothing back at this time" in quote


def test_a_balance_owed_at_the_hotel_after_a_change_shows_on_the_booking_page(paid):
    booking = paid(offset=10)  # ₩200,000 paid online
    browser = browser_of(booking)
    longer = {
        "check_in": booking.check_in,
        "check_out": booking.check_out + timedelta(days=1),
        "rooms": 1,
        "adults": 1,
        "children": 0,
        "expected_total": 300_000,
    }
    assert browser.post(change_url(booking), longer).status_code == 302

    html = browser.get(
        reverse("booking:detail", args=[booking.reference])
    ).content.decode()

    assert f"Due at the hotel: {krw(100_000)}" in html
    assert f"Paid online: {krw(200_000)}. To pay at the hotel: {krw(100_000)}" in html


def test_the_confirmation_page_has_address_contact_times_deadline_and_calendar(
    hold, hotel
):
    hotel.address = "1 Sejong-daero"
    hotel.phone = "+82 2 0000 0000"
    hotel.email = "desk@hotel.example"
    hotel.save()
    booking = hold(offset=10)
    browser = browser_of(booking)
    browser.post(
        reverse("payments:pay", args=[booking.reference]),
        {"card_number": "4242 4242 4242 4242"},
    )

    html = browser.get(
        reverse("payments:done", args=[booking.reference])
    ).content.decode()

    deadline = booking.check_in - timedelta(days=7)
    assert "Your booking is confirmed" in html
    assert "1 Sejong-daero" in html
    assert "+82 2 0000 0000" in html and "desk@hotel.example" in html
    assert "from 3:00" in html and "until 11:00" in html
    assert (
        f"Free cancellation until {deadline:%b} {deadline.day}, {deadline.year} "
        "11:59\u202fPM (Asia/Seoul), hotel time" in html
    )
    assert f"Paid online: {krw(200_000)}" in html
    ics_url = reverse("booking:calendar", args=[booking.reference])
    assert ics_url in html
    ics = browser.get(ics_url)
    assert ics["Content-Type"] == "text/calendar"
    body = ics.content.decode()
    assert f"DTSTART;TZID=Asia/Seoul:{booking.check_in:%Y%m%d}T150000" in body
    assert f"DTEND;TZID=Asia/Seoul:{booking.check_out:%Y%m%d}T110000" in body
    assert "BEGIN:VTIMEZONE" in body


def test_someone_elses_calendar_file_is_a_404(client, hold):
    booking = hold(offset=10)

    response = client.get(reverse("booking:calendar", args=[booking.reference]))

    assert response.status_code == 404


def test_the_cheapest_offer_never_wears_another_offers_free_cancellation_badge(
    client, make_hotel
):
    hotel = make_hotel(name="Casa Azul", price=10_000)  # its plan is non-refundable
    room_type = RoomType.objects.get(hotel=hotel)
    flexible = RatePlanFactory(
        room_type=room_type,
        name="Flexible",
        price_adjustment_bp=2_000,
        cancellation_policy=CancellationPolicyFactory(hotel=hotel, rules=[(1, 100)]),
    )
    assert flexible.cancellation_policy is not None
    check_in = hotel_today(hotel) + timedelta(days=20)

    html = client.get(
        reverse("hotels:search"), search_params(check_in, place="Lisbon")
    ).content.decode()

    assert "Free cancellation available" not in html
    assert 'badge--good">Free cancellation<' not in html  # the cheapest is not free
    assert (
        "Another rate has free cancellation, from " + format_money(24_000, "EUR")
        in html
    )
