"""Erase a guest: anonymise the bookings accounting keeps, delete the rest.

Refused while the guest has a stay that is held, confirmed or under way: the hotel
needs their name at the desk and a way to reach them, and whether to give up the
stay is the guest's choice (cancel it, or ask again after check-out). A staff
account is not erased here: its access is removed first, by a superuser.
"""

import pgtrigger
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q

from booking.models import Booking, BookingStatus, HoldTally
from core.errors import DomainError, ErrorCode
from hotels.models import HotelMembership

from . import audit, scrub
from .models import PrivacyRequest
from .subjects import Subject, bookings_q

LIVE = (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


class ErasureRefused(DomainError):
    """The erasure cannot be done now or by this caller; nothing was changed."""


def _check(subject: Subject, bookings: list[Booking]) -> None:
    user = subject.user
    if user is not None and (
        user.is_staff
        or user.is_superuser
        or HotelMembership.objects.filter(user=user).exists()
    ):
        raise ErasureRefused(
            ErrorCode.ERASURE_STAFF_ACCOUNT,
            "This is a staff account: remove its staff access first.",
        )
    live = [b.reference for b in bookings if b.status in LIVE]
    if live:
        raise ErasureRefused(
            ErrorCode.ERASURE_LIVE_STAY,
            "The guest has a stay that is booked or under way: cancel it or wait "
            "until it is over.",
            references=live,
        )


def _user_sessions(user) -> list[str]:
    """Return the keys of the sessions signed in as `user`."""
    store = Session.get_session_store_class()()
    keys = []
    for key, data in Session.objects.values_list(
        "session_key", "session_data"
    ).iterator():
        if store.decode(data).get("_auth_user_id") == str(user.pk):
            keys.append(key)
    return keys


def _sweep(needles: list[str]) -> None:
    """Cut the guest's details out of what the admin and pghistory logged of requests."""
    context = apps.get_model("pghistory", "Context")
    scrub.redact_json_rows(context.objects.all(), "metadata", needles)
    log = apps.get_model("admin", "LogEntry")
    scrub.redact_text(log.objects.all(), ["object_repr", "change_message"], needles)


def delete_account(user, needles: list[str]) -> dict:
    """Delete `user` and what signs them in (sessions, sign-in records, hold tally);
    call inside the caller's transaction."""
    names = {user.get_username().lower(), *(n.lower() for n in needles if "@" in n)}
    sign_ins = Q(pk__in=[])
    for name in names:
        sign_ins |= Q(username__iexact=name)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(sign_ins).delete()
    sessions = _user_sessions(user)
    Session.objects.filter(session_key__in=sessions).delete()
    HoldTally.objects.filter(actor=f"account:{user.pk}").delete()
    with pgtrigger.ignore(*scrub.history_triggers()):
        user.delete()
    transaction.on_commit(lambda: _forget_cached_sessions(sessions))
    return {"accounts": 1, "sessions": len(sessions)}


def _forget_cached_sessions(keys: list[str]) -> None:
    store_class = Session.get_session_store_class()
    for key in keys:
        store_class(session_key=key).delete()


def _beyond() -> ErasureRefused:
    return ErasureRefused(
        ErrorCode.ERASURE_BEYOND_SCOPE,
        "This guest's data reaches beyond your hotels (other hotels' bookings or "
        "a site account): only an administrator can erase it.",
    )


def guest_erase(*, subject: Subject, actor, channel: str) -> PrivacyRequest:
    """Erase the subject's personal data everywhere in reach; return the audit record.

    Raises ErasureRefused (nothing changed) for a live stay, a staff account, or a
    staff member whose hotels do not hold all of the guest's data.
    """
    if subject.hotel_ids is not None and (subject.beyond or subject.user is not None):
        raise _beyond()
    with transaction.atomic(durable=True):
        if subject.user is not None:
            # Locked first: a hold of the account committed before this shows up
            # below (and is refused as live); one started after waits on this lock
            # for its foreign key, and fails once the account is gone.
            list(
                get_user_model().objects.select_for_update().filter(pk=subject.user.pk)
            )
        # Read again under the lock: a booking made since the subject was looked up
        # counts (and may be live).
        bookings = list(
            Booking.objects.filter(bookings_q(subject.user, subject.emails))
            .order_by("pk")
            .select_for_update(of=("self",))
        )
        scope = subject.hotel_ids
        if scope is not None and any(b.hotel_id not in scope for b in bookings):
            raise _beyond()
        _check(subject, bookings)
        user = subject.user
        user_id = user.pk if user is not None else None  # delete() forgets it
        values = [*subject.emails]
        if user is not None:
            values += [
                user.email,
                user.get_username(),
                user.get_full_name(),
                user.first_name,
                user.last_name,
            ]
        ids = [b.pk for b in bookings]
        needles = scrub.needles_of([*values, *scrub.booking_needles(ids)])
        counts = scrub.bookings_anonymise(ids, needles)
        _sweep(needles)
        if user is not None:
            counts |= delete_account(user, needles)
        return audit.record(
            action=PrivacyRequest.Action.ERASURE,
            channel=channel,
            actor=actor,
            subject_user_id=user_id,
            bookings=bookings,
            counts=counts,
        )
