"""The catalogue `seed_demo` builds from, read from catalogue.yaml and checked.

The file holds the data (amenities, room types, cities, hotels, seasons); this module gives
it types and refuses a file with a mistake in it, saying where. Prices are in major units
of the city's currency and become minor units when the command writes them.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils.text import slugify

from demo import checks as check
from demo.checks import CatalogueError, UniqueKeyLoader
from hotels.models import Amenity, validate_currency, validate_time_zone

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

_TOP_KEYS = (
    "amenities base_hotel_amenities star_hotel_amenities optional_hotel_amenities "
    "base_room_amenities room_types cities check_in_times check_out_times room_features"
)


@dataclass(frozen=True)
class RoomTypeSpec:
    code: str
    name: str
    bed_type: str
    size_sqm: int
    max_occupancy: int
    price_factor: float  # multiple of the hotel's base price
    rooms: tuple[int, int]  # inclusive range of the physical room count
    amenities: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class HotelSpec:
    name: str
    stars: int
    area: str  # a neighbourhood of the city, a key of CitySpec.areas
    address: str
    tagline: str
    style: str = "city"  # a key of Catalogue.room_types
    amenities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    """Nights priced higher every year: starting month/day, number of nights, factor."""

    name: str
    month: int
    day: int
    nights: int
    factor: float


@dataclass(frozen=True)
class CitySpec:
    name: str
    country: str
    time_zone: str
    currency: str
    # Base nightly price of a standard room by star rating, in major units.
    prices: dict[int, int]
    # Prices are rounded to this many major units (KRW to 1,000 won, JPY to 100 yen).
    price_step: int
    # Price factor for each month, January first.
    seasons: tuple[float, ...]
    areas: dict[str, tuple[float, float]]
    palette: tuple[str, str]
    hotels: tuple[HotelSpec, ...] = ()
    events: tuple[Event, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    amenities: tuple[tuple[str, str, str], ...]  # (code, name, scope)
    base_hotel_amenities: tuple[str, ...]
    star_hotel_amenities: dict[int, tuple[str, ...]]
    optional_hotel_amenities: tuple[str, ...]
    base_room_amenities: tuple[str, ...]
    room_types: dict[str, tuple[RoomTypeSpec, ...]]  # by hotel style
    cities: tuple[CitySpec, ...]
    check_in_times: tuple[tuple[int, int], ...]  # (hour, minute)
    check_out_times: tuple[tuple[int, int], ...]
    room_features: tuple[str, ...]


@cache
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Return the catalogue read from `path`.

    Raises CatalogueError, naming the place, if the file is not YAML, misses or misspells
    a key, has a value of the wrong type or names an amenity, area or style it lacks.
    """
    try:
        with path.open(encoding="utf-8") as file:
            # A SafeLoader: plain data only, never arbitrary Python objects.
            data = yaml.load(file, Loader=UniqueKeyLoader)  # noqa: S506
        return _catalogue(data)
    except (CatalogueError, yaml.YAMLError) as error:
        raise CatalogueError(f"{path}: {error}") from None


def hotel_catalogue() -> list[tuple[CitySpec, HotelSpec]]:
    """Return every demo hotel with its city, cities interleaved.

    Interleaving makes `--hotels N` cover as many cities and time zones as it can.
    Raises CatalogueError as load_catalogue does.
    """
    cities = load_catalogue().cities
    rows: list[tuple[CitySpec, HotelSpec]] = []
    depth = max(len(city.hotels) for city in cities)
    for index in range(depth):
        for city in cities:
            if index < len(city.hotels):
                rows.append((city, city.hotels[index]))
    return rows


