"""The guest's payment pages on the test gateway: no JavaScript, no network, TEST MODE."""

import logging
import re
from datetime import time

import pytest
from django.urls import reverse

from booking.models import Booking, BookingStatus
from booking.services import booking_mark_no_show
from booking.tests.factories import browser_of, make_overdue
from core.money import format_money
from payments.models import GatewayEvent, Payment, SimulatedObject
from payments.services import charge_no_show_fee

pytestmark = pytest.mark.django_db
VISA = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
AUTHENTICATE = "4000 0025 0000 3155"


def pay_url(booking):
    return reverse("payments:pay", args=[booking.reference])


def test_the_page_shows_test_mode_amount_and_the_hold_in_hotel_time(hold):
    booking = hold()
    local = booking.held_until.astimezone(booking.hotel.tz)

    response = browser_of(booking).get(pay_url(booking))

    assert response.status_code == 200
    html = response.content.decode()
    assert "TEST MODE" in html
    assert format_money(booking.total, booking.currency, "en") in html
    assert f"held until {local:%H:%M} (hotel time)" in html
    assert f'datetime="{local.isoformat()}"' in html
    assert "js/hold-countdown.js" in html
    assert "js.stripe.com" not in html  # the test gateway needs no outside script
    assert booking.reference in html


def test_the_amount_is_formatted_for_the_readers_language(hold):
    booking = hold()
    client = browser_of(booking)

    response = client.get(pay_url(booking), HTTP_ACCEPT_LANGUAGE="ko")

    assert (
        format_money(booking.total, booking.currency, "ko") in response.content.decode()
    )


def test_anyone_else_gets_a_404(hold, client):
    booking = hold()
    assert client.get(pay_url(booking)).status_code == 404
    assert (
        client.get(reverse("payments:done", args=[booking.reference])).status_code
        == 404
    )


def test_paying_with_the_card_that_succeeds_confirms_and_shows_the_reference(hold):
    booking = hold()
    client = browser_of(booking)

    response = client.post(pay_url(booking), {"card_number": VISA})

    done = reverse("payments:done", args=[booking.reference])
    assert response.status_code == 302 and response["Location"] == done
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    page = client.get(done).content.decode()
    assert "Your booking is confirmed" in page
    assert booking.reference in page
    # Paying again is not possible: the page now sends the guest to the confirmation.
    assert client.get(pay_url(booking))["Location"] == done


def test_a_declined_card_shows_an_error_tied_to_the_field(hold):
    booking = hold()

    response = browser_of(booking).post(pay_url(booking), {"card_number": DECLINED})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Your card was declined." in html
    assert 'aria-invalid="true"' in html
    assert re.search(r'aria-describedby="card-help card-error"', html)
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD


def test_a_number_that_is_not_a_test_card_is_refused_before_any_gateway_call(hold):
    booking = hold()

    response = browser_of(booking).post(
        pay_url(booking), {"card_number": "5555 5555 5555 4444"}
    )

    assert response.status_code == 400
    assert "use one of the test cards" in response.content.decode()
    assert Payment.objects.get(booking=booking).attempts == 0


def test_the_card_that_needs_authentication_goes_through_the_authentication_step(hold):
    booking = hold()
    client = browser_of(booking)

    response = client.post(pay_url(booking), {"card_number": AUTHENTICATE})
    step = reverse("payments:authenticate", args=[booking.reference])
    assert response["Location"] == step
    assert "Complete authentication" in client.get(step).content.decode()

    done = client.post(step, {"action": "approve"})

    assert done["Location"] == reverse("payments:done", args=[booking.reference])
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_failed_authentication_keeps_the_hold_and_lets_the_guest_retry(hold):
    booking = hold()
    client = browser_of(booking)
    client.post(pay_url(booking), {"card_number": AUTHENTICATE})

    response = client.post(
        reverse("payments:authenticate", args=[booking.reference]), {"action": "fail"}
    )

    assert response.status_code == 400
    assert "failed authentication" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.HELD
    retry = client.post(pay_url(booking), {"card_number": VISA})
    assert retry.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_retrying_declined_cards_cannot_hold_the_rooms_forever(hold, settings):
    settings.BOOKING_HOLD_MAX_EXTENSIONS = 2
    booking = hold()
    client = browser_of(booking)

    for _ in range(5):
        client.post(pay_url(booking), {"card_number": DECLINED})

    booking.refresh_from_db()
    assert booking.hold_extensions == 2
    assert Payment.objects.get(booking=booking).attempts == 5


def test_an_expired_hold_cannot_be_paid_from_the_page(hold):
    booking = hold()
    make_overdue(booking)

    response = browser_of(booking).get(pay_url(booking))

    assert response.status_code == 409
    assert "expired" in response.content.decode()


