"""Demo amenities, hotels and their cancellation policies."""

import random
import zlib
from datetime import time
from decimal import Decimal

from demo.loader import Catalogue, CitySpec, HotelSpec
from demo.rows import upsert
from demo.translations import amenity_columns, hotel_columns, policy_columns
from hotels.models import Amenity, CancellationPolicy, CancellationRule, Hotel

MICRO = Decimal("0.000001")


def seed_amenities(catalogue: Catalogue) -> dict[str, Amenity]:
    """Create or update every amenity of the catalogue; return them by code."""
    rows = {}
    for code, name, scope in catalogue.amenities:
        rows[code], _ = upsert(
            Amenity,
            {"code": code},
            {"name": name, "scope": scope, **amenity_columns(code)},
        )
    return rows


def upsert_hotel(
    catalogue: Catalogue, city: CitySpec, spec: HotelSpec, slug: str, rng: random.Random
) -> Hotel:
    """Create the hotel `slug`, or bring it up to `spec`; a new hotel is active."""
    lat, lng = city.areas[spec.area]
    check_in = rng.choice(catalogue.check_in_times)
    check_out = rng.choice(catalogue.check_out_times)
    values = {
        "name": spec.name,
        "description": spec.tagline,
        "address": spec.address,
        "city": city.name,
        "country": city.country,
        # Within a few hundred metres of the neighbourhood's centre.
        "latitude": Decimal(str(lat + rng.uniform(-0.004, 0.004))).quantize(MICRO),
        "longitude": Decimal(str(lng + rng.uniform(-0.004, 0.004))).quantize(MICRO),
        "time_zone": city.time_zone,
        "currency": city.currency,
        "star_rating": spec.stars,
        "check_in_time": time(*check_in),
        "check_out_time": time(*check_out),
        # Made-up contacts (the .example domain, a number from the slug).
        "phone": f"+1 555 {zlib.crc32(slug.encode()) % 10_000_000:07d}",
        "email": f"stay@{slug}.example",
        **hotel_columns(spec.name),
    }
    hotel, _ = upsert(
        Hotel, {"slug": slug}, values, create_only={"status": Hotel.Status.ACTIVE}
    )
    return hotel


def seed_hotel_amenities(
    catalogue: Catalogue,
    hotel: Hotel,
    spec: HotelSpec,
    rng: random.Random,
    amenities: dict[str, Amenity],
) -> None:
    """Give `hotel` the base amenities, its stars', two optional ones and its own."""
    codes = {
        *catalogue.base_hotel_amenities,
        *catalogue.star_hotel_amenities[spec.stars],
        *rng.sample(catalogue.optional_hotel_amenities, 2),
        *spec.amenities,
    }
    hotel.amenities.set([amenities[code] for code in sorted(codes)])


def seed_policies(hotel: Hotel, stars: int) -> dict[str, CancellationPolicy]:
    """Create the hotel's flexible policy, and a moderate one from 4 stars up."""
    specs = {
        "flexible": (
            "Flexible",
            "Full refund if cancelled at least 2 days before arrival, 50% until the day "
            "before; no refund on the day of arrival.",
            [(2, 100), (1, 50)],
        )
    }
    if stars >= 4:
        specs["moderate"] = (
            "Moderate",
            "Full refund if cancelled at least 7 days before arrival, 50% until 3 days "
            "before; no refund after that.",
            [(7, 100), (3, 50)],
        )
    policies = {}
    for key, (name, description, rules) in specs.items():
        policy, _ = upsert(
            CancellationPolicy,
            {"hotel": hotel, "name": name},
            {"description": description, **policy_columns(name)},
        )
        for days_before, percent in rules:
            upsert(
                CancellationRule,
                {"policy": policy, "days_before": days_before},
                {"refund_percent": percent},
            )
        policies[key] = policy
    return policies
