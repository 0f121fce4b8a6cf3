"""Payments, refunds and gateway events for the hotel's managers.

Every ModelAdmin names the ORM path from its model to the Hotel in `hotel_lookup`, the
convention the admin's per-hotel scoping is built on. Actions call one service each and
show refusals as readable messages.
"""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backoffice.money import MoneyField, major_units, money_text
from core.errors import DomainError
from core.money import minor_exponent
from hotels.models import HotelMembership
from payments import services
from payments.models import GatewayEvent, Payment, Refund

MANAGERS = (HotelMembership.Role.OWNER, HotelMembership.Role.MANAGER)


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["amount", "purpose", "status", "attempts", "last_error", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RefundForm(forms.Form):
    amount = MoneyField(label=_("Amount"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = currency
        self.fields["amount"].help_text = gettext(
            "In %(currency)s, e.g. %(example)s."
        ) % {
            "currency": currency,
            "example": major_units(
                13500 if minor_exponent(currency) else 8619, currency
            ),
        }

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if not amount:
            raise forms.ValidationError(gettext("Enter an amount of more than zero."))
        return amount


@admin.action(description=_("Refund the selected payment (amount to enter)"))
def refund_payment(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(
            request, "Select exactly one payment to refund.", messages.ERROR
        )
        return None
    payment = queryset.get()
    form = RefundForm(
        request.POST if "apply" in request.POST else None, currency=payment.currency
    )
    if form.is_valid():
        try:
            refund = services.refund_create(
                payment_id=payment.pk,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                created_by=request.user.get_username(),
            )
        except DomainError as error:
            form.add_error("amount", error.message)
        else:
            modeladmin.message_user(
                request,
                f"Refund of {money_text(refund.amount, refund.currency)} "
                f"for {payment.booking_reference}: {refund.get_status_display()}.",
                messages.SUCCESS,
            )
            return None
    return TemplateResponse(
        request,
        "admin/payments/refund_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": gettext("Refund payment %(payment)s") % {"payment": payment},
            "payment": payment,
            "refundable": money_text(payment.refundable, payment.currency),
            "form": form,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )


def _each(modeladmin, request, queryset, action, done: str, key="booking_id"):
    succeeded = 0
    for obj in queryset:
        try:
            action(**{key: getattr(obj, key if key != "payment_id" else "pk")})
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        except Exception as error:  # gateway trouble: say so, never a 500
            modeladmin.message_user(
                request, f"{obj}: {type(error).__name__}", messages.ERROR
            )
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, f"{succeeded} {done}.", messages.SUCCESS)


@admin.action(description=_("Charge the no-show fee (first night) to the kept card"))
def charge_no_show_fee(modeladmin, request, queryset):
    _each(
        modeladmin,
        request,
        queryset.filter(kind=Payment.Kind.GUARANTEE),
        services.charge_no_show_fee,
        "no-show fee(s) charged",
    )


@admin.action(description=_("Ask the gateway again and apply what it says"))
def refresh(modeladmin, request, queryset):
    _each(
        modeladmin,
        request,
        queryset,
        services.payment_refresh,
        "payment(s) refreshed",
        key="payment_id",
    )


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    hotel_lookup = "booking__hotel"
    # Owners and managers read payments; the front desk sees at most what a folio
    # shows (the booking's pages). Money moves through services, and these actions
    # (refund, charge, ask the gateway) are the platform's operators' (superusers).
    hotel_roles: dict = {
        "view": MANAGERS,
        "actions": {"refund_payment": (), "charge_no_show_fee": (), "refresh": ()},
    }
    list_display = [
        "booking_reference",
        "kind",
        "amount",
        "status",
        "resolution",
        "amount_refunded",
        "disputed_at",
        "gateway",
        "created_at",
    ]
    list_filter = ["status", "kind", "resolution", "gateway"]
    search_fields = ["booking_reference", "gateway_id"]
    list_select_related = ["booking"]
    actions = [refund_payment, charge_no_show_fee, refresh]
    inlines = [RefundInline]
    exclude = ["client_secret"]
    readonly_fields = [
        f.name for f in Payment._meta.fields if f.name != "client_secret"
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Retry the selected refunds now"))
def retry_refunds(modeladmin, request, queryset):
    retried = queryset.filter(
        status__in=[Refund.Status.FAILED, Refund.Status.GAVE_UP], gateway_id=""
    )
    ids = list(retried.values_list("pk", flat=True))
    retried.update(status=Refund.Status.FAILED)
    outcomes = [services.refund_submit(refund_id=pk) for pk in ids]
    ok = sum(r.status == Refund.Status.SUCCEEDED for r in outcomes)
    level = messages.SUCCESS if ok == len(outcomes) else messages.WARNING
    modeladmin.message_user(
        request, f"{ok} of {len(outcomes)} refund(s) went through.", level
    )


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    hotel_lookup = "payment__booking__hotel"
    hotel_roles: dict = {"view": MANAGERS, "actions": {"retry_refunds": ()}}
    list_display = [
        "payment",
        "amount",
        "purpose",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "purpose"]
    search_fields = ["payment__booking_reference", "gateway_id"]
    list_select_related = ["payment"]
    actions = [retry_refunds]
    readonly_fields = [f.name for f in Refund._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GatewayEvent)
class GatewayEventAdmin(admin.ModelAdmin):
    # No hotel_lookup: raw gateway payloads are for the platform's operators only.
    list_display = ["event_id", "type", "outcome", "received_at", "processed_at"]
    list_filter = ["type", "gateway"]
    search_fields = ["event_id", "object_id"]
    readonly_fields = [f.name for f in GatewayEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
