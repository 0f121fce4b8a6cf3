"""Money in the admin: shown in the hotel's currency for the reader's language in lists,
forms and inlines, typed in major units and stored in minor units."""

import pytest

from backoffice.tests.world import form_data, url
from booking.models import Booking
from hotels.models import RoomType
from hotels.tests.factories import RoomTypeFactory, staff
from inventory.models import Inventory
from payments.models import Payment
from payments.tests.factories import PaymentFactory, RefundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eur_room_type(hotel):
    hotel.currency = "EUR"
    hotel.save(update_fields=["currency"])
    return RoomTypeFactory(hotel=hotel, name="Deluxe", base_price=13500)


def test_the_room_type_list_shows_the_base_price_in_the_hotels_currency(
    owner_client, eur_room_type
):
    response = owner_client.get(url(RoomType, "changelist"))

    html = response.content.decode()
    assert "€135.00" in html
    assert ">13500<" not in html


def test_the_change_form_shows_major_units_and_saving_135_00_stores_13500(
    owner_client, eur_room_type
):
    shown = owner_client.get(url(RoomType, "change", eur_room_type.pk))
    assert 'value="135.00"' in shown.content.decode()
    data = {**form_data(shown), "base_price": "142.50"}

    response = owner_client.post(url(RoomType, "change", eur_room_type.pk), data)

    assert response.status_code == 302
    assert RoomType.objects.get(pk=eur_room_type.pk).base_price == 14250


def test_more_decimals_than_the_currency_has_is_a_form_error_and_saves_nothing(
    owner_client, eur_room_type
):
    data = {
        **form_data(owner_client.get(url(RoomType, "change", eur_room_type.pk))),
        "base_price": "12.345",
    }

    response = owner_client.post(url(RoomType, "change", eur_room_type.pk), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["base_price"]
    assert errors == ["EUR amounts have at most 2 decimal places, e.g. 135.00."]
    assert RoomType.objects.get(pk=eur_room_type.pk).base_price == 13500


@pytest.mark.parametrize("typed", ["abc", "-5", "1e400", "NaN"])
def test_an_amount_that_is_not_one_is_a_form_error(owner_client, eur_room_type, typed):
    data = {
        **form_data(owner_client.get(url(RoomType, "change", eur_room_type.pk))),
        "base_price": typed,
    }

    response = owner_client.post(url(RoomType, "change", eur_room_type.pk), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["base_price"]
    assert RoomType.objects.get(pk=eur_room_type.pk).base_price == 13500


def test_a_zero_decimal_currency_takes_whole_units(owner_client, room_type):
    # The shared hotel sells in KRW, which has no minor unit.
    shown = form_data(owner_client.get(url(RoomType, "change", room_type.pk)))
    assert shown["base_price"] == "100000"
    data = {**shown, "base_price": "8619"}

    response = owner_client.post(url(RoomType, "change", room_type.pk), data)

    assert response.status_code == 302
    assert RoomType.objects.get(pk=room_type.pk).base_price == 8619
    data["base_price"] = "8619.5"
    refused = owner_client.post(url(RoomType, "change", room_type.pk), data)
    assert refused.context["adminform"].form.errors["base_price"] == [
        "KRW amounts have at most 0 decimal places, e.g. 8619."
    ]


def test_a_new_room_type_takes_the_currency_of_the_hotel_chosen(
    client, eur_room_type, hotel
):
    admin = staff("root", None)
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    data = {
        **form_data(client.get(url(RoomType, "add"))),
        "hotel": hotel.pk,
        "name_en": "Suite",
        "code": "suite",
        "max_occupancy": 2,
        "room_count": 1,
        "overbooking_percent": 0,
        "base_price": "99.90",
        "rooms-TOTAL_FORMS": 0,
        "rooms-INITIAL_FORMS": 0,
    }

    response = client.post(url(RoomType, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert RoomType.objects.get(code="suite").base_price == 9990


def test_bookings_show_total_and_nightly_prices_formatted(owner_client, hold):
    booking = hold(nights=2)
    booking_total = Booking.objects.get(pk=booking.pk).total

    listed = owner_client.get(url(Booking, "changelist")).content.decode()
    page = owner_client.get(url(Booking, "change", booking.pk)).content.decode()

    # 100,000 KRW a night, two nights; KRW has no minor unit.
    assert booking_total == 200_000
    assert "₩200,000" in listed
    assert "₩100,000, ₩100,000" in page
    assert "[100000, 100000]" not in page


def test_the_inventory_night_page_a_manager_only_views_shows_the_price(
    owner_client, room_type
):
    night = Inventory.objects.filter(room_type=room_type).first()

    page = owner_client.get(url(Inventory, "change", night.pk)).content.decode()

    assert "₩100,000" in page
    assert ">100000<" not in page


def test_payments_and_their_refund_inline_show_money_for_the_reader(owner_client, hold):
    booking = hold()
    payment = PaymentFactory(booking=booking, amount=200_000, currency="KRW")
    RefundFactory(payment=payment, amount=12_345)
    owner_client.cookies["django_language"] = "ko"

    listed = owner_client.get(url(Payment, "changelist")).content.decode()
    page = owner_client.get(url(Payment, "change", payment.pk)).content.decode()

    assert "₩200,000" in listed and "₩200,000" in page
    # The refund inline's amount, read-only, formatted too.
    assert "₩12,345" in page
    assert ">12345<" not in page
