"""Retention: stays that ended over GDPR_RETENTION_YEARS ago lose their guest data."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from booking.models import Booking
from booking.services import GuestDetails, booking_cancel
from core.clock import db_now
from privacy.models import PrivacyRequest
from privacy.retention import retention_cutoff
from privacy.tasks import apply_retention

pytestmark = pytest.mark.django_db


def _ended(booking, *, days_ago: int) -> None:
    """Move a (cancelled) booking's stay into the past."""
    check_out = db_now().date() - timedelta(days=days_ago)
    Booking.objects.filter(pk=booking.pk).update(
        check_in=check_out - timedelta(days=1), check_out=check_out
    )


@pytest.fixture
def stays(hold, settings):
    settings.GDPR_RETENTION_YEARS = 7
    made = {}
    for name, offset, days_ago in (
        ("Old Guest", 10, 7 * 366 + 5),
        ("Recent Guest", 20, 365),
        ("Edge Guest", 30, 7 * 365 - 10),
    ):
        booking = hold(
            offset=offset, guest=GuestDetails(name=name, email=f"{name[:3]}@ex.com")
        )
        booking_cancel(booking_id=booking.pk)
        _ended(booking, days_ago=days_ago)
        made[name] = booking
    return made


def test_retention_task_anonymises_old_stays_and_leaves_recent_ones(stays):
    assert apply_retention.delay().get() == 1

    old = Booking.objects.get(pk=stays["Old Guest"].pk)
    assert (old.guest_name, old.guest_email) == ("Erased guest", "")
    assert old.total == stays["Old Guest"].total
    for name in ("Recent Guest", "Edge Guest"):
        assert Booking.objects.get(pk=stays[name].pk).guest_name == name
    record = PrivacyRequest.objects.get()
    assert (record.action, record.actor_name, record.booking_references) == (
        "retention",
        "retention policy",
        [old.reference],
    )
    # Again: nothing more is due, nothing more recorded.
    assert apply_retention.delay().get() == 0
    assert PrivacyRequest.objects.count() == 1


def test_retention_command_reports_progress_and_a_dry_run_changes_nothing(
    stays, capsys
):
    call_command("apply_retention", "--years", "1", "--dry-run")
    assert "2 bookings with check-out before" in capsys.readouterr().out
    assert Booking.objects.filter(guest_name="Erased guest").count() == 0

    call_command("apply_retention", "--years", "1", "--batch-size", "1")

    out = capsys.readouterr().out
    assert "anonymised 1/2 bookings" in out and "anonymised 2/2 bookings" in out
    assert Booking.objects.filter(guest_name="Erased guest").count() == 2
    assert Booking.objects.get(pk=stays["Recent Guest"].pk).guest_name == "Recent Guest"


def test_retention_command_refuses_a_bad_number_of_years(stays):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("apply_retention", "--years", "0")
    assert not Booking.objects.filter(guest_name="Erased guest").exists()


def test_beat_runs_the_retention_task_daily(settings):
    from celery import current_app

    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == apply_retention.name == "privacy.tasks.apply_retention"
    assert entry["task"] in current_app.tasks
    assert entry["schedule"] == 24 * 3600


def test_retention_cutoff_of_a_leap_day():
    assert retention_cutoff(date(2028, 2, 29), 7) == date(2021, 2, 28)
