"""RFC 9457 problem details for every error the API answers, with a stable `code`.

A DomainError keeps its code and params; DRF's own errors (bad JSON, field errors,
authentication, throttling, 404, 405) get a code of core.errors.ErrorCode too.
"""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.db import (
    RETRY_AFTER_SECONDS,
    database_reachable,
    database_unavailable,
    pool_exhausted,
)
from core.errors import (
    Busy,
    DomainError,
    ErrorCode,
    IllegalTransition,
    LimitReached,
    NotFound,
    Unavailable,
    ValidationError,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"
RESERVED = frozenset(
    {"type", "title", "status", "detail", "instance", "code", "errors", "retryable"}
)

# Most specific first: a code may override its class's status.
STATUS_BY_CODE = {ErrorCode.IDEMPOTENCY_MISMATCH: 422}
STATUS_BY_CLASS = [
    (Busy, status.HTTP_503_SERVICE_UNAVAILABLE),
    (LimitReached, status.HTTP_429_TOO_MANY_REQUESTS),
    (NotFound, status.HTTP_404_NOT_FOUND),
    (IllegalTransition, status.HTTP_409_CONFLICT),
    (Unavailable, status.HTTP_409_CONFLICT),
    (ValidationError, status.HTTP_422_UNPROCESSABLE_ENTITY),
    (DomainError, status.HTTP_422_UNPROCESSABLE_ENTITY),
]
CODE_BY_DRF_ERROR = [
    (exceptions.ValidationError, ErrorCode.INVALID_REQUEST),
    (exceptions.ParseError, ErrorCode.INVALID_REQUEST),
    (exceptions.AuthenticationFailed, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.NotAuthenticated, ErrorCode.NOT_AUTHENTICATED),
    (exceptions.PermissionDenied, ErrorCode.PERMISSION_DENIED),
    (exceptions.NotFound, ErrorCode.NOT_FOUND),
    (exceptions.MethodNotAllowed, ErrorCode.METHOD_NOT_ALLOWED),
    (exceptions.NotAcceptable, ErrorCode.NOT_ACCEPTABLE),
    (exceptions.UnsupportedMediaType, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    (exceptions.Throttled, ErrorCode.THROTTLED),
]


def status_for(error: DomainError) -> int:
    if error.code in STATUS_BY_CODE:
        return STATUS_BY_CODE[error.code]
    return next(code for cls, code in STATUS_BY_CLASS if isinstance(error, cls))


def problem_body(
    code: str,
    http_status: int,
    detail: str,
    *,
    instance: str = "",
    errors: list[dict] | None = None,
    retryable: bool = False,
    **extra,
) -> dict:
    """Return the problem document (RFC 9457) for `code`."""
    body = {
        "type": f"urn:innkeep:problem:{code}",
        "title": str(code).replace("_", " ").capitalize(),
        "status": http_status,
        "detail": detail,
        "code": str(code),
        "retryable": retryable,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    body.update({k: v for k, v in extra.items() if k not in RESERVED})
    return body


def problem(
    code: str,
    http_status: int,
    detail: str,
    *,
    headers: dict | None = None,
    **fields,
) -> Response:
    """Return a problem+json response for `code`."""
    return Response(
        problem_body(code, http_status, detail, **fields),
        status=http_status,
        headers=headers,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def field_errors(detail, prefix: str = "") -> list[dict]:
    """Flatten DRF's nested error detail into [{field, message, code}]."""
    if isinstance(detail, dict):
        return [
            error
            for name, value in detail.items()
            for error in field_errors(
                value,
                f"{prefix}.{name}"
                if prefix and name != "non_field_errors"
                else (prefix or str(name)),
            )
        ]
    if isinstance(detail, list):
        out = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            out += field_errors(value, f"{prefix}[{index}]" if nested else prefix)
        return out
    return [
        {
            "field": prefix or "non_field_errors",
            "message": str(detail),
            "code": getattr(detail, "code", "invalid"),
        }
    ]


def domain_problem(error: DomainError, instance: str = "") -> Response:
    params = dict(error.params)
    errors = None
    fields = params.pop("fields", None)
    if isinstance(fields, dict):
        errors = [
            {"field": f"guest.{name}", "message": str(message), "code": "invalid"}
            for name, message in fields.items()
        ]
    if "field" in params and isinstance(params["field"], str):
        errors = [
            {"field": params.pop("field"), "message": error.message, "code": "invalid"}
        ]
    headers = None
    if error.retryable:
        wait = params.get("retry_after")
        headers = {"Retry-After": str(wait if isinstance(wait, int) and wait else 1)}
    return problem(
        error.code,
        status_for(error),
        error.message,
        instance=instance,
        errors=errors,
        headers=headers,
        retryable=error.retryable,
        **params,
    )


def unavailable_problem(instance: str = "") -> Response:
    """Return the retryable 503 for a database out of reach (restarting, failing over)."""
    return problem(
        ErrorCode.SERVICE_UNAVAILABLE,
        status.HTTP_503_SERVICE_UNAVAILABLE,
        "The service is briefly unavailable. Retry in a moment with the same "
        "Idempotency-Key: a request that went through is answered with its result, "
        "never carried out twice.",
        instance=instance,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        retryable=True,
    )


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every handled error as application/problem+json."""
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    if isinstance(exc, DomainError):
        return domain_problem(exc, instance)
    if pool_exhausted(exc) and database_reachable():
        # Every pooled connection stayed busy for DATABASE_POOL_TIMEOUT: shed the load.
        busy = Busy(ErrorCode.BUSY, "The service is busy. Please retry in a moment.")
        return domain_problem(busy, instance)
    if database_unavailable(exc):  # down, restarting, failing over
        return unavailable_problem(instance)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: let it surface as a 500 and be logged
    code = next(
        (code for cls, code in CODE_BY_DRF_ERROR if isinstance(exc, cls)),
        ErrorCode.INVALID_REQUEST,
    )
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            code,
            exc.status_code,
            "The request has invalid fields.",
            instance=instance,
            errors=field_errors(exc.detail),
            headers=headers,
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if type(exc) is exceptions.Throttled:  # the key's rate, not a rate of its own
        detail = (
            f"Too many requests for this API key; retry in {headers['Retry-After']} s."
        )
    return problem(
        code,
        exc.status_code,
        str(detail),
        instance=instance,
        headers=headers,
        retryable=isinstance(exc, exceptions.Throttled),
    )
