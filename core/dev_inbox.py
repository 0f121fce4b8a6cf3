"""A development inbox: sent e-mails kept as .eml files that the inbox page lists.

The web server and the Celery worker are separate processes, so the backend writes
each message to its own file under EMAIL_FILE_PATH (.data/inbox/ with `make run`),
which both see; the page reads them back with the standard library's e-mail parser.
Django's own file backend appends every message of a connection to one log file,
which cannot be read back reliably, hence this small subclass.
"""

import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend as FileBackend

INBOX_LIMIT = 100


class InboxBackend(FileBackend):
    """Write every message to EMAIL_FILE_PATH as its own `<time>-<uuid>.eml`."""

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        directory = Path(self.file_path)
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            temporary = directory / f".{name}.tmp"
            # Written aside, then renamed: the page never reads half a message.
            temporary.write_bytes(message.message().as_bytes(linesep="\r\n"))
            os.replace(temporary, directory / name)
            sent += 1
        return sent


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass
class InboxMessage:
    id: str
    subject: str
    sender: str
    to: list[str]
    sent_at: datetime | None
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def _parse(path: Path) -> InboxMessage:
    mail = message_from_bytes(path.read_bytes(), policy=policy.default)
    recipients = [
        address.strip()
        for header in ("to", "cc", "bcc")
        for address in str(mail.get(header, "")).split(",")
        if address.strip()
    ]
    try:
        sent_at = parsedate_to_datetime(mail["date"]) if mail["date"] else None
    except (TypeError, ValueError):
        sent_at = None
    if sent_at is not None and sent_at.tzinfo is None:  # "-0000": UTC, zone unsaid
        sent_at = sent_at.replace(tzinfo=UTC)
    message = InboxMessage(
        id=path.stem,
        subject=str(mail.get("subject", "")),
        sender=str(mail.get("from", "")),
        to=recipients,
        sent_at=sent_at,
    )
    for part in mail.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        content_type = part.get_content_type()
        if filename or part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True) or b""
            message.attachments.append(
                Attachment(filename or "attachment", content_type, len(payload))
            )
        elif content_type == "text/plain" and not message.text:
            message.text = part.get_content()
        elif content_type == "text/html" and not message.html:
            message.html = part.get_content()
    return message


def inbox_messages(limit: int = INBOX_LIMIT) -> list[InboxMessage]:
    """Return the newest `limit` messages of the inbox, newest first."""
    directory = Path(settings.EMAIL_FILE_PATH)
    if not directory.is_dir():
        return []
    paths = sorted(directory.glob("*.eml"), reverse=True)[:limit]
    return [_parse(path) for path in paths]


def inbox_message(message_id: str) -> InboxMessage | None:
    """Return one message by its id (its file name), or None."""
    directory = Path(settings.EMAIL_FILE_PATH)
    path = directory / f"{message_id}.eml"
    if "/" in message_id or message_id.startswith(".") or not path.is_file():
        return None
    return _parse(path)
