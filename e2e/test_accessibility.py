"""axe-core on every page: the guest site on desktop and on a 390×844 phone, the back
office on desktop. Any "serious" or "critical" violation fails, with a report naming
the page, the rule, the elements and axe's help page.

axe-core is the copy the axe-playwright-python wheel ships (axe.min.js, MPL-2.0, its
licence header kept in the file; pinned in requirements.txt), run in the page through
Playwright's evaluate, so the strict Content-Security-Policy stays on and no CDN is
reached. The back office's hotel pages come from the URL resolver (every view that
carries `hotel_page` rules), its lists and forms from the admin registry, so a page
added later is checked the day it is added.
"""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from booking.models import Booking, BookingStatus
from booking.services import GuestDetails, booking_confirm, booking_hold
from e2e.test_booking_browser import reserve_flexible, sign_in
from hotels.models import HotelMembership
from hotels.tests.factories import hotel_today
from inventory.models import RatePlan
from inventory.rules import StayRequest
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
FAILING = ("serious", "critical")
AXE = Axe()


def violations(page, where: str) -> list[str]:
    """Run axe on the page as it is; return a line per serious or critical problem.

    axe adds a <style> of its own to some pages while it checks them, which the
    policy blocks; what the page reported before axe ran still counts.
    """
    reported = page.context.csp_violations
    before = len(reported)
    results = AXE.run(page).response
    del reported[before:]
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING:
            continue
        targets = ", ".join(
            " ".join(node["target"]) if isinstance(node["target"], list) else str(node)
            for node in violation["nodes"][:5]
        )
        found.append(
            f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}"
            f" — {violation['helpUrl']}\n    on {targets}"
        )
    return found


MISSING = ("/no-such-page/", "/hotels/no-such-hotel/")  # the error pages


def check(page, paths, where="") -> list[str]:
    """Open each page (which must answer 200, or 404 for the error pages); run axe."""
    found = []
    for path in paths:
        response = page.goto(path)
        assert response is not None, path
        assert response.status == (404 if path in MISSING else 200), (
            path,
            response.status,
        )
        found += violations(page, f"{where}{path} [{response.status}]")
    return found


def report(found: list[str]) -> str:
    return f"{len(found)} serious or critical axe violation(s):\n" + "\n".join(found)


def test_the_check_reports_a_serious_violation_with_rule_target_and_help(page):
    """The checker itself: an image without text is a critical violation."""
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main>')
    found = violations(page, "sample")
    assert any(
        "image-alt (critical)" in line
        and "dequeuniversity.com" in line
        and "img" in line
        for line in found
    ), found


# The guest site ----------------------------------------------------------------------


def guest_bookings(hotel, guest):
    """A held (to pay), a paid and confirmed, and a checked-out booking of `guest`."""
    plan = RatePlan.objects.filter(room_type__hotel=hotel, name="Flexible").get()
    today = hotel_today(hotel)
    details = GuestDetails(name="Ada Lovelace", email=guest.email)

    def hold(offset):
        return booking_hold(
            rate_plan_id=plan.pk,
            stay=StayRequest(
                today + timedelta(days=offset), today + timedelta(days=offset + 2)
            ),
            guest=details,
            source="site",
            user=guest,
        )

    held = hold(20)
    paid = hold(24)
    PaymentFactory(booking=paid)
    paid = booking_confirm(booking_id=paid.pk)
    stayed = hold(28)
    PaymentFactory(booking=stayed)
    booking_confirm(booking_id=stayed.pk)
    # A stay already over, to review (the services only move forward in time).
    Booking.objects.filter(pk=stayed.pk).update(status=BookingStatus.CHECKED_OUT)
    return held, paid, stayed


