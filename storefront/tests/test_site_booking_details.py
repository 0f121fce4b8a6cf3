"""Booking on the site: Reserve → guest details → hold → payment → confirmation."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from booking.models import Booking, BookingStatus
from core.money import format_money
from core.testing import run_together
from inventory.models import Inventory
from inventory.tests.factories import RatePlanFactory, booked
from payments.tests.factories import VISA
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


def test_booking_holds_the_rooms_and_goes_to_payment(
    client, rate_plan, room_type, today
):
    user = User.objects.create_user("grace", "grace@example.com", "pw")
    client.force_login(user)
    check_in = today + timedelta(days=12)

    response = book(client, rate_plan, check_in)

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:pay", args=[booking.reference])
    assert booking.status == BookingStatus.HELD
    assert (booking.user, booking.source) == (user, "site")
    assert booking.guest_name == "Ada Lovelace"
    assert booking.special_requests == "A quiet room, please."
    assert booking.idempotency_scope == f"site-user:{user.pk}"
    assert booked(room_type, check_in) == 1
    payment_page = client.get(response["Location"])
    assert payment_page.status_code == 200
    assert "Your rooms are held until" in payment_page.content.decode()


def test_the_booking_keeps_the_language_the_guest_booked_in(rate_plan, today):
    client = Client(HTTP_ACCEPT_LANGUAGE="ko")

    book(client, rate_plan, today + timedelta(days=12))

    assert Booking.objects.get().language == "ko"


def test_paying_with_the_test_card_confirms_and_shows_the_reference(
    client, rate_plan, today
):
    book(client, rate_plan, today + timedelta(days=12))
    booking = Booking.objects.get()

    response = client.post(
        reverse("payments:pay", args=[booking.reference]), {"card_number": VISA}
    )
    page = client.get(response["Location"]).content.decode()

    assert Booking.objects.get().status == BookingStatus.CONFIRMED
    assert "Your booking is confirmed" in page
    assert booking.reference in page
    assert reverse("booking:detail", args=[booking.reference]) in page


def test_a_pay_at_hotel_rate_goes_to_the_card_guarantee(
    client, room_type, policy, today
):
    plan = RatePlanFactory(
        room_type=room_type, cancellation_policy=policy, payment_mode="pay_at_hotel"
    )

    response = book(client, plan, today + timedelta(days=12))
    booking = Booking.objects.get()
    page = client.get(response["Location"]).content.decode()
    kept = client.post(response["Location"], {"card_number": VISA})

    assert "Guarantee your booking with a card" in page
    assert kept.status_code == 302
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_posting_the_same_form_again_returns_the_same_booking(
    client, rate_plan, room_type, today
):
    check_in = today + timedelta(days=12)

    first = book(client, rate_plan, check_in)
    second = book(client, rate_plan, check_in)

    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1
    assert booked(room_type, check_in) == 1


def test_the_same_key_with_other_details_points_to_the_first_booking(
    client, rate_plan, today
):
    check_in = today + timedelta(days=12)
    book(client, rate_plan, check_in)
    first = Booking.objects.get()

    response = book(client, rate_plan, check_in, guest={"name": "Ada King"})

    html = response.content.decode()
    assert response.status_code == 400
    assert Booking.objects.count() == 1
    assert "already used for a booking with other details" in html
    assert reverse("booking:detail", args=[first.reference]) in html
    new_key = re.search(r'name="key"[^>]*value="([^"]+)"', html)
    new_key = new_key or re.search(r'value="([^"]+)"[^>]*name="key"', html)
    assert new_key[1] != "k" * 20  # a new key: sending again makes a new booking
    assert book(client, rate_plan, check_in, key=new_key[1]).status_code == 302
    assert Booking.objects.count() == 2


def test_another_browser_cannot_replay_a_key_to_get_someone_elses_booking(
    rate_plan, today
):
    check_in = today + timedelta(days=12)
    book(Client(), rate_plan, check_in)
    intruder = Client()

    response = book(intruder, rate_plan, check_in)

    assert Booking.objects.count() == 2  # its own scope: its own booking
    first = Booking.objects.order_by("pk").first()
    assert reverse("payments:pay", args=[first.reference]) != response["Location"]
    detail = reverse("booking:detail", args=[first.reference])
    assert intruder.get(detail).status_code == 404


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


def test_a_restriction_is_explained(client, rate_plan, room_type, today):
    check_in = today + timedelta(days=10)
    Inventory.objects.filter(room_type=room_type, date=check_in).update(min_stay=3)

    sent = book(client, rate_plan, check_in, nights=2)

    assert sent.status_code == 409
    assert "Stays arriving that day are at least 3 nights." in sent.content.decode()


def test_booking_posts_are_rate_limited(client, settings, rate_plan, today):
    settings.RATELIMIT_BOOKING = "2/m"
    check_in = today + timedelta(days=10)

    statuses = [
        book(client, rate_plan, check_in, key=f"key-number-{i:010d}").status_code
        for i in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Booking.objects.count() == 2


def test_an_overdue_hold_says_so_and_offers_the_same_stay_again(
    client, rate_plan, today
):
    from booking.tests.factories import make_overdue

    check_in = today + timedelta(days=10)
    book(client, rate_plan, check_in, rooms=1, adults=2)
    booking = Booking.objects.get()
    make_overdue(booking)

    pay_page = client.get(reverse("payments:pay", args=[booking.reference]))
    detail = client.get(reverse("booking:detail", args=[booking.reference]))

    for response in (pay_page, detail):
        html = response.content.decode()
        assert "Your hold has expired" in html
        assert (
            f"/hotels/{booking.hotel.slug}/?check_in={check_in.isoformat()}"
            f"&amp;check_out={booking.check_out.isoformat()}&amp;adults=2"
            f"&amp;children=0&amp;rooms=1#rooms"
        ) in html
        assert 'name="card_number"' not in html


def test_an_expired_booking_offers_to_try_again_on_the_confirmation_page(
    client, rate_plan, today
):
    from booking.services import booking_expire
    from booking.tests.factories import make_overdue

    book(client, rate_plan, today + timedelta(days=10))
    booking = Booking.objects.get()
    make_overdue(booking)
    booking_expire(booking_id=booking.pk)

    response = client.get(
        reverse("payments:pay", args=[booking.reference]), follow=True
    )

    html = response.content.decode()
    assert "Your hold has expired" in html
    assert "Try again for the same stay" in html


def test_the_payment_page_counts_down_in_the_readers_language(client, rate_plan, today):
    book(client, rate_plan, today + timedelta(days=10))
    booking = Booking.objects.get()

    html = client.get(
        reverse("payments:pay", args=[booking.reference]), HTTP_ACCEPT_LANGUAGE="ko"
    ).content.decode()

    local = booking.held_until.astimezone(booking.hotel.tz)
    assert f'datetime="{local.isoformat()}"' in html
    assert 'data-left-text="{time} 남음"' in html
    assert "js/hold-countdown.js" in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_a_double_clicked_book_button_makes_one_booking(rate_plan, room_type, today):
    check_in = today + timedelta(days=10)
    browser = Client()
    browser.get(reverse("booking:new"), reserve(rate_plan, check_in))  # session made
    cookies = browser.cookies

    def click(_):
        clicker = Client()
        clicker.cookies = cookies
        return book(clicker, rate_plan, check_in)

    outcomes = run_together(2, click)

    assert [o.error for o in outcomes] == [None, None]
    assert [o.value.status_code for o in outcomes] == [302, 302]
    booking = Booking.objects.get()
    assert {o.value["Location"] for o in outcomes} == {
        reverse("payments:pay", args=[booking.reference])
    }
    assert booked(room_type, check_in) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("races")
def test_lock_contention_asks_the_guest_to_try_again(
    settings, rate_plan, room_type, today
):
    settings.INVENTORY_LOCK_TIMEOUT_MS = 200
    check_in = today + timedelta(days=10)
    locked, release = threading.Event(), threading.Event()

    def hold_the_rows():
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM inventory_inventory WHERE room_type_id = %s"
                    " FOR UPDATE",
                    [room_type.pk],
                )
            locked.set()
            release.wait(10)
        connection.close()

    blocker = threading.Thread(target=hold_the_rows)
    blocker.start()
    locked.wait(10)
    try:
        response = book(Client(), rate_plan, check_in)
    finally:
        release.set()
        blocker.join()

    assert response.status_code == 503
    assert "Please try again in a moment." in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_booking_post_runs_a_fixed_handful_of_queries(
    client, rate_plan, today, django_assert_max_num_queries
):
    check_in = today + timedelta(days=10)
    client.get(reverse("booking:new"), reserve(rate_plan, check_in))  # the session

    # Plan, key lookup, lock_timeout + now(), lock, take + insert, session; in tests each
    # transaction is a savepoint pair as well.
    with django_assert_max_num_queries(10):
        response = book(client, rate_plan, check_in)

    assert response.status_code == 302
