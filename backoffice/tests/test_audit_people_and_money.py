"""The audit log records staff memberships, payments and refunds, partners and their
API keys, scoped to the manager's hotels like the rest; a key's hash never shows."""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Partner, PartnerAPIKey
from accounts.services import partner_key_create, partner_key_revoke
from accounts.tests.factories import PartnerFactory
from backoffice.tests.world import url
from booking.models import Booking
from hotels.models import HotelMembership
from hotels.tests.factories import staff
from payments.models import Payment, Refund
from payments.services import refund_create

pytestmark = pytest.mark.django_db


def audit(client, hotel):
    return client.get(reverse("admin:hotels_hotel_audit", args=[hotel.pk]))


def seen(response) -> set[tuple[str, str, str]]:
    return {(c.what, c.object_label, c.label) for c in response.context["changes"]}


@pytest.fixture
def partners(world):
    """A channel manager connected to each hotel, each with an API key."""
    made = {}
    for name, hotel in (("Alpha", world["a"]), ("Bravo", world["b"])):
        partner = PartnerFactory(
            kind=Partner.Kind.CHANNEL_MANAGER, name=f"{name} Channel"
        )
        partner.hotels.add(hotel)
        key, raw = partner_key_create(
            partner=partner, name=f"{name.lower()}-pms", scopes=["ari"]
        )
        made[name] = (partner, key, raw)
    return made


def test_a_manager_sees_their_hotels_memberships_money_and_partners_only(
    client, world, partners
):
    a, b = world["a"], world["b"]
    staff("desk_b", b, role="front_desk")
    own = Booking.objects.get(hotel=a)
    theirs = Booking.objects.get(hotel=b)
    refund_create(
        payment_id=Payment.objects.get(booking=own).pk, amount=500, reason="Minibar"
    )
    partner_key_revoke(key_id=partners["Alpha"][1].pk)
    client.force_login(world["owner_a"])

    response = audit(client, a)

    changes = seen(response)
    assert ("hotel membership", "owner_a (Owner)", "created") in changes
    assert ("payment", f"{own.reference} (Charge)", "created") in changes
    assert ("refund", f"{own.reference} (Minibar)", "created") in changes
    assert ("partner", "Alpha Channel", "connected") in changes
    assert ("partner API key", "alpha-pms", "created") in changes
    revoked = next(
        c
        for c in response.context["changes"]
        if (c.what, c.label) == ("partner API key", "changed")
    )
    assert ("revoked", False, True) in revoked.diff
    html = response.content.decode()
    for other in ("desk_b", "Bravo Channel", "bravo-pms", theirs.reference):
        assert other not in html, other
    # And the other hotel's log is not theirs to open.
    assert audit(client, b).status_code == 404


def test_the_log_names_people_and_bookings_not_row_ids(client, world):
    hotel = world["a"]
    member = HotelMembership.objects.get(user=world["owner_a"])
    client.force_login(world["owner_a"])

    changes = audit(client, hotel).context["changes"]

    created = next(
        c for c in changes if (c.what, c.label) == ("hotel membership", "created")
    )
    assert ("user", None, "owner_a") in created.diff
    assert ("role", None, member.role) in created.diff
    payment = next(c for c in changes if (c.what, c.label) == ("payment", "created"))
    own = Booking.objects.get(hotel=hotel)
    assert ("booking", None, own.reference) in payment.diff


def test_a_membership_added_in_the_admin_is_recorded_with_who_added_it(client, world):
    hotel = world["a"]
    staff("newcomer")
    client.force_login(world["owner_a"])
    owner = HotelMembership.objects.get(user=world["owner_a"])
    data = {
        "name_en": hotel.name,
        "slug": hotel.slug,
        "city": hotel.city,
        "country": hotel.country,
        "time_zone": hotel.time_zone,
        "currency": hotel.currency,
        "star_rating": hotel.star_rating,
        "check_in_time": "15:00",
        "check_out_time": "11:00",
        "same_day_cutoff": "22:00",
        "status": hotel.status,
        "memberships-TOTAL_FORMS": 2,
        "memberships-INITIAL_FORMS": 1,
        "memberships-0-id": owner.pk,
        "memberships-0-hotel": hotel.pk,
        "memberships-0-user": "owner_a",
        "memberships-0-role": "owner",
        "memberships-1-hotel": hotel.pk,
        "memberships-1-user": "newcomer",
        "memberships-1-role": "front_desk",
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    assert client.post(url(type(hotel), "change", hotel.pk), data).status_code == 302

    change = next(
        c
        for c in audit(client, hotel).context["changes"]
        if c.object_label == "newcomer (Front desk)"
    )
    assert (change.who, change.label) == ("owner_a", "created")


def test_a_partner_key_is_audited_without_its_hash(client, world, partners):
    _, key, raw = partners["Alpha"]
    root = staff("root")
    root.is_superuser = True
    root.save()
    client.force_login(root)
    client.post(
        url(PartnerAPIKey, "change", key.pk),
        {"name": key.name, "revoked": "on"},
    )
    assert PartnerAPIKey.objects.get(pk=key.pk).revoked

    history = client.get(url(PartnerAPIKey, "history", key.pk)).content.decode()
    # The admin's own pages name a key by its primary key in their links (the API key
    # library's); the recorded changes are what the audit shows.
    recorded = history[history.index("Changes recorded by the database") :]
    pages = [audit(client, world["a"]).content.decode(), recorded]

    assert "alpha-pms" in pages[0] and "<ins>Yes</ins>" in recorded
    secret = raw.split(".", 1)[1]
    for page in pages:
        for text in (key.hashed_key, key.pk, raw, secret):
            assert text not in page
    # Nor does the recorded history keep a copy of it.
    KeyEvent = apps.get_model("accounts", "PartnerAPIKeyEvent")
    field_names = {f.name for f in KeyEvent._meta.fields}
    assert not {"id", "hashed_key"} & field_names
    stored = str(list(KeyEvent.objects.values()))
    assert key.hashed_key not in stored and secret not in stored


def test_refunds_by_the_gateway_are_recorded_as_they_change(world):
    own = Booking.objects.get(hotel=world["a"])
    payment = Payment.objects.get(booking=own)
    RefundEvent = apps.get_model("payments", "RefundEvent")

    refund = refund_create(payment_id=payment.pk, amount=700, reason="Late checkout")

    statuses = list(
        RefundEvent.objects.filter(pgh_obj_id=refund.pk)
        .order_by("pgh_id")
        .values_list("status", flat=True)
    )
    assert statuses[0] == Refund.Status.PENDING
    assert statuses[-1] == Refund.objects.get(pk=refund.pk).status
