"""The admin in a real browser: enrolment by code, then pages with Django's own scripts,
all under the Content-Security-Policy (the `page` fixture fails on any violation)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enrolment import enrolment_code_issue

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_superuser_enrols_with_a_code_then_runs_a_hotel_under_the_policy(
    page, porto, settings, csp_violations, screenshot
):
    settings.ADMIN_REQUIRE_2FA = True
    root = get_user_model().objects.create_user(
        username="root",
        password="a-long-passphrase",  # noqa: S106 (a test account)
        is_staff=True,
        is_superuser=True,
    )
    _, code = enrolment_code_issue(user=root, issued_by=None)
    page.goto("/admin/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "a-long-passphrase")
    page.click("input[type=submit]")

    page.wait_for_url(re.compile(r".*/admin/2fa/.*"))
    assert page.locator("#secret").count() == 0
    page.fill("#id_code", code)
    page.click("input[type=submit]")
    assert page.locator("svg title", has_text="QR code").count() == 1
    screenshot(page, "admin-enrol")
    device = TOTPDevice.objects.get(user=root, confirmed=False)
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("#id_token", f"{token:06d}")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))

    hotel = porto[0]
    page.goto(f"/admin/hotels/hotel/{hotel.pk}/change/")
    assert page.locator("#memberships-group, .inline-group").count() >= 1
    page.goto(f"/admin/hotels/hotel/{hotel.pk}/calendar/")
    page.goto("/admin/hotels/hotel/?q=Ribeira")
    page.goto("/admin/accounts/user/")
    page.check("input.action-select >> nth=0")  # the actions bar is Django's own JS
    assert page.locator(".action-counter").inner_text().startswith("1 of")

    assert csp_violations == []
