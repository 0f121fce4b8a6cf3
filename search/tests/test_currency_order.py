"""Lowest price first compares prices across currencies by their exchange rate."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import ExchangeRate
from hotels.tests.factories import hotel_today
from inventory.rules import StayRequest
from search.hotels import HotelSearch, search_hotels
from search.tests.factories import search_params

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.SEARCH_CACHE_SECONDS = 0
    ExchangeRate.objects.create(currency="EUR", per_base=1)
    ExchangeRate.objects.create(currency="AUD", per_base="1.65")


def test_no_destination_lowest_price_puts_70_euros_before_746_australian_dollars(
    client, make_hotel
):
    sydney = make_hotel(name="Harbour", city="Sydney", currency="AUD", price=74_600)
    lisbon = make_hotel(name="Casa Azul", city="Lisbon", currency="EUR", price=7_000)
    check_in = hotel_today(lisbon) + timedelta(days=20)

    page = search_hotels(
        HotelSearch(stay=StayRequest(check_in, check_in + timedelta(days=1), 1, 2))
    )
    html = client.get(
        reverse("hotels:search"), search_params(check_in, nights=1, sort="price")
    ).content.decode()

    assert [r.hotel_id for r in page.results] == [lisbon.pk, sydney.pk]
    assert [r.currency for r in page.results] == ["EUR", "AUD"]  # shown as priced
    assert html.index("Casa Azul") < html.index("Harbour")


def test_a_currency_without_a_rate_comes_after_those_with_one(make_hotel):
    taipei = make_hotel(name="Tea House", city="Taipei", currency="TWD", price=100)
    lisbon = make_hotel(name="Casa Azul", city="Lisbon", currency="EUR", price=90_000)
    check_in = hotel_today(lisbon) + timedelta(days=20)

    page = search_hotels(
        HotelSearch(stay=StayRequest(check_in, check_in + timedelta(days=1), 1, 2))
    )

    assert [r.hotel_id for r in page.results] == [lisbon.pk, taipei.pk]
