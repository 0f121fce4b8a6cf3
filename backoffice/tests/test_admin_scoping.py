"""A hotel's staff never see or change another hotel's data, through any admin page.

The cases are generated from the admin registry, so a newly registered model is tested
the day it is registered: it declares a `hotel_lookup` (and then must hide hotel B from
hotel A's owner everywhere), or it is for superusers only.
"""

import csv
import io

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse

from backoffice.admin_site import InnkeepAdminSite
from backoffice.tests.world import (
    lookup_of,
    of_hotel,
    row,
    url,
)
from booking.models import Booking
from hotels.models import HotelPhoto
from hotels.tests.factories import staff

pytestmark = pytest.mark.django_db

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
MODELS = [model for model, _ in REGISTRY]
LABELS = [model._meta.label for model in MODELS]


@pytest.fixture
def owner_client(client, world):
    """Hotel A's owner, signed in (the conftest's `owner_client` owns another hotel)."""
    client.force_login(world["owner_a"])
    return client


def request_for(user, method="get", path="/admin/", data=None):
    request = getattr(RequestFactory(), method)(path, data or {})
    request.user = user
    return request


def test_every_hotel_model_has_rows_of_both_hotels_in_the_test_world(world):
    missing = [
        model._meta.label
        for model in MODELS
        if lookup_of(model) is not None
        and not (
            of_hotel(model, world["a"]).exists()
            and of_hotel(model, world["b"]).exists()
        )
    ]
    assert missing == [], "add rows of these models to backoffice/tests/world.py"


@pytest.mark.parametrize("model", MODELS, ids=LABELS)
def test_changelist_and_search_show_only_the_own_hotel(owner_client, world, model):
    response = owner_client.get(url(model, "changelist"))
    if lookup_of(model) is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    own = set(of_hotel(model, world["a"]).values_list("pk", flat=True))
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown and shown <= own
    for term in ("Bravo", "Alpha", "1"):
        response = owner_client.get(url(model, "changelist"), {"q": term})
        assert response.status_code == 200
        assert {obj.pk for obj in response.context["cl"].result_list} <= own
    # A filter naming the other hotel finds none of its objects either.
    lookup = lookup_of(model)
    key = f"{lookup}__id__exact" if lookup else "id__exact"
    response = owner_client.get(url(model, "changelist"), {key: world["b"].pk})
    if response.status_code == 200:
        assert {obj.pk for obj in response.context["cl"].result_list} <= own
    assert "Bravo" not in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=LABELS)
def test_other_hotels_objects_cannot_be_opened_changed_or_deleted(
    owner_client, world, model
):
    if lookup_of(model) is None:
        others = list(model._default_manager.all()[:1])
    else:
        others = list(of_hotel(model, world["b"])[:1])
    for obj in others:
        before = row(model, obj.pk)
        for view in ("change", "history", "delete"):
            response = owner_client.get(url(model, view, obj.pk))
            assert response.status_code in (302, 403), view
            assert "Bravo" not in response.content.decode()
        response = owner_client.post(url(model, "change", obj.pk), {"name": "Hacked"})
        assert response.status_code in (302, 403)
        response = owner_client.post(url(model, "delete", obj.pk), {"post": "yes"})
        assert response.status_code in (302, 403)
        assert row(model, obj.pk) == before


@pytest.mark.parametrize("model", MODELS, ids=LABELS)
def test_own_objects_open_and_their_history_shows(owner_client, world, model):
    if lookup_of(model) is None:
        return
    obj = of_hotel(model, world["a"]).first()
    assert owner_client.get(url(model, "change", obj.pk)).status_code == 200
    assert owner_client.get(url(model, "history", obj.pk)).status_code == 200


def _choice_fields(form):
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
    }


@pytest.mark.parametrize("model", MODELS, ids=LABELS)
def test_add_forms_offer_and_accept_only_the_own_hotels_objects(
    owner_client, world, model
):
    response = owner_client.get(url(model, "add"))
    if response.status_code == 403:
        return
    assert response.status_code == 200
    form = response.context["adminform"].form
    posted = {}
    for name, field in _choice_fields(form).items():
        related = field.queryset.model
        if lookup_of(related) is None:
            continue
        offered = set(field.queryset.values_list("pk", flat=True))
        theirs = set(of_hotel(related, world["b"]).values_list("pk", flat=True))
        assert theirs and not offered & theirs, name
        posted[name] = sorted(theirs)[0]
    count = model._default_manager.count()
    data = {**form.initial, **posted}
    for prefix_field in ("-TOTAL_FORMS", "-INITIAL_FORMS"):
        for formset in response.context.get("inline_admin_formsets", []):
            data[formset.formset.prefix + prefix_field] = 0
    response = owner_client.post(url(model, "add"), data)
    assert model._default_manager.count() == count
    if posted:
        errors = response.context["adminform"].form.errors
        assert set(posted) <= set(errors)


