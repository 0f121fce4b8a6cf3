"""Partner API representations of bookings, and the input of each booking action."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from booking.models import Booking, BookingStatus
from payments.selectors import booking_refund
from summaries.booking import PaymentStatus, booking_summary


class GuestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=40, required=False, default="")


class BookingCreateSerializer(serializers.Serializer):
    rate_plan = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    check_in = serializers.DateField()
    check_out = serializers.DateField()
    rooms = serializers.IntegerField(
        default=1, min_value=1, max_value=settings.BOOKING_MAX_ROOMS
    )
    adults = serializers.IntegerField(min_value=1, max_value=100)
    children = serializers.IntegerField(default=0, min_value=0, max_value=100)
    guest = GuestSerializer()
    special_requests = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )


class BookingChangeSerializer(serializers.Serializer):
    check_in = serializers.DateField(required=False)
    check_out = serializers.DateField(required=False)
    rooms = serializers.IntegerField(
        required=False, min_value=1, max_value=settings.BOOKING_MAX_ROOMS
    )
    adults = serializers.IntegerField(required=False, min_value=1, max_value=100)
    children = serializers.IntegerField(required=False, min_value=0, max_value=100)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                "Give at least one of check_in, check_out, rooms, adults, children."
            )
        return attrs


class BookingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, required=False, default="", allow_blank=True
    )


class BookingGuestOutSerializer(serializers.Serializer):
    name = serializers.CharField(source="guest_name")
    email = serializers.EmailField(source="guest_email")
    phone = serializers.CharField(source="guest_phone")


class BookingSerializer(serializers.ModelSerializer):
    """A booking as its partner sees it; every field comes from the booking row."""

    guest = BookingGuestOutSerializer(source="*", read_only=True)
    nightly_prices = serializers.ListField(
        child=serializers.IntegerField(), help_text="One room, per night, minor units."
    )
    total = serializers.IntegerField(help_text="All rooms, all nights, minor units.")
    refund_amount = serializers.SerializerMethodField(
        help_text="What comes back for the cancellation, minor units (null until "
        "cancelled): the figure the guest reads on the site and in the e-mail. For a "
        "booking confirmed on your guarantee, the policy's share, which you pay back."
    )

    payment_status = serializers.SerializerMethodField(
        help_text="What the guest is told about paying: paid, part_paid (a balance is "
        "due at the hotel), at_hotel, unpaid (a live hold to pay), pending (a payment "
        "in flight), expired, refunded, partner (you took the payment) or none."
    )
    amount_paid = serializers.SerializerMethodField(
        help_text="Paid online and still paid, minor units."
    )
    balance_due = serializers.SerializerMethodField(
        help_text="Due at the hotel, minor units."
    )
    free_cancellation_until = serializers.SerializerMethodField(
        help_text="The last moment of free cancellation (hotel time, with its offset); "
        "null when there is none left."
    )
    refund_if_cancelled_now = serializers.SerializerMethodField(
        help_text="What cancelling now would give back, minor units (0 when it "
        "cannot be cancelled)."
    )

    class Meta:
        model = Booking
        fields = [
            "reference",
            "status",
            "hotel",
            "room_type",
            "rate_plan",
            "check_in",
            "check_out",
            "rooms",
            "adults",
            "children",
            "guest",
            "special_requests",
            "nightly_prices",
            "total",
            "currency",
            "payment_mode",
            "held_until",
            "policy",
            "refund_amount",
            "payment_status",
            "amount_paid",
            "balance_due",
            "free_cancellation_until",
            "refund_if_cancelled_now",
            "cancellation_reason",
            "created_at",
            "updated_at",
            "confirmed_at",
            "cancelled_at",
            "expired_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_refund_amount(self, booking) -> int | None:
        if booking.status != BookingStatus.CANCELLED:
            return None
        # A list annotates its page in its one query (payments.selectors.with_refunds).
        due = getattr(booking, "refund_due", None)
        return due if due is not None else booking_refund(booking).amount

    def _summary(self, booking):
        # One summary per booking and representation (summaries.booking).
        cached = getattr(booking, "_api_summary", None)
        if cached is None:
            cached = booking._api_summary = booking_summary(booking)
        return cached

    @extend_schema_field(serializers.ChoiceField(choices=PaymentStatus.ALL))
    def get_payment_status(self, booking) -> str:
        return self._summary(booking).payment_status

    def get_amount_paid(self, booking) -> int:
        return self._summary(booking).paid

    def get_balance_due(self, booking) -> int:
        return self._summary(booking).balance_due

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_free_cancellation_until(self, booking) -> str | None:
        summary = self._summary(booking)
        until = summary.free_cancellation_until
        return until.astimezone(summary.tz).isoformat() if until else None

    def get_refund_if_cancelled_now(self, booking) -> int:
        return self._summary(booking).refund_now


class BookingChangeResultSerializer(serializers.Serializer):
    booking = BookingSerializer()
    old_total = serializers.IntegerField()
    new_total = serializers.IntegerField()
    difference = serializers.IntegerField(
        help_text="new_total − old_total: owed by the guest if positive, to them if not."
    )


class PostgresDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time whose UTC offset PostgreSQL can take (under 16 hours)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        offset = parsed.utcoffset() if parsed is not None else None
        if offset is not None and abs(offset) >= timedelta(hours=16):
            raise forms.ValidationError(
                "The UTC offset must be under 16 hours.", code="invalid"
            )
        return parsed


class PostgresDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = PostgresDateTimeField


class BookingFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=BookingStatus.choices)
    hotel = filters.NumberFilter(field_name="hotel_id")
    check_in_from = filters.DateFilter(field_name="check_in", lookup_expr="gte")
    check_in_to = filters.DateFilter(field_name="check_in", lookup_expr="lte")
    created_after = PostgresDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = PostgresDateTimeFilter(field_name="created_at", lookup_expr="lt")
    guest_email = filters.CharFilter(field_name="guest_email", lookup_expr="iexact")

    class Meta:
        model = Booking
        fields = []
