"""Hotel search on PostgreSQL: place or point, dates, guests and rooms, filters, sorting.

One SQL statement finds the hotels, checks every night of the stay for every active room
type, prices the stay under every active rate plan, keeps each hotel's cheapest offer and
returns one page of it with the full count. The rules are those of `inventory.rules`
(free rooms, stop-sell, restrictions on arrival and departure, hotel-local timing),
written as an aggregate so a page of results costs one round trip.

A summary may be cached in Redis for `SEARCH_CACHE_SECONDS`; a booking never reads it.
"""

import hashlib
import json
import logging
import math
import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from functools import cache

from babel.numbers import get_currency_precision, list_currencies
from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname

from core import metrics
from inventory.rules import StayRequest

log = logging.getLogger(__name__)

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = 111.045

# The same expressions back the indexes of hotels/migrations/0002_search_indexes.py:
# PostgreSQL uses an expression index only for the identical expression.
HOTEL_DOCUMENT = (
    "to_tsvector('simple'::regconfig, "
    "h.name || ' ' || h.city || ' ' || h.country || ' ' || h.address)"
)

SORTS = ("price", "rating", "distance")

# The cities (lower-cased, with their country) one of whose other names is what the
# guest typed, whole or before its first comma ("台北, 台灣"), or close to it (typos);
# keys as search.models.place_key_expression normalises them. Two branches, so the btree
# and the trigram index of search_placealias.key each serve theirs (an OR of both is
# planned as a scan of the whole table).
PLACE_ALIAS_CITIES = """SELECT lower(p.name), p.country FROM search_place p
    WHERE p.id IN (
        SELECT a.place_id FROM search_placealias a
        WHERE a.key IN (lower(normalize(%(place_text)s, NFKC)),
                        lower(normalize(%(place_head)s, NFKC)))
        UNION ALL
        SELECT a.place_id FROM search_placealias a
        WHERE a.key %% lower(normalize(%(place_text)s, NFKC)))"""


@dataclass(frozen=True)
class HotelSearch:
    """What a guest asks for. Prices are per room and night in major units."""

    stay: StayRequest
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = 10.0
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    stars: tuple[int, ...] = ()
    amenities: tuple[str, ...] = ()
    min_rating: Decimal | None = None
    free_cancellation: bool = False
    sort: str = "price"
    page: int = 1
    page_size: int = 10
    # Only these hotels (a channel manager's connected hotels); None means any.
    hotel_ids: tuple[int, ...] | None = None
    # Never these hotels (by slug): "other hotels near" one leaves that one out.
    exclude_slugs: tuple[str, ...] = ()

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class HotelResult:
    """A hotel that can take the whole stay, with its cheapest offer for it."""

    hotel_id: int
    name: str
    slug: str
    city: str
    country: str
    address: str
    star_rating: int
    rating_average: Decimal | None
    rating_count: int
    currency: str
    time_zone: str
    distance_km: float | None
    total: int  # minor units, for all nights and rooms
    room_type_id: int
    room_type_name: str
    rate_plan_id: int
    rate_plan_name: str
    rooms_left: int  # rooms free on the tightest night of the stay
    free_cancellation: bool  # the cheapest offer is free to cancel today
    any_free_cancellation: bool  # some offer of this hotel is
    cover_image: str
    # The cheapest offer that is free to cancel today (None: none is), so the page
    # can name its price rather than badge the cheapest offer with another's terms.
    free_cancellation_total: int | None = None


@dataclass(frozen=True)
class SearchPage:
    results: list[HotelResult] = field(default_factory=list)
    count: int = 0
    page: int = 1
    page_size: int = 10

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))


