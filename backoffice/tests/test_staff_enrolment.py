"""Enrolling a first authenticator needs an enrolment code; owners and superusers
issue them in the admin."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enrolment import enrolment_code_issue
from accounts.models import StaffEnrolmentCode
from hotels.tests.factories import HotelFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(settings):
    """A front-desk clerk who never enrolled, with two-factor sign-in required (and no
    growing delay after a wrong TOTP code)."""
    settings.ADMIN_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return staff("clerk", HotelFactory(), role="front_desk")


def signed_in(client, user):
    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": "pw", "next": "/admin/"},
    )
    assert response["Location"].startswith(reverse("admin:two_factor"))
    return client


def shows_a_key(response) -> bool:
    html = response.content.decode()
    return 'id="secret"' in html or "QR code for your authenticator" in html


def test_the_password_alone_never_shows_the_key(client, clerk):
    signed_in(client, clerk)

    page = client.get(reverse("admin:two_factor"))
    token = client.post(reverse("admin:two_factor"), {"token": "123456"})

    assert page.status_code == 200 and not shows_a_key(page)
    assert "enrolment code" in page.content.decode()
    assert not shows_a_key(token)
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.parametrize("kind", ["wrong", "expired", "used", "replaced"])
def test_a_wrong_expired_or_used_code_shows_nothing(client, clerk, kind):
    code, raw = enrolment_code_issue(user=clerk, issued_by=None)
    if kind == "wrong":
        raw = "ABCD-EFGH-JKMN"
    elif kind == "expired":
        StaffEnrolmentCode.objects.filter(pk=code.pk).update(expires_at=code.created_at)
    elif kind == "used":
        StaffEnrolmentCode.objects.filter(pk=code.pk).update(used_at=code.created_at)
    else:
        enrolment_code_issue(user=clerk, issued_by=None)
    signed_in(client, clerk)

    answer = client.post(reverse("admin:two_factor"), {"code": raw})

    assert answer.status_code == 200
    assert "That enrolment code is not right" in answer.content.decode()
    assert not shows_a_key(answer)
    assert not shows_a_key(client.get(reverse("admin:two_factor")))
    assert not TOTPDevice.objects.filter(user=clerk).exists()


def test_tries_of_codes_are_limited_per_user(client, clerk, settings):
    settings.RATELIMIT_ADMIN_ENROLMENT = "3/h"
    _, raw = enrolment_code_issue(user=clerk, issued_by=None)
    signed_in(client, clerk)
    for _ in range(3):
        client.post(reverse("admin:two_factor"), {"code": "WRONG-CODE"})

    answer = client.post(reverse("admin:two_factor"), {"code": raw})

    assert answer.status_code == 429
    assert "Too many enrolment codes were tried" in answer.content.decode()
    assert not shows_a_key(answer)


def test_tries_of_codes_are_limited_per_address(client, clerk, settings):
    settings.RATELIMIT_ADMIN_ENROLMENT = "3/h"
    others = [staff(f"other{n}", role="front_desk") for n in range(3)]
    for other in others:
        signed_in(client, other)
        client.post(reverse("admin:two_factor"), {"code": "WRONG-CODE"})
        client.logout()
    _, raw = enrolment_code_issue(user=clerk, issued_by=None)
    signed_in(client, clerk)

    answer = client.post(reverse("admin:two_factor"), {"code": raw})

    assert answer.status_code == 429


def test_a_code_replaced_while_the_qr_code_shows_does_not_confirm(client, clerk):
    _, raw = enrolment_code_issue(user=clerk, issued_by=None)
    signed_in(client, clerk)
    client.post(reverse("admin:two_factor"), {"code": raw})
    device = TOTPDevice.objects.get(user=clerk)
    enrolment_code_issue(user=clerk, issued_by=None)

    answer = client.post(reverse("admin:two_factor"), {"token": current(device)})

    assert "That enrolment code is not right" in answer.content.decode()
    assert not TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()
    assert client.get(reverse("admin:index")).status_code == 302


def current(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0):06d}"


# Issuing in the admin ------------------------------------------------------------


@pytest.fixture
def hotels():
    here, there = HotelFactory(name="Here"), HotelFactory(name="There")
    owner = staff("owner", here, role="owner")
    return {
        "here": here,
        "owner": owner,
        "desk": here.memberships.create(user=staff("desk"), role="front_desk"),
        "manager": here.memberships.create(user=staff("boss"), role="manager"),
        "elsewhere": there.memberships.create(user=staff("far"), role="front_desk"),
    }


def code_url(membership) -> str:
    return reverse(
        "admin:hotels_hotel_enrolment_code", args=[membership.hotel_id, membership.pk]
    )


def issued_code(response) -> str:
    match = re.search(
        r'<code class="enrolment-code">([A-Z0-9-]+)</code>', response.content.decode()
    )
    assert match, response.content.decode()
    return match.group(1)


def test_an_owner_issues_a_code_from_the_hotels_staff(client, hotels):
    client.force_login(hotels["owner"])
    hotel_page = client.get(
        reverse("admin:hotels_hotel_change", args=[hotels["here"].pk])
    )
    assert code_url(hotels["desk"]) in hotel_page.content.decode()

    confirm = client.get(code_url(hotels["desk"]))
    issued = client.post(code_url(hotels["desk"]))

    assert confirm.status_code == 200 and "Issue the code" in confirm.content.decode()
    assert (
        not StaffEnrolmentCode.objects.exclude(pk__in=[])
        .filter(user=hotels["desk"].user, issued_by=None)
        .exists()
    )
    raw = issued_code(issued)
    assert "72 hours" in issued.content.decode()
    code = StaffEnrolmentCode.objects.get(user=hotels["desk"].user)
    assert code.issued_by == hotels["owner"]
    assert raw not in code.code_hash


def test_an_owner_cannot_issue_for_another_hotels_member(client, hotels):
    client.force_login(hotels["owner"])

    assert client.get(code_url(hotels["elsewhere"])).status_code == 404
    assert client.post(code_url(hotels["elsewhere"])).status_code == 404
    # Another hotel's membership under this hotel's address is not found either.
    forged = reverse(
        "admin:hotels_hotel_enrolment_code",
        args=[hotels["here"].pk, hotels["elsewhere"].pk],
    )
    assert client.post(forged).status_code == 404
    assert not StaffEnrolmentCode.objects.exists()


@pytest.mark.parametrize("role", ["manager", "desk"])
def test_a_manager_or_the_front_desk_cannot_issue(client, hotels, role):
    client.force_login(hotels[role].user)
    target = hotels["desk"] if role == "manager" else hotels["manager"]

    hotel_page = client.get(
        reverse("admin:hotels_hotel_change", args=[hotels["here"].pk])
    )

    assert code_url(target) not in hotel_page.content.decode()
    assert client.get(code_url(target)).status_code == 403
    assert client.post(code_url(target)).status_code == 403
    assert not StaffEnrolmentCode.objects.exists()


def test_a_superuser_issues_codes_from_the_user_list(client, hotels):
    root = get_user_model().objects.create_user(
        username="root", password="pw", is_staff=True, is_superuser=True
    )
    guest = get_user_model().objects.create_user(username="guest")
    client.force_login(root)

    answer = client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "issue_enrolment_codes",
            "_selected_action": [hotels["elsewhere"].user_id, guest.pk],
        },
    )

    assert answer.status_code == 200
    issued_code(answer)
    assert "No code for: guest" in answer.content.decode()
    assert StaffEnrolmentCode.objects.get().user_id == hotels["elsewhere"].user_id
