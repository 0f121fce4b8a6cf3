"""The development inbox: what the worker sends shows at /dev/inbox/, links on the port."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail

from core.dev_inbox import InboxBackend, inbox_messages
from payments.tests.factories import pay

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def inbox(settings, tmp_path, emails):
    """The dev inbox on, as `make run PORT=8080` sets it up."""
    settings.DEV_INBOX = True
    settings.EMAIL_BACKEND = "core.dev_inbox.InboxBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "inbox")
    settings.SITE_URL = "http://127.0.0.1:8080"
    return tmp_path / "inbox"


def test_the_workers_confirmation_shows_in_the_inbox_with_links_on_the_port(
    client, inbox, relayed, hold
):
    with relayed():  # the relay queues send_booking_email, run here as the worker would
        booking = hold(offset=10)
    with relayed():
        pay(booking)

    files = sorted(inbox.glob("*.eml"))
    page = client.get("/dev/inbox/")
    html = page.content.decode()

    assert len(files) == 2  # the hold's e-mail and the confirmation
    assert page.status_code == 200
    newest, older = inbox_messages()
    assert "confirmed" in newest.subject.lower() and older.sent_at <= newest.sent_at
    assert html.index(newest.subject) < html.index(older.subject)  # newest first
    assert booking.guest_email in html
    assert f"innkeep-{booking.reference}.ics" in html  # attachments are listed
    links = re.findall(r"https?://[^\s\"<>]+/bookings/[^\s\"<>]+", newest.text)
    assert links and all(link.startswith("http://127.0.0.1:8080/") for link in links), (
        links
    )
    body = client.get(f"/dev/inbox/{newest.id}/html/")
    assert body.status_code == 200
    assert 'href="http://127.0.0.1:8080/bookings/' in body.content.decode()
    assert "sandbox" in body["Content-Security-Policy"]
    assert f'src="/dev/inbox/{newest.id}/html/"' in html


def test_an_older_message_opens_by_its_id(client, inbox):
    backend = InboxBackend()
    for subject in ("First", "Second"):
        mail.EmailMessage(subject, f"{subject} body", to=["g@example.com"]).send()
    assert backend.file_path == str(inbox)
    first = next(m for m in inbox_messages() if m.subject == "First")

    html = client.get("/dev/inbox/", {"id": first.id}).content.decode()

    assert "First body" in html and "Second body" not in html
    assert client.get("/dev/inbox/", {"id": "../../etc/passwd"}).status_code == 200
    assert client.get("/dev/inbox/..%2Fx/html/").status_code == 404


def test_the_inbox_is_a_404_when_off(client, settings, inbox):
    mail.EmailMessage("Hello", "Body", to=["g@example.com"]).send()
    [message] = inbox_messages()
    settings.DEV_INBOX = False

    assert client.get("/dev/inbox/").status_code == 404
    assert client.get(f"/dev/inbox/{message.id}/html/").status_code == 404


def test_production_settings_keep_the_inbox_off_whatever_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "innkeep.example",
        "DEV_INBOX": "true",
    }
    code = (
        "from django.conf import settings;"
        "print(settings.DEV_INBOX, settings.EMAIL_BACKEND)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )

    assert out.stdout.split() == [
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_make_run_points_e_mail_links_at_its_port():
    out = subprocess.run(
        ["make", "-n", "run", "PORT=8080"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
    )

    assert "SITE_URL=http://127.0.0.1:8080 honcho start" in out.stdout
