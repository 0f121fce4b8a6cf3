"""The booking flow in a real browser: reserve, details, pay, confirm, change, cancel."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.models import User
from booking.models import Booking, BookingStatus
from core import outbox
from core.clock import db_now
from hotels.tests.factories import hotel_today
from payments.models import Refund

pytestmark = pytest.mark.django_db(transaction=True)

DECLINED = "4000 0000 0000 0002"
VISA = "4242 4242 4242 4242"


def sign_in(page, live_server, user):
    """Give the browser a signed-in session for `user` (sign-in itself is tested apart)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def reserve_flexible(page, hotel, check_in, nights=2):
    page.goto(
        f"/hotels/{hotel.slug}/?check_in={check_in}"
        f"&check_out={check_in + timedelta(days=nights)}&adults=2&rooms=1"
    )
    page.locator("section.rate", has_text="Flexible").locator(
        "button:has-text('Reserve')"
    ).click()
    page.wait_for_url("**/bookings/new/**")


def test_search_reserve_pay_then_change_and_cancel_from_my_bookings(
    page, live_server, porto, screenshot, settings
):
    settings.BOOKING_EVENT_HANDLERS = ["notifications.tasks.on_booking_event"]
    mail.outbox.clear()
    guest = User.objects.create_user(
        "ada", "ada@example.com", "pw", first_name="Ada", last_name="Lovelace"
    )
    sign_in(page, live_server, guest)
    hotel = porto[0]
    check_in = hotel_today(hotel) + timedelta(days=14)

    # Search → hotel → Reserve on the flexible rate.
    page.goto("/")
    page.fill("#id_place", "Porto")
    page.fill("#id_check_in", check_in.isoformat())
    page.fill("#id_check_out", (check_in + timedelta(days=2)).isoformat())
    page.click("#search-button")
    page.click("text=Ribeira House 00")
    page.locator("section.rate", has_text="Flexible").locator(
        "button:has-text('Reserve')"
    ).click()

    # Guest details, filled in from the account.
    assert page.input_value("#id_name") == "Ada Lovelace"
    assert page.input_value("#id_email") == "ada@example.com"
    assert "€160.00" in page.inner_text(".stay-summary")
    page.fill("#id_phone", "+351 912 345 678")
    page.fill("#id_special_requests", "A room facing the river, please.")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "booking-details-en")
    page.click("#book-button")

    # Payment: the hold's deadline counts down; a declined card, then the good one.
    page.wait_for_url("**/pay/**")
    outbox.drain()  # the relay hands the held event on (the "please pay" e-mail)
    countdown = page.locator("[data-countdown-left]")
    countdown.filter(has_text="left").wait_for()
    assert "TEST MODE" in page.inner_text("main")
    screenshot(page, "payment-test-mode-en")
    page.fill("#id_card_number", DECLINED)
    page.click("button.pay-button")
    assert "Your card was declined" in page.inner_text("#card-error")
    assert page.get_attribute("#id_card_number", "aria-invalid") == "true"
    page.fill("#id_card_number", VISA)
    page.click("button.pay-button")

    # Confirmation with the reference.
    page.wait_for_url("**/done/")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert "Your booking is confirmed" in page.inner_text("h1")
    assert booking.reference in page.inner_text("main")
    screenshot(page, "confirmation-en")

    # My bookings → the booking → change the dates, seeing the new price first.
    page.click("nav >> text=My bookings")
    assert booking.reference in page.inner_text(".booking-list")
    screenshot(page, "my-bookings-en")
    page.click(f"text={hotel.name}")
    page.click("text=Change dates or rooms")
    page.fill("#id_check_out", (check_in + timedelta(days=3)).isoformat())
    page.click("#show-new-price")
    assert page.inner_text(".new-total") == "€240.00"
    assert "+€80.00" in page.inner_text(".difference")
    assert "is not charged online: you pay it at the hotel" in page.inner_text("main")
    screenshot(page, "change-preview-en")
    page.click("#confirm-change")
    assert "The new total is €240.00" in page.inner_text(".messages")
    booking.refresh_from_db()
    assert (booking.nights, booking.total) == (3, 24_000)

    # Cancel: the refund the policy gives now, shown before confirming.
    page.click("text=Cancel booking")
    assert page.inner_text(".refund-amount") == "€160.00"  # all that was paid
    screenshot(page, "cancel-preview-en")
    page.click("#confirm-cancel")
    assert "€160.00 is on its way back to your card" in page.inner_text(".messages")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Refund.objects.get(payment__booking=booking).amount == 16_000
    outbox.drain()
    subjects = [message.subject for message in mail.outbox]
    assert [s.split(":")[0] for s in subjects[1:]] == [
        "Booking confirmed",
        "Booking changed",
        "Booking cancelled",
    ]


