"""Reads over payments: what was paid, and the one figure of what comes back."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce, Greatest, Least

from booking.models import Booking, BookingStatus
from hotels.policies import refund_amount, refund_percent

from .models import Payment, Refund

_KEPT = (Payment.Resolution.CONFIRMED, Payment.Resolution.REINSTATED)
_COUNTED = (Refund.Status.PENDING, Refund.Status.FAILED, Refund.Status.SUCCEEDED)
_CANCELLED = BookingStatus.CANCELLED


def _summed(queryset, group: str):
    """The sum of `amount` over a subquery's rows (NULL when it has none)."""
    return Subquery(
        queryset.order_by().values(group).annotate(s=Sum("amount")).values("s")[:1]
    )


def with_refunds(bookings: QuerySet, *, share: int | None = None) -> QuerySet:
    """Annotate bookings with the one refund figure (see BookingRefund), in SQL.

    `refund_paid`: paid online and still paid (refunds other than the cancellation's
    taken off); `refund_by`: "card", "partner" or ""; `refund_due`: what the guest
    gets back for the cancellation; `refund_status`: the card refund's progress.
    With `share`, the figure is what cancelling would give if the policy gave `share`
    (minor units) now: the preview a guest reads before cancelling.
    """
    money = IntegerField()
    if share is None:
        policy_share = Coalesce(F("refund_amount"), 0, output_field=money)
        cancelled = Q(status=_CANCELLED)
    else:
        policy_share, cancelled = V(share, output_field=money), Q(pk__isnull=False)
    charges = {
        "payment__booking_id": OuterRef("pk"),
        "payment__kind": Payment.Kind.CHARGE,
        "payment__status": Payment.Status.SUCCEEDED,
        "payment__resolution__in": _KEPT,
    }
    kept = Payment.objects.filter(
        booking_id=OuterRef("pk"),
        kind=Payment.Kind.CHARGE,
        status=Payment.Status.SUCCEEDED,
        resolution__in=_KEPT,
    )
    others = Refund.objects.filter(**charges, status__in=_COUNTED).exclude(
        purpose=Refund.Purpose.CANCELLATION
    )
    cancellation = Refund.objects.filter(
        payment__booking_id=OuterRef("pk"), purpose=Refund.Purpose.CANCELLATION
    )
    return bookings.annotate(
        refund_paid=Greatest(
            Coalesce(_summed(kept, "booking_id"), 0, output_field=money)
            - Coalesce(_summed(others, "payment__booking_id"), 0, output_field=money),
            0,
            output_field=money,
        ),
        refund_sent=_summed(cancellation, "payment__booking_id"),
        refund_by=Case(
            When(Q(refund_paid__gt=0) | Q(refund_sent__isnull=False), then=V("card")),
            When(partner__isnull=False, then=V("partner")),
            default=V(""),
        ),
        refund_due=Case(
            When(~cancelled, then=0),
            When(refund_sent__isnull=False, then=F("refund_sent")),
            When(
                refund_by="card",
                then=Least(policy_share, F("refund_paid"), output_field=money),
            ),
            When(refund_by="partner", then=policy_share),
            default=0,
            output_field=money,
        ),
        refund_status=Case(
            When(~cancelled | ~Q(refund_by="card"), then=V("")),
            When(
                Exists(cancellation.filter(status=Refund.Status.GAVE_UP)),
                then=V(Refund.Status.GAVE_UP),
            ),
            When(
                Exists(cancellation.exclude(status=Refund.Status.SUCCEEDED)),
                then=V(Refund.Status.PENDING),
            ),
            When(refund_sent__isnull=False, then=V(Refund.Status.SUCCEEDED)),
            # Owed, and not yet a row: the sweep makes it (cancel_booking_and_refund).
            When(refund_due__gt=0, then=V(Refund.Status.PENDING)),
            default=V(""),
        ),
    )


