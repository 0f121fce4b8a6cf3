"""Erasure: no trace of the guest is left in any text column; what accounting needs is."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import ProgrammingError, transaction

from booking.models import Booking
from booking.services import GuestDetails, booking_cancel
from core.errors import ErrorCode
from hotels.tests.factories import staff
from privacy.erasure import ErasureRefused, guest_erase
from privacy.models import PrivacyRequest
from privacy.subjects import subject_of_user

pytestmark = pytest.mark.django_db


def test_erasure_writes_no_history_row_of_its_own(hold):
    user = get_user_model().objects.create_user("grace", email="grace@example.com")
    booking = hold(
        guest=GuestDetails(name="Grace Hopper", email="grace@example.com"), user=user
    )
    booking_cancel(booking_id=booking.pk)  # history: the held row and the cancelled
    events = apps.get_model("booking", "BookingEvent").objects
    before = events.count()
    assert events.filter(guest_email="grace@example.com").count() == before == 2

    guest_erase(
        subject=subject_of_user(user), actor=user, channel=PrivacyRequest.Channel.SITE
    )

    # The anonymising update is not recorded (its "before" row would be a copy of
    # the guest's data); the rows already there are scrubbed in place.
    assert events.count() == before
    assert set(events.values_list("guest_name", "guest_email")) == {
        ("Erased guest", "")
    }


def test_erasure_is_refused_while_a_stay_is_booked_and_nothing_changes(hold):
    user = get_user_model().objects.create_user("alan", email="alan@example.com")
    booking = hold(
        guest=GuestDetails(name="Alan Turing", email="alan@example.com"), user=user
    )
    with pytest.raises(ErasureRefused) as refused:
        guest_erase(
            subject=subject_of_user(user),
            actor=user,
            channel=PrivacyRequest.Channel.SITE,
        )
    assert refused.value.code == ErrorCode.ERASURE_LIVE_STAY
    assert refused.value.params["references"] == [booking.reference]
    assert Booking.objects.get(pk=booking.pk).guest_name == "Alan Turing"
    assert get_user_model().objects.filter(pk=user.pk).exists()
    assert not PrivacyRequest.objects.exists()


def test_a_staff_account_is_not_erased_as_a_guest(hotel):
    manager = staff("manny", hotel, role="manager")
    with pytest.raises(ErasureRefused) as refused:
        guest_erase(
            subject=subject_of_user(manager),
            actor=manager,
            channel=PrivacyRequest.Channel.SITE,
        )
    assert refused.value.code == ErrorCode.ERASURE_STAFF_ACCOUNT
    assert get_user_model().objects.filter(pk=manager.pk).exists()


def test_the_audit_record_of_an_erasure_cannot_be_deleted(hold):
    user = get_user_model().objects.create_user("kim", email="kim@example.com")
    record = guest_erase(
        subject=subject_of_user(user), actor=user, channel=PrivacyRequest.Channel.SITE
    )
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        PrivacyRequest.objects.filter(pk=record.pk).delete()
    assert PrivacyRequest.objects.filter(pk=record.pk).exists()


def test_a_booking_made_after_the_guest_was_looked_up_is_seen_as_live(hold):
    user = get_user_model().objects.create_user("lin", email="lin@example.com")
    subject = subject_of_user(user)  # no bookings yet
    booking = hold(
        guest=GuestDetails(name="Lin Late", email="lin@example.com"), user=user
    )

    with pytest.raises(ErasureRefused) as refused:
        guest_erase(subject=subject, actor=user, channel=PrivacyRequest.Channel.SITE)

    assert refused.value.params["references"] == [booking.reference]
    assert Booking.objects.get(pk=booking.pk).user_id == user.pk
