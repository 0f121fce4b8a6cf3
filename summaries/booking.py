"""What a guest is told about a booking's money and deadlines, in one place.

`booking_summary` turns a booking's state, its payments and its frozen policy into the
status, the payment status, what was paid, what is due at the hotel, the cancellation
terms still ahead (hotel time) and what cancelling now would refund. The booking and
payment pages, the e-mails and the partner API all read it, so none of them can tell
the guest something another one contradicts.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import (
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce, Now
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from booking.models import Booking, BookingStatus
from core import dates
from core.money import format_money
from hotels.policies import (
    RefundStep,
    free_cancellation_until,
    refund_amount,
    refund_schedule,
)
from payments.models import Payment
from payments.selectors import BookingRefund, with_refunds


class PaymentStatus:
    """The payment status codes of a summary (the API's `payment_status`)."""

    PAID = "paid"  # paid online, nothing left to pay
    PART_PAID = "part_paid"  # paid online, a balance is due at the hotel
    AT_HOTEL = "at_hotel"  # nothing paid online: the hotel collects
    UNPAID = "unpaid"  # a live pay-now hold, to pay online before its deadline
    PENDING = "pending"  # a payment is in flight at the bank or the gateway
    EXPIRED = "expired"  # the hold ended unpaid
    REFUNDED = "refunded"  # cancelled (or refunded late) and money goes back
    PARTNER = "partner"  # a partner took the payment
    NONE = "none"  # cancelled or ended with nothing paid and nothing to give back

    ALL = (
        PAID,
        PART_PAID,
        AT_HOTEL,
        UNPAID,
        PENDING,
        EXPIRED,
        REFUNDED,
        PARTNER,
        NONE,
    )


_OPEN = (
    Payment.Status.PENDING,
    Payment.Status.REQUIRES_ACTION,
    Payment.Status.PROCESSING,
)
_OWING = (BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


@dataclass(frozen=True)
class BookingSummary:
    """What the guest is told; amounts in minor units of `currency`."""

    booking: Booking
    at: datetime  # now, by the database clock
    tz: ZoneInfo
    currency: str
    total: int
    payment_status: str
    paid: int  # paid online and still paid
    balance_due: int  # to pay at the hotel
    hold_expired: bool
    free_cancellation_until: datetime | None  # only while still ahead
    refund_steps: list[RefundStep] = field(default_factory=list)  # still ahead
    had_refunds: bool = False  # the policy refunded something at some point
    cancellable: bool = False
    refund_now: int = 0  # what cancelling now would give back
    refund: BookingRefund | None = None  # once cancelled
    refunded: int = 0  # what goes back: the cancellation's or a late payment's refund
    partner: str = ""

    # Text, in the active language (the e-mails render under their language).

    def money(self, amount: int) -> str:
        return format_money(amount, self.currency, get_language() or "en")

    def deadline(self, until: datetime) -> str:
        """The last moment in hotel time, with its zone: "Nov 30, 2026 11:59 PM (Asia/Seoul)"."""
        text = dates.format_datetime(until, self.tz, get_language() or "en")
        return f"{text} ({self.tz.key})"

    @property
    def payment_text(self) -> str:
        s, money = self.payment_status, self.money
        if s == PaymentStatus.PAID:
            return _("Paid online: %(amount)s") % {"amount": money(self.paid)}
        if s == PaymentStatus.PART_PAID:
            return _("Paid online: %(paid)s. To pay at the hotel: %(due)s") % {
                "paid": money(self.paid),
                "due": money(self.balance_due),
            }
        if s == PaymentStatus.AT_HOTEL:
            return _("Nothing paid online. To pay at the hotel: %(amount)s") % {
                "amount": money(self.balance_due)
            }
        if s == PaymentStatus.UNPAID:
            return _("Not paid yet: %(amount)s to pay online to confirm") % {
                "amount": money(self.total)
            }
        if s == PaymentStatus.PENDING:
            return _("Your payment is being processed")
        if s == PaymentStatus.EXPIRED:
            return _("Not paid: the hold on these rooms has expired")
        if s == PaymentStatus.REFUNDED:
            refund = self.refund
            line = _("Refund: %(amount)s") % {"amount": money(self.refunded)}
            if refund is not None and refund.by == "partner":
                how = _("paid back by %(partner)s, who took your payment") % {
                    "partner": refund.partner
                }
            elif refund is not None and refund.status == "succeeded":
                how = _("sent to your card")
            else:
                how = _("on its way to your card")
            return f"{line} · {how}"
        if s == PaymentStatus.PARTNER:
            return _("Paid through %(partner)s") % {"partner": self.partner}
        if self.booking.status == BookingStatus.CANCELLED:
            return _(
                "No refund is due: nothing was paid online, or the policy gives "
                "nothing back at the time of cancelling."
            )
        return _("Nothing was charged")

    @property
    def terms(self) -> list[str]:
        """The cancellation terms still ahead, one line each (hotel time)."""
        if not self.cancellable:
            return []
        lines = []
        if self.free_cancellation_until is not None:
            lines.append(
                _("Free cancellation until %(deadline)s, hotel time")
                % {"deadline": self.deadline(self.free_cancellation_until)}
            )
        for step in self.refund_steps:
            if step.percent < 100:
                lines.append(
                    _("%(percent)s%% refund until %(deadline)s")
                    % {"percent": step.percent, "deadline": self.deadline(step.until)}
                )
        if self.refund_steps:
            lines.append(_("No refund after that."))
        elif self.had_refunds:
            lines.append(
                _("The refund deadlines have passed: no refund if you cancel now.")
            )
        else:
            lines.append(_("Non-refundable: no refund if you cancel"))
        if self.paid:
            lines.append(
                _("Cancelling now would refund %(amount)s.")
                % {"amount": self.money(self.refund_now)}
            )
        return lines


_FACTS = (
    "refund_due",
    "refund_by",
    "refund_status",
    "refund_paid",
    "summary_open",
    "summary_late",
    "summary_partner",
    "summary_at",
)


def with_summary(bookings: QuerySet) -> QuerySet:
    """Annotate bookings with every fact booking_summary reads, in the one query.

    A page of bookings (the partner API's list) is then summarised with no query per
    booking; `summary_at` is the database's now().
    """
    money = IntegerField()
    late = Payment.objects.filter(
        booking_id=OuterRef("pk"),
        resolution__in=[
            Payment.Resolution.REFUNDED_UNAVAILABLE,
            Payment.Resolution.REFUNDED_NOT_BOOKABLE,
        ],
    )
    return (
        with_refunds(bookings)
        .select_related("hotel")
        .annotate(
            summary_open=Exists(
                Payment.objects.filter(
                    booking_id=OuterRef("pk"),
                    kind=Payment.Kind.CHARGE,
                    status__in=_OPEN,
                )
            ),
            summary_late=Coalesce(
                Subquery(
                    late.order_by()
                    .values("booking_id")
                    .annotate(s=Sum("amount"))
                    .values("s")[:1]
                ),
                0,
                output_field=money,
            ),
            summary_partner=Coalesce(F("partner__name"), V("")),
            summary_at=Now(),
        )
    )


def _facts(booking: Booking) -> dict:
    if all(hasattr(booking, name) for name in _FACTS):
        return {name: getattr(booking, name) for name in _FACTS}
    held_at = getattr(booking, "held_at", None)
    if held_at is not None and booking.status == BookingStatus.HELD:
        # Fresh from booking_hold: nothing paid, refunded or in flight yet.
        return {
            "refund_due": 0,
            "refund_by": "",
            "refund_status": "",
            "refund_paid": 0,
            "summary_open": False,
            "summary_late": 0,
            "summary_partner": "",
            "summary_at": held_at,
        }
    return with_summary(Booking.objects.filter(pk=booking.pk)).values(*_FACTS).get()


def booking_summary(booking: Booking, *, at: datetime | None = None) -> BookingSummary:
    """Return what the guest is told about `booking` at `at` (default: the DB's now).

    One query; none for a booking from with_summary() or fresh from booking_hold.
    """
    facts = _facts(booking)
    at = at or facts["summary_at"]
    hotel = booking.hotel
    tz = hotel.tz
    status = booking.status
    partner = facts["summary_partner"] or ""
    figure = BookingRefund(
        amount=facts["refund_due"],
        currency=booking.currency,
        by=facts["refund_by"],
        status=facts["refund_status"],
        paid=facts["refund_paid"],
        partner=partner if facts["refund_by"] == "partner" else "",
    )
    paid = figure.paid
    hold_expired = status == BookingStatus.EXPIRED or (
        status == BookingStatus.HELD and booking.held_until <= at
    )
    late_refund = facts["summary_late"] > 0

    balance = 0
    if status == BookingStatus.CANCELLED:
        payment_status = (
            PaymentStatus.REFUNDED if figure.amount > 0 else PaymentStatus.NONE
        )
    elif late_refund and status != BookingStatus.CONFIRMED:
        payment_status = PaymentStatus.REFUNDED
    elif hold_expired:
        # An expired hold is never "being processed", whatever its intent still says.
        payment_status = PaymentStatus.EXPIRED
    elif status == BookingStatus.HELD:
        if facts["summary_open"]:
            payment_status = PaymentStatus.PENDING
        elif booking.payment_mode == "pay_at_hotel":
            payment_status = PaymentStatus.AT_HOTEL
            balance = booking.total
        else:
            payment_status = PaymentStatus.UNPAID
    elif partner and paid == 0:
        payment_status = PaymentStatus.PARTNER
    elif status in _OWING:
        balance = max(booking.total - paid, 0)
        if paid == 0:
            payment_status = PaymentStatus.AT_HOTEL
        elif balance:
            payment_status = PaymentStatus.PART_PAID
        else:
            payment_status = PaymentStatus.PAID
    else:
        payment_status = PaymentStatus.PAID if paid else PaymentStatus.NONE

    cancellable = (
        status in (BookingStatus.HELD, BookingStatus.CONFIRMED) and not hold_expired
    )
    policy = booking.policy
    refund_now = 0
    if cancellable and status == BookingStatus.CONFIRMED:
        # As payments.selectors.cancellation_preview: the policy's share now, at most
        # what was paid by card, or the share the partner pays back.
        share = refund_amount(
            policy, total=booking.total, check_in=booking.check_in, at=at, tz=tz
        )
        if paid > 0:
            refund_now = min(share, paid)
        elif partner:
            refund_now = share
    return BookingSummary(
        booking=booking,
        at=at,
        tz=tz,
        currency=booking.currency,
        total=booking.total,
        payment_status=payment_status,
        paid=paid,
        balance_due=balance,
        hold_expired=hold_expired,
        free_cancellation_until=free_cancellation_until(
            policy, check_in=booking.check_in, tz=tz, at=at
        ),
        refund_steps=refund_schedule(policy, check_in=booking.check_in, tz=tz, at=at),
        had_refunds=bool(policy.get("rules")),
        cancellable=cancellable,
        refund_now=refund_now,
        refund=figure if status == BookingStatus.CANCELLED or late_refund else None,
        refunded=figure.amount
        if status == BookingStatus.CANCELLED
        else facts["summary_late"],
        partner=partner,
    )
