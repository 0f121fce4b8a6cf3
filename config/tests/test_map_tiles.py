"""The map's tile server: its origin joins the CSP's img-src (config/settings/maps.py)."""

import pytest

from config.settings.maps import tile_source


@pytest.mark.parametrize(
    ("url", "source"),
    [
        (
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "https://tile.openstreetmap.org",
        ),
        (
            "https://{s}.tiles.example.net/{z}/{x}/{y}.png",
            "https://*.tiles.example.net",
        ),
        ("http://localhost:8080/tiles/{z}/{x}/{y}.png", "http://localhost:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_the_tile_server_becomes_a_csp_image_source(url, source):
    assert tile_source(url) == source
