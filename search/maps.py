"""Maps of hotels: their points, the hotels near one, and a static plot without JavaScript.

A page's map is Leaflet (static/vendor/leaflet) over the tiles of MAP_TILE_URL when
JavaScript runs; before that, and without it, the same markers are drawn on a plain SVG
by latitude and longitude (Web Mercator, as the tiles are), each a link to its hotel.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from hotels.models import Hotel

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = 111.045
# The static plot's drawing area (SVG user units) and its margin around the markers.
PLOT_WIDTH = 640
PLOT_HEIGHT = 360
PLOT_MARGIN = 36
# The least span (in Mercator units of a unit-width world) a plot shows, so one hotel
# or hotels on one street still get a neighbourhood around them (about 1.2 km).
MIN_SPAN = 3e-5


@dataclass(frozen=True)
class MapPoint:
    """A hotel on a map: where it is and what its marker says."""

    slug: str
    name: str
    latitude: float
    longitude: float
    label: str = ""  # e.g. its price or its distance
    current: bool = False  # the hotel whose page this is


@dataclass(frozen=True)
class PlottedPoint:
    point: MapPoint
    number: int  # 1, 2, ... in the order of the page's list (0: the current hotel)
    x: float
    y: float
    label_anchor: str  # "start" (right of the marker), "end" (left of it) or "": none

    @property
    def label_after(self) -> float:
        return round(self.x + 17, 1)

    @property
    def label_before(self) -> float:
        return round(self.x - 17, 1)

    @property
    def label_text(self) -> str:
        return label_text(self.point)


@dataclass(frozen=True)
class HotelMap:
    points: list[PlottedPoint]
    width: int
    height: int
    center_latitude: float
    center_longitude: float
    zoom: int

    @property
    def openstreetmap_url(self) -> str:
        """Return a link to the place on openstreetmap.org (one hotel: a pin on it)."""
        lat = f"{self.center_latitude:.5f}"
        lng = f"{self.center_longitude:.5f}"
        pinned = [plotted.point for plotted in self.points if plotted.point.current]
        if len(self.points) == 1:
            pinned = [self.points[0].point]
        query = ""
        if pinned:
            query = "?" + urlencode(
                {
                    "mlat": f"{pinned[0].latitude:.5f}",
                    "mlon": f"{pinned[0].longitude:.5f}",
                }
            )
        return f"https://www.openstreetmap.org/{query}#map={self.zoom}/{lat}/{lng}"


@dataclass(frozen=True)
class NearbyHotel:
    slug: str
    name: str
    latitude: float
    longitude: float
    star_rating: int
    distance_km: float


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Return the great-circle distance between two points (haversine), in km."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    a = (
        math.sin(dphi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    )
    return EARTH_RADIUS_KM * 2 * math.asin(math.sqrt(a))


def nearby_hotels(
    hotel: Hotel, *, radius_km: float, limit: int = 6
) -> list[NearbyHotel]:
    """Return the other active hotels within `radius_km` of `hotel`, nearest first.

    Never the hotel itself, whatever its distance; none when it has no coordinates.
    """
    if hotel.latitude is None or hotel.longitude is None:
        return []
    lat, lng = float(hotel.latitude), float(hotel.longitude)
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    dlng = radius_km / (KM_PER_DEGREE_LATITUDE * max(math.cos(math.radians(lat)), 0.01))
    candidates = (
        Hotel.objects.filter(
            status=Hotel.Status.ACTIVE,
            latitude__range=(lat - dlat, lat + dlat),
            longitude__range=(lng - dlng, lng + dlng),
        )
        .exclude(pk=hotel.pk)
        .values_list("slug", "name", "latitude", "longitude", "star_rating")
    )
    found = []
    for slug, name, other_lat, other_lng, stars in candidates:
        km = distance_km(lat, lng, float(other_lat), float(other_lng))
        if km <= radius_km:
            found.append(
                NearbyHotel(slug, name, float(other_lat), float(other_lng), stars, km)
            )
    found.sort(key=lambda near: (near.distance_km, near.name))
    return found[:limit]


def hotel_points(hotel_ids: list[int]) -> dict[int, tuple[float, float]]:
    """Return the (latitude, longitude) of those of `hotel_ids` that have them."""
    rows = Hotel.objects.filter(
        pk__in=hotel_ids, latitude__isnull=False, longitude__isnull=False
    ).values_list("pk", "latitude", "longitude")
    return {pk: (float(lat), float(lng)) for pk, lat, lng in rows}


def _mercator(lat: float, lng: float) -> tuple[float, float]:
    """Return the point in Web Mercator units of a world 1 wide (x east, y south)."""
    lat = max(min(lat, 85.0511), -85.0511)
    x = (lng + 180.0) / 360.0
    sin = math.sin(math.radians(lat))
    y = 0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)
    return x, y


def label_text(point: MapPoint) -> str:
    name = point.name if len(point.name) <= 28 else point.name[:27] + "…"
    return f"{name} · {point.label}" if point.label else name


def _label_box(x: float, y: float, anchor: str, text: str) -> tuple[float, ...]:
    width = 7.2 * len(text)  # about 13 px type
    left = x + 17 if anchor == "start" else x - 17 - width
    return (left, y - 9, left + width, y + 9)


def _overlaps(box: tuple[float, ...], boxes: list[tuple[float, ...]]) -> bool:
    return any(
        box[0] < other[2]
        and other[0] < box[2]
        and box[1] < other[3]
        and other[1] < box[3]
        for other in boxes
    )


def plot(points: list[MapPoint], *, first_number: int = 1) -> HotelMap | None:
    """Place `points` on the static plot, keeping the map's proportions; None if empty.

    Markers are numbered from `first_number` as the page lists them. A name goes right of
    its marker, else left, else (where both would cover another) only the number shows.
    """
    if not points:
        return None
    projected = [_mercator(p.latitude, p.longitude) for p in points]
    xs = [x for x, _ in projected]
    ys = [y for _, y in projected]
    inner_w = PLOT_WIDTH - 2 * PLOT_MARGIN
    inner_h = PLOT_HEIGHT - 2 * PLOT_MARGIN
    span_x = max(max(xs) - min(xs), MIN_SPAN)
    span_y = max(max(ys) - min(ys), MIN_SPAN)
    # One scale for both axes so distances look as they are.
    scale = min(inner_w / span_x, inner_h / span_y)
    mid_x = (max(xs) + min(xs)) / 2
    mid_y = (max(ys) + min(ys)) / 2
    placed = [
        (
            round(PLOT_WIDTH / 2 + (x - mid_x) * scale, 1),
            round(PLOT_HEIGHT / 2 + (y - mid_y) * scale, 1),
        )
        for x, y in projected
    ]
    taken = [(px - 14, py - 14, px + 14, py + 14) for px, py in placed]
    plotted = []
    number = first_number - 1  # the page's own hotel is a star, the others numbered
    for point, (px, py) in zip(points, placed, strict=True):
        number += 0 if point.current else 1
        text = label_text(point)
        sides = ("end", "start") if px > PLOT_WIDTH * 0.6 else ("start", "end")
        anchor = ""
        for side in sides:
            box = _label_box(px, py, side, text)
            inside = box[0] >= 0 and box[2] <= PLOT_WIDTH
            if inside and not _overlaps(box, taken):
                anchor = side
                taken.append(box)
                break
        plotted.append(
            PlottedPoint(point, 0 if point.current else number, px, py, anchor)
        )
    # The tile zoom whose 256 px tiles show the plotted span in about the plot's size.
    zoom = math.floor(math.log2(scale / 256)) if scale > 256 else 1
    center_lng = mid_x * 360.0 - 180.0
    center_lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * mid_y))))
    return HotelMap(
        points=plotted,
        width=PLOT_WIDTH,
        height=PLOT_HEIGHT,
        center_latitude=center_lat,
        center_longitude=center_lng,
        zoom=max(1, min(zoom, 18)),
    )
