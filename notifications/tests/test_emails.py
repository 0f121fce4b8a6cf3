"""The guest's e-mails: one per event, in the booking's language, HTML and text, once."""

from datetime import time, timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.test import Client
from django.urls import reverse

from booking.events import BookingEvent, dispatch_booking_event
from booking.models import BookingEmail, BookingStatus
from booking.services import (
    booking_cancel,
    booking_change,
    booking_check_in,
    booking_check_out,
    booking_confirm,
    booking_expire,
)
from booking.tests.factories import make_overdue
from core.money import format_money
from payments.models import Payment
from payments.services import cancel_booking_and_refund
from payments.tasks import tell_guest_refunded
from payments.tests.factories import pay

pytestmark = pytest.mark.django_db


def html_of(message) -> str:
    [(html, mime)] = message.alternatives
    assert mime == "text/html"
    return html


def test_holding_sends_the_deadline_and_a_link_to_pay(emails, relayed, hold):
    with relayed():
        booking = hold(language="ko")

    [message] = emails
    assert message.to == ["ada@example.com"]
    assert booking.hotel.name in message.subject
    local = booking.held_until.astimezone(booking.hotel.tz)
    assert f"{local:%H:%M}" in message.subject or local.strftime("%-I:%M") in (
        message.subject
    )
    assert "https://innkeep.example/bookings/" in message.body
    assert "?next=pay" in message.body
    assert "<html" in html_of(message)
    assert BookingEmail.objects.get(booking=booking).language == "ko"


