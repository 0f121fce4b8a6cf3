"""Dormant guest accounts: warned once, deleted after the notice, kept if they sign in."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from booking.models import Booking
from core.clock import db_now
from hotels.models import HotelMembership
from privacy.dormancy import dormancy_apply
from privacy.models import DormancyNotice, PrivacyRequest
from privacy.tasks import apply_retention

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase"


def guest(name: str, *, idle_days: int, language: str = "") -> User:
    user = User.objects.create_user(
        name, f"{name}@x.org", PASSWORD, preferred_language=language
    )
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    User.objects.filter(pk=user.pk).update(
        last_login=db_now() - timedelta(days=idle_days),
        date_joined=db_now() - timedelta(days=idle_days + 10),
    )
    return user


def age_notice(user, days: int) -> None:
    DormancyNotice.objects.filter(user=user).update(
        sent_at=db_now() - timedelta(days=days)
    )


@pytest.fixture(autouse=True)
def _policy(settings):
    settings.GDPR_DORMANT_ACCOUNT_YEARS = 3
    settings.GDPR_DORMANT_NOTICE_DAYS = 30


def test_a_dormant_guest_is_warned_once_in_their_language_then_deleted(hold):
    dormant = guest("ada", idle_days=3 * 366, language="ko")
    active = guest("bob", idle_days=30)
    staff = guest("sam", idle_days=5 * 366)
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    booking = hold(offset=10)
    Booking.objects.filter(pk=booking.pk).update(user=dormant, status="cancelled")

    first = dormancy_apply()
    again = dormancy_apply()

    assert (first.warned, again.warned, first.deleted) == (1, 0, 0)
    [notice] = mail.outbox
    assert notice.to == ["ada@x.org"]
    assert notice.subject == "Innkeep 계정이 삭제될 예정입니다"
    assert reverse("account_login") in notice.body
    assert User.objects.filter(pk=dormant.pk).exists()

    age_notice(dormant, 31)
    apply_retention()  # the daily task

    assert not User.objects.filter(pk=dormant.pk).exists()
    assert User.objects.filter(pk__in=[active.pk, staff.pk]).count() == 2
    # The booking stays, without the account; the deletion is on the audit record.
    assert Booking.objects.get(pk=booking.pk).user is None
    record = PrivacyRequest.objects.get(subject_user_id=dormant.pk)
    assert record.action == PrivacyRequest.Action.RETENTION
    assert record.counts["accounts"] == 1


def test_signing_in_after_the_notice_keeps_the_account(client):
    user = guest("ada", idle_days=3 * 366)
    dormancy_apply()
    age_notice(user, 10)

    Client().post(
        reverse("account_login"), {"login": "ada@x.org", "password": PASSWORD}
    )
    age_notice(user, 31)
    result = dormancy_apply()

    assert (result.withdrawn, result.deleted) == (1, 0)
    assert User.objects.filter(pk=user.pk).exists()
    assert not DormancyNotice.objects.exists()


def test_a_guest_with_a_stay_to_come_or_a_hotel_role_is_never_dormant(hold):
    traveller = guest("ada", idle_days=4 * 366)
    booking = hold(offset=40)
    Booking.objects.filter(pk=booking.pk).update(user=traveller)
    clerk = guest("eve", idle_days=4 * 366)
    HotelMembership.objects.create(
        hotel=booking.hotel, user=clerk, role=HotelMembership.Role.FRONT_DESK
    )

    assert dormancy_apply().warned == 0
    assert mail.outbox == []


def test_a_refused_notice_is_not_recorded_and_nothing_is_deleted_unannounced(settings):
    user = guest("ada", idle_days=3 * 366)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens

    with pytest.raises(OSError):
        dormancy_apply()

    assert not DormancyNotice.objects.exists()
    assert User.objects.filter(pk=user.pk).exists()


def test_the_command_prints_what_it_would_do_in_a_dry_run(capsys):
    from django.core.management import call_command

    guest("ada", idle_days=3 * 366)

    call_command("apply_retention", "--dry-run")

    assert "dormant accounts: 1 warned" in capsys.readouterr().out
    assert not DormancyNotice.objects.exists()
    assert mail.outbox == []
