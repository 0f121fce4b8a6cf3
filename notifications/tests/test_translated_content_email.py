"""The guest's e-mails name the hotel, room and plan in the guest's language."""

import pytest

from payments.tests.factories import pay

pytestmark = pytest.mark.django_db


def test_the_korean_confirmation_shows_the_korean_content_else_english(
    emails, relayed, hold, hotel, room_type, rate_plan
):
    hotel.name_ko = "서울 호텔"
    hotel.save()
    room_type.name_ko = "디럭스 더블"
    room_type.save()
    # The rate plan has no Korean name: its English one shows.
    with relayed():
        booking = hold(offset=10, language="ko")
    emails.clear()

    with relayed():
        pay(booking)

    [message] = emails
    assert "서울 호텔" in message.subject
    for body in (message.body, message.alternatives[0][0]):
        assert "서울 호텔" in body
        assert "디럭스 더블" in body
        assert rate_plan.name_en in body
        assert hotel.name_en not in body


def test_an_english_confirmation_keeps_the_english_content(
    emails, relayed, hold, hotel
):
    hotel.name_ko = "서울 호텔"
    hotel.save()
    with relayed():
        booking = hold(offset=10, language="en")
    emails.clear()

    with relayed():
        pay(booking)

    [message] = emails
    assert hotel.name_en in message.body and "서울" not in message.body