@pytest.mark.parametrize("model", MODELS, ids=LABELS)
def test_actions_never_touch_another_hotels_objects(owner_client, world, model):
    model_admin = admin.site._registry[model]
    if lookup_of(model) is None:
        others = list(model._default_manager.all()[:1])
    else:
        others = list(of_hotel(model, world["b"])[:1])
    request = request_for(world["owner_a"])
    actions = model_admin.get_actions(request) if others else {}
    for name in actions:
        obj = others[0]
        before = row(model, obj.pk)
        response = owner_client.post(
            url(model, "changelist"),
            {"action": name, ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"},
        )
        assert row(model, obj.pk) == before, name
        if response.get("Content-Type", "").startswith("text/csv"):
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            assert rows[1:] == [], "an export carried another hotel's rows"


def test_export_downloads_the_own_hotels_rows(owner_client, world):
    own = of_hotel(Booking, world["a"]).get()
    theirs = of_hotel(Booking, world["b"]).get()
    response = owner_client.post(
        url(Booking, "changelist"),
        {"action": "export_csv", ACTION_CHECKBOX_NAME: [own.pk, theirs.pk]},
    )
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert own.reference in text and theirs.reference not in text


AUTOCOMPLETES = [
    (model, name)
    for model, model_admin in REGISTRY
    for name in model_admin.autocomplete_fields
]


@pytest.mark.parametrize(
    ("model", "field_name"),
    AUTOCOMPLETES,
    ids=[f"{m._meta.label}.{f}" for m, f in AUTOCOMPLETES],
)
def test_autocomplete_offers_only_the_own_hotels_objects(
    owner_client, world, model, field_name
):
    remote = model._meta.get_field(field_name).remote_field.model
    response = owner_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": "",
        },
    )
    if lookup_of(remote) is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    ids = {int(result["id"]) for result in response.json()["results"]}
    assert ids
    assert ids <= set(of_hotel(remote, world["a"]).values_list("pk", flat=True))


def test_superuser_sees_both_hotels(client, world, django_user_model):
    root = django_user_model.objects.create_superuser("root", "r@example.com", "pw")
    client.force_login(root)
    response = client.get(url(Booking, "changelist"))
    assert {b.hotel_id for b in response.context["cl"].result_list} == {
        world["a"].pk,
        world["b"].pk,
    }


def test_index_lists_only_models_of_the_staff_members_hotels(owner_client, world):
    response = owner_client.get(reverse("admin:index"))
    models = {
        m["object_name"] for app in response.context["app_list"] for m in app["models"]
    }
    assert {"Booking", "Hotel", "RatePlan", "Review"} <= models
    assert not models & {"User", "Partner", "GatewayEvent", "Group", "Amenity"}


def test_staff_without_a_membership_sees_nothing(client, world):
    client.force_login(staff("drifter"))
    assert client.get(url(Booking, "changelist")).status_code == 403
    assert client.get(reverse("admin:index")).context["app_list"] == []


# The mechanism itself, on a fresh site ----------------------------------------------


def test_any_model_admin_is_scoped_by_its_hotel_lookup_or_superuser_only(world):
    owner = world["owner_a"]
    request = request_for(owner)

    site = InnkeepAdminSite(name="fresh")
    site.register(HotelPhoto)  # a plain ModelAdmin that says nothing about hotels
    unscoped = site._registry[HotelPhoto]
    assert not unscoped.has_view_permission(request)
    assert not unscoped.has_module_permission(request)
    assert not unscoped.get_queryset(request).exists()

    site = InnkeepAdminSite(name="fresh2")

    class PhotoAdmin(admin.ModelAdmin):  # written elsewhere, declaring its lookup
        hotel_lookup = "hotel"

        def has_add_permission(self, request):
            return False

    site.register(HotelPhoto, PhotoAdmin)
    scoped = site._registry[HotelPhoto]
    assert set(scoped.get_queryset(request).values_list("hotel_id", flat=True)) == {
        world["a"].pk
    }
    assert scoped.has_change_permission(
        request, HotelPhoto.objects.get(hotel=world["a"])
    )
    assert not scoped.has_change_permission(
        request, HotelPhoto.objects.get(hotel=world["b"])
    )
    # The ModelAdmin's own rules still apply behind the guard.
    assert not scoped.has_add_permission(request)
