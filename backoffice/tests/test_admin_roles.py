"""What each role may do in the admin: the front desk reads rates and runs the desk.

Rights at one hotel never apply at another, and the hotel list links only the pages
the role may open.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from backoffice.tests.world import of_hotel, row, url
from hotels.models import HotelMembership
from hotels.tests.factories import staff
from inventory.models import RatePlan

pytestmark = pytest.mark.django_db


RATES_AND_POLICIES = ["inventory.RatePlan", "hotels.CancellationPolicy", "hotels.Hotel"]


@pytest.fixture
def desk_client(client, world):
    """Front desk at hotel A, and owner of a third hotel (rights never travel)."""
    user = staff("desk", world["a"], role="front_desk")
    client.force_login(user)
    return client


@pytest.mark.parametrize("label", RATES_AND_POLICIES)
def test_front_desk_can_read_but_not_change_rates_and_policies(
    desk_client, world, label
):
    model = apps.get_model(label)
    obj = of_hotel(model, world["a"]).first()
    before = row(model, obj.pk)
    response = desk_client.get(url(model, "change", obj.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    response = desk_client.post(url(model, "change", obj.pk), {"name": "Cheap"})
    assert response.status_code == 403
    assert row(model, obj.pk) == before
    if model._meta.model_name != "hotel":
        assert desk_client.get(url(model, "add")).status_code == 403


def test_front_desk_cannot_use_the_rates_calendar_but_runs_the_front_desk(
    desk_client, world
):
    hotel = world["a"]
    calendar = reverse("admin:hotels_hotel_calendar", args=[hotel.pk])
    assert desk_client.post(calendar, {"start": "2030-01-01"}).status_code == 403
    front_desk = reverse("admin:hotels_hotel_frontdesk", args=[hotel.pk])
    assert desk_client.get(front_desk).status_code == 200


def test_rights_at_one_hotel_never_apply_at_another(client, world):
    """Owner at A and front desk at B: B's rates stay out of reach."""
    user = staff("both", world["a"])

    HotelMembership.objects.create(hotel=world["b"], user=user, role="front_desk")
    client.force_login(user)
    theirs = of_hotel(RatePlan, world["b"]).first()
    before = row(RatePlan, theirs.pk)
    response = client.get(url(RatePlan, "change", theirs.pk))
    assert not response.context["has_change_permission"]
    response = client.post(url(RatePlan, "change", theirs.pk), {"name": "Cheap"})
    assert response.status_code == 403
    assert row(RatePlan, theirs.pk) == before
    add = client.get(url(RatePlan, "add")).context["adminform"].form
    offered = set(add.fields["room_type"].queryset.values_list("hotel_id", flat=True))
    assert offered == {world["a"].pk}


def test_hotel_list_links_only_the_pages_the_role_may_open(client, world):
    client.force_login(staff("desk2", world["a"], role="front_desk"))

    html = client.get(reverse("admin:hotels_hotel_changelist")).content.decode()

    assert reverse("admin:hotels_hotel_frontdesk", args=[world["a"].pk]) in html
    assert reverse("admin:hotels_hotel_dashboard", args=[world["a"].pk]) not in html
    page = client.get(reverse("admin:hotels_hotel_change", args=[world["a"].pk]))
    html = page.content.decode()
    assert reverse("admin:hotels_hotel_housekeeping", args=[world["a"].pk]) in html
    assert reverse("admin:hotels_hotel_audit", args=[world["a"].pk]) not in html
