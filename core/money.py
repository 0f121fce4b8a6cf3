"""Integer minor units and ISO 4217 currencies, as Stripe counts money."""

from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision


def minor_exponent(currency: str) -> int:
    """Return how many decimal places `currency` has (JPY 0, EUR 2, KWD 3)."""
    return get_currency_precision(currency.upper())


def to_decimal_string(amount: int, currency: str) -> str:
    """Return `amount` minor units as a plain decimal string, e.g. 12345 EUR -> "123.45"."""
    exponent = minor_exponent(currency)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if exponent == 0:
        return f"{sign}{amount}"
    units, cents = divmod(amount, 10**exponent)
    return f"{sign}{units}.{cents:0{exponent}d}"


def format_money(amount: int, currency: str, locale: str = "en") -> str:
    """Format `amount` minor units of `currency` for a reader of `locale`."""

    value = Decimal(to_decimal_string(amount, currency))
    return format_currency(value, currency.upper(), locale=locale.replace("-", "_"))


def apply_basis_points(amount: int, basis_points: int) -> int:
    """Return `amount` adjusted by `basis_points` (-1500 = -15%), rounded half up, >= 0."""
    scaled = amount * (10_000 + basis_points)
    return max(0, (scaled + 5_000) // 10_000)


def percent_of(amount: int, percent: int) -> int:
    """Return `percent`% of `amount`, rounded down so a refund never exceeds the rule."""
    return amount * percent // 100
