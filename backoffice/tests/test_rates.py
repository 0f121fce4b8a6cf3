import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hotels.tests.factories import HotelFactory, RoomTypeFactory, hotel_today, staff
from inventory.models import Inventory, RateChange, RatePlan
from inventory.services import inventory_open
from inventory.tests.factories import RatePlanFactory

pytestmark = pytest.mark.django_db


def rates_url(hotel, month=None):
    url = reverse("admin:hotels_hotel_rates", args=[hotel.pk])
    return f"{url}?month={month:%Y-%m}" if month else url


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def prices(room_type, start, days):
    return list(
        Inventory.objects.filter(
            room_type=room_type, date__gte=start, date__lt=start + timedelta(days=days)
        )
        .order_by("date")
        .values_list("price", flat=True)
    )


@pytest.fixture
def suite(hotel, today):
    suite = RoomTypeFactory(hotel=hotel, name="Suite", room_count=2, base_price=200_000)
    inventory_open(room_type=suite, start=today, end=today + timedelta(days=60))
    return suite


@pytest.fixture
def plans(room_type, rate_plan):
    saver = RatePlanFactory(
        room_type=room_type, name="Saver", price_adjustment_bp=-1_000
    )
    return rate_plan, saver


def bulk(start, last, **fields):
    return {
        "start": start.isoformat(),
        "last": last.isoformat(),
        "weekdays": [1, 2, 3, 4, 5, 6, 7],
        **fields,
    }


def test_the_grid_shows_room_type_and_plan_prices_in_the_hotels_currency(
    owner_client, hotel, room_type, plans, today
):
    response = owner_client.get(rates_url(hotel))

    assert response.status_code == 200
    html = response.content.decode()
    [row] = response.context["rows"]
    cell = next(c for c in row["cells"] if c["night"] == today)
    assert cell["price"] == "₩100,000"
    saver = next(p for p in row["plans"] if p[0].name == "Saver")
    assert saver[1] == "-10%" and dict(saver[2])[today] == "₩90,000"
    assert 'name="price"' in html and 'value="100000"' in html


def test_preview_lists_old_and_new_per_type_night_and_plan_and_writes_nothing(
    owner_client, hotel, room_type, suite, plans, today
):
    start = today + timedelta(days=5)
    data = bulk(
        start,
        start + timedelta(days=2),
        action="preview",
        **{
            f"kind_{room_type.pk}": "percent",
            f"value_{room_type.pk}": "+10",
            f"kind_{suite.pk}": "amount",
            f"value_{suite.pk}": "20000",
            f"plan_{plans[1].pk}": "-15",
        },
    )

    response = owner_client.post(rates_url(hotel), data)

    assert response.status_code == 200
    html = response.content.decode()
    preview = response.context["preview"]
    assert (preview.changed, preview.unchanged, len(preview.plans)) == (6, 0, 1)
    assert "₩100,000 → <strong>₩110,000</strong>" in html
    assert "₩200,000 → <strong>₩220,000</strong>" in html
    # The saver plan: ₩90,000 (-10% of ₩100,000) becomes ₩93,500 (-15% of ₩110,000).
    assert "₩90,000 → ₩93,500" in html
    assert "Saver: rule -10% → -15%" in html
    assert set(prices(room_type, start, 3)) == {100_000}
    assert RatePlan.objects.get(pk=plans[1].pk).price_adjustment_bp == -1_000
    assert not RateChange.objects.exists()
    assert re.search(r'name="digest" value="[0-9a-f]{32}"', html)


def apply_previewed(client, hotel, data):
    preview = client.post(rates_url(hotel), {**data, "action": "preview"})
    digest = preview.context["preview"].digest
    return client.post(rates_url(hotel), {**data, "action": "apply", "digest": digest})


def test_apply_after_the_preview_changes_every_night_and_plan_and_records_it(
    owner_client, owner, hotel, room_type, suite, plans, today
):
    start = today + timedelta(days=5)
    data = bulk(
        start,
        start + timedelta(days=6),
        weekdays=[6, 7],
        **{
            f"kind_{room_type.pk}": "set",
            f"value_{room_type.pk}": "120000",
            f"plan_{plans[1].pk}": "-15",
        },
    )

    response = apply_previewed(owner_client, hotel, data)

    assert response.status_code == 302
    for row in Inventory.objects.filter(
        room_type=room_type, date__range=(start, start + timedelta(days=6))
    ):
        assert row.price == (120_000 if row.date.isoweekday() in (6, 7) else 100_000)
    assert set(prices(suite, start, 7)) == {200_000}
    assert RatePlan.objects.get(pk=plans[1].pk).price_adjustment_bp == -1_500
    record = RateChange.objects.get()
    assert record.created_by == owner and len(record.nights) == 2
    assert "2 night(s) and 1 plan rule(s) changed" in messages_of(response)[0]