# inventory.rules.cutoff_passed in SQL, over `now` (an instant), `local_now` (its wall
# clock in the hotel's zone `tz`) and `cutoff` (a time). A cut-off inside the hour a clock
# goes back came on the hour's first pass: PostgreSQL reads an ambiguous wall time as its
# later (standard-time) instant, so the first is an hour before it when that hour earlier
# shows the same wall time.
CUTOFF_PASSED_SQL = """(
    {local_now}::time >= {cutoff}
    OR {now} >= (
        WITH later AS (SELECT ({local_now}::date + {cutoff}) AT TIME ZONE {tz} AS at)
        SELECT CASE
            WHEN (later.at - interval '1 hour') AT TIME ZONE {tz}
                 = {local_now}::date + {cutoff}
            THEN later.at - interval '1 hour'
            ELSE later.at
        END FROM later
    )
)"""

SEARCH_CUTOFF_PASSED = CUTOFF_PASSED_SQL.format(
    now="now()",
    local_now="hotel.local_now",
    cutoff="h.same_day_cutoff",
    tz="h.time_zone",
)

# The stay's offers per hotel up to `located` (one row per hotel, its cheapest offer);
# search_hotels pages them, search.relax counts them per filter dropped.
OFFERS_SQL = """
WITH hotel AS (
    SELECT h.id, h.time_zone, h.currency, (now() AT TIME ZONE h.time_zone) AS local_now
    FROM hotels_hotel h
    WHERE h.status = 'active'
      {filters}
),
local AS (
    -- inventory.rules.validate_timing, per hotel, in the hotel's time zone.
    SELECT hotel.id, hotel.local_now::date AS today
    FROM hotel JOIN hotels_hotel h ON h.id = hotel.id
    WHERE %(check_in)s >= hotel.local_now::date
      AND %(check_in)s <= hotel.local_now::date + %(max_days_ahead)s
      AND NOT (%(check_in)s = hotel.local_now::date
               AND {cutoff_passed})
),
offer AS (
    -- Every active room type x rate plan that can take every night (inventory.rules
    -- check_nights): free rooms, stop-sell, restrictions on arrival and departure.
    SELECT rt.hotel_id, rt.id AS room_type_id, rp.id AS rate_plan_id,
           rp.cancellation_policy_id,
           min(i.rooms + i.overbooking - i.booked)
               FILTER (WHERE i.date < %(check_out)s) AS free,
           (sum((i.price::bigint * (10000 + rp.price_adjustment_bp) + 5000) / 10000)
               FILTER (WHERE i.date < %(check_out)s) * %(rooms)s)::bigint AS total
    FROM local
    JOIN hotels_roomtype rt ON rt.hotel_id = local.id
    JOIN inventory_rateplan rp ON rp.room_type_id = rt.id AND rp.is_active
    JOIN inventory_inventory i
      ON i.room_type_id = rt.id AND i.date >= %(check_in)s AND i.date <= %(check_out)s
    WHERE rt.is_active AND rt.max_occupancy * %(rooms)s >= %(guests)s
    GROUP BY rt.hotel_id, rt.id, rp.id
    HAVING count(*) FILTER (WHERE i.date < %(check_out)s) = %(nights)s
       AND min(i.rooms + i.overbooking - i.booked)
               FILTER (WHERE i.date < %(check_out)s) >= %(rooms)s
       AND NOT bool_or(i.stop_sell OR i.closed) FILTER (WHERE i.date < %(check_out)s)
       AND NOT bool_or(i.closed_to_arrival OR i.min_stay > %(nights)s
                       OR coalesce(i.max_stay < %(nights)s, false))
               FILTER (WHERE i.date = %(check_in)s)
       AND NOT coalesce(bool_or(i.closed_to_departure)
               FILTER (WHERE i.date = %(check_out)s), false)
),
priced AS (
    SELECT offer.*,
           EXISTS (
               SELECT 1 FROM hotels_cancellationrule r
               WHERE r.policy_id = offer.cancellation_policy_id
                 AND r.refund_percent = 100
                 AND %(check_in)s - r.days_before >= local.today
           ) AS free_cancellation
    FROM offer JOIN local ON local.id = offer.hotel_id
),
best AS (
    SELECT DISTINCT ON (hotel_id) *
    FROM (
        SELECT priced.*,
               bool_or(free_cancellation) OVER (PARTITION BY hotel_id) AS any_free,
               min(total) FILTER (WHERE free_cancellation)
                   OVER (PARTITION BY hotel_id) AS free_total
        FROM priced
    ) ranked
    WHERE free_cancellation OR NOT %(free_cancellation)s
    ORDER BY hotel_id, total, rate_plan_id
),
located AS (
    SELECT best.*, h.currency,
           coalesce((%(exponents)s::jsonb ->> h.currency)::int, 2) AS exponent,
           -- The total in the base currency's major units, to order prices in
           -- different currencies (core.ExchangeRate); NULL without a rate.
           best.total / power(10, coalesce((%(exponents)s::jsonb ->> h.currency)::int, 2))
               / xr.per_base AS comparable_total,
           CASE WHEN h.latitude IS NULL OR center.lat IS NULL THEN NULL ELSE
               {earth_radius} * 2 * asin(sqrt(
                   power(sin(radians(h.latitude::float8 - center.lat) / 2), 2)
                   + cos(radians(center.lat)) * cos(radians(h.latitude::float8))
                   * power(sin(radians(h.longitude::float8 - center.lng) / 2), 2)))
           END AS distance_km
    FROM best
    JOIN hotels_hotel h ON h.id = best.hotel_id
    LEFT JOIN core_exchangerate xr ON xr.currency = h.currency
    CROSS JOIN (
        -- The point searched for, else the middle of the matching hotels.
        SELECT coalesce(%(lat)s::float8, avg(h2.latitude)::float8) AS lat,
               coalesce(%(lng)s::float8, avg(h2.longitude)::float8) AS lng
        FROM hotel JOIN hotels_hotel h2 ON h2.id = hotel.id
    ) center
)
"""