def _catalogue(data: Any) -> Catalogue:
    top = check.record("the file", data, _TOP_KEYS)
    amenities = tuple(
        _amenity(f"amenities[{index}]", value)
        for index, value in enumerate(check.items("amenities", top["amenities"]))
    )
    scopes = {code: scope for code, _, scope in amenities}
    if len(scopes) < len(amenities):
        codes = [code for code, _, _ in amenities]
        twice = next(code for code in codes if codes.count(code) > 1)
        check.fail("amenities", f"the code {twice!r} appears twice")
    hotel, room = Amenity.Scope.HOTEL, Amenity.Scope.ROOM
    star_hotel_amenities = {
        check.whole("star_hotel_amenities (a star rating)", stars, low=1): _codes(
            f"star_hotel_amenities.{stars}", codes, scopes, hotel
        )
        for stars, codes in check.mapping(
            "star_hotel_amenities", top["star_hotel_amenities"]
        ).items()
    }
    room_types = {
        check.text("room_types (a style)", style): _room_types(
            f"room_types.{style}", specs, scopes
        )
        for style, specs in check.mapping("room_types", top["room_types"]).items()
    }
    cities = tuple(
        _city(check.label(f"cities[{index}]", value), value, scopes, room_types)
        for index, value in enumerate(check.items("cities", top["cities"]))
    )
    for city in cities:
        for spec in city.hotels:
            if spec.stars not in star_hotel_amenities:
                where = f"cities ({city.name}).hotels ({spec.name}).stars"
                check.fail(where, f"star_hotel_amenities has no {spec.stars} stars")
    _check_slugs(cities)
    return Catalogue(
        amenities=amenities,
        base_hotel_amenities=_codes(
            "base_hotel_amenities", top["base_hotel_amenities"], scopes, hotel
        ),
        star_hotel_amenities=star_hotel_amenities,
        optional_hotel_amenities=_codes(
            "optional_hotel_amenities", top["optional_hotel_amenities"], scopes, hotel
        ),
        base_room_amenities=_codes(
            "base_room_amenities", top["base_room_amenities"], scopes, room
        ),
        room_types=room_types,
        cities=cities,
        check_in_times=check.clock_times("check_in_times", top["check_in_times"]),
        check_out_times=check.clock_times("check_out_times", top["check_out_times"]),
        room_features=tuple(
            check.text(f"room_features[{index}]", value)
            for index, value in enumerate(
                check.items("room_features", top["room_features"])
            )
        ),
    )


def _amenity(at: str, value: Any) -> tuple[str, str, str]:
    row = check.record(at, value, "code name scope")
    scope = check.known(f"{at}.scope", row["scope"], Amenity.Scope.values, "scope")
    return (
        check.text(f"{at}.code", row["code"]),
        check.text(f"{at}.name", row["name"]),
        scope,
    )


def _room_types(at: str, value: Any, scopes: dict) -> tuple[RoomTypeSpec, ...]:
    specs = tuple(
        _room_type(check.label(f"{at}[{index}]", spec), spec, scopes)
        for index, spec in enumerate(check.items(at, value))
    )
    if len(specs) < 2:
        check.fail(at, "a hotel sells two room types or more: list at least two")
    codes = [spec.code for spec in specs]
    if len(set(codes)) < len(codes):
        check.fail(
            at, f"the code {next(c for c in codes if codes.count(c) > 1)!r} repeats"
        )
    return specs


def _room_type(at: str, value: Any, scopes: dict) -> RoomTypeSpec:
    row = check.record(
        at,
        value,
        "code name bed_type size_sqm max_occupancy price_factor rooms",
        optional="amenities description",
    )
    rooms = check.items(f"{at}.rooms", row["rooms"])
    low, high = (
        check.whole(f"{at}.rooms", count, low=1)
        for count in check.pair(f"{at}.rooms", rooms)
    )
    if low > high:
        check.fail(f"{at}.rooms", f"[{low}, {high}] is not a range from low to high")
    return RoomTypeSpec(
        code=check.text(f"{at}.code", row["code"]),
        name=check.text(f"{at}.name", row["name"]),
        bed_type=check.text(f"{at}.bed_type", row["bed_type"]),
        size_sqm=check.whole(f"{at}.size_sqm", row["size_sqm"], low=1),
        max_occupancy=check.whole(f"{at}.max_occupancy", row["max_occupancy"], low=1),
        price_factor=check.number(f"{at}.price_factor", row["price_factor"]),
        rooms=(low, high),
        amenities=_codes(
            f"{at}.amenities", row.get("amenities", []), scopes, Amenity.Scope.ROOM
        ),
        description=check.text(
            f"{at}.description", row.get("description", ""), empty=True
        ),
    )