def test_prices_changed_since_the_preview_are_shown_again_and_nothing_is_written(
    owner_client, hotel, room_type, today
):
    start = today + timedelta(days=5)
    data = bulk(
        start,
        start + timedelta(days=1),
        **{f"kind_{room_type.pk}": "percent", f"value_{room_type.pk}": "10"},
    )
    preview = owner_client.post(rates_url(hotel), {**data, "action": "preview"})
    Inventory.objects.filter(room_type=room_type, date=start).update(price=50_000)

    response = owner_client.post(
        rates_url(hotel),
        {**data, "action": "apply", "digest": preview.context["preview"].digest},
    )

    assert response.status_code == 200
    assert "Prices changed since the preview" in response.content.decode()
    assert prices(room_type, start, 2) == [50_000, 100_000]
    assert "₩50,000 → <strong>₩55,000</strong>" in response.content.decode()
    assert not RateChange.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"kind": "percent", "value": "abc"}, "Enter a percentage"),
        ({"kind": "percent", "value": "-95"}, "between -90% and +500%"),
        ({"kind": "amount", "value": "-150000"}, "below zero"),
        ({"kind": "set", "value": "-1"}, "cannot be negative"),
        ({"kind": "set", "value": "12.5"}, "KRW has 0 decimal place(s)"),
        ({"kind": "", "value": "10"}, "Choose how to change"),
        ({"kind": "set", "value": ""}, "Enter the change"),
        ({"kind": "", "value": ""}, "Nothing to change"),
    ],
)
def test_bad_input_is_a_readable_error_and_changes_nothing(
    owner_client, hotel, room_type, today, fields, error
):
    start = today + timedelta(days=5)
    data = bulk(
        start,
        start + timedelta(days=3),
        action="preview",
        **{
            f"kind_{room_type.pk}": fields["kind"],
            f"value_{room_type.pk}": fields["value"],
        },
    )

    response = owner_client.post(rates_url(hotel), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert set(prices(room_type, start, 4)) == {100_000}


def test_a_past_first_night_or_a_reversed_range_is_refused(
    owner_client, hotel, room_type, today
):
    rule = {f"kind_{room_type.pk}": "percent", f"value_{room_type.pk}": "10"}
    past = owner_client.post(
        rates_url(hotel),
        bulk(today - timedelta(days=1), today, action="preview", **rule),
    )
    backwards = owner_client.post(
        rates_url(hotel),
        bulk(
            today + timedelta(days=3),
            today + timedelta(days=1),
            action="preview",
            **rule,
        ),
    )

    assert past.status_code == 400 and "cannot change" in past.content.decode()
    assert backwards.status_code == 400
    assert "The last night cannot be before the first." in backwards.content.decode()
    assert set(prices(room_type, today, 10)) == {100_000}


def test_money_is_typed_in_major_units_of_the_hotels_currency(client, settings):
    hotel = HotelFactory(currency="EUR", time_zone="Europe/Lisbon")
    room_type = RoomTypeFactory(hotel=hotel, base_price=9_000)
    today = hotel_today(hotel)
    inventory_open(room_type=room_type, start=today, end=today + timedelta(days=30))
    client.force_login(staff("lisbon", hotel, role="manager"))
    start = today + timedelta(days=2)

    response = apply_previewed(
        client,
        hotel,
        bulk(
            start,
            start,
            **{f"kind_{room_type.pk}": "amount", f"value_{room_type.pk}": "+20.50"},
        ),
    )
    night = client.post(
        rates_url(hotel),
        {
            "action": "night",
            "room_type": room_type.pk,
            "night": (start + timedelta(days=1)).isoformat(),
            "price": "120",
        },
    )
    three_decimals = client.post(
        rates_url(hotel),
        {
            "action": "night",
            "room_type": room_type.pk,
            "night": start,
            "price": "1.005",
        },
    )

    assert response.status_code == night.status_code == 302
    assert prices(room_type, start, 2) == [11_050, 12_000]
    assert messages_of(three_decimals)[-1] == "EUR has 2 decimal place(s)."


def test_one_night_saves_without_javascript_and_as_json_for_the_inline_edit(
    owner_client, hotel, room_type, plans, today
):
    night = today + timedelta(days=4)
    form = {"action": "night", "room_type": room_type.pk, "night": night.isoformat()}

    plain = owner_client.post(rates_url(hotel), {**form, "price": "130000"})
    inline = owner_client.post(
        rates_url(hotel),
        {**form, "price": "140000"},
        HTTP_ACCEPT="application/json",
    )

    assert plain.status_code == 302
    assert "is now ₩130,000" in messages_of(plain)[0]
    assert inline.status_code == 200
    body = inline.json()
    assert body["ok"] is True and body["price"] == "₩140,000"
    assert body["plans"][str(plans[1].pk)] == "₩126,000"
    assert prices(room_type, night, 1) == [140_000]


@pytest.mark.parametrize(
    "change",
    [
        {"price": "abc"},
        {"price": "-5"},
        {"night": "yesterday"},
        {"offset": -1},
        {"room_type": "other"},
    ],
)
def test_a_bad_single_night_is_a_message_and_changes_nothing(
    owner_client, hotel, room_type, today, change
):
    night = today + timedelta(days=change.get("offset", 4))
    room_type_id = (
        RoomTypeFactory().pk if change.get("room_type") == "other" else room_type.pk
    )
    data = {
        "action": "night",
        "room_type": room_type_id,
        "night": change.get("night", night.isoformat()),
        "price": change.get("price", "1"),
    }

    plain = owner_client.post(rates_url(hotel), data)
    inline = owner_client.post(rates_url(hotel), data, HTTP_ACCEPT="application/json")

    assert plain.status_code == 302 and messages_of(plain)
    assert inline.status_code == 400 and inline.json()["error"]
    assert set(prices(room_type, today - timedelta(days=1), 10)) == {100_000}


def test_undo_puts_back_the_old_prices_and_says_which_nights_changed_since(
    owner_client, hotel, room_type, plans, today
):
    start = today + timedelta(days=5)
    apply_previewed(
        owner_client,
        hotel,
        bulk(
            start,
            start + timedelta(days=2),
            **{
                f"kind_{room_type.pk}": "percent",
                f"value_{room_type.pk}": "10",
                f"plan_{plans[1].pk}": "-20",
            },
        ),
    )
    owner_client.post(
        rates_url(hotel),
        {
            "action": "night",
            "room_type": room_type.pk,
            "night": start,
            "price": "99000",
        },
    )
    record = RateChange.objects.get()

    page = owner_client.get(rates_url(hotel))
    assert f'id="change-{record.pk}"' in page.content.decode()
    response = owner_client.post(
        rates_url(hotel), {"action": "undo", "change": record.pk}
    )

    assert response.status_code == 302
    assert prices(room_type, start, 3) == [99_000, 100_000, 100_000]
    assert RatePlan.objects.get(pk=plans[1].pk).price_adjustment_bp == -1_000
    message = messages_of(response)[-1]
    assert "2 night(s) and 1 plan rule(s) put back" in message
    assert f"1 changed again since and kept their current value: {start}" in message
    again = owner_client.post(rates_url(hotel), {"action": "undo", "change": record.pk})
    assert messages_of(again)[-1] == "This change was already undone."
    garbled = owner_client.post(rates_url(hotel), {"action": "undo", "change": "x"})
    assert messages_of(garbled)[-1] == "No such rate change at this hotel."


def test_an_apply_without_its_preview_shows_the_preview_first(
    owner_client, hotel, room_type, today
):
    start = today + timedelta(days=5)
    data = bulk(
        start,
        start,
        action="apply",
        **{f"kind_{room_type.pk}": "percent", f"value_{room_type.pk}": "10"},
    )

    response = owner_client.post(rates_url(hotel), data)

    assert response.status_code == 200
    assert response.context["preview"].changed == 1
    assert prices(room_type, start, 1) == [100_000]
    assert not RateChange.objects.exists()


def test_the_front_desk_sees_rates_but_changes_nothing(client, hotel, room_type, today):
    client.force_login(staff("desk", hotel, role="front_desk"))
    start = today + timedelta(days=5)

    page = client.get(rates_url(hotel))
    post = client.post(
        rates_url(hotel),
        {"action": "night", "room_type": room_type.pk, "night": start, "price": "1"},
    )

    assert page.status_code == 200
    assert 'name="price"' not in page.content.decode()
    assert "Preview the changes" not in page.content.decode()
    assert post.status_code == 403
    assert prices(room_type, start, 1) == [100_000]


def test_staff_of_another_hotel_cannot_open_the_page(client, hotel, room_type):
    client.force_login(staff("stranger", HotelFactory()))

    assert client.get(rates_url(hotel)).status_code == 404
