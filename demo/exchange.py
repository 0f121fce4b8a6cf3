"""Demo exchange rates: enough to order search results in several currencies."""

from decimal import Decimal

from core.models import ExchangeRate

# Units of each currency for one euro (late 2026, rounded): only the search's order
# of prices uses them; guests always see and pay the hotel's own currency.
RATES = {
    "EUR": Decimal("1"),
    "USD": Decimal("1.08"),
    "GBP": Decimal("0.85"),
    "KRW": Decimal("1450"),
    "JPY": Decimal("160"),
    "TWD": Decimal("34.5"),
    "AUD": Decimal("1.65"),
}


def seed_exchange_rates() -> int:
    """Create or update the demo rates; return how many there are."""
    for currency, per_base in RATES.items():
        ExchangeRate.objects.update_or_create(
            currency=currency, defaults={"per_base": per_base}
        )
    return len(RATES)
