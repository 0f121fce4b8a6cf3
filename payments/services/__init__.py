"""Payment use cases: each owns its transactions and is safe to repeat."""

from .cancellation import CancelResult, cancel_booking_and_refund
from .changes import ChangeAndRefund, change_booking_and_refund, refund_change
from .checkout import payment_authenticate, payment_confirm, payment_start
from .desk import booking_confirm_by_staff
from .events import event_apply, event_receive
from .guarantee import charge_no_show_fee, no_show_fee_record, no_show_fee_submit
from .intents import payment_refresh, payment_settle, payment_sync
from .reconcile import ReconcileReport, reconcile_payments
from .refunds import refund_create, refund_submit

__all__ = [
    "CancelResult",
    "ChangeAndRefund",
    "ReconcileReport",
    "booking_confirm_by_staff",
    "cancel_booking_and_refund",
    "change_booking_and_refund",
    "charge_no_show_fee",
    "event_apply",
    "event_receive",
    "no_show_fee_record",
    "no_show_fee_submit",
    "payment_authenticate",
    "payment_confirm",
    "payment_refresh",
    "payment_settle",
    "payment_start",
    "payment_sync",
    "reconcile_payments",
    "refund_change",
    "refund_create",
    "refund_submit",
]
