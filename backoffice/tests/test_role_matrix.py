"""Every admin model, action, staff page and POST operation, for every role, against the
one table of who may do what (role_table.py, docs/admin.md).

Nothing is listed by hand here: models come from the admin registry, actions from
each ModelAdmin's get_actions (for a superuser, who is offered them all), pages and
their POST operations from the URL resolver and the page rules each hotel page
carries. Anything the table does not declare fails `test_the_table_declares_...`.
Each case checks both directions: an allowed role gets the page (200) or the action
offered and run; any other role is not offered it, gets a 403 (a 404 for a hotel it
does not work for, the sign-in page when it is no staff) and changes nothing.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory
from backoffice.tests import role_table as table
from backoffice.tests.world import lookup_of, of_hotel, url
from hotels.models import Hotel, HotelMembership
from hotels.tests.factories import staff

pytestmark = pytest.mark.django_db

REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
LABELS = [model._meta.label for model, _ in REGISTRY]
STANDARD_VIEWS = ("changelist", "add", "change", "delete", "history")
OUTSIDERS = ("other_hotel", "partner", "guest", "anonymous")
# What an outsider gets: a 403, a 404 (a hotel they do not work for), or a redirect
# (the sign-in page; the admin's "no such object" for another hotel's object).
REFUSED = (302, 403, 404)

# The rows an operation may write; "nothing changed" compares them all.
WATCHED = [
    "booking.Booking",
    "booking.RoomAssignment",
    "hotels.HotelClosure",
    "booking.ClosureBooking",
    "payments.Payment",
    "payments.Refund",
    "hotels.Hotel",
    "hotels.Room",
    "hotels.RoomType",
    "hotels.CancellationPolicy",
    "hotels.HotelMembership",
    "inventory.Inventory",
    "inventory.RatePlan",
    "reviews.Review",
    "accounts.StaffEnrolmentCode",
    "privacy.PrivacyRequest",
    "otp_totp.TOTPDevice",
]


def snapshot() -> dict:
    return {
        label: list(apps.get_model(label)._default_manager.order_by("pk").values())
        for label in WATCHED
    }


# Who is who --------------------------------------------------------------------------


@pytest.fixture
def people(world):
    a, b = world["a"], world["b"]
    users = {
        table.OWNER: world["owner_a"],
        table.MANAGER: staff("manager_a", a, role="manager"),
        table.FRONT_DESK: staff("desk_a", a, role="front_desk"),
        table.HOUSEKEEPING: staff("clean_a", a, role="housekeeping"),
        "other_hotel": staff("owner_b", b, role="owner"),
        "guest": get_user_model().objects.create_user(
            "guest", "guest@example.com", "pw"
        ),
    }
    partner = PartnerFactory()
    partner.hotels.add(a)
    key = partner_key_create(partner=partner, name="live", scopes=["booking"])[1]
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    return {"users": users, "key": key, "root": root}


def client_as(role: str, people) -> Client:
    if role == "partner":
        return Client(headers={"X-Api-Key": people["key"]})
    client = Client()
    if role in people["users"]:
        client.force_login(people["users"][role])
    return client


def request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def allowed_first_last(roles) -> list[str]:
    """Every role, those refused first: an allowed role's run may change the world."""
    return [r for r in table.ROLES if r not in roles] + [
        r for r in table.ROLES if r in roles
    ]


# Discovery ---------------------------------------------------------------------------