# One page of the offers, with the full count.
_PAGE_SQL = """SELECT h.id, {hotel_name}, h.slug, h.city, h.country, {hotel_address},
       h.star_rating, h.rating_average, h.rating_count, h.currency, h.time_zone,
       l.distance_km, l.total, l.room_type_id, {room_type_name}, l.rate_plan_id,
       {rate_plan_name}, l.free,
       l.free_cancellation, l.any_free,
       (SELECT p.image FROM hotels_hotelphoto p
        WHERE p.hotel_id = h.id AND p.room_type_id IS NULL
        ORDER BY p.position, p.id LIMIT 1),
       l.free_total,
       count(*) OVER () AS full_count
FROM located l
JOIN hotels_hotel h ON h.id = l.hotel_id
JOIN hotels_roomtype rt ON rt.id = l.room_type_id
JOIN inventory_rateplan rp ON rp.id = l.rate_plan_id
WHERE true {price_filters}
ORDER BY {order}
LIMIT %(limit)s OFFSET %(offset)s
"""

_ORDER = {
    # Totals in different currencies compare through their exchange rate to the base
    # currency; a currency without a rate comes after, grouped by currency.
    "price": "l.comparable_total NULLS LAST, h.currency, l.total, h.name, h.id",
    "rating": "h.rating_average DESC NULLS LAST, h.rating_count DESC, "
    "l.comparable_total NULLS LAST, h.currency, l.total, h.id",
    "distance": "l.distance_km NULLS LAST, l.comparable_total NULLS LAST, "
    "h.currency, l.total, h.id",
}


@cache
def _currency_exponents() -> str:
    """Return JSON of the currencies whose minor unit is not 1/100 (JPY 0, KWD 3)."""

    odd = {}
    for code in sorted(list_currencies()):
        precision = get_currency_precision(code)
        if precision != 2:
            odd[code] = precision
    return json.dumps(odd)


def prefix_tsquery(text: str) -> str:
    """Return a tsquery matching every word of `text` as a prefix ('lis:* & pt:*')."""
    words = re.findall(r"\w+", text.lower())[:8]
    return " & ".join(f"{word}:*" for word in words)


