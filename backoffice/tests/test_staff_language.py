"""Staff choose the back office's language; the admin then speaks it, Innkeep's own
labels and dates included."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from backoffice.tests.world import url
from booking.models import Booking
from core.money import format_money
from hotels.models import RoomType

pytestmark = pytest.mark.django_db


def test_a_staff_member_who_chose_korean_gets_the_admin_in_korean(
    owner_client, owner, hold, hotel
):
    booking = hold(offset=10)
    owner.preferred_language = "ko"
    owner.save(update_fields=["preferred_language"])

    response = owner_client.get(url(Booking, "changelist"))

    html = response.content.decode()
    assert response["Content-Language"] == "ko"
    # Innkeep's own labels: the model, a column, a choice and an action.
    assert "예약 번호" in html  # "reference"
    assert "보류 중(결제 대기)" in html  # "Held (awaiting payment)"
    assert "선택한 예약 체크인" in html  # "Check in selected bookings"
    # Dates read as Korean dates (year, month, day), not "화요일 1 12월 2026".
    check_in = booking.check_in
    assert f"{check_in.year}년 {check_in.month}월 {check_in.day}일" in html
    # The front desk's "today" too.
    desk = owner_client.get(reverse("admin:hotels_hotel_frontdesk", args=[hotel.pk]))
    assert "요일" in desk.content.decode() and "년" in desk.content.decode()


def test_the_header_switcher_saves_the_choice_and_the_admin_follows(
    owner_client, owner, room_type
):
    page = owner_client.get(url(RoomType, "changelist")).content.decode()
    assert 'id="bo-language"' in page and '<label for="bo-language">' in page

    response = owner_client.post(
        reverse("admin:language"),
        {"language": "zh-hant", "next": url(RoomType, "changelist")},
    )

    assert response.status_code == 302
    assert response["Location"] == url(RoomType, "changelist")
    assert get_user_model().objects.get(pk=owner.pk).preferred_language == "zh-hant"
    again = owner_client.get(url(RoomType, "changelist")).content.decode()
    assert "基本房價" in again  # "base price"
    assert format_money(100_000, "KRW", "zh-hant") in again
    assert 'lang="zh-hant"' in again


def test_an_unknown_language_is_refused_with_a_message_and_changes_nothing(
    owner_client, owner
):
    response = owner_client.post(
        reverse("admin:language"),
        {"language": "xx", "next": "https://evil.example/"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("admin:index")
    assert "Choose one of the languages offered." in response.content.decode()
    assert get_user_model().objects.get(pk=owner.pk).preferred_language == ""