def _city(at: str, value: Any, scopes: dict, room_types: dict) -> CitySpec:
    row = check.record(
        at,
        value,
        "name country time_zone currency prices price_step seasons areas palette "
        "hotels",
        optional="events",
    )
    country = check.text(f"{at}.country", row["country"])
    if len(country) != 2 or not country.isalpha() or not country.isupper():
        check.fail(f"{at}.country", f"{country!r} is not an ISO 3166-1 code such as PT")
    prices = {
        check.whole(f"{at}.prices (a star rating)", stars, low=1): check.whole(
            f"{at}.prices.{stars}", price, low=1
        )
        for stars, price in check.mapping(f"{at}.prices", row["prices"]).items()
    }
    seasons = tuple(
        check.number(f"{at}.seasons[{month}]", factor)
        for month, factor in enumerate(check.items(f"{at}.seasons", row["seasons"]))
    )
    if len(seasons) != 12:
        check.fail(
            f"{at}.seasons", f"one factor for each month: 12, not {len(seasons)}"
        )
    areas = {
        check.text(f"{at}.areas (a name)", name): check.coordinates(
            f"{at}.areas.{name}", point
        )
        for name, point in check.mapping(f"{at}.areas", row["areas"]).items()
    }
    palette = check.pair(f"{at}.palette", check.items(f"{at}.palette", row["palette"]))
    for colour in palette:
        if not isinstance(colour, str) or not COLOUR.fullmatch(colour):
            check.fail(f"{at}.palette", f"{colour!r} is not a colour such as '#1f5fa8'")
    hotels = tuple(
        _hotel(
            check.label(f"{at}.hotels[{index}]", spec), spec, scopes, areas, room_types
        )
        for index, spec in enumerate(check.items(f"{at}.hotels", row["hotels"]))
    )
    for spec in hotels:
        if spec.stars not in prices:
            where = f"{at}.hotels ({spec.name}).stars"
            check.fail(where, f"{at}.prices has no price for {spec.stars} stars")
    return CitySpec(
        name=check.text(f"{at}.name", row["name"]),
        country=country,
        time_zone=check.validated(
            f"{at}.time_zone", row["time_zone"], validate_time_zone
        ),
        currency=check.validated(f"{at}.currency", row["currency"], validate_currency),
        prices=prices,
        price_step=check.whole(f"{at}.price_step", row["price_step"], low=1),
        seasons=seasons,
        areas=areas,
        palette=palette,
        hotels=hotels,
        events=tuple(
            _event(f"{at}.events[{index}]", event)
            for index, event in enumerate(
                check.items(f"{at}.events", row.get("events", []))
            )
        ),
    )


def _hotel(at: str, value: Any, scopes: dict, areas: dict, styles: dict) -> HotelSpec:
    row = check.record(
        at, value, "name stars area address tagline", optional="style amenities"
    )
    return HotelSpec(
        name=check.text(f"{at}.name", row["name"]),
        stars=check.whole(f"{at}.stars", row["stars"], low=1),
        area=check.known(f"{at}.area", row["area"], areas, "area"),
        address=check.text(f"{at}.address", row["address"]),
        tagline=check.text(f"{at}.tagline", row["tagline"]),
        style=check.known(f"{at}.style", row.get("style", "city"), styles, "style"),
        amenities=_codes(
            f"{at}.amenities", row.get("amenities", []), scopes, Amenity.Scope.HOTEL
        ),
    )


def _event(at: str, value: Any) -> Event:
    row = check.record(at, value, "name month day nights factor")
    month = check.whole(f"{at}.month", row["month"], low=1)
    day = check.whole(f"{at}.day", row["day"], low=1)
    try:
        date(2023, month, day)  # not a leap year: the event must exist every year
    except ValueError:
        check.fail(at, f"month {month}, day {day} is not a day of every year")
    return Event(
        name=check.text(f"{at}.name", row["name"]),
        month=month,
        day=day,
        nights=check.whole(f"{at}.nights", row["nights"], low=1),
        factor=check.number(f"{at}.factor", row["factor"]),
    )


def _check_slugs(cities: tuple[CitySpec, ...]) -> None:
    """Refuse two hotels whose names make one slug: seed_demo finds hotels by slug."""
    names: dict[str, str] = {}
    for city in cities:
        for spec in city.hotels:
            slug = slugify(spec.name)
            if slug in names:
                check.fail(
                    f"cities ({city.name}).hotels ({spec.name})",
                    f"the slug {slug!r} is also that of {names[slug]!r}",
                )
            names[slug] = spec.name


def _codes(at: str, value: Any, scopes: dict, scope: str) -> tuple[str, ...]:
    """Return the amenity codes in `value`, each one known and of `scope`."""
    codes = tuple(
        check.known(
            f"{at}[{index}]", check.text(f"{at}[{index}]", code), scopes, "amenity"
        )
        for index, code in enumerate(check.items(at, value))
    )
    for code in codes:
        if scopes[code] != scope:
            check.fail(at, f"{code!r} is a {scopes[code]} amenity, not a {scope} one")
    return codes
