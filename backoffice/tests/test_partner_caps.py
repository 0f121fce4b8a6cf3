"""A partner's hold caps and booking rate, edited in the admin."""

import pytest

from accounts.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return Partner.objects.create(name="Trips", slug="trips", kind="distribution")


def change(admin_client, agency, **fields):
    form = {
        "name": agency.name,
        "slug": agency.slug,
        "kind": agency.kind,
        "is_active": "on",
        **{k: v for k, v in fields.items() if v is not None},
    }
    return admin_client.post(f"/admin/accounts/partner/{agency.pk}/change/", form)


def test_the_admin_sets_a_partners_caps_and_rate(admin_client, agency):
    response = change(
        admin_client,
        agency,
        max_live_holds="500",
        max_held_room_nights="4000",
        bookings_per_minute="600",
    )

    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.max_live_holds, agency.max_held_room_nights) == (500, 4000)
    assert agency.bookings_per_minute == 600
    listing = admin_client.get("/admin/accounts/partner/").content.decode()
    assert "500 holds / 4000 room-nights" in listing


def test_the_admin_lifts_a_partners_caps(admin_client, agency):
    assert change(admin_client, agency, unlimited_holds="on").status_code == 302

    agency.refresh_from_db()
    assert agency.unlimited_holds
    assert "no limit" in admin_client.get("/admin/accounts/partner/").content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"unlimited_holds": "on", "max_live_holds": "20"},
            "Leave this empty: the partner has no hold limits.",
        ),
        ({"max_live_holds": "0"}, "Ensure this value is greater than or equal to 1."),
        (
            {"max_held_room_nights": "-5"},
            "Ensure this value is greater than or equal to",
        ),
        ({"bookings_per_minute": "many"}, "Enter a whole number."),
    ],
)
def test_bad_caps_are_readable_form_errors_and_change_nothing(
    admin_client, agency, fields, message
):
    response = change(admin_client, agency, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    agency.refresh_from_db()
    assert not agency.unlimited_holds
    assert agency.max_live_holds is None and agency.bookings_per_minute is None
