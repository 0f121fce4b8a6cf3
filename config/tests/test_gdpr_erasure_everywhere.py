"""After erasure no column of any table holds the guest's e-mail, name or phone.

Here, at the top of the layers, because the guest's traces include the partner API's
copies (webhook payloads, idempotent responses) beside every domain app's.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

from booking.models import Booking, BookingEmail
from payments.models import Payment
from privacy.erasure import guest_erase
from privacy.models import PrivacyRequest
from privacy.subjects import subject_of_user
from reviews.models import Review

from .gdpr_footprint import columns_holding, leave_traces

pytestmark = pytest.mark.django_db

ADA = {
    "name": "Ada Lovelace",
    "email": "ada.lovelace@example.com",
    "phone": "+44 20 7946 0018",
    "requests": "Quiet room on floor nine, please",
}
BOB = {
    "name": "Bob Marley",
    "email": "bob.marley@example.com",
    "phone": "+1 876 555 0199",
    "requests": "A cot for the baby",
}


def _sessions_of(user_id) -> list:
    return [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(user_id)
    ]


def test_after_erasure_no_text_column_holds_the_guests_email_name_or_phone(
    hold, client, emails, relayed
):
    with relayed():  # the confirmation e-mails are sent and recorded
        ada = leave_traces(hold, client, **ADA)
    leave_traces(hold, client.__class__(), **BOB)
    # The traces are really there before, in the places that matter.
    assert "booking_bookingevent.guest_email" in columns_holding(ADA["email"])
    assert "booking_bookingemail.to" in columns_holding(ADA["email"])
    assert "pghistory_context.metadata" in columns_holding(ADA["email"])
    assert "api_idempotencykey.response_body" in columns_holding(ADA["phone"])
    assert "axes_accessattempt.username" in columns_holding(ADA["email"])
    assert "api_webhookdelivery.payload" in columns_holding(ADA["name"])
    assert _sessions_of(ada.user.pk)
    paid_before = list(
        Payment.objects.filter(booking=ada.stayed).values_list("amount", "status")
    )

    ada_id = ada.user.pk
    record = guest_erase(
        subject=subject_of_user(ada.user),
        actor=ada.user,
        channel=PrivacyRequest.Channel.SITE,
    )

    for value in (ADA["name"], ADA["email"], ADA["phone"]):
        assert columns_holding(value) == [], value
    assert columns_holding("Lovelace") == []
    # Her own words went with her details; Bob keeps his.
    assert columns_holding(ADA["requests"]) == []
    assert "api_webhookdelivery.payload" in columns_holding(BOB["requests"])
    # The other guest is untouched.
    assert "booking_booking.guest_email" in columns_holding(BOB["email"])
    assert "booking_bookingevent.guest_phone" in columns_holding(BOB["phone"])
    assert "reviews_review.text" in columns_holding(BOB["name"])
    # Accounting keeps the bookings and the money; the account and its sign-ins go.
    stayed = Booking.objects.get(pk=ada.stayed.pk)
    assert (stayed.guest_name, stayed.guest_email, stayed.user_id) == (
        "Erased guest",
        "",
        None,
    )
    assert stayed.total == ada.stayed.total
    assert (
        list(Payment.objects.filter(booking=stayed).values_list("amount", "status"))
        == paid_before
    )
    assert Review.objects.get(booking=stayed).overall == 8
    assert BookingEmail.objects.filter(booking=stayed).exists()
    assert not get_user_model().objects.filter(pk=ada_id).exists()
    assert not _sessions_of(ada_id)
    # The audit record names the bookings and the account id, not the person.
    assert record.subject_user_id == ada_id
    assert set(record.booking_references) == {
        ada.stayed.reference,
        ada.cancelled.reference,
    }
    assert record.actor_name == "the guest"
    assert record.counts["bookings"] == 2
