"""Money in the back office: shown in the hotel's currency for the reader's language,
typed in major units ("135.00" EUR, "8619" TWD), stored in minor units.

`MONEY_FIELDS` names every money field the admin shows, with the path to its
currency. `MoneyAdminMixin` (put in front of every ModelAdmin and inline by the admin
site) shows those fields formatted in lists, read-only fields and inlines, and gives
editable ones a `MoneyField`, so no ModelAdmin formats money by hand.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.money import format_money, minor_exponent, to_decimal_string

# Model label -> {money field: ORM path from the row to its ISO currency}.
MONEY_FIELDS = {
    "hotels.RoomType": {"base_price": "hotel__currency"},
    "inventory.Inventory": {"price": "room_type__hotel__currency"},
    "booking.Booking": {
        "total": "currency",
        "refund_amount": "currency",
        "nightly_prices": "currency",
    },
    "booking.BookingChange": {
        "old_total": "booking__currency",
        "new_total": "booking__currency",
        "refund_amount": "booking__currency",
    },
    "payments.Payment": {"amount": "currency", "amount_refunded": "currency"},
    "payments.Refund": {"amount": "currency"},
}
ALIAS = "money__"


def money_fields(model) -> dict[str, str]:
    """Return {money field: currency path} of `model` (a model or an event model)."""
    tracked = getattr(model, "pgh_tracked_model", None) or model
    return MONEY_FIELDS.get(tracked._meta.label, {})


def currency_of(obj, path: str) -> str | None:
    """Return the currency reached from `obj` through `path` (None if not known yet)."""
    target = obj
    for name in path.split("__"):
        try:
            target = getattr(target, name)
        except Exception:  # an unsaved row has no hotel yet: RelatedObjectDoesNotExist
            return None
        if target is None:
            return None
    return str(target) or None


def money_text(amount, currency: str | None, language: str | None = None) -> str:
    """Format minor units (or a list of them) for the reader: "€135.00", "NT$8,619"."""
    if amount is None or amount == "":
        return "–"
    language = language or get_language() or "en"
    if isinstance(amount, list | tuple):
        return ", ".join(money_text(a, currency, language) for a in amount)
    if not currency:
        return str(amount)
    return format_money(int(amount), currency, language)


def major_units(amount: int | None, currency: str) -> str:
    """Return minor units as major units for a form or a CSV: 13500 EUR -> "135.00"."""
    return "" if amount is None else to_decimal_string(int(amount), currency)


class MoneyInput(forms.TextInput):
    """A text box for an amount in major units; phones show a numeric keyboard."""

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "decimal", "autocomplete": "off", **(attrs or {})}
        )


class MoneyField(forms.Field):
    """An amount typed in major units of `currency`, cleaned to integer minor units.

    Without a currency (a new row whose hotel is chosen on the same form) it cleans to
    a Decimal, and MoneyFormMixin converts it once the currency is known.
    """

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("Enter an amount such as 135.00."),
        "negative": _("Enter an amount of zero or more."),
        "places": _(
            "%(currency)s amounts have at most %(places)s decimal places, "
            "e.g. %(example)s."
        ),
        "too_large": _("This amount is too large."),
    }

    def __init__(self, *, currency: str | None = None, max_minor=2**31 - 1, **kwargs):
        kwargs.pop("max_value", None)
        kwargs.pop("min_value", None)
        super().__init__(**kwargs)
        self.currency = currency
        self.max_minor = max_minor

    def prepare_value(self, value):
        if isinstance(value, int) and self.currency:
            return major_units(value, self.currency)
        return value

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value  # already minor units (an initial value)
        try:
            amount = Decimal(str(value).replace(" ", "").replace("\u00a0", ""))
        except InvalidOperation:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None
        if not amount.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if amount < 0:
            raise forms.ValidationError(
                self.error_messages["negative"], code="negative"
            )
        return self.minor_units(amount, self.currency) if self.currency else amount

    def minor_units(self, amount: Decimal, currency: str) -> int:
        """Return `amount` major units as minor units of `currency`.

        Raises ValidationError for more decimal places than the currency has.
        """
        places = minor_exponent(currency)
        if amount.adjusted() > 12:
            raise forms.ValidationError(
                self.error_messages["too_large"], code="too_large"
            )
        if -amount.normalize().as_tuple().exponent > places:
            example = to_decimal_string(13500 if places else 8619, currency)
            raise forms.ValidationError(
                self.error_messages["places"],
                code="places",
                params={"currency": currency, "places": places, "example": example},
            )
        minor = int(amount.scaleb(places))
        if minor > self.max_minor:
            raise forms.ValidationError(
                self.error_messages["too_large"], code="too_large"
            )
        return minor

    def has_changed(self, initial, data):
        try:
            value = self.to_python(data)
        except forms.ValidationError:
            return True
        if isinstance(value, Decimal):
            return True
        return (initial if initial not in ("", None) else None) != value


class MoneyFormMixin:
    """Give a ModelForm's money fields their currency, from the row or the form."""

    money_paths: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, path in self.money_paths.items():
            field = self.fields.get(name)
            if isinstance(field, MoneyField) and field.currency is None:
                field.currency = currency_of(self.instance, path)

    def clean(self):
        data = super().clean()
        for name, path in self.money_paths.items():
            field = self.fields.get(name)
            value = data.get(name)
            if not isinstance(field, MoneyField) or not isinstance(value, Decimal):
                continue
            first, _sep, rest = path.partition("__")
            chosen = data.get(first)
            currency = currency_of(chosen, rest) if chosen and rest else None
            if currency is None:
                continue  # the other field's own error says what is missing
            try:
                data[name] = field.minor_units(value, currency)
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data