def admin_patterns():
    """Yield every URL pattern of the admin site, with the resolver that holds it."""

    def walk(patterns, namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and namespace == "admin":
                yield entry

    yield from walk(get_resolver().url_patterns)


def model_view_names() -> set[str]:
    return {
        f"{model._meta.app_label}_{model._meta.model_name}_{view}"
        for model, _ in REGISTRY
        for view in STANDARD_VIEWS
    }


def staff_pages() -> dict[str, URLPattern]:
    """Every admin URL that is neither a model's standard page nor the site's own."""
    standard = model_view_names() | table.SITE_URLS
    return {
        pattern.name: pattern
        for pattern in admin_patterns()
        if pattern.name and pattern.name not in standard
    }


def all_actions() -> dict[str, set[str]]:
    """Every action of every model staff work with, as a superuser is offered them."""
    root = get_user_model()(username="root", is_superuser=True, is_staff=True)
    return {
        model._meta.label: set(model_admin.get_actions(request_as(root)))
        for model, model_admin in REGISTRY
        if lookup_of(model) is not None
    }


def test_the_table_declares_every_model_action_page_and_operation(db):
    registered = set(LABELS)
    assert registered - set(table.MODELS) == set(), "declare these models' rights"
    assert set(table.MODELS) - registered == set(), "no longer registered"
    for label, actions in all_actions().items():
        declared = set(table.ACTIONS.get(label, {}))
        assert actions == declared, f"declare the actions of {label} in role_table"
    pages = staff_pages()
    assert set(pages) == set(table.PAGES), "declare these pages in role_table.PAGES"
    for name, pattern in pages.items():
        rules = getattr(pattern.callback, "hotel_page", None)
        if rules is not None:
            assert set(rules.operations) == set(table.PAGES[name]["POST"]), name


def test_superuser_only_models_have_no_hotel_lookup_and_staff_models_have_one():
    for model, _ in REGISTRY:
        staff_model = table.MODELS[model._meta.label] != table.SUPERUSERS_ONLY
        assert (lookup_of(model) is not None) == staff_model, model._meta.label


# Models ------------------------------------------------------------------------------


def sample(model, world):
    """One object of hotel A (or any, for superusers' models); None if there is none."""
    if lookup_of(model) is None:
        return model._default_manager.order_by("pk").first()
    return of_hotel(model, world["a"]).order_by("pk").first()


@pytest.mark.parametrize("model", [m for m, _ in REGISTRY], ids=LABELS)
def test_model_pages_per_role(world, people, model):
    expected = table.MODELS[model._meta.label]
    obj = sample(model, world)
    for role in table.ROLES:
        may = {right for right, roles in expected.items() if role in roles}
        client = client_as(role, people)
        before = snapshot()

        response = client.get(url(model, "changelist"))
        if may & {"view", "change"}:
            assert response.status_code == 200, (role, "changelist")
            if obj is not None:
                shown = {o.pk for o in response.context["cl"].result_list}
                assert obj.pk in shown, (role, "changelist")
        elif response.status_code == 200:  # a member of another hotel: their own only
            assert role == "other_hotel", (role, "changelist")
            shown = {o.pk for o in response.context["cl"].result_list}
            assert obj is None or obj.pk not in shown, (role, "changelist")
        else:
            assert response.status_code in REFUSED, (role, "changelist")

        response = client.get(url(model, "add"))
        if role == "other_hotel" and table.OWNER in expected["add"]:
            # An owner elsewhere adds to their own hotel (test_admin_scoping: the
            # form offers and accepts only theirs).
            assert response.status_code == 200, (role, "add")
        elif "add" in may:
            assert response.status_code == 200, (role, "add")
        else:
            assert response.status_code in REFUSED, (role, "add")

        if obj is None:
            continue
        response = client.get(url(model, "change", obj.pk))
        if may & {"view", "change"}:
            assert response.status_code == 200, (role, "change page")
            assert response.context["has_change_permission"] == ("change" in may), (
                role,
                "change right",
            )
        else:
            assert response.status_code in REFUSED, (role, "change page")
        if "change" not in may:
            response = client.post(url(model, "change", obj.pk), {"name": "Changed"})
            assert response.status_code in REFUSED, (role, "change post")

        response = client.get(url(model, "delete", obj.pk))
        if "delete" in may:
            assert response.status_code == 200, (role, "delete page")
        else:
            assert response.status_code in REFUSED, (role, "delete page")
            response = client.post(url(model, "delete", obj.pk), {"post": "yes"})
            assert response.status_code in REFUSED, (role, "delete post")
        assert snapshot() == before, (role, "something changed")


# Actions -----------------------------------------------------------------------------

ACTION_CASES = sorted(
    (label, name) for label, actions in table.ACTIONS.items() for name in actions
)


@pytest.mark.parametrize(
    ("label", "name"), ACTION_CASES, ids=[f"{m}.{a}" for m, a in ACTION_CASES]
)
def test_actions_per_role(world, people, label, name):
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]
    allowed = table.ACTIONS[label][name]
    obj = sample(model, world)
    for role in allowed_first_last(allowed):
        user = people["users"].get(role)
        offered = set(model_admin.get_actions(request_as(user))) if user else set()
        client = client_as(role, people)
        page = client.get(url(model, "changelist"))
        before = snapshot()
        response = client.post(
            url(model, "changelist"),
            {"action": name, ACTION_CHECKBOX_NAME: [obj.pk]},
        )
        if role in allowed:
            assert name in offered, (role, "not offered")
            assert f'value="{name}"' in page.content.decode(), (role, "not shown")
            # It runs: a download, its own form, or back to the list with a message.
            assert response.status_code in (200, 302), (role, "refused")
            if response.status_code == 302:
                assert response["Location"].startswith(url(model, "changelist"))
            continue
        if user is not None and role != "other_hotel":
            assert name not in offered, (role, "offered")
        if page.status_code == 200:
            assert f'value="{name}"' not in page.content.decode() or (
                role == "other_hotel"
            ), (role, "shown")
        if role == "other_hotel" and response.status_code == 200:
            # Offered for their own hotel, it runs on none of hotel A's objects: an
            # export without rows, a confirmation page listing nothing.
            if response["Content-Type"].startswith("text/csv"):
                assert len(response.content.decode().splitlines()) == 1, role
            else:
                assert str(obj) not in response.content.decode(), role
        else:
            assert response.status_code in REFUSED, (role, "ran")
        if response.status_code == 302 and role in table.STAFF:
            # Back to the list saying no action was chosen (nothing was run).
            followed = client.get(response["Location"])
            said = [str(m) for m in followed.context["messages"]]
            assert role == "other_hotel" or "No action selected." in said, role
        assert snapshot() == before, (role, "something changed")


