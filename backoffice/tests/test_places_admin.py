"""Places and their other names are edited in the admin, by superusers only."""

import pytest
from django.urls import reverse

from hotels.tests.factories import HotelFactory, staff
from search.models import Place, PlaceAlias

pytestmark = pytest.mark.django_db


def test_a_superuser_adds_an_alias_and_sees_it_listed(admin_client, demo_places):
    seoul = Place.objects.get(name="Seoul", country="KR")
    url = reverse("admin:search_place_change", args=[seoul.pk])
    existing = list(seoul.aliases.order_by("pk"))
    data = {
        "name": "Seoul",
        "country": "KR",
        "aliases-TOTAL_FORMS": len(existing) + 1,
        "aliases-INITIAL_FORMS": len(existing),
        "aliases-MIN_NUM_FORMS": 0,
        "aliases-MAX_NUM_FORMS": 1000,
    }
    for i, alias in enumerate(existing):
        data |= {
            f"aliases-{i}-id": alias.pk,
            f"aliases-{i}-place": seoul.pk,
            f"aliases-{i}-name": alias.name,
            f"aliases-{i}-language": alias.language,
        }
    new = len(existing)
    data |= {f"aliases-{new}-place": seoul.pk, f"aliases-{new}-name": "Hanyang"}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert PlaceAlias.objects.get(place=seoul, name="Hanyang").key == "hanyang"
    listing = admin_client.get(reverse("admin:search_place_changelist"), {"q": "서울"})
    assert "Hanyang" in listing.content.decode()


def test_a_duplicate_place_is_a_form_error_not_a_500(admin_client, demo_places):
    response = admin_client.post(
        reverse("admin:search_place_add"),
        {
            "name": "seoul",
            "country": "KR",
            "aliases-TOTAL_FORMS": 0,
            "aliases-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert Place.objects.filter(name__iexact="seoul").count() == 1
    assert response.context["adminform"].form.errors


def test_hotel_staff_cannot_see_or_edit_places(client):
    owner = staff("owner-a", HotelFactory(), "owner")
    client.force_login(owner)

    assert client.get(reverse("admin:search_place_changelist")).status_code == 403
    assert "search/place" not in client.get(reverse("admin:index")).content.decode()
