"""A guest who left a trace in every corner of the database, and a way to look for it
(privacy: the erasure test)."""

from dataclasses import dataclass

import pghistory
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from accounts.tests.factories import PartnerFactory, UserFactory
from api.models import IdempotencyKey, WebhookDelivery, WebhookEndpoint
from booking.models import Booking
from booking.services import GuestDetails, booking_check_in, booking_check_out
from payments.services import cancel_booking_and_refund
from payments.tests.factories import pay
from reviews.tests.factories import ReviewFactory

TEXT_TYPES = (
    "text",
    "character varying",
    "character",
    "jsonb",
    "json",
    "ARRAY",
    "inet",
    "USER-DEFINED",
)


@dataclass
class Guest:
    user: object
    name: str
    email: str
    phone: str
    stayed: Booking
    cancelled: Booking


def leave_traces(hold, client, *, name, email, phone, requests) -> Guest:
    """Sign up, book twice (stay once, cancel once), pay, review, and be logged."""
    first, last = name.split(" ", 1)
    user = UserFactory(email=email, first_name=first, last_name=last)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    client.force_login(user)  # a session row
    guest = GuestDetails(
        name=name,
        email=email,
        phone=phone,
        special_requests=requests,
    )
    stayed = hold(offset=0, nights=1, guest=guest, user=user)
    pay(stayed)  # a payment and the test gateway's event
    booking_check_in(booking_id=stayed.pk)
    booking_check_out(booking_id=stayed.pk)  # history: before and after rows
    ReviewFactory(booking=stayed, text=f"Lovely. {name}", reply=f"Thank you {first}!")
    cancelled = hold(offset=20, nights=2, guest=guest, user=user)
    pay(cancelled)
    cancel_booking_and_refund(
        booking_id=cancelled.pk, reason=f"{name} changed plans", created_by="guest"
    )
    # What staff and the API logged about the guest.
    with pghistory.context(url=f"/admin/booking/booking/?q={email}"):
        Booking.objects.filter(pk=stayed.pk).update(
            confirmation_override=f"Paid cash, says {name}"
        )
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=f"Changed e-mail to {email}",
        single_object=True,
    )
    ContentType.objects.clear_cache()
    AccessAttempt.objects.create(
        username=email,
        ip_address="10.9.8.7",
        user_agent="Firefox",
        failures_since_start=1,
    )
    partner = PartnerFactory()
    endpoint = WebhookEndpoint.objects.create(partner=partner, url="https://p.example/")
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event="booking.confirmed",
        booking_reference=stayed.reference,
        payload={
            "data": {
                "booking": {
                    "guest": {"name": name, "email": email},
                    "special_requests": requests,
                }
            }
        },
    )
    IdempotencyKey.objects.create(
        partner=partner,
        key="k1",
        fingerprint="f",
        method="POST",
        path="/api/v1/bookings/",
        status_code=201,
        response_body={"reference": stayed.reference, "guest": {"phone": phone}},
    )
    return Guest(user, name, email, phone, stayed, cancelled)


def columns_holding(value: str) -> list[str]:
    """Return every table.column of the schema whose text holds `value` (any case)."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s) "
            "AND table_name IN (SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')",
            [list(TEXT_TYPES)],
        )
        for table, column in cursor.fetchall():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                [f"%{value}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found