def test_no_card_number_is_stored_or_logged(hold, caplog):
    caplog.set_level(logging.DEBUG)
    booking = hold()

    browser_of(booking).post(pay_url(booking), {"card_number": VISA})
    browser_of(booking).get(reverse("payments:done", args=[booking.reference]))

    stored = " ".join(
        str(list(model.objects.values()))
        for model in (Payment, SimulatedObject, GatewayEvent, Booking)
    )
    for text in (stored, caplog.text):
        assert "4242424242424242" not in text
        assert "4242 4242" not in text


def test_pay_at_hotel_keeps_a_card_and_the_hotel_charges_a_no_show_fee(
    hold, pay_at_hotel_plan, hotel
):
    hotel.same_day_cutoff = time(23, 59, 59)  # arrive today whatever the hour
    hotel.save()
    booking = hold(offset=0, nights=2, rate_plan_id=pay_at_hotel_plan.pk)
    client = browser_of(booking)
    html = client.get(pay_url(booking)).content.decode()
    assert "Guarantee your booking with a card" in html

    client.post(pay_url(booking), {"card_number": AUTHENTICATE})
    client.post(
        reverse("payments:authenticate", args=[booking.reference]),
        {"action": "approve"},
    )

    guarantee = Payment.objects.get(booking=booking)
    assert guarantee.kind == Payment.Kind.GUARANTEE
    assert guarantee.status == Payment.Status.SUCCEEDED
    assert guarantee.payment_method_id.startswith("pm_")
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED

    booking_mark_no_show(booking_id=booking.pk)
    fee = charge_no_show_fee(booking_id=booking.pk)
    again = charge_no_show_fee(booking_id=booking.pk)

    assert fee.pk == again.pk
    assert fee.kind == Payment.Kind.NO_SHOW_FEE
    assert fee.status == Payment.Status.SUCCEEDED
    assert fee.amount == booking.nightly_prices[0] * booking.rooms


def test_with_stripe_keys_the_page_offers_the_payment_element(fake_stripe, hold):
    booking = hold()

    html = browser_of(booking).get(pay_url(booking)).content.decode()

    payment = Payment.objects.get(booking=booking)
    assert "https://js.stripe.com/v3/" in html
    assert f'data-client-secret="{payment.client_secret}"' in html
    assert 'data-stripe-key="pk_test_fake"' in html
    assert 'name="card_number"' not in html  # card fields come from Stripe only
    assert "<noscript>" in html


def test_every_page_says_test_mode_while_the_test_gateway_serves(client, settings):
    assert "TEST MODE" in client.get("/").content.decode()
    settings.STRIPE_SECRET_KEY = "sk_live_example"
    assert "TEST MODE" not in client.get("/").content.decode()


def test_the_admin_charges_the_no_show_fee_to_the_kept_card(
    hold, pay_at_hotel_plan, hotel, admin_client
):
    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    booking = hold(offset=0, nights=1, rate_plan_id=pay_at_hotel_plan.pk)
    browser_of(booking).post(pay_url(booking), {"card_number": VISA})
    guarantee = Payment.objects.get(booking=booking)
    url = reverse("admin:payments_payment_changelist")

    early = admin_client.post(
        url,
        {"action": "charge_no_show_fee", "_selected_action": [guarantee.pk]},
        follow=True,
    )
    assert "Mark the booking as a no-show" in early.content.decode()

    booking_mark_no_show(booking_id=booking.pk)
    done = admin_client.post(
        url,
        {"action": "charge_no_show_fee", "_selected_action": [guarantee.pk]},
        follow=True,
    )

    assert "1 no-show fee(s) charged." in done.content.decode()
    fee = Payment.objects.get(booking=booking, kind=Payment.Kind.NO_SHOW_FEE)
    assert fee.status == Payment.Status.SUCCEEDED
    assert fee.resolution == Payment.Resolution.COLLECTED


def test_without_stripe_keys_and_without_the_test_gateway_payments_are_refused_calmly(
    hold, settings, client
):
    settings.PAYMENTS_TEST_GATEWAY = False  # as in production
    booking = hold()

    response = browser_of(booking).get(pay_url(booking))

    assert response.status_code == 503
    assert "Payments are not configured on this site." in response.content.decode()
    assert not Payment.objects.exists()
    home = client.get("/")
    assert home.status_code == 200 and "TEST MODE" not in home.content.decode()


def test_a_guest_back_on_the_page_mid_authentication_can_continue_it(hold):
    booking = hold()
    client = browser_of(booking)
    client.post(pay_url(booking), {"card_number": AUTHENTICATE})

    html = client.get(pay_url(booking)).content.decode()

    assert reverse("payments:authenticate", args=[booking.reference]) in html
