"""Shared pieces of the OpenAPI description: the problem document and common answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from core.errors import ErrorCode


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField()
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details; other members carry the error's details."""

    type = serializers.CharField(help_text="urn:innkeep:problem:<code>")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.ChoiceField(choices=[c.value for c in ErrorCode])
    retryable = serializers.BooleanField()
    instance = serializers.CharField(required=False)
    errors = FieldErrorSerializer(many=True, required=False)


def _problem(description: str, code: ErrorCode, status: int, detail: str):
    return OpenApiResponse(
        ProblemSerializer,
        description=description,
        examples=[
            OpenApiExample(
                code.value,
                value={
                    "type": f"urn:innkeep:problem:{code.value}",
                    "title": code.value.replace("_", " ").capitalize(),
                    "status": status,
                    "detail": detail,
                    "code": code.value,
                    "retryable": status in (429, 503),
                },
                status_codes=[str(status)],
                response_only=True,
            )
        ],
    )


BAD_REQUEST = _problem(
    "Malformed request: `errors` lists each field.",
    ErrorCode.INVALID_REQUEST,
    400,
    "The request has invalid fields.",
)
UNAUTHORIZED = _problem(
    "Missing or invalid API key.",
    ErrorCode.NOT_AUTHENTICATED,
    401,
    "This API key is not valid.",
)
FORBIDDEN = _problem(
    "The key lacks the scope.",
    ErrorCode.PERMISSION_DENIED,
    403,
    "This API key lacks the 'booking' scope.",
)
NOT_FOUND = _problem(
    "Not found, or not yours.", ErrorCode.NOT_FOUND, 404, "No such booking."
)
CONFLICT = _problem(
    "Refused by the inventory or the booking's state (e.g. sold_out, "
    "illegal_transition), or the Idempotency-Key is in flight.",
    ErrorCode.SOLD_OUT,
    409,
    "Sold out: not enough rooms left for these dates.",
)
UNPROCESSABLE = _problem(
    "Well-formed but impossible (e.g. invalid_dates, too_many_guests), or the "
    "Idempotency-Key was used for another request.",
    ErrorCode.INVALID_DATES,
    422,
    "Check-out must be after check-in.",
)
THROTTLED = _problem(
    "Rate limit reached; see Retry-After.",
    ErrorCode.THROTTLED,
    429,
    "Too many requests for this API key; retry in 12 s.",
)
HOLD_LIMITED = OpenApiResponse(
    ProblemSerializer,
    description=(
        "`throttled`: more booking requests this minute than the partner's booking "
        "rate; `hold_limit`: the partner already holds as many bookings (or "
        "room-nights) as its caps allow: confirm or cancel one, or retry after "
        "Retry-After, when its oldest hold ends. Nothing was taken."
    ),
    examples=[
        OpenApiExample(
            "hold_limit",
            value={
                "type": "urn:innkeep:problem:hold_limit",
                "title": "Hold limit",
                "status": 429,
                "detail": "This partner already has 50 live hold(s), the most allowed "
                "at once (50). Confirm or cancel a hold, or retry when the oldest one "
                "ends (in 412 s).",
                "code": "hold_limit",
                "retryable": True,
                "actor": "partner",
                "live_holds": 50,
                "max_holds": 50,
                "held_room_nights": 96,
                "max_room_nights": 500,
                "retry_after": 412,
            },
            status_codes=["429"],
            response_only=True,
        ),
        OpenApiExample(
            "throttled",
            value={
                "type": "urn:innkeep:problem:throttled",
                "title": "Throttled",
                "status": 429,
                "detail": "Too many booking requests for this partner: 120 a minute "
                "at most; retry in 17 s.",
                "code": "throttled",
                "retryable": True,
            },
            status_codes=["429"],
            response_only=True,
        ),
    ],
)
BUSY = _problem(
    "Lock contention on these nights; retry after Retry-After.",
    ErrorCode.BUSY,
    503,
    "Many guests are booking these nights right now. Please try again in a moment.",
)

PROBLEM = "application/problem+json"


def problems(**by_status: OpenApiResponse) -> dict:
    """Map statuses to problem responses under the problem+json media type."""
    return {(int(code[1:]), PROBLEM): response for code, response in by_status.items()}


READ_ERRORS = problems(
    s400=BAD_REQUEST, s401=UNAUTHORIZED, s403=FORBIDDEN, s429=THROTTLED
)
WRITE_ERRORS = {
    **READ_ERRORS,
    **problems(s404=NOT_FOUND, s409=CONFLICT, s422=UNPROCESSABLE, s503=BUSY),
}
HOLD_ERRORS = {**WRITE_ERRORS, **problems(s429=HOLD_LIMITED)}
NOT_FOUND_ERROR = problems(s404=NOT_FOUND)
UNPROCESSABLE_ERROR = problems(s422=UNPROCESSABLE)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "A unique key per operation (e.g. a UUID). Repeating it with the same body "
        "replays the first answer (header Idempotent-Replayed: true); with another body "
        "it is a 422; while the first request runs it is a 409. Kept 24 hours."
    ),
    examples=[OpenApiExample("uuid", value="6f1c2a0e-3d4b-4c8e-9a57-1f2e3d4c5b6a")],
)


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PartnerKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": "Your partner API key (prefix.secret), shown once when made.",
        }
