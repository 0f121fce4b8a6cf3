"""Staff enrolment codes: stored as a hash, single-use, replaced, expiring."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enrolment import (
    enrolment_code_check,
    enrolment_code_issue,
    enrolment_device_start,
    staff_device_enrol,
)
from accounts.models import StaffEnrolmentCode
from core.errors import ErrorCode, ValidationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return get_user_model().objects.create_user(username="clerk", is_staff=True)


def test_a_code_is_stored_only_as_a_hash_and_typed_loosely(clerk, settings):
    code, raw = enrolment_code_issue(user=clerk, issued_by=None)

    assert raw.replace("-", "") not in code.code_hash
    lifetime = code.expires_at - code.created_at
    assert abs(lifetime - timedelta(hours=settings.STAFF_ENROLMENT_CODE_HOURS)) < (
        timedelta(seconds=5)
    )
    assert enrolment_code_check(user=clerk, code=f"  {raw.lower()} ") == code
    assert enrolment_code_check(user=clerk, code=raw.replace("-", " ")) == code


def test_a_code_is_single_use(clerk):
    code, raw = enrolment_code_issue(user=clerk, issued_by=None)
    device = enrolment_device_start(user=clerk)

    staff_device_enrol(user=clerk, code_id=code.pk, device=device)

    assert TOTPDevice.objects.get(user=clerk).confirmed
    with pytest.raises(ValidationError) as refused:
        enrolment_code_check(user=clerk, code=raw)
    assert refused.value.code == ErrorCode.ENROLMENT_CODE_INVALID
    with pytest.raises(ValidationError):
        staff_device_enrol(user=clerk, code_id=code.pk, device=device)


def test_a_new_code_replaces_the_old(clerk):
    old, old_raw = enrolment_code_issue(user=clerk, issued_by=None)
    new, new_raw = enrolment_code_issue(user=clerk, issued_by=None)

    with pytest.raises(ValidationError):
        enrolment_code_check(user=clerk, code=old_raw)
    # A session that checked the old code cannot consume it either.
    with pytest.raises(ValidationError):
        staff_device_enrol(
            user=clerk, code_id=old.pk, device=enrolment_device_start(user=clerk)
        )
    assert enrolment_code_check(user=clerk, code=new_raw) == new
    assert StaffEnrolmentCode.objects.filter(user=clerk).count() == 1


def test_an_expired_code_is_refused(clerk):
    code, raw = enrolment_code_issue(user=clerk, issued_by=None)
    StaffEnrolmentCode.objects.filter(pk=code.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(ValidationError):
        enrolment_code_check(user=clerk, code=raw)


def test_another_users_code_is_refused(clerk):
    _, raw = enrolment_code_issue(user=clerk, issued_by=None)
    other = get_user_model().objects.create_user(username="other", is_staff=True)
    enrolment_code_issue(user=other, issued_by=None)

    with pytest.raises(ValidationError):
        enrolment_code_check(user=other, code=raw)


def test_the_command_prints_a_code_that_works(clerk):
    out = StringIO()

    call_command("staff_enrolment_code", "clerk", stdout=out)

    raw = out.getvalue().split("Enrolment code for clerk: ")[1].split()[0]
    assert enrolment_code_check(user=clerk, code=raw).issued_by is None
    assert "Valid once, until" in out.getvalue()


def test_the_command_refuses_unknown_and_non_staff_users(clerk):
    get_user_model().objects.create_user(username="guest")
    with pytest.raises(CommandError, match="No user"):
        call_command("staff_enrolment_code", "nobody")
    with pytest.raises(CommandError, match="not an active staff member"):
        call_command("staff_enrolment_code", "guest")