# Staff pages and their POST operations --------------------------------------------


def page_kwargs(pattern, world, people) -> dict:
    """Fill a page's URL arguments with hotel A's objects."""
    desk = HotelMembership.objects.get(user=people["users"][table.FRONT_DESK])
    device, _ = TOTPDevice.objects.get_or_create(user=people["root"], name="phone")
    known = {
        "hotel_id": world["a"].pk,
        "membership_id": desk.pk,
        "pk": device.pk,
        "id": desk.user_id,
    }
    names = pattern.pattern.regex.groupindex
    missing = set(names) - set(known)
    assert not missing, f"tell page_kwargs how to fill {missing} of {pattern.name}"
    return {name: known[name] for name in names}


def operation_data(world, action: str) -> dict:
    """POST data for an operation: on hotel A's booking and room, else empty forms."""
    booking = of_hotel(apps.get_model("booking.Booking"), world["a"]).first()
    room = of_hotel(apps.get_model("hotels.Room"), world["a"]).first()
    data = {"booking": booking.pk, "room": room.pk, "status": "dirty"}
    if action:
        data["action"] = action
    return data


PAGE_CASES = sorted(table.PAGES)


def with_owner_elsewhere(roles) -> tuple:
    return (*roles, "other_hotel") if table.OWNER in roles else roles


