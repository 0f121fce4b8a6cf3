"""deploy/: every metric the alert rules and the dashboard read is one the app exports."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.django_db

DEPLOY = Path(settings.BASE_DIR) / "deploy"
METRIC = re.compile(r"\b((?:innkeep|django_http)_[a-z_]+)\b")
SUFFIXES = ("_bucket", "_count", "_sum")


def exported() -> set[str]:
    client = Client()
    client.get("/no-such-page/")  # so the request metrics have samples
    text = client.get("/metrics").content.decode()
    return {
        sample.name
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def referenced(expr: str) -> set[str]:
    return set(METRIC.findall(expr))


def alert_exprs() -> dict[str, str]:
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    return {
        rule["alert"]: rule["expr"]
        for group in rules["groups"]
        for rule in group["rules"]
    }


def dashboard_exprs() -> dict[str, str]:
    dashboard = json.loads(
        (DEPLOY / "grafana" / "dashboards" / "innkeep.json").read_text()
    )
    return {
        f"{panel['title']} {target['refId']}": target["expr"]
        for panel in dashboard["panels"]
        for target in panel["targets"]
    }


def test_the_alert_rules_cover_what_operations_must_hear_about():
    alerts = alert_exprs()

    for name in (
        "RefundsGivenUp",
        "WebhookDeliveriesGivenUp",
        "OutboxLagging",
        "HoldsPilingUp",
        "HighServerErrorRate",
        "BeatHeartbeatStale",
    ):
        assert name in alerts


@pytest.mark.parametrize("source", ["alerts", "dashboard"])
def test_every_metric_referenced_is_exported(source):
    exprs = alert_exprs() if source == "alerts" else dashboard_exprs()
    names = exported()

    missing = {
        (where, metric)
        for where, expr in exprs.items()
        for metric in referenced(expr)
        if metric not in names
        and not any(
            metric.endswith(s) and metric.removesuffix(s) + s in names for s in SUFFIXES
        )
    }

    assert exprs and not missing
    assert all(referenced(expr) for expr in exprs.values())


def test_a_misspelt_metric_would_be_caught():
    assert "innkeep_holds_takne_total" not in exported()
