"""What to drop when a search finds nothing: the count each filter alone holds back.

One aggregate statement over the stay's offers (search.hotels.OFFERS_SQL without the
filters) counts, for every filter of the search, the hotels that pass all the other
filters; it also counts the hotels the place or point matches at all, whatever the
dates, so the page can tell an unknown place from a full one.
"""

from dataclasses import dataclass, replace

from django.db import connection

from .hotels import (
    EARTH_RADIUS_KM,
    OFFERS_SQL,
    SEARCH_CUTOFF_PASSED,
    HotelSearch,
    hotel_filters,
    stay_params,
)

PRICE = "price"
STARS = "stars"
RATING = "rating"
FREE_CANCELLATION = "free_cancellation"
AMENITY = "amenity"  # one filter per amenity asked for: ("amenity", code)


_HAS_AMENITY = """EXISTS (
    SELECT 1 FROM hotels_hotel_amenities ha JOIN hotels_amenity a ON a.id = ha.amenity_id
    WHERE ha.hotel_id = h.id AND a.code = %({param})s)"""

# count(*): an aggregate, so one row even when no hotel has an offer.
_COUNTS = """SELECT (SELECT count(*) FROM hotel), count(*){counts}
FROM located l JOIN hotels_hotel h ON h.id = l.hotel_id"""


@dataclass(frozen=True)
class Relaxation:
    """Dropping `filter` (and `amenity`, for an amenity) alone finds `count` hotels."""

    filter: str
    count: int
    amenity: str = ""


@dataclass(frozen=True)
class EmptyResult:
    place_hotels: int  # active hotels the place or point matches, whatever the dates
    relaxations: list[Relaxation]


def has_filters(search: HotelSearch) -> bool:
    return bool(
        search.min_price is not None
        or search.max_price is not None
        or search.stars
        or search.min_rating is not None
        or search.free_cancellation
        or search.amenities
    )


def _conditions(search: HotelSearch, params: dict) -> dict[tuple[str, str], str]:
    """Return each filter of `search` as a condition on a row of `located` l / hotel h.

    A price filter applies to the offer the search shows: the cheapest free to cancel
    when that filter stays, else the cheapest; "{total}" stands for it.
    """
    conditions = {}
    if search.min_price is not None or search.max_price is not None:
        per_stay = "power(10, l.exponent) * %(nights)s * %(rooms)s"
        terms = []
        if search.min_price is not None:
            params["min_price"] = search.min_price
            terms.append(f"{{total}} >= %(min_price)s * {per_stay}")
        if search.max_price is not None:
            params["max_price"] = search.max_price
            terms.append(f"{{total}} <= %(max_price)s * {per_stay}")
        conditions[PRICE, ""] = " AND ".join(terms)
    if search.stars:
        params["stars"] = list(search.stars)
        conditions[STARS, ""] = "h.star_rating = ANY(%(stars)s)"
    if search.min_rating is not None:
        params["min_rating"] = search.min_rating
        conditions[RATING, ""] = "coalesce(h.rating_average >= %(min_rating)s, false)"
    if search.free_cancellation:
        conditions[FREE_CANCELLATION, ""] = "l.free_total IS NOT NULL"
    for index, code in enumerate(sorted(set(search.amenities))):
        params[f"amenity_{index}"] = code
        conditions[AMENITY, code] = _HAS_AMENITY.format(param=f"amenity_{index}")
    return conditions


def _without(conditions: dict, dropped: tuple[str, str]) -> str:
    kept = [key for key in conditions if key != dropped]
    free = (FREE_CANCELLATION, "") in kept
    total = "l.free_total" if free else "l.total"
    terms = [conditions[key].replace("{total}", total) for key in kept]
    return " AND ".join(terms) or "true"


def empty_result(search: HotelSearch) -> EmptyResult:
    """Count what dropping each filter of `search` alone would find; one query."""
    bare = replace(
        search,
        min_price=None,
        max_price=None,
        stars=(),
        min_rating=None,
        free_cancellation=False,
        amenities=(),
    )
    params = stay_params(bare)
    conditions = _conditions(search, params)
    keys = list(conditions)
    counts = [f"count(*) FILTER (WHERE {_without(conditions, key)})" for key in keys]
    sql = OFFERS_SQL.format(
        filters=hotel_filters(bare, params),
        earth_radius=EARTH_RADIUS_KM,
        cutoff_passed=SEARCH_CUTOFF_PASSED,
    )
    sql += _COUNTS.format(counts="".join(", " + count for count in counts))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        place_hotels, _, *found = cursor.fetchone()
    relaxations = [
        Relaxation(filter=name, amenity=code, count=count)
        for (name, code), count in zip(keys, found, strict=True)
        if count
    ]
    return EmptyResult(place_hotels=place_hotels, relaxations=relaxations)
