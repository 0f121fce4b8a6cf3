"""Staff enrolment codes: the one-time code that lets a staff member enrol their first
authenticator app (TOTP device). Who may issue one is decided in `hotels.enrolment`;
this module stores codes and checks them.

A code is shown once, when issued; only a keyed hash (HMAC-SHA256 under SECRET_KEY)
is stored, so a copy of the database gives nobody a usable code.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, Value
from django.db.models.functions import Now
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import ErrorCode, ValidationError

from .models import StaffEnrolmentCode, User

# No 0/O or 1/I/L: a code is read from a screen and typed by hand.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
GROUPS, GROUP_LENGTH = 3, 4  # 12 characters, about 59 bits
HASH_SALT = "accounts.enrolment.StaffEnrolmentCode"
INVALID_MESSAGE = (
    "That enrolment code is not right, has expired or was already used. Ask a hotel "
    "owner or an administrator for a new one."
)


def code_normalise(code: str) -> str:
    """Return `code` as issued: upper case, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper()


def code_hash(code: str) -> str:
    return salted_hmac(HASH_SALT, code_normalise(code), algorithm="sha256").hexdigest()


def enrolment_code_issue(
    *, user: User, issued_by: User | None
) -> tuple[StaffEnrolmentCode, str]:
    """Issue a new enrolment code for `user`, replacing any earlier one.

    Return it and the plain code, which is not stored and cannot be shown again.
    Rights are not checked here: callers check them (`hotels.enrolment`).
    """
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    lifetime = timedelta(hours=settings.STAFF_ENROLMENT_CODE_HOURS)
    with transaction.atomic():
        # A new row, not an update: a code checked earlier in a session (by its id)
        # can no longer be consumed once it is replaced.
        StaffEnrolmentCode.objects.filter(user=user).delete()
        code = StaffEnrolmentCode.objects.create(
            user=user,
            code_hash=code_hash(raw),
            issued_by=issued_by,
            expires_at=ExpressionWrapper(
                Now() + Value(lifetime), output_field=DateTimeField()
            ),
        )
    code.refresh_from_db(fields=["expires_at", "created_at"])
    parts = [raw[i : i + GROUP_LENGTH] for i in range(0, len(raw), GROUP_LENGTH)]
    return code, "-".join(parts)


def live_codes():
    return StaffEnrolmentCode.objects.filter(used_at=None, expires_at__gt=Now())


def enrolment_code_check(*, user: User, code: str) -> StaffEnrolmentCode:
    """Return the user's live enrolment code if `code` is it; nothing is consumed.

    Raises ValidationError (ENROLMENT_CODE_INVALID) for a wrong, expired or used code.
    """
    found = live_codes().filter(user=user).first()
    # Hash the input even when there is no code, so both answers take as long.
    given = code_hash(code)
    if found is None or not constant_time_compare(given, found.code_hash):
        raise ValidationError(
            ErrorCode.ENROLMENT_CODE_INVALID, INVALID_MESSAGE, field="code"
        )
    return found


def staff_device_enrol(*, user: User, code_id: int, device: TOTPDevice) -> TOTPDevice:
    """Confirm `device` as the user's authenticator, consuming the checked code.

    `code_id` is the code `enrolment_code_check` returned. Raises ValidationError
    (ENROLMENT_CODE_INVALID) when that code was used, replaced or expired since.
    """
    with transaction.atomic():
        code = live_codes().select_for_update().filter(pk=code_id, user=user).first()
        if code is None or device.user_id != user.pk:
            raise ValidationError(
                ErrorCode.ENROLMENT_CODE_INVALID, INVALID_MESSAGE, field="code"
            )
        StaffEnrolmentCode.objects.filter(pk=code.pk).update(used_at=Now())
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        # Keys shown for earlier, abandoned enrolments are of no use any more.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device.refresh_from_db()
    return device


def enrolment_device_start(*, user: User) -> TOTPDevice:
    """Make a fresh, unconfirmed TOTP device for `user` (a new key), dropping older
    unconfirmed ones, so a key shown before never becomes valid."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(
            user=user, confirmed=False, name="Authenticator app"
        )
