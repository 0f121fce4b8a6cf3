"""Accounts with django-allauth: e-mail sign-in, verification, rate-limited sign-in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_sign_up_sends_a_verification_email_and_the_link_signs_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )

    assert response.status_code == 302
    assert User.objects.filter(email="new@example.com").exists()
    [message] = mail.outbox
    link = re.search(
        r"https?://[^/]+(/accounts/confirm-email/\S+/)", message.body
    ).group(1)
    assert client.get(reverse("booking:mine")).status_code == 302  # not verified yet
    client.post(link)
    assert client.get(reverse("booking:mine")).status_code == 200


def test_sign_in_by_email_and_errors_are_tied_to_the_form(client):
    user = User.objects.create_user("grace", "grace@example.com", "right-pass-phrase")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )

    wrong = client.post(
        reverse("account_login"), {"login": "grace@example.com", "password": "nope"}
    )
    right = client.post(
        reverse("account_login"),
        {"login": "grace@example.com", "password": "right-pass-phrase"},
    )

    assert wrong.status_code == 200 and 'role="alert"' in wrong.content.decode()
    assert right.status_code == 302
    assert right["Location"] == reverse("booking:mine")


def test_sign_in_attempts_beyond_the_limit_get_the_friendly_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    User.objects.create_user("grace", "grace@example.com", "right-pass-phrase")

    def attempt(password="x"):
        return client.post(
            reverse("account_login"),
            {"login": "grace@example.com", "password": password},
        )

    statuses = [attempt().status_code for _ in range(3)]
    blocked = attempt("right-pass-phrase")

    assert statuses == [200, 200, 200]
    assert blocked.status_code == 429
    assert "Too many tries in a short time" in blocked.content.decode()


def test_failed_sign_ins_for_one_account_lock_it_for_a_while(client):
    user = User.objects.create_user("grace", "grace@example.com", "right-pass-phrase")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": "grace@example.com", "password": "x"}
        )

    right = client.post(
        reverse("account_login"),
        {"login": "grace@example.com", "password": "right-pass-phrase"},
    )

    assert right.status_code == 200  # refused with a form error, not signed in
    assert "_auth_user_id" not in client.session


def test_password_reset_page_and_email(client):
    User.objects.create_user("grace", "grace@example.com", "right-pass-phrase")

    response = client.post(
        reverse("account_reset_password"), {"email": "grace@example.com"}
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
