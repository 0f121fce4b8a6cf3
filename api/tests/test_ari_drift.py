"""A channel manager's snapshot, and the drift check between what it knows and the
inventory: listed in the admin, exported as a metric, cleared by a push or a pull."""

from datetime import timedelta

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import Partner, User
from accounts.tests.factories import PartnerFactory
from booking.services import consistency_check, hotel_closure_create
from booking.tasks import check_consistency
from hotels.models import HotelMembership
from hotels.tests.factories import HotelFactory
from inventory.models import ChannelDrift, ChannelNight, ConsistencyRun, Inventory
from inventory.services import InventoryChange, inventory_apply

pytestmark = pytest.mark.django_db


def snapshot_url(hotel, **query) -> str:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return f"/api/v1/hotels/{hotel.pk}/ari/snapshot/" + (f"?{params}" if params else "")


def push(post, channel_api, hotel, **change):
    response = post(
        channel_api, f"/api/v1/hotels/{hotel.pk}/ari/", {"changes": [change]}
    )
    assert response.status_code == 200, response.json()


def drift_gauge() -> dict:
    text = Client().get("/metrics").content.decode()
    return {
        tuple(sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "innkeep_channel_drift_nights"
    }


def test_the_snapshot_is_every_night_from_the_hotels_today(
    channel_api, hotel, room_type, today
):
    response = channel_api.get(snapshot_url(hotel, days=30))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["hotel"], body["currency"]) == (hotel.pk, hotel.currency)
    assert body["start"] == str(today)
    assert body["end"] == str(today + timedelta(days=30))
    [shown] = [rt for rt in body["room_types"] if rt["id"] == room_type.pk]
    rows = Inventory.objects.filter(
        room_type=room_type, date__gte=today, date__lt=today + timedelta(days=30)
    ).order_by("date")
    assert [n["date"] for n in shown["nights"]] == [str(r.date) for r in rows]
    first = rows[0]
    assert shown["nights"][0]["price"] == first.price
    assert (
        shown["nights"][0]["available"]
        == first.rooms + first.overbooking - first.booked
    )
    # Recorded as what this channel now knows, every field.
    known = ChannelNight.objects.get(room_type=room_type, date=first.date)
    assert known.source == ChannelNight.Source.PULL
    assert known.known["price"] == first.price and known.known["rooms"] == first.rooms


def test_a_bad_window_is_a_problem_and_another_hotel_is_not_found(channel_api, hotel):
    bad = channel_api.get(snapshot_url(hotel, days=0))
    other = PartnerFactory(kind=Partner.Kind.CHANNEL_MANAGER)
    stranger = HotelFactory()
    other.hotels.add(stranger)
    hidden = channel_api.get(snapshot_url(stranger))

    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("application/problem+json")
    assert [error["field"] for error in bad.json()["errors"]] == ["days"]
    assert hidden.status_code == 404
    assert not ChannelNight.objects.exists()


def test_a_managers_change_after_the_push_is_drift_until_the_channel_pulls(
    channel, channel_api, post, hotel, room_type, today
):
    night = today + timedelta(days=5)
    push(
        post,
        channel_api,
        hotel,
        room_type=room_type.pk,
        start=str(night),
        end=str(night + timedelta(days=2)),
        price=11_000,
        min_stay=2,
    )
    assert consistency_check().channel_drift == 0

    # The manager changes one night's price in the rates calendar, not the channel.
    inventory_apply(
        changes=[
            InventoryChange(
                room_type_id=room_type.pk,
                start=night,
                end=night + timedelta(days=1),
                price=12_500,
            )
        ],
        room_types=[room_type],
    )
    run = consistency_check()

    [drift] = ChannelDrift.objects.all()
    assert run.channel_drift == 1
    assert (drift.partner, drift.hotel, drift.room_type, drift.date) == (
        channel,
        hotel,
        room_type,
        night,
    )
    assert (drift.field, drift.ours, drift.theirs) == ("price", 12_500, 11_000)
    assert drift_gauge() == {(("partner", channel.name),): 1.0}

    # The channel pulls a snapshot: it now knows; the next check finds nothing.
    assert channel_api.get(snapshot_url(hotel)).status_code == 200
    assert consistency_check().channel_drift == 0
    assert drift_gauge() == {}


def test_a_closure_after_the_pull_is_drift_and_a_disconnected_channel_is_not(
    channel, channel_api, hotel, room_type, today
):
    assert channel_api.get(snapshot_url(hotel, days=20)).status_code == 200
    former = PartnerFactory(kind=Partner.Kind.CHANNEL_MANAGER)
    former.hotels.add(hotel)
    ChannelNight.objects.bulk_create(
        ChannelNight(
            partner=former,
            room_type=n.room_type,
            date=n.date,
            known=n.known,
            source=n.source,
            seen_at=n.seen_at,
        )
        for n in ChannelNight.objects.filter(partner=channel)
    )
    former.hotels.remove(hotel)
    admin = User.objects.create_superuser("root", "root@example.com", "pw-long-enough")
    closed = today + timedelta(days=3)

    hotel_closure_create(
        hotel=hotel, by=admin, start=closed, end=closed, reason="Flood"
    )
    check_consistency()

    drift = ChannelDrift.objects.get()
    assert (drift.partner, drift.date, drift.field) == (channel, closed, "stop_sell")
    assert (drift.ours, drift.theirs) == (True, False)
    run = ConsistencyRun.objects.latest()
    assert (run.inventory_disagreements, run.tally_disagreements) == (0, 0)


def test_the_admin_lists_a_hotels_drift_to_its_staff_only(
    channel, channel_api, post, hotel, room_type, today, django_user_model
):
    night = today + timedelta(days=4)
    push(
        post,
        channel_api,
        hotel,
        room_type=room_type.pk,
        start=str(night),
        end=str(night + timedelta(days=1)),
        rooms=room_type.room_count - 1,
    )
    Inventory.objects.filter(room_type=room_type, date=night).update(
        rooms=room_type.room_count
    )
    consistency_check()
    manager = django_user_model.objects.create_user(
        "manager", "m@example.com", "pw-long-enough", is_staff=True
    )
    HotelMembership.objects.create(
        hotel=hotel, user=manager, role=HotelMembership.Role.MANAGER
    )
    stranger = django_user_model.objects.create_user(
        "stranger", "s@example.com", "pw-long-enough", is_staff=True
    )
    HotelMembership.objects.create(
        hotel=HotelFactory(), user=stranger, role=HotelMembership.Role.MANAGER
    )
    url = "/admin/inventory/channeldrift/"

    mine, theirs = Client(), Client()
    mine.force_login(manager)
    theirs.force_login(stranger)
    page = mine.get(url)
    other = theirs.get(url)

    assert page.status_code == 200
    html = page.content.decode()
    assert channel.name in html and "rooms" in html
    assert channel.name not in other.content.decode()