def hotel_filters(search: HotelSearch, params: dict) -> str:
    """Return the WHERE terms on hotels_hotel h of `search`, adding their parameters."""
    filters = []
    if search.hotel_ids is not None:
        params["hotel_ids"] = sorted(search.hotel_ids)
        filters.append("AND h.id = ANY(%(hotel_ids)s)")
    if search.exclude_slugs:
        params["exclude_slugs"] = sorted(search.exclude_slugs)
        filters.append("AND NOT h.slug = ANY(%(exclude_slugs)s)")
    if search.place.strip():
        params["place"] = search.place.strip().lower()[:100]
        params["place_tsquery"] = prefix_tsquery(search.place) or "''"
        params["place_text"] = search.place.strip()[:100]
        params["place_head"] = search.place.split(",")[0].strip()[:100]
        # Full text (any word, as a prefix) or a close trigram match (typos) on the
        # city or the name, or another name of the city (search.PlaceAlias: 台北,
        # Taibei), exact or close; each side has its own index.
        filters.append(
            f"AND ({HOTEL_DOCUMENT} @@ to_tsquery('simple', %(place_tsquery)s)"
            " OR lower(h.city) %% %(place)s OR lower(h.name) %% %(place)s"
            f" OR (lower(h.city), h.country) IN ({PLACE_ALIAS_CITIES}))"
        )
    if search.has_point:
        # A box on the (latitude, longitude) index first, then the exact distance.
        lat, lng, radius = search.latitude, search.longitude, search.radius_km
        dlat = radius / KM_PER_DEGREE_LATITUDE
        params.update(lat_min=lat - dlat, lat_max=lat + dlat)
        filters.append("AND h.latitude BETWEEN %(lat_min)s AND %(lat_max)s")
        cos_lat = math.cos(math.radians(lat))
        if cos_lat > 0.01:
            dlng = radius / (KM_PER_DEGREE_LATITUDE * cos_lat)
            if lng - dlng >= -180 and lng + dlng <= 180:
                params.update(lng_min=lng - dlng, lng_max=lng + dlng)
                filters.append("AND h.longitude BETWEEN %(lng_min)s AND %(lng_max)s")
        params["radius"] = radius
        filters.append(
            f"AND {EARTH_RADIUS_KM} * 2 * asin(sqrt("
            "power(sin(radians(h.latitude::float8 - %(lat)s) / 2), 2)"
            " + cos(radians(%(lat)s)) * cos(radians(h.latitude::float8))"
            " * power(sin(radians(h.longitude::float8 - %(lng)s) / 2), 2)))"
            " <= %(radius)s"
        )
    if search.stars:
        params["stars"] = list(search.stars)
        filters.append("AND h.star_rating = ANY(%(stars)s)")
    if search.min_rating is not None:
        params["min_rating"] = search.min_rating
        filters.append("AND h.rating_average >= %(min_rating)s")
    if search.amenities:
        params["amenities"] = sorted(set(search.amenities))
        params["amenity_count"] = len(params["amenities"])
        filters.append(
            "AND (SELECT count(*) FROM hotels_hotel_amenities ha"
            " JOIN hotels_amenity a ON a.id = ha.amenity_id"
            " WHERE ha.hotel_id = h.id AND a.code = ANY(%(amenities)s))"
            " = %(amenity_count)s"
        )
    return "\n      ".join(filters)


def _price_filters(search: HotelSearch, params: dict) -> str:
    # Per room and night, in major units of each hotel's own currency.
    filters = []
    per_stay = "power(10, l.exponent) * %(nights)s * %(rooms)s"
    if search.min_price is not None:
        params["min_price"] = search.min_price
        filters.append(f"AND l.total >= %(min_price)s * {per_stay}")
    if search.max_price is not None:
        params["max_price"] = search.max_price
        filters.append(f"AND l.total <= %(max_price)s * {per_stay}")
    return " ".join(filters)


def translated_column(alias: str, field: str) -> str:
    """Return the SQL of `alias.field` in the active language, else in English.

    The columns are django-modeltranslation's (hotels/translation.py); the original
    column holds the English text.
    """
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in settings.MODELTRANSLATION_LANGUAGES or language == "en":
        return f"{alias}.{field}"
    column = build_localized_fieldname(field, language)
    return f"coalesce(nullif({alias}.{column}, ''), {alias}.{field})"


