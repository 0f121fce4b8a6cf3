"""One cancellation, one refund figure: the site, the partner API, the front desk, the
booking's admin page, the dashboard and the guest's e-mail read the same amount
(payments.selectors.booking_refund), which is what actually comes back."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Partner
from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory
from api.booking_serializers import BookingSerializer
from backoffice.dashboard import hotel_figures
from booking.models import Booking, BookingStatus
from booking.services import booking_confirm
from booking.tests.factories import browser_of
from core.money import format_money
from hotels.tests.factories import staff
from payments.models import Refund
from payments.services import refund_create
from payments.tests.factories import pay

pytestmark = pytest.mark.django_db


def krw(amount: int) -> str:
    return format_money(amount, "KRW")


@pytest.fixture
def desk(client, hotel):
    """The hotel's owner at the front desk."""
    client.force_login(staff("owner", hotel, role="owner"))
    return client


def cancel_at_the_desk(desk, booking):
    response = desk.post(
        reverse("admin:hotels_hotel_frontdesk", args=[booking.hotel_id]),
        {"booking": booking.pk, "action": "cancel", "reason": "Plans changed"},
        follow=True,
    )
    return [str(m) for m in response.context["messages"]]


def site_page(booking) -> str:
    return (
        browser_of(booking)
        .get(reverse("booking:detail", args=[booking.reference]))
        .content.decode()
    )


def admin_page(desk, booking) -> str:
    return desk.get(
        reverse("admin:booking_booking_change", args=[booking.pk])
    ).content.decode()


def dashboard_refunded(booking) -> int:
    return hotel_figures(booking.hotel, start=booking.check_in, days=1).refunded


def test_a_paid_booking_with_an_earlier_refund_shows_what_actually_comes_back(
    desk, hold, emails, relayed
):
    booking = hold(offset=10)  # ₩200,000; the policy gives 100% ten days ahead
    pay(booking)
    payment = booking.payments.get()
    refund_create(payment_id=payment.pk, amount=30_000, reason="Goodwill")

    with relayed():
        said = cancel_at_the_desk(desk, booking)

    # What the card gets back: the policy's ₩200,000, at most the ₩170,000 still paid.
    refund = Refund.objects.get(payment=payment, purpose=Refund.Purpose.CANCELLATION)
    assert refund.amount == 170_000
    assert any(
        f"{booking.reference} cancelled; {krw(170_000)} goes back to the guest's card"
        in text
        for text in said
    ), said
    assert f"Refund: {krw(170_000)}" in site_page(booking)
    assert f"We are refunding {krw(170_000)}" in emails[-1].body
    assert f"{krw(170_000)} goes back to the guest&#x27;s card" in admin_page(
        desk, booking
    )
    assert dashboard_refunded(booking) == 170_000


def test_a_partner_booking_reads_the_policys_share_on_every_page(
    desk, rate_plan, today, emails, relayed
):
    agency = PartnerFactory(kind=Partner.Kind.DISTRIBUTION, name="Globe Travel")
    api = APIClient()
    api.credentials(
        HTTP_X_API_KEY=partner_key_create(
            partner=agency, name="live", scopes=["booking"]
        )[1]
    )

    def post(url, body=None):
        return api.post(
            url, body or {}, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
        )

    check_in = today + timedelta(days=10)
    created = post(
        "/api/v1/bookings/",
        {
            "rate_plan": rate_plan.pk,
            "check_in": str(check_in),
            "check_out": str(check_in + timedelta(days=2)),
            "adults": 1,
            "guest": {"name": "Ada Lovelace", "email": "ada@example.com"},
        },
    ).json()
    reference = created["reference"]
    post(f"/api/v1/bookings/{reference}/confirm/")

    with relayed():
        cancelled = post(f"/api/v1/bookings/{reference}/cancel/").json()

    booking = Booking.objects.get(reference=reference)
    # The agency took the payment: under the policy it pays the whole ₩200,000 back.
    assert cancelled["refund_amount"] == 200_000
    page = site_page(booking)
    assert f"Refund: {krw(200_000)}" in page
    assert "paid back by Globe Travel, who took your payment" in page
    korean = browser_of(booking).get(
        reverse("booking:detail", args=[reference]), HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert "결제를 받은 Globe Travel에서 환불" in korean.content.decode()
    assert f"Globe Travel, who took your payment, pays {krw(200_000)} back" in (
        emails[-1].body
    )
    assert f"{krw(200_000)} paid back by Globe Travel" in admin_page(desk, booking)
    # Nothing came back through Innkeep: the dashboard counts it as the partner's.
    assert dashboard_refunded(booking) == 0
    figures = hotel_figures(booking.hotel, start=booking.check_in, days=1)
    assert figures.partner_refunds == 200_000
    assert not Refund.objects.exists()


def test_a_pay_at_hotel_booking_cancelled_at_the_desk_refunds_nothing(
    desk, hold, pay_at_hotel_plan, emails, relayed
):
    booking = hold(offset=10, rate_plan_id=pay_at_hotel_plan.pk)
    pay(booking)  # the card is kept as a guarantee, nothing is charged
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED

    with relayed():
        said = cancel_at_the_desk(desk, booking)

    assert any(
        f"{booking.reference} cancelled; nothing was paid online, so nothing is "
        "refunded." in text
        for text in said
    ), said
    assert "No refund is due" in site_page(booking)
    assert "Nothing was charged for this booking" in emails[-1].body
    assert dashboard_refunded(booking) == 0
    assert not Refund.objects.exists()


def test_a_booking_not_cancelled_answers_no_refund_without_a_query(hold):
    booking = hold()

    with CaptureQueriesContext(connection) as queries:
        data = BookingSerializer(booking).data

    assert data["refund_amount"] is None
    assert queries.captured_queries == []


def test_a_partner_bookings_cancel_page_shows_the_refund_it_then_gives(hold):
    agency = PartnerFactory(kind=Partner.Kind.DISTRIBUTION, name="Globe Travel")
    booking = hold(offset=5, partner=agency)  # the policy gives 50% five days ahead
    booking_confirm(booking_id=booking.pk)
    browser = browser_of(booking)
    cancel = reverse("booking:cancel", args=[booking.reference])

    html = browser.get(cancel).content.decode()
    shown = re.search(r'class="refund-amount">([^<]+)<', html)[1]
    done = browser.post(cancel, {"expected_refund": 100_000}, follow=True)

    assert shown == krw(100_000)
    assert "Globe Travel took your payment and pays it back to you" in html
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    text = done.content.decode()
    assert (
        f"Globe Travel, who took your payment, pays {krw(100_000)} back to you" in text
    )
    assert f"Refund: {krw(100_000)}" in text