@pytest.mark.parametrize("name", PAGE_CASES)
def test_staff_pages_and_operations_per_role(world, people, name):
    pattern = staff_pages()[name]
    address = reverse(f"admin:{name}", kwargs=page_kwargs(pattern, world, people))
    declared = table.PAGES[name]
    if "hotel_id" not in pattern.pattern.regex.groupindex:
        # A page of no one hotel (a guest's data): an owner elsewhere uses it for
        # their own hotels.
        declared = {
            "GET": with_owner_elsewhere(declared["GET"]),
            "POST": {a: with_owner_elsewhere(r) for a, r in declared["POST"].items()},
        }
    for role in allowed_first_last(declared["GET"]):
        response = client_as(role, people).get(address)
        if role in declared["GET"]:
            assert response.status_code == 200, (role, "GET")
        else:
            assert response.status_code in REFUSED, (role, "GET")
    for action, allowed in declared["POST"].items():
        for role in allowed_first_last(allowed):
            before = snapshot()
            response = client_as(role, people).post(
                address, operation_data(world, action)
            )
            if role in allowed:
                # Done (back to the page) or the page again saying why not.
                assert response.status_code in (200, 302, 400), (role, action)
            else:
                assert response.status_code in REFUSED, (role, action)
                assert snapshot() == before, (role, action, "something changed")
    rules = getattr(pattern.callback, "hotel_page", None)
    if rules is not None and not isinstance(rules.write_perm, str):
        # An operation nobody declared is refused to everyone (fail closed).
        before = snapshot()
        response = client_as(table.OWNER, people).post(
            address, operation_data(world, "undeclared")
        )
        assert response.status_code == 403
        assert snapshot() == before


def test_the_hotel_links_only_the_pages_each_role_may_open(world, people):
    """The object tools of the hotel's page and the "Run the hotel" column."""
    hotel = world["a"]
    hotel_pages = [n for n in PAGE_CASES if n.startswith("hotels_hotel_")]
    for role in table.STAFF:
        client = client_as(role, people)
        html = client.get(url(Hotel, "change", hotel.pk)).content.decode()
        listed = client.get(url(Hotel, "changelist")).content.decode()
        for name in hotel_pages:
            pattern = staff_pages()[name]
            if "membership_id" in pattern.pattern.regex.groupindex:
                continue
            link = reverse(f"admin:{name}", args=[hotel.pk])
            may = role in table.PAGES[name]["GET"]
            assert (f'href="{link}"' in html) == may, (role, name)
            assert (f'href="{link}"' in listed) == may, (role, name)
        code_link = reverse(
            "admin:hotels_hotel_enrolment_code",
            kwargs=page_kwargs(
                staff_pages()["hotels_hotel_enrolment_code"], world, people
            ),
        )
        may = role in table.PAGES["hotels_hotel_enrolment_code"]["GET"]
        assert (code_link in html) == may, (role, "enrolment code link")


def test_the_privacy_list_offers_the_guest_data_tool_only_to_who_may_use_it(
    world, people
):
    tool = reverse("admin:privacy_guest_data")
    for role in table.STAFF:
        response = client_as(role, people).get(
            url(apps.get_model("privacy.PrivacyRequest"), "changelist")
        )
        if response.status_code != 200:
            assert role not in table.PAGES["privacy_guest_data"]["GET"]
            continue
        shown = tool in response.content.decode()
        assert shown == (role in table.PAGES["privacy_guest_data"]["GET"]), role


def test_the_front_desk_is_offered_no_bulk_cancel_confirm_or_no_show(world, people):
    """The issue's case, spelled out: the desk works one guest at a time."""
    booking_admin = admin.site._registry[apps.get_model("booking.Booking")]
    desk = request_as(people["users"][table.FRONT_DESK])
    offered = set(booking_admin.get_actions(desk))
    assert not offered & {"cancel", "confirm", "confirm_without_payment", "no_show"}
    assert {"check_in", "check_out"} <= offered
    index = client_as(table.FRONT_DESK, people).get(reverse("admin:index"))
    models = {
        m["object_name"] for app in index.context["app_list"] for m in app["models"]
    }
    assert not models & {"Payment", "Refund", "GatewayEvent", "PrivacyRequest"}
    assert "Booking" in models
