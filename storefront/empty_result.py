"""What the results page says when a search finds nothing, and where it leads next."""

from dataclasses import dataclass, replace
from datetime import date, timedelta

from babel.numbers import format_decimal
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from core import dates
from hotels.amenity_names import translated_name
from hotels.selectors import active_cities
from search.hotels import HotelSearch, search_hotels
from search.relax import (
    AMENITY,
    FREE_CANCELLATION,
    PRICE,
    RATING,
    STARS,
    Relaxation,
    empty_result,
    has_filters,
)

# The query-string parameters each filter is written with (search.forms.SearchForm).
PARAMS = {
    PRICE: ("min_price", "max_price"),
    STARS: ("stars",),
    RATING: ("min_rating",),
    FREE_CANCELLATION: ("free_cancellation",),
}
NEARBY_DAYS = (-7, 7)


@dataclass(frozen=True)
class Suggestion:
    label: str
    count: int
    query: str  # the query string of the search it links to


@dataclass(frozen=True)
class EmptyPage:
    kind: str  # "filters", "dates" or "place"
    suggestions: list[Suggestion]


def _number(value, locale: str) -> str:
    return format_decimal(value, locale=locale)


def filter_label(
    relaxation: Relaxation, search: HotelSearch, amenity_names: dict
) -> str:
    """Name one filter the guest set, as the filter panel shows it."""
    locale = to_locale(get_language() or "en")
    if relaxation.filter == PRICE:
        low, high = search.min_price, search.max_price
        if low is not None and high is not None:
            return _("price %(low)s–%(high)s a night") % {
                "low": _number(low, locale),
                "high": _number(high, locale),
            }
        if low is not None:
            return _("price from %(low)s a night") % {"low": _number(low, locale)}
        return _("price up to %(high)s a night") % {"high": _number(high, locale)}
    if relaxation.filter == STARS:
        return _("%(stars)s stars") % {"stars": ", ".join(map(str, search.stars))}
    if relaxation.filter == RATING:
        return _("guest rating %(rating)s+") % {
            "rating": _number(search.min_rating, locale)
        }
    if relaxation.filter == FREE_CANCELLATION:
        return _("free cancellation")
    code = relaxation.amenity
    return translated_name((code, amenity_names.get(code, code)))


def _without(querydict, relaxation: Relaxation) -> str:
    query = querydict.copy()
    query.pop("page", None)
    if relaxation.filter == AMENITY:
        kept = [
            code for code in query.getlist("amenities") if code != relaxation.amenity
        ]
        query.setlist("amenities", kept)
    else:
        for name in PARAMS[relaxation.filter]:
            query.pop(name, None)
    return query.urlencode()


def empty_page(
    search: HotelSearch, querydict, *, today: date, amenity_names: dict
) -> EmptyPage:
    """Return what to suggest for `search`, which found nothing on its first page.

    A place no hotel matches: the destinations there are. With filters: each filter
    that alone holds results back, with the count without it (one query). Without:
    other dates a week either side (one search each).
    """
    found = empty_result(search)
    if found.place_hotels == 0 and (search.place.strip() or search.has_point):
        return EmptyPage("place", _destinations(querydict))
    if has_filters(search):
        return EmptyPage(
            "filters",
            [
                Suggestion(
                    label=filter_label(r, search, amenity_names),
                    count=r.count,
                    query=_without(querydict, r),
                )
                for r in found.relaxations
            ],
        )
    suggestions = []
    stay = search.stay
    for days in NEARBY_DAYS:
        check_in = stay.check_in + timedelta(days=days)
        if check_in < today:
            continue
        moved = replace(
            stay, check_in=check_in, check_out=stay.check_out + timedelta(days=days)
        )
        count = search_hotels(replace(search, stay=moved, page=1)).count
        if count:
            query = querydict.copy()
            query.pop("page", None)
            query["check_in"] = moved.check_in.isoformat()
            query["check_out"] = moved.check_out.isoformat()
            suggestions.append(
                Suggestion(label=_dates(moved), count=count, query=query.urlencode())
            )
    return EmptyPage("dates", suggestions)


def _dates(stay) -> str:
    language = get_language() or "en"
    return (
        f"{dates.format_date(stay.check_in, language)} – "
        f"{dates.format_date(stay.check_out, language)}"
    )


def _destinations(querydict) -> list[Suggestion]:
    suggestions = []
    for city in active_cities():
        query = querydict.copy()
        for name in ("page", "lat", "lng", "radius"):
            query.pop(name, None)
        query["place"] = city
        suggestions.append(Suggestion(label=city, count=0, query=query.urlencode()))
    return suggestions
