"""A guest's data as one JSON document: account, bookings, payments, reviews, e-mails.

Payments carry amounts and states only: no card data is kept anywhere, and the
gateway's ids, tokens and browser secret are not the guest's data but keys to it.
"""

from django.db import transaction
from django.utils import timezone

from booking.models import BookingEmail
from payments.models import Payment, Refund
from reviews.models import Review

from . import audit
from .models import PrivacyRequest
from .subjects import Subject

FORMAT = "innkeep-guest-data/1"


def _iso(value):
    return value.isoformat() if value is not None else None


def _account(user) -> dict:
    return {
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in user.emailaddress_set.order_by("pk")
        ],
    }


def _refund(refund: Refund) -> dict:
    return {
        "amount": refund.amount,
        "currency": refund.currency,
        "purpose": refund.purpose,
        "status": refund.status,
        "created_at": _iso(refund.created_at),
        "succeeded_at": _iso(refund.succeeded_at),
    }


def _payment(payment: Payment) -> dict:
    return {
        "kind": payment.kind,
        "amount": payment.amount,
        "currency": payment.currency,
        "status": payment.status,
        "amount_refunded": payment.amount_refunded,
        "gateway": payment.gateway,
        "created_at": _iso(payment.created_at),
        "succeeded_at": _iso(payment.succeeded_at),
        "refunds": [_refund(r) for r in payment.refunds.order_by("pk")],
    }


def _review(review: Review | None) -> dict | None:
    if review is None:
        return None
    ratings = ("overall", "cleanliness", "comfort", "location", "service", "value")
    return {
        "ratings": {name: getattr(review, name) for name in ratings},
        "text": review.text,
        "hotel_reply": review.reply,
        "status": review.status,
        "created_at": _iso(review.created_at),
    }


def _booking(booking, emails, reviews) -> dict:
    return {
        "reference": booking.reference,
        "hotel": booking.hotel.name,
        "room_type": booking.room_type.name,
        "rate_plan": booking.rate_plan.name,
        "check_in": booking.check_in.isoformat(),
        "check_out": booking.check_out.isoformat(),
        "rooms": booking.rooms,
        "adults": booking.adults,
        "children": booking.children,
        "guest": {
            "name": booking.guest_name,
            "email": booking.guest_email,
            "phone": booking.guest_phone,
        },
        "special_requests": booking.special_requests,
        "status": booking.status,
        "source": booking.source,
        "language": booking.language,
        "nightly_prices": booking.nightly_prices,
        "total": booking.total,
        "currency": booking.currency,
        "created_at": _iso(booking.created_at),
        "confirmed_at": _iso(booking.confirmed_at),
        "checked_in_at": _iso(booking.checked_in_at),
        "checked_out_at": _iso(booking.checked_out_at),
        "cancelled_at": _iso(booking.cancelled_at),
        "cancellation_reason": booking.cancellation_reason,
        "refund_amount": booking.refund_amount,
        "payments": [_payment(p) for p in booking.payments.order_by("pk")],
        "emails_sent": [
            {
                "kind": e.kind,
                "to": e.to,
                "language": e.language,
                "sent_at": _iso(e.sent_at),
            }
            for e in emails.get(booking.pk, [])
        ],
        "review": _review(reviews.get(booking.pk)),
    }


def guest_data_export(*, subject: Subject, actor, channel: str) -> dict:
    """Return the subject's data as a JSON-ready dict and audit the export.

    A staff member limited to some hotels gets those hotels' bookings only, and no
    account section (the account is Innkeep's, not a hotel's).
    """
    with transaction.atomic(durable=True):
        bookings = list(
            subject.bookings().select_related("hotel", "room_type", "rate_plan")
        )
        ids = [b.pk for b in bookings]
        emails: dict[int, list] = {}
        for email in BookingEmail.objects.filter(booking_id__in=ids).order_by(
            "sent_at", "pk"
        ):
            emails.setdefault(email.booking_id, []).append(email)
        reviews = {r.booking_id: r for r in Review.objects.filter(booking_id__in=ids)}
        whole = subject.hotel_ids is None
        data = {
            "format": FORMAT,
            "exported_at": timezone.now().isoformat(),
            "scope": "all" if whole else "bookings at the exporting staff's hotels",
            "account": _account(subject.user) if whole and subject.user else None,
            "bookings": [_booking(b, emails, reviews) for b in bookings],
        }
        audit.record(
            action=PrivacyRequest.Action.EXPORT,
            channel=channel,
            actor=actor,
            subject_user_id=subject.user.pk if subject.user else None,
            bookings=bookings,
            counts={
                "bookings": len(bookings),
                "payments": sum(len(b["payments"]) for b in data["bookings"]),
                "reviews": len(reviews),
                "emails": sum(len(v) for v in emails.values()),
            },
        )
    return data
