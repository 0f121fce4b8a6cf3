"""Partner API keys in the admin: made through the service, shown once, scopes by kind."""

import pytest

from accounts.models import Partner, PartnerAPIKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel():
    return Partner.objects.create(name="PMS", slug="pms", kind="channel_manager")


def test_the_admin_shows_a_new_key_once_and_keeps_only_its_hash(admin_client, channel):
    response = admin_client.post(
        "/admin/accounts/partnerapikey/add/",
        {"partner": channel.pk, "name": "live", "scopes": "ari"},
        follow=True,
    )

    key = PartnerAPIKey.objects.get()
    (message,) = [str(m) for m in response.context["messages"] if " is: " in str(m)]
    raw = message.split(" is: ")[1].split(" ")[0]
    assert raw.startswith(key.prefix + ".")
    assert PartnerAPIKey.objects.get_from_key(raw) == key
    assert raw not in key.hashed_key and key.scopes == ["ari"]
    listing = admin_client.get("/admin/accounts/partnerapikey/").content.decode()
    assert raw not in listing and key.prefix in listing


def test_the_admin_refuses_a_scope_the_partner_kind_may_not_hold(admin_client, channel):
    response = admin_client.post(
        "/admin/accounts/partnerapikey/add/",
        {"partner": channel.pk, "name": "live", "scopes": "booking"},
    )

    assert response.status_code == 200
    assert "key takes the scopes: ari" in response.content.decode()
    assert not PartnerAPIKey.objects.exists()
