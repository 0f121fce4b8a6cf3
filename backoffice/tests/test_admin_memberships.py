"""Staff memberships on a hotel's admin page: only owners add staff, by username."""

import pytest

from backoffice.tests.world import url
from hotels.models import HotelMembership
from hotels.tests.factories import staff

pytestmark = pytest.mark.django_db


def membership_post(hotel, rows):
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
        "memberships-TOTAL_FORMS": len(rows),
        "memberships-INITIAL_FORMS": sum(1 for r in rows if "id" in r),
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
    }
    for index, fields in enumerate(rows):
        for name, value in fields.items():
            data[f"memberships-{index}-{name}"] = value
    return data


def test_owners_add_staff_by_username_and_managers_cannot(client, world):
    hotel = world["a"]
    owner = world["owner_a"]
    existing = HotelMembership.objects.get(user=owner)
    newcomer = staff("newcomer")
    newcomer.is_staff = False
    newcomer.save()
    rows = [
        {"id": existing.pk, "hotel": hotel.pk, "user": "owner_a", "role": "owner"},
        {"hotel": hotel.pk, "user": "NEWCOMER", "role": "front_desk"},
    ]
    client.force_login(owner)

    response = client.post(
        url(type(hotel), "change", hotel.pk), membership_post(hotel, rows)
    )

    assert response.status_code == 302
    membership = HotelMembership.objects.get(user=newcomer)
    assert (membership.hotel_id, membership.role) == (hotel.pk, "front_desk")
    newcomer.refresh_from_db()
    assert newcomer.is_staff

    manager = staff("boss", hotel, role="manager")
    staff("friend")
    client.force_login(manager)
    rows = [{"hotel": hotel.pk, "user": "friend", "role": "owner"}]
    client.post(url(type(hotel), "change", hotel.pk), membership_post(hotel, rows))
    assert not HotelMembership.objects.filter(user__username="friend").exists()
    assert HotelMembership.objects.get(user=manager).role == "manager"


def test_an_unknown_account_is_a_form_error(client, world):
    hotel = world["a"]
    client.force_login(world["owner_a"])
    rows = [{"hotel": hotel.pk, "user": "nobody", "role": "manager"}]

    response = client.post(
        url(type(hotel), "change", hotel.pk), membership_post(hotel, rows)
    )

    assert response.status_code == 200
    assert "No single active account" in response.content.decode()
