"""A hotel's closure tells each affected guest once, in their language, with a link that
cancels at a full refund: a page with one button (no JavaScript), refunding once."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from booking.events import dispatch_booking_event
from booking.models import BookingEmail, BookingStatus
from booking.services import (
    GuestDetails,
    booking_confirm,
    hotel_closure_create,
    hotel_deactivate,
    hotel_reactivate,
)
from core.models import OutboxEvent
from hotels.tests.factories import staff
from payments.models import Payment, Refund
from payments.services import cancel_booking_and_refund
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://innkeep\.example(/bookings/[^/\s]+/closure/\d+/[^/\s]+/)")


@pytest.fixture
def manager(hotel):
    return staff("manager", hotel, role="manager")


def guest(name):
    return GuestDetails(name=name, email=f"{name.lower()}@example.com")


def paid(booking):
    booking = booking_confirm(booking_id=booking.pk)
    PaymentFactory(booking=booking, resolution=Payment.Resolution.CONFIRMED)
    return booking


def test_every_affected_guest_is_emailed_once_in_their_language(
    emails, relayed, hold, hotel, manager
):
    with relayed():
        korean = paid(hold(offset=3, language="ko", guest=guest("Minji")))
        chinese = hold(offset=8, language="zh-hant", guest=guest("Mei"))
        english = paid(hold(offset=12, guest=guest("Ada")))
        cancelled = hold(offset=15, guest=guest("Gone"))
        cancel_booking_and_refund(booking_id=cancelled.pk)
    emails.clear()

    with relayed():
        hotel_deactivate(hotel=hotel, by=manager, reason="The owners retire.")

    assert sorted(m.to[0] for m in emails) == [
        "ada@example.com",
        "mei@example.com",
        "minji@example.com",
    ]
    sent = {
        e.booking_id: e.language
        for e in BookingEmail.objects.filter(kind="hotel_closed")
    }
    assert sent == {korean.pk: "ko", chinese.pk: "zh-hant", english.pk: "en"}
    by_guest = {m.to[0]: m for m in emails}
    assert "free of charge" in by_guest["ada@example.com"].subject
    assert "무료" in by_guest["minji@example.com"].subject
    assert "免費" in by_guest["mei@example.com"].subject
    for message in emails:
        assert LINK.search(message.body)
        assert "The owners retire." in message.body
        [(html, _)] = message.alternatives
        assert LINK.search(html)

    # A relay that publishes the events again sends nothing more.
    for event in OutboxEvent.objects.filter(event_type="hotel.deactivated"):
        dispatch_booking_event(
            event.aggregate_id, event.event_type, event.data, event_id=str(event.pk)
        )
    assert len(emails) == 3


def test_a_closure_emails_only_the_stays_on_its_nights(
    emails, relayed, hold, hotel, manager, today
):
    with relayed():
        inside = hold(offset=20, nights=3, guest=guest("Inside"))
        hold(offset=30, nights=2, guest=guest("Outside"))
    emails.clear()

    with relayed():
        hotel_closure_create(
            hotel=hotel,
            by=manager,
            start=today + timedelta(days=22),
            end=today + timedelta(days=25),
            reason="New lifts",
        )

    [message] = emails
    assert message.to == ["inside@example.com"]
    assert BookingEmail.objects.get(kind="hotel_closed").booking_id == inside.pk


def test_the_link_cancels_at_a_full_refund_once_without_javascript(
    emails, relayed, hold, hotel, manager
):
    # Check-in tomorrow: the policy alone would refund nothing.
    with relayed():
        booking = paid(hold(offset=1, guest=guest("Ada")))
    emails.clear()
    with relayed():
        hotel_deactivate(hotel=hotel, by=manager, reason="Flood")
    [message] = emails
    path = LINK.search(message.body).group(1)
    browser = Client()

    page = browser.get(path)
    booking.refresh_from_db()
    assert page.status_code == 200
    assert 'id="closure-cancel"' in page.content.decode()
    assert '<form method="post"' in page.content.decode()
    assert booking.status == BookingStatus.CONFIRMED  # a GET never cancels

    first = browser.post(path)
    second = Client().post(path)  # clicked again, from another tab or device

    assert first.status_code == 302
    assert first["Location"] == reverse("booking:detail", args=[booking.reference])
    assert second.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.refund_amount == booking.total
    [refund] = Refund.objects.filter(payment__booking=booking)
    assert refund.amount == booking.total
    assert "is cancelled" in browser.get(path).content.decode()


def test_a_tampered_or_foreign_link_finds_nothing(
    emails, relayed, hold, hotel, manager
):
    with relayed():
        booking = paid(hold(offset=4, guest=guest("Ada")))
        other = paid(hold(offset=6, guest=guest("Bob")))
    emails.clear()
    with relayed():
        hotel_deactivate(hotel=hotel, by=manager, reason="Flood")
    path = LINK.search(
        next(m for m in emails if m.to == ["ada@example.com"]).body
    ).group(1)

    tampered = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    foreign = path.replace(booking.reference, other.reference)

    for url in (tampered, foreign):
        assert Client().get(url).status_code == 404
        assert Client().post(url).status_code == 404
    booking.refresh_from_db()
    other.refresh_from_db()
    assert booking.status == other.status == BookingStatus.CONFIRMED


def test_after_reactivation_the_link_no_longer_refunds_in_full(
    emails, relayed, hold, hotel, manager
):
    with relayed():
        booking = paid(hold(offset=1, guest=guest("Ada")))
    emails.clear()
    with relayed():
        hotel_deactivate(hotel=hotel, by=manager, reason="Flood")
    path = LINK.search(emails[0].body).group(1)
    hotel_reactivate(hotel=hotel, by=manager)

    page = Client().get(path)
    refused = Client().post(path)

    assert page.status_code == 200
    assert "no longer cancels free of charge" in page.content.decode()
    assert refused.status_code == 409
    assert "no longer cancels free of charge" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert not Refund.objects.filter(payment__booking=booking).exists()
