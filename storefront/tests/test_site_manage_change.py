"""The guest's own booking: see the refund before cancelling, the price before changing."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from booking.models import Booking, BookingStatus
from booking.services import booking_check_in, booking_check_out, booking_confirm
from booking.tests.factories import GUEST, browser_of
from core.money import format_money
from inventory.models import Inventory
from inventory.tests.factories import RatePlanFactory, booked
from payments.models import Payment, Refund
from payments.tests.factories import pay

pytestmark = pytest.mark.django_db


def krw(amount: int) -> str:
    return format_money(amount, "KRW")


def cancel_url(booking):
    return reverse("booking:cancel", args=[booking.reference])


def change_url(booking):
    return reverse("booking:change", args=[booking.reference])


@pytest.fixture
def paid(hold):
    """A confirmed booking paid on the site: two nights, ₩200,000."""

    def make(offset=10, **kwargs):
        booking = hold(offset=offset, **kwargs)
        assert pay(booking).status_code == 302
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CONFIRMED
        return booking

    return make


@pytest.mark.parametrize(
    ("offset", "refund"),
    [(10, 200_000), (5, 100_000), (1, 0)],  # policy: 100% ≥7 days, 50% ≥2 days
)
def test_the_cancel_page_shows_the_refund_the_policy_gives_now(paid, offset, refund):
    booking = paid(offset=offset)

    response = browser_of(booking).get(cancel_url(booking))

    html = response.content.decode()
    assert response.status_code == 200
    refund_shown = re.search(r'class="refund-amount">([^<]+)<', html)[1]
    assert refund_shown == krw(refund)
    assert "at the hotel" in html  # the time it is now, hotel time
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_confirming_cancels_and_refunds_what_was_shown(paid, room_type):
    booking = paid(offset=5)
    browser = browser_of(booking)

    response = browser.post(cancel_url(booking), {"expected_refund": 100_000})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    refund = Refund.objects.get(payment__booking=booking)
    assert (refund.amount, refund.purpose) == (100_000, Refund.Purpose.CANCELLATION)
    assert booked(room_type, booking.check_in) == 0
    page = browser.get(response["Location"]).content.decode()
    assert f"{krw(100_000)} is on its way back to your card" in page
    assert f"Refund: {krw(100_000)}" in page


def test_a_refund_that_changed_since_it_was_shown_is_shown_again_not_applied(paid):
    booking = paid(offset=5)

    response = browser_of(booking).post(
        cancel_url(booking), {"expected_refund": 200_000}
    )

    assert response.status_code == 409
    assert "The refund has changed" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert not Refund.objects.exists()


def test_cancelling_an_unpaid_hold_refunds_nothing_and_says_so(hold, room_type):
    booking = hold()
    browser = browser_of(booking)

    page = browser.get(cancel_url(booking)).content.decode()
    done = browser.post(cancel_url(booking), {"expected_refund": 0})

    assert "Nothing has been paid for this booking yet" in page
    assert done.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    assert booked(room_type, booking.check_in) == 0


def test_a_pay_at_hotel_booking_has_nothing_to_refund(hold, room_type, policy):
    plan = RatePlanFactory(
        room_type=room_type, cancellation_policy=policy, payment_mode="pay_at_hotel"
    )
    booking = hold(rate_plan_id=plan.pk)
    pay(booking)

    page = browser_of(booking).get(cancel_url(booking)).content.decode()

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert "Nothing was paid online for this booking" in page
    assert re.search(r'class="refund-amount">([^<]+)<', page)[1] == krw(0)


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


def test_a_stay_under_way_can_no_longer_be_changed_or_cancelled_online(
    hold, hotel, paid
):
    from datetime import time

    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    booking = paid(offset=0, nights=2)
    booking_check_in(booking_id=booking.pk)
    browser = browser_of(booking)

    for url in (cancel_url(booking), change_url(booking)):
        assert browser.get(url).status_code == 409
        assert browser.post(url, {"expected_refund": 0}).status_code == 409
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CHECKED_IN


def test_a_guest_who_found_the_booking_by_reference_can_cancel_it(client, paid):
    booking = paid(offset=10)
    client.post(
        reverse("booking:find"), {"reference": booking.reference, "email": GUEST.email}
    )

    response = client.post(cancel_url(booking), {"expected_refund": 200_000})

    assert response.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED


def _action_requests(booking):
    ref = booking.reference
    return [
        ("get", reverse("booking:detail", args=[ref]), {}),
        ("get", cancel_url(booking), {}),
        ("post", cancel_url(booking), {"expected_refund": 0}),
        ("get", change_url(booking), {}),
        (
            "post",
            change_url(booking),
            {
                "check_in": booking.check_in + timedelta(days=1),
                "check_out": booking.check_out + timedelta(days=1),
                "rooms": 1,
                "adults": 1,
            },
        ),
        ("get", reverse("booking:review", args=[ref]), {}),
        ("post", reverse("booking:review", args=[ref]), {"overall": 1}),
        ("get", reverse("payments:pay", args=[ref]), {}),
        (
            "post",
            reverse("payments:pay", args=[ref]),
            {"card_number": "4242424242424242"},
        ),
        ("get", reverse("payments:done", args=[ref]), {}),
        ("get", reverse("payments:authenticate", args=[ref]), {}),
        ("get", reverse("booking:open", args=[ref, "0.forged"]), {}),
    ]


@pytest.mark.parametrize("who", ["anonymous", "another guest"])
def test_nobody_else_can_see_or_touch_a_booking_every_attempt_is_a_404(
    hold, today, who
):
    owner = User.objects.create_user("ada", "ada@example.com", "pw")
    booking = hold(user=owner, offset=10)
    booking_confirm(booking_id=booking.pk)
    stranger = Client()
    if who == "another guest":
        eve = User.objects.create_user("eve", "eve@example.com", "pw")
        stranger.force_login(eve)
        hold(user=eve, offset=20)  # eve has a booking of her own
    before = Booking.objects.values().get(pk=booking.pk)

    for method, url, data in _action_requests(booking):
        response = getattr(stranger, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert booking.guest_name not in response.content.decode()

    assert Booking.objects.values().get(pk=booking.pk) == before
    assert not Payment.objects.filter(booking=booking).exists()


def test_guessing_references_finds_nothing(client, hold):
    hold()
    for reference in ("0000000000", "ZZZZZZZZZZ", "..", "a" * 40):
        for name in ("booking:detail", "booking:cancel", "booking:change"):
            assert client.get(reverse(name, args=[reference])).status_code == 404


def test_the_owner_can_use_every_action_page(hold):
    owner = User.objects.create_user("ada", "ada@example.com", "pw")
    booking = hold(user=owner, offset=10)
    client = Client()
    client.force_login(owner)

    for name in ("booking:detail", "booking:cancel", "booking:change", "payments:pay"):
        assert client.get(reverse(name, args=[booking.reference])).status_code == 200


def test_a_link_from_the_guests_email_opens_the_booking_in_any_browser(hold):
    from booking.access import link_token

    booking = hold()
    browser = Client()
    url = reverse("booking:open", args=[booking.reference, link_token(booking)])

    response = browser.get(url, {"next": "cancel"})

    assert response["Location"] == cancel_url(booking)
    assert browser.get(response["Location"]).status_code == 200


def test_a_forged_changed_or_expired_link_opens_nothing(hold, settings):
    from booking.access import link_token

    booking = hold()
    other = hold(offset=20, guest=GUEST.__class__(name="Bo", email="bo@example.com"))
    token = link_token(booking)
    url = reverse("booking:open", args=[booking.reference, token])
    detail = reverse("booking:detail", args=[booking.reference])

    forged = Client()
    assert forged.get(url[:-3] + "abc/").status_code == 404
    assert (
        forged.get(reverse("booking:open", args=[other.reference, token])).status_code
        == 404
    )
    Booking.objects.filter(pk=booking.pk).update(guest_email="new@example.com")
    assert forged.get(url).status_code == 404
    Booking.objects.filter(pk=booking.pk).update(guest_email=GUEST.email)
    settings.BOOKING_LINK_MAX_AGE_DAYS = -1
    assert forged.get(url).status_code == 404
    assert forged.get(detail).status_code == 404


def test_a_checked_out_guest_is_offered_a_review(hold, hotel, paid):
    from datetime import time

    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    booking = paid(offset=0, nights=1)
    booking_check_in(booking_id=booking.pk)
    booking_check_out(booking_id=booking.pk)

    html = (
        browser_of(booking)
        .get(reverse("booking:detail", args=[booking.reference]))
        .content.decode()
    )

    assert reverse("booking:review", args=[booking.reference]) in html
    assert "Change dates or rooms" not in html


def test_tampered_forms_act_only_on_the_booking_in_the_url_and_only_for_its_guest(
    hold, paid
):
    mine = paid(offset=10)
    theirs = paid(offset=20)
    browser = browser_of(mine)
    tampered = {
        "reference": theirs.reference,
        "booking": theirs.pk,
        "booking_id": theirs.pk,
        "user": theirs.pk,
    }

    browser.post(cancel_url(mine), {"expected_refund": 200_000, **tampered})
    stolen = browser.post(cancel_url(theirs), {"expected_refund": 200_000, **tampered})

    assert stolen.status_code == 404
    assert Booking.objects.get(pk=mine.pk).status == BookingStatus.CANCELLED
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.CONFIRMED
    assert not Refund.objects.filter(payment__booking=theirs).exists()


def test_every_field_of_the_guest_pages_has_a_label(client, hold, rate_plan, today):
    from storefront.tests.site import reserve

    booking = hold(offset=10)
    browser = browser_of(booking)
    pages = [
        client.get(
            reverse("booking:new"), reserve(rate_plan, today + timedelta(days=9))
        ),
        browser.get(cancel_url(booking)),
        browser.get(change_url(booking)),
        browser.get(reverse("payments:pay", args=[booking.reference])),
    ]

    for response in pages:
        html = response.content.decode()
        fields = re.findall(
            r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', html
        )
        labelled = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', html))
        assert fields and set(fields) <= labelled, response.request["PATH_INFO"]
