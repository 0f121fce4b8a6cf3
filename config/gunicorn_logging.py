"""gunicorn's access log with the redaction every other log line gets (core.logs).

A request line can carry a credential: a booking's signed open link from an e-mail,
allauth's confirmation and password-reset keys, a Stripe client secret in a return URL,
an e-mail address in a query. config/gunicorn.py sets `logger_class` to this, so each
value the access-log format uses is passed through `core.logs.redact_text` when the
line is written (only the values the format names, so the cost is a few regexes).
"""

from gunicorn.glogging import Logger, SafeAtoms

from core.logs import redact_text


class RedactedAtoms(SafeAtoms):
    def __getitem__(self, key):
        value = super().__getitem__(key)
        return redact_text(value) if isinstance(value, str) else value


class RedactingLogger(Logger):
    atoms_wrapper_class = RedactedAtoms