def stay_params(search: HotelSearch) -> dict:
    """Return the parameters OFFERS_SQL needs for the stay of `search`."""
    stay = search.stay
    return {
        "check_in": stay.check_in,
        "check_out": stay.check_out,
        "nights": len(stay.nights),
        "rooms": stay.rooms,
        "guests": stay.adults + stay.children,
        "max_days_ahead": settings.BOOKING_MAX_DAYS_AHEAD,
        "free_cancellation": search.free_cancellation,
        "exponents": _currency_exponents(),
        "lat": search.latitude,
        "lng": search.longitude,
        "limit": search.page_size,
        "offset": (search.page - 1) * search.page_size,
    }


def search_sql(search: HotelSearch) -> tuple[str, dict]:
    """Return the statement and parameters of one page of `search` (also for EXPLAIN)."""
    params = stay_params(search)
    sort = search.sort if search.sort in SORTS else "price"
    sql = (OFFERS_SQL + _PAGE_SQL).format(
        filters=hotel_filters(search, params),
        price_filters=_price_filters(search, params),
        order=_ORDER[sort],
        earth_radius=EARTH_RADIUS_KM,
        cutoff_passed=SEARCH_CUTOFF_PASSED,
        hotel_name=translated_column("h", "name"),
        hotel_address=translated_column("h", "address"),
        room_type_name=translated_column("rt", "name"),
        rate_plan_name=translated_column("rp", "name"),
    )
    return sql, params


def _run(search: HotelSearch) -> SearchPage:
    sql, params = search_sql(search)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    results = [HotelResult(*row[:-1]) for row in rows]
    count = rows[0][-1] if rows else 0
    if not rows and search.page > 1:
        count = _count_only(search)
    return SearchPage(
        results=results, count=count, page=search.page, page_size=search.page_size
    )


def _count_only(search: HotelSearch) -> int:
    """Count the results of a page past the last one, so that page can say how many."""
    return _run(replace(search, page=1)).count


def _cache_key(search: HotelSearch) -> str:
    # A page carries names in the reader's language.
    raw = repr((translation.get_language(), sorted(asdict(search).items())))
    return "search:v3:" + hashlib.sha256(raw.encode()).hexdigest()


# Bumped when a hotel changes (deactivated, renamed, moved, ...): a cached page carries the
# generation it was computed under and is not served under another, so a hotel taken off
# the site leaves every cached page at once, not after SEARCH_CACHE_SECONDS. Read in the
# same round trip as the page.
GENERATION_KEY = "search:generation"


def listing_changed() -> None:
    """Invalidate every cached search page (after the change commits)."""

    def bump():
        try:
            django_cache.add(GENERATION_KEY, 0, timeout=None)
            django_cache.incr(GENERATION_KEY)
        except Exception:  # Redis down: the pages lapse by themselves within seconds
            log.warning("search cache unavailable", exc_info=True)

    transaction.on_commit(bump, robust=True)


def search_hotels(search: HotelSearch) -> SearchPage:
    """Return one page of the hotels that can take the whole stay, cheapest offer each.

    The page may come from a summary cached for SEARCH_CACHE_SECONDS (never used to book);
    Redis being down only skips the cache.
    """
    seconds = settings.SEARCH_CACHE_SECONDS
    key = _cache_key(search)
    generation = None
    if seconds > 0:
        try:
            found = django_cache.get_many([key, GENERATION_KEY])
        except Exception:  # the cache is a shortcut, never a requirement
            log.warning("search cache unavailable", exc_info=True)
            found = None
        if found is not None:
            generation = found.get(GENERATION_KEY, 0)
            cached = found.get(key)
            if cached is not None and cached[0] == generation:
                metrics.SEARCH_SERVED.labels("cache").inc()
                return cached[1]
    page = _run(search)
    metrics.SEARCH_SERVED.labels("postgres").inc()
    if generation is not None:
        try:
            django_cache.set(key, (generation, page), seconds)
        except Exception:
            log.warning("search cache unavailable", exc_info=True)
    return page
