"""The confirmation e-mail says where, when, what was paid, the terms, with an .ics."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from core.money import format_money
from payments.tests.factories import pay

pytestmark = pytest.mark.django_db


def test_the_confirmation_carries_terms_payment_contact_times_and_a_calendar(
    emails, relayed, hold, hotel
):
    hotel.address = "1 Sejong-daero"
    hotel.phone = "+82 2 0000 0000"
    hotel.email = "desk@hotel.example"
    hotel.save()
    with relayed():
        booking = hold(offset=10)
    emails.clear()

    with relayed():
        pay(booking)

    [message] = [m for m in emails if "confirmed" in m.subject.lower()]
    deadline = booking.check_in - timedelta(days=7)
    half = booking.check_in - timedelta(days=2)
    for body in (message.body, message.alternatives[0][0]):
        assert f"Paid online: {format_money(200_000, 'KRW')}" in body
        assert (
            f"Free cancellation until {deadline:%b} {deadline.day}, {deadline.year}"
            in body
        )
        assert "(Asia/Seoul)" in body
        assert f"50% refund until {half:%b} {half.day}, {half.year}" in body
        assert "1 Sejong-daero" in body
        assert "+82 2 0000 0000" in body
        assert "from 3:00" in body and "until 11:00" in body
    [(name, content, mime)] = message.attachments
    assert name == f"innkeep-{booking.reference}.ics"
    assert mime.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.date(), start.hour, str(start.tzinfo)) == (
        booking.check_in,
        15,
        "Asia/Seoul",
    )
    assert (end.date(), end.hour) == (booking.check_out, 11)
    assert event["location"] == "1 Sejong-daero, " + hotel.city


def test_a_pay_at_hotel_confirmation_says_what_is_due_at_the_hotel(
    emails, relayed, hold, pay_at_hotel_plan
):
    from booking.services import booking_confirm

    with relayed():
        booking = hold(offset=10, rate_plan_id=pay_at_hotel_plan.pk)
        booking_confirm(booking_id=booking.pk)

    [message] = [m for m in emails if "confirmed" in m.subject.lower()]
    due = format_money(200_000, "KRW")
    assert f"Nothing paid online. To pay at the hotel: {due}" in message.body
    assert f"Due at the hotel: {due}" in message.body