def guest_paths(hotel, held, paid, stayed) -> list[str]:
    check_in = hotel_today(hotel) + timedelta(days=14)
    stay = (
        f"check_in={check_in}&check_out={check_in + timedelta(days=2)}"
        "&adults=2&children=0&rooms=1"
    )
    return [
        "/",
        f"/search/?place=Porto&{stay}",
        f"/search/?place=Porto&{stay}&stars=5&min_rating=9",  # nothing found
        f"/hotels/{hotel.slug}/?{stay}",
        f"/pay/{held.reference}/",
        f"/pay/{paid.reference}/done/",
        "/bookings/",
        "/bookings/find/",
        f"/bookings/{paid.reference}/",
        f"/bookings/{paid.reference}/change/",
        f"/bookings/{paid.reference}/cancel/",
        f"/bookings/{stayed.reference}/review/",
        "/account/",
        "/account/erase/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/no-such-page/",
        "/hotels/no-such-hotel/",
    ]


SIGNED_OUT = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/bookings/find/",
]


def guest_pages(page, live_server, porto, viewport) -> list[str]:
    page.set_viewport_size(viewport)
    where = "phone " if viewport == PHONE else ""
    hotel = porto[0]
    found = check(page, SIGNED_OUT, where)
    guest = get_user_model().objects.create_user(
        "ada", "ada@example.com", "pw", first_name="Ada", last_name="Lovelace"
    )
    sign_in(page, live_server, guest)
    held, paid, stayed = guest_bookings(hotel, guest)
    found += check(page, guest_paths(hotel, held, paid, stayed), where)
    # The guest details form, reached as a guest reaches it (Reserve).
    reserve_flexible(page, hotel, hotel_today(hotel) + timedelta(days=40))
    found += violations(page, f"{where}booking details {page.url}")
    page.click("#book-button")  # empty phone etc.: the form with its errors, or pay
    found += violations(page, f"{where}after booking {page.url}")
    # The change preview: the new price shown before confirming.
    page.goto(f"/bookings/{paid.reference}/change/")
    page.fill("#id_check_out", (paid.check_out + timedelta(days=1)).isoformat())
    page.click("#show-new-price")
    found += violations(page, f"{where}change preview {page.url}")
    return found


@pytest.fixture(autouse=True)
def _axe_sees_the_policy_reports(page, csp_violations):
    page.context.csp_violations = csp_violations


def test_axe_finds_nothing_serious_on_the_guest_site(page, live_server, porto):
    found = guest_pages(page, live_server, porto, {"width": 1280, "height": 900})
    assert not found, report(found)


def test_axe_finds_nothing_serious_on_the_guest_site_on_a_phone(
    page, live_server, porto
):
    found = guest_pages(page, live_server, porto, PHONE)
    assert not found, report(found)


# The back office ---------------------------------------------------------------------


def hotel_page_names() -> list[str]:
    """Every hotel page of the admin (the views that carry page rules)."""

    def walk(patterns, namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, entry.namespace or namespace)
            elif (
                isinstance(entry, URLPattern)
                and namespace == "admin"
                and getattr(entry.callback, "hotel_page", None) is not None
            ):
                yield entry.name

    return sorted(walk(get_resolver().url_patterns))


def staff_paths(hotel) -> list[str]:
    paths = [reverse("admin:index")]
    paths += [reverse(f"admin:{name}", args=[hotel.pk]) for name in hotel_page_names()]
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    ):
        if getattr(model_admin, "hotel_lookup", None) is None:
            continue  # the platform's own models: Django's stock pages
        opts = model._meta
        paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            paths.append(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
                )
            )
    return paths


def test_axe_finds_nothing_serious_in_the_back_office(page, live_server, porto):
    hotel = porto[0]
    guest = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    guest_bookings(hotel, guest)  # bookings, payments and refunds on the lists
    owner = get_user_model().objects.create_user(
        "owner", "owner@example.com", "pw", is_staff=True
    )
    HotelMembership.objects.create(hotel=hotel, user=owner, role="owner")
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    found = check(page, [reverse("admin:login")], "signed out ")
    sign_in(page, live_server, root)
    found += check(page, staff_paths(hotel))
    # The owner's view of the same pages (what the hotel's staff really see).
    sign_in(page, live_server, owner)
    found += check(page, staff_paths(hotel)[:8], "owner ")
    assert not found, report(found)