def test_each_event_has_its_email_in_the_guests_language(emails, relayed, hold, today):
    with relayed():
        booking = hold(offset=10, nights=2, language="ko")
    with relayed():
        booking_confirm(booking_id=booking.pk)
    with relayed():
        booking_change(booking_id=booking.pk, check_out=today + timedelta(days=13))
    with relayed():
        booking_cancel(booking_id=booking.pk)

    kinds = list(
        BookingEmail.objects.filter(booking=booking)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["held", "confirmed", "changed", "cancelled"]
    assert len(emails) == 4
    confirmed, changed, cancelled = emails[1], emails[2], emails[3]
    assert "예약 확정" in confirmed.subject
    assert "예약이 확정되었습니다" in confirmed.body
    assert format_money(300_000, "KRW", "ko") in changed.body
    assert "예약이 취소되었습니다" in cancelled.body
    for message in emails:
        assert booking.reference in message.body
        assert booking.reference in html_of(message)


def test_the_cancellation_email_says_what_comes_back(emails, relayed, hold):
    booking = hold(offset=5)
    pay(booking)

    with relayed():
        cancel_booking_and_refund(booking_id=booking.pk)

    # The relay sends what the booking's earlier events left too (not the "please pay").
    confirmed, message = emails
    assert "confirmed" in confirmed.subject and "cancelled" in message.subject
    assert f"We are refunding {format_money(100_000, 'KRW')}" in message.body


def test_a_cancelled_unpaid_booking_says_nothing_was_charged(emails, relayed, hold):
    booking = hold()
    with relayed():
        booking_cancel(booking_id=booking.pk)

    assert "Nothing was charged for this booking" in emails[-1].body


def test_an_expired_hold_sends_a_link_to_try_the_same_stay_again(emails, relayed, hold):
    booking = hold(offset=10, nights=2)
    make_overdue(booking)
    with relayed():
        booking_expire(booking_id=booking.pk)

    message = emails[-1]
    assert "Your hold has expired" in message.body
    assert (
        f"https://innkeep.example/hotels/{booking.hotel.slug}/"
        f"?check_in={booking.check_in.isoformat()}"
    ) in message.body


def test_after_check_out_the_guest_is_invited_to_review_with_a_working_link(
    emails, relayed, hold, hotel
):
    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    booking = hold(offset=0, nights=1)
    booking_confirm(booking_id=booking.pk)
    booking_check_in(booking_id=booking.pk)
    with relayed():
        booking_check_out(booking_id=booking.pk)

    message = emails[-1]
    assert "How was your stay" in message.subject
    link = next(w for w in message.body.split() if "next=review" in w)
    browser = Client()
    opened = browser.get(link.replace("https://innkeep.example", ""))
    assert opened["Location"] == reverse("booking:review", args=[booking.reference])
    assert browser.get(opened["Location"]).status_code == 200


def test_a_redelivered_event_sends_its_email_once(emails, hold):
    booking = hold()

    for _ in range(3):
        dispatch_booking_event(booking.pk, str(BookingEvent.HELD), {}, event_id="e1")

    assert len(emails) == 1
    assert BookingEmail.objects.filter(booking=booking).count() == 1


def test_two_changes_send_two_emails_but_a_redelivered_change_sends_none(emails, hold):
    booking = hold()
    booking_confirm(booking_id=booking.pk)
    data = {"old_total": 200_000, "new_total": 300_000}

    dispatch_booking_event(booking.pk, str(BookingEvent.CHANGED), data, event_id="a")
    dispatch_booking_event(booking.pk, str(BookingEvent.CHANGED), data, event_id="a")
    dispatch_booking_event(booking.pk, str(BookingEvent.CHANGED), data, event_id="b")

    assert len(emails) == 2


def test_a_please_pay_email_is_not_sent_once_the_booking_is_paid(emails, relayed, hold):
    with relayed():  # the relay comes by only after the payment landed
        booking = hold()
        booking_confirm(booking_id=booking.pk)

    assert [m.subject.split(":")[0] for m in emails] == ["Booking confirmed"]


def test_a_failed_send_is_not_recorded_so_the_retry_sends_it(emails, hold, settings):
    booking = hold()
    settings.EMAIL_BACKEND = "notifications.tests.test_emails.FailingBackend"

    with pytest.raises(Retry):  # Celery sends the task again later
        dispatch_booking_event(booking.pk, str(BookingEvent.HELD), {}, event_id="x")
    assert not BookingEmail.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    dispatch_booking_event(booking.pk, str(BookingEvent.HELD), {}, event_id="x")
    assert len(emails) == 1


class FailingBackend:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_a_booking_made_without_a_language_writes_in_english(emails, relayed, hold):
    with relayed():
        booking = hold()
    booking.refresh_from_db()

    assert booking.language == ""
    assert "are held until" in emails[0].subject
    assert booking.status == BookingStatus.HELD


def test_a_late_payment_refund_is_told_once_in_the_guests_language(hold):
    booking = hold(language="ko")
    pay(booking)
    payment = Payment.objects.get(booking=booking)
    mail.outbox.clear()

    tell_guest_refunded(payment.pk)
    tell_guest_refunded(payment.pk)  # a redelivered task

    [message] = mail.outbox
    assert booking.reference in message.subject
    assert "유지할 수 없었습니다" in message.subject
    assert format_money(payment.amount, "KRW", "ko") in message.body
    assert "<html" in html_of(message)


def test_a_partners_guest_is_not_asked_to_pay_for_a_hold_but_hears_of_the_booking(
    emails, relayed, rate_plan, today
):
    from dataclasses import replace

    from accounts.models import Partner
    from booking.services import booking_hold
    from booking.tests.factories import GUEST
    from inventory.rules import StayRequest

    partner = Partner.objects.create(name="Agency", slug="agency", kind="distribution")
    check_in = today + timedelta(days=10)
    with relayed():
        booking = booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=StayRequest(check_in, check_in + timedelta(days=1), 1, 1),
            guest=replace(GUEST, email="agency-guest@example.com"),
            source="partner",
            partner=partner,
        )
    # The partner collects from its customer: a "pay before the hold ends" e-mail
    # would ask them to pay twice.
    assert emails == []
    with relayed():
        booking_confirm(booking_id=booking.pk)
    with relayed():  # a second hold, let lapse: no "book again here" either
        lapsed = booking_hold(
            rate_plan_id=rate_plan.pk,
            stay=StayRequest(check_in, check_in + timedelta(days=2), 1, 1),
            guest=replace(GUEST, email="agency-guest@example.com"),
            source="partner",
            partner=partner,
        )
        make_overdue(lapsed)
        assert booking_expire(booking_id=lapsed.pk)

    assert [m.to for m in emails] == [["agency-guest@example.com"]]
    assert list(
        BookingEmail.objects.filter(booking=booking).values_list("kind", flat=True)
    ) == ["confirmed"]
