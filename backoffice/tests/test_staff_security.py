import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enrolment import enrolment_code_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return get_user_model().objects.create_user(
        username="clerk", password="a-long-passphrase", is_staff=True, is_superuser=True
    )


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(client, password="a-long-passphrase"):
    return client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": password, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
    )


# No growing delay after the wrong code, so the right one is checked at once.
@override_settings(ADMIN_REQUIRE_2FA=True, OTP_TOTP_THROTTLE_FACTOR=0)
def test_staff_enrol_an_authenticator_then_need_its_code_to_enter(client, clerk):
    response = login(client)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:two_factor"))
    assert client.get(reverse("admin:index")).status_code == 302

    # The password alone shows no key: the page asks for the enrolment code first.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'id="secret"' not in page.content.decode()
    _, enrolment = enrolment_code_issue(user=clerk, issued_by=None)
    entered = client.post(reverse("admin:two_factor"), {"code": enrolment})
    assert entered.status_code == 302
    page = client.get(reverse("admin:two_factor"))
    html = page.content.decode()
    assert "<svg" in html and 'id="secret"' in html
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)

    wrong = client.post(reverse("admin:two_factor"), {"token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302

    right = client.post(reverse("admin:two_factor"), {"token": code(device)})
    assert right.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # The next sign-in asks for the code of the enrolled device; no new enrolment.
    client.logout()
    login(client)
    page = client.get(reverse("admin:two_factor"))
    assert "Scan this code" not in page.content.decode()
    assert TOTPDevice.objects.filter(user=clerk).count() == 1


def test_without_the_setting_a_password_is_enough(client, clerk):
    login(client)
    assert client.get(reverse("admin:index")).status_code == 200


def test_repeated_wrong_passwords_lock_the_account_out(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, password="guess")
        assert response.status_code == 200
    assert login(client, password="guess").status_code == 429

    response = login(client)

    assert response.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302
    # Another address is not locked out by this one's attempts.
    other = client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": "a-long-passphrase", "next": "/admin/"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert other.status_code == 302


def test_one_address_trying_many_usernames_is_stopped(client, clerk, settings):
    settings.RATELIMIT_ADMIN_LOGIN = "12/10m"
    for number in range(12):
        response = login_as(client, f"user{number}", "guess")
        assert response.status_code == 200  # the form again: wrong credentials

    sprayed = login_as(client, "user12", "guess")
    right = login_as(client, "clerk", "a-long-passphrase")

    assert sprayed.status_code == 429
    assert right.status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302
    other = login_as(client, "clerk", "a-long-passphrase", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302  # another address is not stopped by this one


def login_as(client, username, password, **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )
