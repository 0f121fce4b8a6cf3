from datetime import timedelta
from urllib.parse import urlencode

from babel.numbers import format_decimal
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit

from core.clock import db_now
from core.money import format_money
from hotels.models import Hotel, HotelClosure
from hotels.selectors import active_cities
from search.forms import SearchForm, StayForm, amenity_choices
from search.home import hotels_for_home
from search.hotels import search_hotels
from search.maps import MapPoint, hotel_points, nearby_hotels, plot
from search.offers import (
    cheapest_offer,
    hotel_for_page,
    hotel_offers,
    review_summary,
    room_types_for_page,
)
from storefront.empty_result import empty_page

REVIEW_CATEGORY_LABELS = [
    ("cleanliness", _("Cleanliness")),
    ("comfort", _("Comfort")),
    ("location", _("Location")),
    ("service", _("Service")),
    ("value", _("Value for money")),
]


def _search_rate(group, request):
    return settings.RATELIMIT_SEARCH


def _map_tiles() -> dict:
    """Return what the map script needs of the tile server (settings MAP_*)."""
    return {
        "url": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "max_zoom": settings.MAP_MAX_ZOOM,
    }


def _results_map(results, locale: str, first_number: int):
    """Return the map of a page of results, each marker with its total; None if none."""
    if not results:
        return None
    points = hotel_points([result.hotel_id for result in results])
    return plot(
        first_number=first_number,
        points=[
            MapPoint(
                slug=result.slug,
                name=result.name,
                latitude=points[result.hotel_id][0],
                longitude=points[result.hotel_id][1],
                label=format_money(result.total, result.currency, locale),
            )
            for result in results
            if result.hotel_id in points
        ],
    )


def _filters_active(data) -> bool:
    """Say whether a search narrows its results by a filter (the panel then opens)."""
    filters = (
        "min_price",
        "max_price",
        "stars",
        "amenities",
        "min_rating",
        "free_cancellation",
    )
    return any(_is_set(data.get(name)) for name in filters)


def _is_set(value) -> bool:
    # A minimum price of 0 is still a filter the guest set; False and empty are not.
    if value is None or value is False:
        return False
    if isinstance(value, str | list | tuple):
        return bool(value)
    return True


def home(request):
    locale = to_locale(get_language() or "en")
    hotels = list(hotels_for_home(get_language() or "en"))
    for hotel in hotels:
        hotel.stars = "★" * hotel.star_rating
        hotel.cover_url = (
            default_storage.url(hotel.cover_image) if hotel.cover_image else ""
        )
        hotel.from_price_display = (
            format_money(hotel.from_price, hotel.currency, locale)
            if hotel.from_price is not None
            else ""
        )
    # Unbound: only initial dates, so the web server's clock is enough (no query).
    form = SearchForm(today=timezone.now().date())
    cities = sorted({hotel.city for hotel in hotels})
    # A destination's link searches it with the form's initial stay.
    stay = {
        "check_in": form.initial["check_in"].isoformat(),
        "check_out": form.initial["check_out"].isoformat(),
        "adults": form.fields["adults"].initial,
        "children": form.fields["children"].initial,
        "rooms": form.fields["rooms"].initial,
    }
    context = {
        "hotels": hotels,
        "form": form,
        "place_cities": sorted({*cities, *(h.place_name for h in hotels)}),
        "destination_query": urlencode(stay),
    }
    return render(request, "hotels/home.html", context)


@ratelimit(key="ip", rate=_search_rate, method="GET", block=True)
def search(request):
    """Hotels that can take the whole stay; the query string is the shareable search."""
    form = SearchForm(
        request.GET, today=db_now().date(), amenity_choices=amenity_choices()
    )
    if not form.is_valid():
        context = {"form": form, "place_cities": active_cities()}
        return render(request, "hotels/search.html", context, status=400)
    query = form.to_search()
    page = search_hotels(query)
    empty = None
    if not page.results and page.page == 1:
        empty = empty_page(
            query,
            request.GET,
            today=form.today,
            amenity_names=dict(form.fields["amenities"].choices),
        )
    locale = to_locale(get_language() or "en")
    context = {
        "empty": empty,
        "form": form,
        "query": query,
        "page": page,
        "results_map": _results_map(
            page.results, locale, (page.page - 1) * page.page_size + 1
        ),
        "map_tiles": _map_tiles(),
        "filters_active": _filters_active(form.cleaned_data),
        "covers": {
            r.hotel_id: default_storage.url(r.cover_image)
            for r in page.results
            if r.cover_image
        },
        "nights": len(query.stay.nights),
        "nights_rooms": len(query.stay.nights) * query.stay.rooms,
        "first_index": (page.page - 1) * page.page_size + 1,
        "place_cities": active_cities(),
        "currencies": sorted({r.currency for r in page.results}),
        "stay_query": _stay_query(form.cleaned_data),
    }
    return render(request, "hotels/search.html", context)


