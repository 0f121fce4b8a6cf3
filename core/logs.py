"""Structured logs (structlog): context on every line, and nothing secret in any.

Every log line, from structlog or from the standard library's loggers, goes through
one `ProcessorFormatter` (LOGGING in config/settings/base.py): JSON lines in
production, readable lines locally. The context bound with `bind()` (request id,
booking reference, partner, hotel) lives in contextvars: the request middleware binds
the request id, services bind what they learn, and Celery tasks get the request id of
the request that queued them through a task header (`REQUEST_ID_HEADER`).

`redact()` runs last before rendering, on the whole line: keys that name a secret lose
their value, and in every string API keys, Stripe secrets, bearer tokens and card
numbers are replaced and e-mail addresses masked (j***@example.com).
"""

import logging
import re
import uuid
from collections.abc import Mapping
from typing import Any

import structlog
from structlog.contextvars import (
    bind_contextvars,
    bound_contextvars,
    clear_contextvars,
    get_contextvars,
)

REQUEST_ID_HEADER = "request_id"
# A request id from the client is kept only if it looks like one: short, plain.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")

__all__ = ["bind", "bound_contextvars", "current_request_id", "get_logger"]


def get_logger(name: str | None = None):
    return structlog.stdlib.get_logger(name)


def bind(**values: Any) -> None:
    """Add `values` (None ones are skipped) to the context of every later log line."""
    bind_contextvars(**{k: v for k, v in values.items() if v is not None})


def current_request_id() -> str:
    """Return the request id bound to this context ("" if none)."""
    return str(get_contextvars().get("request_id") or "")


def request_id_from(header: str | None) -> str:
    """Return the client's X-Request-ID if it is sane, else a new id."""
    if header and _SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Bind a request id to every log line of the request and echo it back.

    The id comes from `X-Request-ID` when it is sane (a proxy's or a partner's), else
    it is made here; the response carries it in `X-Request-ID`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        clear_contextvars()
        request_id = request_id_from(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        bind_contextvars(request_id=request_id)
        try:
            response = self.get_response(request)
        finally:
            clear_contextvars()
        response["X-Request-ID"] = request_id
        return response


# Redaction ------------------------------------------------------------------------------

_SECRET_KEY = re.compile(
    r"pass(word)?|secret|token|api[_-]?key|authorization|cookie|card|cvc|cvv|iban"
    r"|session|signature",
    re.IGNORECASE,
)
_KEEP_KEYS = frozenset({"event", "logger", "level", "timestamp", "request_id"})
_PATTERNS = [
    # Stripe secret, restricted and webhook keys, and client secrets.
    (re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{6,}"), "[stripe-key]"),
    (re.compile(r"\bwhsec_[A-Za-z0-9+/=]{6,}"), "[stripe-key]"),
    (re.compile(r"\b\w+_secret_[A-Za-z0-9]{6,}"), "[client-secret]"),
    # A partner API key (djangorestframework-api-key: prefix.secret).
    (re.compile(r"\b[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}\b"), "[api-key]"),
    (
        re.compile(r"(?i)\b(bearer|api-key|token)\s+[A-Za-z0-9._~+/=-]{8,}"),
        r"\1 [redacted]",
    ),
    # password=..., token: ..., api_key=... in free text.
    (
        re.compile(
            r"(?i)\b(pass(?:word)?|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*)"
            r"[^\s,;&\"']+"
        ),
        r"\1\2[redacted]",
    ),
]
# Links that carry their own credential, wherever a URL is logged (the access log, the
# request's path): a booking's signed open link, allauth's e-mail confirmation and
# password reset keys, and query values named like a secret or an e-mail address.
_PATTERNS += [
    (
        re.compile(r"(/open/|/confirm-email/|/password/reset/key/)[^/\s?#\"]+"),
        r"\1[token]",
    ),
    (
        re.compile(
            r"(?i)([?&;](?:[\w-]*(?:token|secret|signature|password|key|code)|sig|email)"
            r"=)[^&;\s\"#]+"
        ),
        r"\1[redacted]",
    ),
]
_CARD = re.compile(r"\b\d(?:[ -]?\d){12,18}\b")
_EMAIL = re.compile(
    r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})"
)


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _card(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    return "[card]" if _luhn(digits) else match.group()


def redact_text(text: str) -> str:
    """Return `text` without secrets or card numbers, its e-mail addresses masked."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    text = _CARD.sub(_card, text)
    return _EMAIL.sub(r"\1***@\2", text)


def _redact_value(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if depth > 4:
        return value
    if isinstance(value, Mapping):
        return {
            k: "[redacted]"
            if isinstance(k, str) and _SECRET_KEY.search(k)
            else _redact_value(v, depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact_value(v, depth + 1) for v in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact_text(str(value))


def redact(_logger, _method, event_dict: dict) -> dict:
    """structlog processor: drop secret values and mask addresses in the whole line."""
    for key, value in list(event_dict.items()):
        if key not in _KEEP_KEYS and _SECRET_KEY.search(key):
            event_dict[key] = "[redacted]"
        else:
            event_dict[key] = _redact_value(value)
    return event_dict


# Configuration --------------------------------------------------------------------------

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def formatter(json: bool = False) -> logging.Formatter:
    """Return the formatter of LOGGING's handlers (a `()` factory in dictConfig)."""
    renderer = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact,
            renderer,
        ],
    )


def configure_structlog() -> None:
    """Send structlog's loggers through the standard library's (and so LOGGING)."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


# Celery: the request id travels with the task -------------------------------------------


def add_request_id_header(headers: dict | None = None, **_kwargs) -> None:
    """before_task_publish: stamp the message with the current request id."""
    request_id = current_request_id()
    if headers is not None and request_id:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


def bind_task_context(task=None, task_id=None, **_kwargs) -> None:
    """task_prerun: log under the request id of the request that queued the task.

    An eager task (tests, CELERY_TASK_ALWAYS_EAGER) runs in its caller's context and
    keeps it.
    """
    if task is None or getattr(task.request, "is_eager", False):
        return
    clear_contextvars()
    bind(
        request_id=getattr(task.request, REQUEST_ID_HEADER, None)
        or (task.request.headers or {}).get(REQUEST_ID_HEADER),
        task=task.name,
        task_id=task_id,
    )


def clear_task_context(task=None, **_kwargs) -> None:
    """task_postrun: the next task on this worker starts with no context."""
    if task is not None and not getattr(task.request, "is_eager", False):
        clear_contextvars()


def connect_celery_signals() -> None:
    from celery import signals

    signals.before_task_publish.connect(add_request_id_header, weak=False)
    signals.task_prerun.connect(bind_task_context, weak=False)
    signals.task_postrun.connect(clear_task_context, weak=False)
