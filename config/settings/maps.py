"""Map settings: the tile server the guest site's maps load, and its place in the CSP.

Read from the environment; base.py imports every public name.
"""

from urllib.parse import urlsplit

import environ

from .payments import CONTENT_SECURITY_POLICY

_env = environ.Env()

# Leaflet's tile URL template ({s} subdomain, {z}/{x}/{y}) and the attribution its
# licence asks for (HTML, shown in the map's corner). OpenStreetMap's by default; a
# production site with real traffic should use its own or a commercial tile server
# (https://operations.osmfoundation.org/policies/tiles/).
MAP_TILE_URL = _env(
    "MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = _env(
    "MAP_TILE_ATTRIBUTION",
    default='&copy; <a href="https://www.openstreetmap.org/copyright">'
    "OpenStreetMap</a> contributors",
)
MAP_MAX_ZOOM = _env.int("MAP_MAX_ZOOM", default=19)
# How far (km) the hotel page looks for other hotels to list and show on its map.
MAP_NEARBY_RADIUS_KM = _env.int("MAP_NEARBY_RADIUS_KM", default=5)


def tile_source(url: str) -> str | None:
    """Return the CSP source of a tile URL template (None: the site's own origin).

    A `{s}` subdomain becomes a wildcard: `https://{s}.tile.example` is
    `https://*.tile.example`.
    """
    parts = urlsplit(url)
    if not parts.netloc:
        return None
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme or 'https'}://{host}"


_tiles = tile_source(MAP_TILE_URL)
if _tiles and _tiles not in CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
        _tiles,
    ]