_SUGGEST_SQL = """
SELECT 'city' AS kind, city, country, count(*)
FROM hotels_hotel
WHERE status = 'active' AND (lower(city) LIKE %(prefix)s OR lower(city) %% %(q)s)
GROUP BY city, country
UNION ALL
(SELECT 'hotel', name, city, 1 FROM hotels_hotel
 WHERE status = 'active' AND (lower(name) LIKE %(contains)s OR lower(name) %% %(q)s)
 ORDER BY similarity(lower(name), %(q)s) DESC, name LIMIT 5)
UNION ALL
-- Other names of the cities (search.PlaceAlias): 台 suggests 台北, Taipei.
(SELECT 'city', a.name, p.name || ', ' || p.country, count(h.id)
 FROM search_placealias a
 JOIN search_place p ON p.id = a.place_id
 JOIN hotels_hotel h
   ON lower(h.city) = lower(p.name) AND h.country = p.country AND h.status = 'active'
 WHERE a.key LIKE lower(normalize(%(prefix)s, NFKC))
 GROUP BY a.name, p.name, p.country
 ORDER BY length(a.name), a.name LIMIT 5)
"""


@ratelimit(key="ip", rate=_search_rate, method="GET", block=True)
def suggest(request):
    """Return places and hotels matching what a guest typed, as JSON for the search box."""
    q = request.GET.get("q", "").strip().lower()[:50]
    if len(q) < 2:
        return JsonResponse({"results": []})
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    with connection.cursor() as cursor:
        cursor.execute(
            _SUGGEST_SQL,
            {"q": q, "prefix": escaped + "%", "contains": "%" + escaped + "%"},
        )
        rows = cursor.fetchall()
    results = [
        {
            "kind": kind,
            "value": name,
            "label": f"{name}, {where}",
            "hotels": count,
        }
        for kind, name, where, count in rows
    ]
    return JsonResponse({"results": results[:10]})


def _stay_query(data) -> str:
    return urlencode(
        {
            "check_in": data["check_in"].isoformat(),
            "check_out": data["check_out"].isoformat(),
            "adults": data["adults"],
            "children": data.get("children") or 0,
            "rooms": data["rooms"],
        }
    )


def _hotel_map(hotel, nearby, locale: str):
    """Return the map of a hotel and the hotels near it; None without coordinates."""
    if hotel.latitude is None or hotel.longitude is None:
        return None
    here = MapPoint(
        slug=hotel.slug,
        name=hotel.name,
        latitude=float(hotel.latitude),
        longitude=float(hotel.longitude),
        current=True,
    )
    others = [
        MapPoint(
            slug=near.slug,
            name=near.name,
            latitude=near.latitude,
            longitude=near.longitude,
            label=format_decimal(round(near.distance_km, 1), locale=locale) + " km",
        )
        for near in nearby
    ]
    return plot([here, *others])


def hotel_detail(request, slug):
    """A hotel with every room type and plan priced for the chosen stay (if any)."""
    hotel = hotel_for_page(slug)
    if hotel is None:
        # A hotel deactivated while it had guests: their links and bookmarks still
        # lead here, so say why. A hotel never published (inactive, no
        # deactivation) stays unknown.
        closed = Hotel.objects.filter(
            slug=slug,
            status=Hotel.Status.INACTIVE,
            closures__kind=HotelClosure.Kind.DEACTIVATION,
            closures__lifted_at__isnull=True,
        ).first()
        if closed is None:
            raise Http404("No such hotel.")
        return render(request, "hotels/closed.html", {"hotel": closed}, status=410)
    now = db_now()
    today = now.astimezone(hotel.tz).date()
    has_dates = "check_in" in request.GET or "check_out" in request.GET
    form = StayForm(request.GET if has_dates else None, today=today)
    room_types = room_types_for_page(hotel)
    offers = None
    status = 200
    if has_dates:
        if form.is_valid():
            offers = hotel_offers(hotel, room_types, form.cleaned_data["stay"], now)
        else:
            status = 400
    averages, reviews = review_summary(hotel)
    locale = to_locale(get_language() or "en")
    nearby = nearby_hotels(hotel, radius_km=settings.MAP_NEARBY_RADIUS_KM)
    context = {
        "hotel": hotel,
        "form": form,
        "room_types": room_types,
        "offers": offers,
        "cheapest": cheapest_offer(offers) if offers is not None else None,
        "nearby": nearby,
        "hotel_map": _hotel_map(hotel, nearby, locale),
        "map_tiles": _map_tiles(),
        "nearby_radius": settings.MAP_NEARBY_RADIUS_KM,
        "stay": form.cleaned_data.get("stay") if offers is not None else None,
        "averages": averages,
        "reviews": reviews,
        "stay_query": _stay_query(form.cleaned_data) if offers is not None else "",
        "nearby_query": _stay_query(
            form.cleaned_data
            if offers is not None
            else {
                "check_in": today + timedelta(days=7),
                "check_out": today + timedelta(days=9),
                "adults": 2,
                "rooms": 1,
            }
        ),
        "review_categories": REVIEW_CATEGORY_LABELS,
    }
    return render(request, "hotels/hotel.html", context, status=status)