def _display(name: str, path: str, verbose_name):
    def show(obj):
        return money_text(getattr(obj, name, None), currency_of(obj, path))

    show.short_description = verbose_name
    show.admin_order_field = name
    show.__name__ = f"{ALIAS}{name}"
    return show


class MoneyAdminMixin:
    """Show and take a model's money in the hotel's currency (see the module docstring).

    Money fields shown read-only (in list_display, readonly_fields, or a page the user
    may only view) become `money__<name>` columns that format them; editable ones get
    a MoneyField.
    """

    def __getattr__(self, name):
        if name.startswith(ALIAS):
            model = self.__dict__.get("model") or type(self).model
            field = name[len(ALIAS) :]
            paths = money_fields(model)
            if field in paths:
                verbose = model._meta.get_field(field).verbose_name
                return _display(field, paths[field], capfirst(verbose))
        raise AttributeError(name)

    def _money(self) -> dict[str, str]:
        return money_fields(self.model)

    def _alias(self, names, only):
        return [
            self._alias(n, only)
            if isinstance(n, list | tuple)
            else (f"{ALIAS}{n}" if isinstance(n, str) and n in only else n)
            for n in names
        ]

    def _readonly_money(self, request, obj) -> set[str]:
        money = self._money()
        if not money:
            return set()
        if obj is not None and not self.has_change_permission(request, obj):
            return set(money)  # a view-only page shows every field read-only
        readonly = super().get_readonly_fields(request, obj)
        return {n for n in readonly if isinstance(n, str) and n in money}

    def get_list_display(self, request):
        return self._alias(super().get_list_display(request), set(self._money()))

    def get_readonly_fields(self, request, obj=None):
        readonly = self._readonly_money(request, obj)
        fields = self._alias(super().get_readonly_fields(request, obj), readonly)
        return [
            *fields,
            *(f"{ALIAS}{n}" for n in readonly if f"{ALIAS}{n}" not in fields),
        ]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        extra = sorted(self._readonly_money(request, obj) - set(exclude))
        return [*exclude, *extra] or None

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return self._alias(fields, self._readonly_money(request, obj))

    def get_fieldsets(self, request, obj=None):
        readonly = self._readonly_money(request, obj)
        return [
            (title, {**options, "fields": self._alias(options["fields"], readonly)})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self._money() and db_field.get_internal_type().endswith(
            "IntegerField"
        ):
            return MoneyField(
                label=capfirst(db_field.verbose_name),
                required=not db_field.blank,
                help_text=_(
                    "In the hotel's currency: e.g. 135.00 for EUR, 8619 for TWD."
                ),
                initial=db_field.get_default() if db_field.has_default() else None,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return with_money(form, self._money())

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = with_money(formset.form, self._money())
        return formset

    def get_inline_instances(self, request, obj=None):
        return [
            inline if isinstance(inline, MoneyAdminMixin) else money_inline(inline)
            for inline in super().get_inline_instances(request, obj)
        ]


def with_money(form, paths: dict[str, str]):
    """Return `form` with MoneyFormMixin in front when it has a money field."""
    if not any(isinstance(f, MoneyField) for f in form.base_fields.values()):
        return form
    if issubclass(form, MoneyFormMixin):
        return form
    return type(form.__name__, (MoneyFormMixin, form), {"money_paths": paths})


def money_admin(admin_class):
    """Return `admin_class` with MoneyAdminMixin in front (once)."""
    if issubclass(admin_class, MoneyAdminMixin):
        return admin_class
    return type(
        admin_class.__name__,
        (MoneyAdminMixin, admin_class),
        {
            "__module__": admin_class.__module__,
            "__qualname__": admin_class.__qualname__,
        },
    )


def money_inline(inline):
    """Return a copy of the inline instance `inline` that shows money formatted."""
    cls = money_admin(type(inline))
    copy = cls(inline.parent_model, inline.admin_site)
    copy.__dict__.update(inline.__dict__)
    return copy