@dataclass(frozen=True)
class BookingRefund:
    """The one refund figure of a booking: the site, the API, the front desk, the
    booking's admin page, the dashboard and the e-mails all read this.

    `amount` is what the guest gets back for the cancellation, in minor units:
    - paid online ("card"): the cancellation refund made, or (until it is made) the
      policy's share at most what was paid and not refunded otherwise;
    - confirmed on a partner's guarantee ("partner"): the partner took the payment
      and is invoiced by the policy, so it pays the policy's share back;
    - nothing paid ("": pay at the hotel, a hold): nothing.
    It is 0 for a booking that is not cancelled.
    """

    amount: int
    currency: str
    by: str  # "card", "partner" or ""
    status: str  # of a card refund: "pending", "succeeded", "gave_up"; else ""
    paid: int  # paid online and still paid
    partner: str  # the partner's name when by == "partner"


def booking_refund(booking: Booking, *, share: int | None = None) -> BookingRefund:
    """Return the refund figure of `booking` (one query); see with_refunds for `share`."""
    row = (
        with_refunds(Booking.objects.filter(pk=booking.pk), share=share)
        .values(
            "refund_due", "refund_by", "refund_status", "refund_paid", "partner__name"
        )
        .get()
    )
    return BookingRefund(
        amount=row["refund_due"],
        currency=booking.currency,
        by=row["refund_by"],
        status=row["refund_status"],
        paid=row["refund_paid"],
        partner=(row["partner__name"] or "") if row["refund_by"] == "partner" else "",
    )


def amount_paid(booking: Booking) -> int:
    """Return the minor units the guest paid online for the stay and still has paid.

    Refunds other than the cancellation refund are taken off, so the figure is the
    same before and after a cancellation refund (which comes out of it).
    """
    return booking_refund(booking).paid


@dataclass(frozen=True)
class CancellationPreview:
    """What cancelling now would give back, for the guest to read before confirming."""

    at: datetime  # now, by the database clock
    paid: int  # paid online and not refunded
    percent: int  # the policy's refund percentage now (0 for an unpaid hold)
    # What comes back, as BookingRefund will say once cancelled: the policy's share
    # of the total, at most `paid` (by card), or in full from the partner.
    refund: int
    by: str = ""
    partner: str = ""


def cancellation_preview(booking: Booking, *, at: datetime) -> CancellationPreview:
    """Return the refund cancelling `booking` at `at` would give (hotel time)."""
    if booking.status != BookingStatus.CONFIRMED:
        return CancellationPreview(
            at=at, paid=amount_paid(booking), percent=0, refund=0
        )
    tz = booking.hotel.tz
    due = refund_amount(
        booking.policy, total=booking.total, check_in=booking.check_in, at=at, tz=tz
    )
    percent = refund_percent(booking.policy, check_in=booking.check_in, at=at, tz=tz)
    figure = booking_refund(booking, share=due)
    return CancellationPreview(
        at=at,
        paid=figure.paid,
        percent=percent,
        refund=figure.amount,
        by=figure.by,
        partner=figure.partner,
    )


def change_settlement(booking: Booking, difference: int, refund: int = 0) -> str:
    """Say how a change of `difference` minor units is settled, for the guest to read.

    One of: "same" (no difference), "pay_online" (a hold: the new total is paid on the
    payment page), "at_hotel" (nothing was paid online: the new total is paid at the
    hotel), "difference_at_hotel" (paid online, costs more: the payments app cannot
    charge a confirmed booking again, so the hotel collects the difference),
    "difference_refunded" (paid online, costs less: `refund`, the policy's share of
    the difference, goes back to the card), "difference_not_refunded" (paid online,
    costs less, and the policy gives nothing back any more).
    """
    if difference == 0:
        return "same"
    if booking.status == BookingStatus.HELD:
        return "pay_online" if booking.payment_mode == "pay_now" else "at_hotel"
    if amount_paid(booking) == 0:
        return "at_hotel"
    if difference > 0:
        return "difference_at_hotel"
    return "difference_refunded" if refund > 0 else "difference_not_refunded"


def change_refund_preview(booking: Booking, difference: int, *, at: datetime) -> int:
    """Return what a change `difference` minor units cheaper would refund at `at`.

    The policy's share of the difference, as booking_change will fix it, at most
    what is still paid online; 0 for a hold or a dearer stay.
    """
    if booking.status != BookingStatus.CONFIRMED or difference >= 0:
        return 0
    share = refund_amount(
        booking.policy,
        total=-difference,
        check_in=booking.check_in,
        at=at,
        tz=booking.hotel.tz,
    )
    return min(share, amount_paid(booking))
