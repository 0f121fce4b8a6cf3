"""schemathesis against the live schema: no 500, every answer matches the schema.

The schema is fetched from a live server (pytest-django's `live_server`) and every
operation is called with generated requests, valid and invalid, with a real key; valid
ones also run against the real hotel, booking and webhook ids. (schemathesis's own pytest
loader for fixtures does not run under pytest 9, so the strategies are driven here.)
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Partner
from accounts.services import partner_key_create
from accounts.tests.factories import PartnerFactory
from api.models import WebhookEndpoint

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 8


@pytest.fixture
def world(rate_plan, hold):
    """Keys of an agency and a channel manager, one booking and one webhook endpoint."""
    agency = PartnerFactory(kind=Partner.Kind.DISTRIBUTION)
    channel = PartnerFactory(kind=Partner.Kind.CHANNEL_MANAGER)
    hotel = rate_plan.room_type.hotel
    channel.hotels.add(hotel)
    booking = hold(partner=agency)
    endpoint = WebhookEndpoint.objects.create(partner=agency, url="http://127.0.0.1:9/")
    return {
        "booking": partner_key_create(partner=agency, name="a", scopes=["booking"])[1],
        "ari": partner_key_create(partner=channel, name="c", scopes=["ari"])[1],
        "ids": {"pk": hotel.pk, "reference": booking.reference, "webhook": endpoint.pk},
    }


def real_path_parameters(operation, ids: dict) -> dict:
    names = {p.name for p in operation.path_parameters}
    if "reference" in names:
        return {"reference": ids["reference"]}
    if "pk" in names:
        pk = (
            ids["webhook"]
            if operation.path.startswith("/api/v1/webhooks")
            else ids["pk"]
        )
        return {"pk": pk}
    return {}


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("schema")
def test_every_operation_answers_within_its_schema(live_server, world):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        ari = "/ari/" in operation.path or "/inventory/" in operation.path
        headers = {"X-Api-Key": world["ari" if ari else "booking"]}
        real = real_path_parameters(operation, world["ids"])
        strategies = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        if real:
            strategies.append(
                operation.as_strategy(GenerationMode.POSITIVE, path_parameters=real)
            )
        for strategy in strategies:
            _run(strategy, headers, live_server.url)


def _run(strategy, headers, base_url):
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    call()
