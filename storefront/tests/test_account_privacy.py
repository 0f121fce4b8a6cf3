"""My account: download my data (POST with CSRF), erase my account (password, tick)."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from booking.models import Booking
from booking.services import GuestDetails, booking_cancel
from privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(client):
    user = get_user_model().objects.create_user(
        "ada", email="ada@example.com", password="correct horse 9"
    )
    EmailAddress.objects.create(user=user, email="ada@example.com", verified=True)
    client.force_login(user)
    return user


def _guest(name, email):
    return GuestDetails(name=name, email=email, phone="010-1234-5678")


def test_the_download_is_a_json_file_of_my_bookings_only(client, ada, hold):
    mine = hold(guest=_guest("Ada L", "ada@example.com"), user=ada)
    other = hold(offset=30, guest=_guest("Bo K", "bo@example.com"))

    response = client.post(reverse("account:export"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    data = json.loads(response.content)
    assert [b["reference"] for b in data["bookings"]] == [mine.reference]
    assert other.reference not in response.content.decode()
    assert PrivacyRequest.objects.filter(action="export").count() == 1


def test_the_download_needs_a_post_with_the_csrf_token(ada, hold):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(ada)

    assert browser.get(reverse("account:export")).status_code == 405
    assert browser.post(reverse("account:export")).status_code == 403
    assert not PrivacyRequest.objects.exists()
    page = browser.get(reverse("account:mine"))
    assert page.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in page.content


def test_signed_out_visitors_are_sent_to_sign_in(client, hold):
    response = client.post(reverse("account:export"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not PrivacyRequest.objects.exists()


@pytest.mark.parametrize(
    "form, error",
    [
        ({"password": "wrong", "confirm": "on"}, b"This is not your password."),
        ({"password": "correct horse 9"}, b"field--error"),
        ({}, b"field--error"),
    ],
)
def test_erasure_without_the_password_or_the_tick_changes_nothing(
    client, ada, form, error
):
    response = client.post(reverse("account:erase"), form)

    assert response.status_code == 400
    assert error in response.content
    assert get_user_model().objects.filter(pk=ada.pk).exists()
    assert not PrivacyRequest.objects.exists()


def test_erasure_is_refused_with_a_clear_message_while_a_stay_is_booked(
    client, ada, hold
):
    booking = hold(guest=_guest("Ada L", "ada@example.com"), user=ada)
    page = client.get(reverse("account:erase"))
    assert booking.reference.encode() in page.content  # warned before trying

    response = client.post(
        reverse("account:erase"), {"password": "correct horse 9", "confirm": "on"}
    )

    assert response.status_code == 409
    assert b"You have a stay that is booked or under way" in response.content
    assert Booking.objects.get(pk=booking.pk).guest_name == "Ada L"
    assert get_user_model().objects.filter(pk=ada.pk).exists()


def test_erasure_deletes_the_account_signs_out_and_anonymises_the_bookings(
    client, ada, hold
):
    booking = hold(guest=_guest("Ada L", "ada@example.com"), user=ada)
    booking_cancel(booking_id=booking.pk)

    response = client.post(
        reverse("account:erase"),
        {"password": "correct horse 9", "confirm": "on"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("hotels:home")
    assert b"Your account and your personal data have been erased." in response.content
    assert not get_user_model().objects.filter(pk=ada.pk).exists()
    assert not response.wsgi_request.user.is_authenticated
    assert Booking.objects.get(pk=booking.pk).guest_email == ""
    record = PrivacyRequest.objects.get(action="erasure")
    assert record.booking_references == [booking.reference]


def test_my_account_reads_in_korean(client, ada):
    response = client.get(reverse("account:mine"), HTTP_ACCEPT_LANGUAGE="ko")
    assert "내 데이터 다운로드" in response.content.decode()
    page = client.get(reverse("account:erase"), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert "刪除我的帳戶" in page.content.decode()
