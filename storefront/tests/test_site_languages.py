"""Every page of the booking flow reads in Korean and Traditional Chinese, with no English
sentence of the site's own left over (names of hotels and rooms stay as they are)."""

from datetime import time, timedelta
from urllib.parse import urlencode

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client
from django.urls import reverse

from booking.services import booking_check_in, booking_check_out
from booking.tests.factories import browser_of
from core.money import format_money
from payments.tests.factories import DECLINED, pay
from storefront.tests.site import GUEST_FORM, book, reserve

pytestmark = pytest.mark.django_db


def english_sentences() -> set[str]:
    """Return the site's own English strings that have no placeholder to fill in."""
    path = settings.BASE_DIR / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    return {
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and len(message.id) > 12
        and not any(mark in message.id for mark in "%{<")
    }


def untranslated(html: str) -> list[str]:
    main = html.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return sorted(s for s in english_sentences() if s in main)


@pytest.fixture
def pages(hold, rate_plan, hotel, today):
    """The booking flow's pages, each as (browser, url)."""
    hotel.same_day_cutoff = time(23, 59, 59)
    hotel.save()
    held = hold(offset=10)
    paid = hold(offset=12)
    pay(paid)
    stayed = hold(offset=0, nights=1)
    pay(stayed)
    booking_check_in(booking_id=stayed.pk)
    booking_check_out(booking_id=stayed.pk)
    change = {
        "check_in": paid.check_in,
        "check_out": paid.check_out + timedelta(days=1),
        "rooms": 1,
        "adults": 1,
    }
    return [
        (
            Client(),
            reverse("booking:new")
            + "?"
            + _query(reserve(rate_plan, today + timedelta(days=9))),
        ),
        (browser_of(held), reverse("payments:pay", args=[held.reference])),
        (browser_of(held), reverse("booking:detail", args=[held.reference])),
        (browser_of(paid), reverse("payments:done", args=[paid.reference])),
        (browser_of(paid), reverse("booking:detail", args=[paid.reference])),
        (browser_of(paid), reverse("booking:cancel", args=[paid.reference])),
        (
            browser_of(paid),
            reverse("booking:change", args=[paid.reference]) + "?" + _query(change),
        ),
        (browser_of(stayed), reverse("booking:review", args=[stayed.reference])),
    ]


def _query(data: dict) -> str:
    return urlencode(data)


@pytest.mark.parametrize("language", ["ko", "zh-hant"])
def test_the_booking_pages_have_no_english_left(pages, language):
    for browser, url in pages:
        response = browser.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}"' in html
        assert untranslated(html) == [], url


@pytest.mark.parametrize("language", ["ko", "zh-hant"])
def test_errors_of_the_flow_are_translated_too(hold, rate_plan, today, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    past = client.post(
        reverse("booking:new"),
        {**reserve(rate_plan, today - timedelta(days=3)), **GUEST_FORM},
    )
    held = hold()
    declined = browser_of(held).post(
        reverse("payments:pay", args=[held.reference]),
        {"card_number": DECLINED},
        HTTP_ACCEPT_LANGUAGE=language,
    )

    for response in (past, declined):
        assert untranslated(response.content.decode()) == []
    assert "Your card was declined" not in declined.content.decode()


def test_money_on_the_details_page_is_in_the_readers_format(rate_plan, today):
    html = (
        Client(HTTP_ACCEPT_LANGUAGE="ko")
        .get(reverse("booking:new"), reserve(rate_plan, today + timedelta(days=9)))
        .content.decode()
    )

    assert format_money(200_000, "KRW", "ko") in html


def test_booking_on_the_site_sends_the_held_email_in_the_page_language(
    emails, relayed, rate_plan, today
):
    with relayed():
        book(
            Client(HTTP_ACCEPT_LANGUAGE="zh-hant"),
            rate_plan,
            today + timedelta(days=9),
        )

    [message] = emails
    assert "保留" in message.subject
