"""Export: the guest's own bookings, payments, reviews and e-mails; nobody else's."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from booking.services import GuestDetails
from payments.tests.factories import pay
from privacy.export import guest_data_export
from privacy.models import PrivacyRequest
from privacy.subjects import subject_of_user
from reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_export_holds_the_guests_bookings_payments_and_emails_and_no_one_elses(
    hold, emails, relayed
):
    ada = get_user_model().objects.create_user("ada", email="ada@example.com")
    EmailAddress.objects.create(user=ada, email="ada@example.com", verified=True)
    with relayed():
        mine = hold(
            guest=GuestDetails(name="Ada L", email="ada@example.com", phone="0101"),
            user=ada,
        )
        pay(mine)
        # Booked without signing in, with the account's verified address: hers too.
        visiting = hold(
            offset=30, guest=GuestDetails(name="Ada L", email="ADA@example.com")
        )
        theirs = hold(offset=40, guest=GuestDetails(name="Bo", email="bo@example.com"))
    ReviewFactory(booking=mine, text="Quiet room")

    data = guest_data_export(
        subject=subject_of_user(ada), actor=ada, channel=PrivacyRequest.Channel.SITE
    )

    text = json.dumps(data)  # JSON-ready as it is
    references = [b["reference"] for b in data["bookings"]]
    assert sorted(references) == sorted([mine.reference, visiting.reference])
    assert theirs.reference not in text and "bo@example.com" not in text
    assert data["account"]["email"] == "ada@example.com"
    [booking] = [b for b in data["bookings"] if b["reference"] == mine.reference]
    assert booking["guest"] == {
        "name": "Ada L",
        "email": "ada@example.com",
        "phone": "0101",
    }
    [payment] = booking["payments"]
    assert (payment["amount"], payment["status"]) == (mine.total, "succeeded")
    assert {
        "client_secret",
        "customer_id",
        "payment_method_id",
        "gateway_id",
    }.isdisjoint(payment)
    assert {e["kind"] for e in booking["emails_sent"]} >= {"confirmed"}
    assert booking["review"]["text"] == "Quiet room"
    record = PrivacyRequest.objects.get()
    assert (record.action, record.actor_name, record.subject_user_id) == (
        "export",
        "the guest",
        ada.pk,
    )
    assert sorted(record.booking_references) == sorted(references)
