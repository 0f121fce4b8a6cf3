"""Dormant guest accounts: warned, then deleted, unless the guest signs in again.

A guest account unused (no sign-in; never signed in: since it was made) for
GDPR_DORMANT_ACCOUNT_YEARS, with no stay still to come, gets an e-mail saying it will be
deleted in GDPR_DORMANT_NOTICE_DAYS unless they sign in. If they do not, the account is
deleted as an erasure deletes one (sessions, sign-in records, hold tally, e-mail
addresses); its bookings stay, without the account, until the retention policy
anonymises them. Staff and partner accounts are never touched. One transaction per
account, skipping accounts another run holds, so runs may overlap or crash safely.
"""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from booking.models import Booking, BookingStatus
from core.clock import db_now
from core.dates import format_date

from . import audit
from .erasure import delete_account
from .models import DormancyNotice, PrivacyRequest
from .retention import retention_cutoff

_UPCOMING = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


@dataclass
class DormancyResult:
    warned: int = 0
    deleted: int = 0
    withdrawn: int = 0


def dormant_accounts(now):
    """Return the guest accounts unused since the cutoff with no stay still to come."""
    cutoff = retention_cutoff(now.date(), settings.GDPR_DORMANT_ACCOUNT_YEARS)
    upcoming = Booking.objects.filter(
        user=OuterRef("pk"),
        status__in=_UPCOMING,
        check_out__gte=now.date() - timedelta(days=1),
    )
    return (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False, is_active=True)
        .filter(hotel_memberships=None)
        .filter(
            Q(last_login__date__lt=cutoff)
            | Q(last_login=None, date_joined__date__lt=cutoff)
        )
        .exclude(Exists(upcoming))
    )


def dormancy_apply(*, dry_run: bool = False) -> DormancyResult:
    """Withdraw notices of guests who came back, delete the accounts whose notice ran
    out, and warn the newly dormant; return the counts."""
    result = DormancyResult()
    now = db_now()
    # A sign-in (or a booking still to come) after the notice withdraws it.
    came_back = DormancyNotice.objects.filter(
        Q(user__last_login__gt=F("sent_at")) | ~Q(user__in=dormant_accounts(now))
    )
    if dry_run:
        result.withdrawn = came_back.count()
    else:
        result.withdrawn, _ = came_back.delete()

    expired = DormancyNotice.objects.filter(
        sent_at__lte=now - timedelta(days=settings.GDPR_DORMANT_NOTICE_DAYS),
        user__in=dormant_accounts(now),
    ).values_list("user_id", flat=True)
    for user_id in list(expired):
        if dry_run or _delete(user_id, now):
            result.deleted += 1

    to_warn = dormant_accounts(now).exclude(
        Exists(DormancyNotice.objects.filter(user=OuterRef("pk")))
    )
    for user_id in list(to_warn.values_list("pk", flat=True)):
        if dry_run or _warn(user_id):
            result.warned += 1
    return result


def _delete(user_id: int, now) -> bool:
    with transaction.atomic(durable=True):
        user = (
            dormant_accounts(now)
            .filter(pk=user_id)
            .select_for_update(skip_locked=True, of=("self",))
            .first()
        )
        if user is None:
            return False
        emails = list(
            EmailAddress.objects.filter(user=user).values_list("email", flat=True)
        )
        counts = delete_account(user, [user.email, *emails])
        audit.record(
            action=PrivacyRequest.Action.RETENTION,
            channel=PrivacyRequest.Channel.TASK,
            subject_user_id=user_id,
            counts={**counts, "reason": "dormant account"},
        )
    return True


def _warn(user_id: int) -> bool:
    with transaction.atomic(durable=True):
        user = (
            get_user_model()
            .objects.filter(pk=user_id)
            .select_for_update(skip_locked=True)
            .first()
        )
        if user is None or DormancyNotice.objects.filter(user=user).exists():
            return False
        address = (
            EmailAddress.objects.filter(user=user, verified=True)
            .order_by("-primary")
            .values_list("email", flat=True)
            .first()
        )
        sent_at = db_now()
        DormancyNotice.objects.create(user=user, sent_at=sent_at)
        if address:
            # Sent inside the transaction: if the mail server refuses, no notice is
            # recorded and the next run tries again (never a deletion unannounced).
            _message(user, address, sent_at).send()
    return True


def _message(user, address: str, sent_at) -> EmailMultiAlternatives:
    language = user.preferred_language or settings.LANGUAGE_CODE
    deadline = sent_at + timedelta(days=settings.GDPR_DORMANT_NOTICE_DAYS)
    with translation.override(language):
        context = {
            "deadline": format_date(deadline.date(), language, style="long"),
            "sign_in": settings.SITE_URL.rstrip("/") + reverse("account_login"),
            "years": settings.GDPR_DORMANT_ACCOUNT_YEARS,
        }
        subject = translation.gettext("Your Innkeep account will be deleted")
        text = render_to_string("emails/dormant_account.txt", context)
        html = render_to_string("emails/dormant_account.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(html, "text/html")
    return message
