"""The README's demo guest login works through the real sign-in form at once."""

import re
from io import StringIO
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse

from demo.users import DEMO_USERS

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def readme_guest_login() -> tuple[str, str]:
    text = " ".join(README.read_text().split())
    match = re.search(r"guest site's demo login is `([^`/]+)`/`([^`]+)`", text)
    assert match, "the README names the guest site's demo login"
    return match.group(1), match.group(2)


@pytest.mark.django_db
def test_the_readme_guest_login_signs_in_with_mandatory_verification(
    client, settings, media_root
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    call_command("seed_demo", hotels=1, days=2, stdout=StringIO())
    email, password = readme_guest_login()

    response = client.post(
        reverse("account_login"), {"login": email, "password": password}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("booking:mine")
    assert client.get(reverse("booking:mine")).status_code == 200
    address = EmailAddress.objects.get(email=email)
    assert address.verified and address.primary


@pytest.mark.django_db
def test_a_rerun_keeps_one_verified_address_per_demo_user(media_root):
    call_command("seed_demo", hotels=1, days=2, stdout=StringIO())
    call_command("seed_demo", hotels=1, days=2, stdout=StringIO())

    rows = list(EmailAddress.objects.values_list("email", "verified", "primary"))

    assert sorted(rows) == sorted((email, True, True) for _, email, _, _ in DEMO_USERS)
