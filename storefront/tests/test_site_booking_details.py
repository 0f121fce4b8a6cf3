"""Booking on the site, the details page: Reserve, the guest's form, and every error."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import User
from booking.models import Booking
from core.money import format_money
from inventory.models import Inventory
from storefront.tests.site import GUEST_FORM, book, reserve

pytestmark = pytest.mark.django_db


def test_each_rate_on_the_hotel_page_has_a_reserve_form_with_a_fresh_key(
    client, rate_plan, today
):
    check_in = today + timedelta(days=10)
    url = reverse("hotels:detail", args=[rate_plan.room_type.hotel.slug])
    query = {
        "check_in": check_in.isoformat(),
        "check_out": (check_in + timedelta(days=2)).isoformat(),
        "adults": 2,
        "rooms": 1,
    }

    first = client.get(url, query).content.decode()
    second = client.get(url, query).content.decode()

    assert f'action="{reverse("booking:new")}"' in first
    assert f'name="rate_plan" value="{rate_plan.pk}"' in first
    assert f'name="check_in" value="{check_in.isoformat()}"' in first
    keys = [
        re.search(r'name="key" value="([^"]+)"', page)[1] for page in (first, second)
    ]
    assert keys[0] != keys[1] and len(keys[0]) >= 16


def test_the_details_page_shows_the_stay_its_price_and_policy(client, rate_plan, today):
    check_in = today + timedelta(days=20)

    response = client.get(reverse("booking:new"), reserve(rate_plan, check_in))

    html = response.content.decode()
    assert response.status_code == 200
    assert format_money(200_000, "KRW") in html  # two nights at ₩100,000
    assert "Free cancellation until" in html
    assert 'name="key" value="kkkkkkkkkkkkkkkkkkkk"' in html
    for field in ("name", "email", "phone", "special_requests"):
        assert f'<label for="id_{field}">' in html
    assert Booking.objects.count() == 0  # looking holds nothing


def test_a_signed_in_guest_finds_the_form_filled_in(client, rate_plan, today):
    user = User.objects.create_user(
        "grace", "grace@example.com", "pw", first_name="Grace", last_name="Hopper"
    )
    client.force_login(user)

    html = client.get(
        reverse("booking:new"), reserve(rate_plan, today + timedelta(days=9))
    ).content.decode()

    assert 'value="Grace Hopper"' in html
    assert 'value="grace@example.com"' in html


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"offset": -3}, "Check-in cannot be in the past."),
        ({"nights": -1}, "Check-out must be after check-in."),
        ({"nights": 400}, "A stay can be at most 30 nights."),
        ({"rooms": 0}, "Book between 1 and 9 rooms."),
        ({"adults": 50}, "This room sleeps at most 2 guests."),
        ({"offset": 900}, "These dates are not on sale yet."),
    ],
)
def test_bad_input_shows_an_error_and_changes_nothing(
    client, rate_plan, room_type, today, change, message
):
    check_in = today + timedelta(days=change.pop("offset", 10))
    nights = change.pop("nights", 1)
    params = reserve(rate_plan, check_in, **change)
    params["check_out"] = (check_in + timedelta(days=nights)).isoformat()

    shown = client.get(reverse("booking:new"), params)
    sent = client.post(reverse("booking:new"), {**params, **GUEST_FORM})

    for response in (shown, sent):
        assert response.status_code == 400
        assert message in response.content.decode()
        assert 'role="alert"' in response.content.decode()
    assert Booking.objects.count() == 0
    assert not Inventory.objects.filter(booked__gt=0).exists()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"rate_plan": "x", "check_in": "yesterday", "rooms": "-"},
        {"rate_plan": 1, "check_in": "2026-13-45", "check_out": "", "adults": "many"},
        {"key": "<script>", "rate_plan": 1},
    ],
)
def test_garbage_in_the_booking_link_never_errors_500(client, rate_plan, params):
    for response in (
        client.get(reverse("booking:new"), params),
        client.post(reverse("booking:new"), {**params, **GUEST_FORM}),
    ):
        assert response.status_code == 400
        assert "incomplete" in response.content.decode()
    assert Booking.objects.count() == 0


def test_an_unknown_or_switched_off_rate_says_so(client, rate_plan, today):
    check_in = today + timedelta(days=10)
    unknown = client.get(
        reverse("booking:new"), {**reserve(rate_plan, check_in), "rate_plan": 999999}
    )
    rate_plan.is_active = False
    rate_plan.save()
    off = client.post(
        reverse("booking:new"), {**reserve(rate_plan, check_in), **GUEST_FORM}
    )

    assert unknown.status_code == 404
    assert "We could not find that room." in unknown.content.decode()
    assert off.status_code == 400
    assert "Not on sale for these dates." in off.content.decode()
    assert Booking.objects.count() == 0


def test_guest_detail_errors_are_tied_to_their_fields(client, rate_plan, today):
    response = book(
        client,
        rate_plan,
        today + timedelta(days=10),
        guest={"name": " ", "email": "not-an-email"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    for field in ("name", "email"):
        tag = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', html)[0]
        assert re.search(rf'aria-describedby="[^"]*id_{field}_error', tag)
        assert 'aria-invalid="true"' in tag
        assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert Booking.objects.count() == 0


def test_sold_out_says_so_in_plain_words_and_books_nothing(
    client, rate_plan, room_type, today
):
    check_in = today + timedelta(days=10)
    Inventory.objects.filter(room_type=room_type, date=check_in).update(rooms=0)

    shown = client.get(reverse("booking:new"), reserve(rate_plan, check_in))
    sent = book(client, rate_plan, check_in)

    assert "Sold out for these dates." in shown.content.decode()
    assert 'id="id_name"' not in shown.content.decode()  # no form to fill in vain
    assert sent.status_code == 409
    assert "Sold out for these dates." in sent.content.decode()
    assert Booking.objects.count() == 0


def test_a_rooms_sold_out_answer_is_a_short_page_without_a_quote(
    client, rate_plan, room_type, today, django_assert_max_num_queries
):
    check_in = today + timedelta(days=10)
    Inventory.objects.filter(room_type=room_type, date=check_in).update(rooms=0)
    client.get(reverse("booking:new"), reserve(rate_plan, check_in))  # the session

    # The hold's lock, its refusal, and one read of the hotel for the way back: the
    # quote and the full details page are not built again for a sold-out stay.
    with django_assert_max_num_queries(6):
        sent = book(client, rate_plan, check_in)

    html = sent.content.decode()
    assert sent.status_code == 409
    assert "Sold out for these dates." in html
    assert 'id="id_name"' not in html
    back = reverse("hotels:detail", args=[room_type.hotel.slug])
    assert f'href="{back}?check_in={check_in.isoformat()}' in html


def test_a_restriction_is_explained(client, rate_plan, room_type, today):
    check_in = today + timedelta(days=10)
    Inventory.objects.filter(room_type=room_type, date=check_in).update(min_stay=3)

    sent = book(client, rate_plan, check_in, nights=2)

    assert sent.status_code == 409
    assert "Stays arriving that day are at least 3 nights." in sent.content.decode()