def test_the_hold_counts_down_and_an_expired_hold_offers_the_same_stay_again(
    page, porto, screenshot
):
    hotel = porto[1]
    check_in = hotel_today(hotel) + timedelta(days=10)
    reserve_flexible(page, hotel, check_in)
    page.fill("#id_name", "Grace Hopper")
    page.fill("#id_email", "grace@example.com")
    page.click("#book-button")
    page.wait_for_url("**/pay/**")
    booking = Booking.objects.get()

    # The countdown ticks: "14:59 left", then less.
    left = page.locator("[data-countdown-left]")
    left.filter(has_text="left").wait_for()
    first = left.inner_text()
    page.wait_for_timeout(1500)
    assert left.inner_text() != first

    # The deadline passes while the page is open: it reloads and says so.
    Booking.objects.filter(pk=booking.pk).update(
        held_until=db_now() + timedelta(seconds=2)
    )
    page.reload()
    page.locator("text=Your hold has expired").wait_for(timeout=15_000)
    assert page.locator("[name=card_number]").count() == 0
    screenshot(page, "hold-expired-en")

    # A hold already past its deadline on load says so at once, and "try again"
    # prices the same stay at the same hotel.
    Booking.objects.filter(pk=booking.pk).update(
        held_until=db_now() - timedelta(minutes=1)
    )
    page.reload()
    assert "Your hold has expired" in page.inner_text("main")
    page.click("text=Try again for the same stay")
    page.wait_for_url(f"**/hotels/{hotel.slug}/**")
    assert f"check_in={check_in}" in page.url
    assert page.input_value("#id_check_in") == check_in.isoformat()
    assert page.locator("button:has-text('Reserve')").count() > 0


def test_the_booking_pages_switch_language(page, porto, screenshot):
    hotel = porto[2]
    check_in = hotel_today(hotel) + timedelta(days=10)
    reserve_flexible(page, hotel, check_in)

    with page.expect_navigation(url="**/bookings/new/**"):
        page.select_option("#language", "ko")
    assert page.inner_text("h1") == "투숙객 정보"
    assert page.locator("#id_name").count() == 1  # the stay survived the switch
    page.fill("#id_name", "김민지")
    page.fill("#id_email", "minji@example.com")
    page.click("#book-button")
    page.wait_for_url("**/pay/**")
    assert "예약 결제" in page.inner_text("h1")
    page.locator("[data-countdown-left]").filter(has_text="남음").wait_for()
    screenshot(page, "payment-ko")

    with page.expect_navigation(url="**/pay/**"):
        page.select_option("#language", "zh-hant")
    assert "支付訂房費用" in page.inner_text("h1")
    assert "測試模式" in page.inner_text("main")
    assert Booking.objects.get().language == "ko"  # e-mails: the language booked in


def test_a_double_clicked_book_button_makes_one_booking(page, porto):
    hotel = porto[3]
    reserve_flexible(page, hotel, hotel_today(hotel) + timedelta(days=10))
    page.fill("#id_name", "Ada Lovelace")
    page.fill("#id_email", "ada@example.com")

    page.dblclick("#book-button")

    page.wait_for_url("**/pay/**")
    assert Booking.objects.count() == 1


def test_a_second_guest_cannot_open_the_first_guests_booking(
    page, browser, live_server, porto
):
    first = User.objects.create_user("ada", "ada@example.com", "pw")
    second = User.objects.create_user("eve", "eve@example.com", "pw")
    sign_in(page, live_server, first)
    hotel = porto[4]
    reserve_flexible(page, hotel, hotel_today(hotel) + timedelta(days=10))
    page.fill("#id_name", "Ada Lovelace")
    page.click("#book-button")
    page.wait_for_url("**/pay/**")
    reference = Booking.objects.get(user=first).reference
    urls = [
        f"/bookings/{reference}/",
        f"/bookings/{reference}/cancel/",
        f"/bookings/{reference}/change/",
        f"/pay/{reference}/",
    ]
    assert page.goto(urls[0]).status == 200

    for signed_in in (second, None):
        context = browser.new_context(base_url=live_server.url)
        other = context.new_page()
        if signed_in is not None:
            sign_in(other, live_server, signed_in)
        for url in urls:
            response = other.goto(url)
            assert response.status == 404, url
            assert "Ada Lovelace" not in other.content()
            assert hotel.name not in other.inner_text("main")
        context.close()
