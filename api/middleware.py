"""Every answer under /api/ is a problem document: a 404, a 413 and a 500 included."""

import json
import logging

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse

from core.db import RETRY_AFTER_SECONDS, database_unavailable
from core.errors import ErrorCode

from .problems import PROBLEM_CONTENT_TYPE, problem_body

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
CODE_BY_STATUS = {
    400: ErrorCode.INVALID_REQUEST,
    401: ErrorCode.NOT_AUTHENTICATED,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    406: ErrorCode.NOT_ACCEPTABLE,
    413: ErrorCode.PAYLOAD_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    429: ErrorCode.THROTTLED,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}


def problem_response(
    request, status: int, detail: str, retry_after: str | None = None
) -> HttpResponse:
    code = CODE_BY_STATUS.get(status, ErrorCode.SERVER_ERROR)
    body = problem_body(
        code,
        status,
        detail,
        instance=request.get_full_path(),
        retryable=status >= 500 or status == 429,
    )
    response = HttpResponse(
        json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    if retry_after:
        response["Retry-After"] = retry_after
    return response


class ApiProblemMiddleware:
    """Turn what Django itself answers under /api/ into application/problem+json.

    DRF's exception handler (api.problems) already answers what the views refuse; this
    covers what never reaches a view (a NUL byte, an over-size body) and a bug (500).
    An over-size body is refused by its Content-Length before it is read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        length = request.META.get("CONTENT_LENGTH") or ""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length.isdigit() and limit is not None and int(length) > limit:
            return problem_response(
                request, 413, f"The request body is larger than {limit} bytes."
            )
        response = self.get_response(request)
        if 400 <= response.status_code < 500:
            # A refusal is the API's answer, not a fault: the access log has it, and a
            # rush's ten thousand "sold out" must not be ten thousand warnings.
            response._has_been_logged = True  # what django.utils.log.log_response reads
        if response.status_code >= 400 and not response.get(
            "Content-Type", ""
        ).startswith(PROBLEM_CONTENT_TYPE):
            detail = response.reason_phrase
            if response.get("Content-Type", "").startswith("text/plain"):
                detail = response.content.decode(errors="replace")[:200] or detail
            return problem_response(
                request, response.status_code, detail, response.get("Retry-After")
            )
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, RequestDataTooBig):
            return problem_response(request, 413, "The request body is too large.")
        if database_unavailable(exception):  # a restart, a failover or load: not a bug
            log.warning("database unavailable on %s: %s", request.path, exception)
            return problem_response(
                request,
                503,
                "The service is briefly unavailable; retry in a moment.",
                str(RETRY_AFTER_SECONDS),
            )
        log.exception("unhandled error on %s", request.path, exc_info=exception)
        return problem_response(
            request, 500, "Something went wrong on our side; it has been logged."
        )


# A JSON answer runs no script and loads nothing: it needs a policy that allows nothing
# (and may not be framed), not the site's.
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"


class ApiCSPMiddleware(CSPMiddleware):
    """django-csp for the API's HTML (the schema's docs), one fixed policy for JSON.

    Building the site's policy costs more than a sold-out answer does.
    """

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith(
            ("application/json", PROBLEM_CONTENT_TYPE)
        ):
            if CSP_HEADER not in response:
                response[CSP_HEADER] = JSON_POLICY
            return response
        return super().process_response(request, response)
