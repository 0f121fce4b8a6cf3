"""Maps of hotels: the hotels near one (never itself) and the static plot."""

from datetime import timedelta

import pytest

from hotels.tests.factories import hotel_today
from inventory.rules import StayRequest
from search.hotels import HotelSearch, search_hotels
from search.maps import MapPoint, distance_km, nearby_hotels, plot

pytestmark = pytest.mark.django_db

ALFAMA = (38.7100, -9.1400)


@pytest.fixture
def lisbon(make_hotel):
    """A hotel, one 0.4 km north, one 3 km east, one at its very door, one in Porto."""
    here = make_hotel(name="Casa Alfama", latitude=38.7100, longitude=-9.1400)
    north = make_hotel(name="Castelo Inn", latitude=38.7140, longitude=-9.1400)
    east = make_hotel(name="Oriente Rooms", latitude=38.7100, longitude=-9.1055)
    door = make_hotel(name="Next Door", latitude=38.7100, longitude=-9.1400)
    porto = make_hotel(name="Ribeira", latitude=41.1400, longitude=-8.6110)
    return here, north, east, door, porto


def test_nearby_hotels_never_include_the_hotel_itself_nearest_first(lisbon):
    here = lisbon[0]

    near = nearby_hotels(here, radius_km=5)

    assert [hotel.name for hotel in near] == [
        "Next Door",
        "Castelo Inn",
        "Oriente Rooms",
    ]
    assert near[0].distance_km == 0
    assert round(near[1].distance_km, 2) == 0.44
    assert 2.9 < near[2].distance_km < 3.1
    assert all(hotel.slug != here.slug for hotel in near)


def test_nearby_hotels_keep_to_the_radius_and_skip_inactive_hotels(lisbon):
    here, door = lisbon[0], lisbon[3]
    door.status = door.Status.INACTIVE
    door.save()

    assert [hotel.name for hotel in nearby_hotels(here, radius_km=1)] == ["Castelo Inn"]


def test_a_hotel_without_coordinates_has_no_neighbours(make_hotel, lisbon):
    nowhere = make_hotel(name="Nowhere")

    assert nearby_hotels(nowhere, radius_km=50) == []


def test_a_search_near_a_hotel_can_leave_that_hotel_out(lisbon):
    here = lisbon[0]
    check_in = hotel_today(here) + timedelta(days=5)
    stay = StayRequest(check_in=check_in, check_out=check_in + timedelta(days=2))
    near = HotelSearch(
        stay=stay, latitude=ALFAMA[0], longitude=ALFAMA[1], radius_km=5, sort="distance"
    )

    with_it = search_hotels(near)
    without_it = search_hotels(
        HotelSearch(**{**near.__dict__, "exclude_slugs": (here.slug,)})
    )

    assert here.name in [result.name for result in with_it.results]
    assert [result.name for result in without_it.results] == [
        "Next Door",
        "Castelo Inn",
        "Oriente Rooms",
    ]


def test_the_static_plot_puts_north_up_and_east_right_inside_the_drawing():
    points = [
        MapPoint("here", "Here", *ALFAMA, current=True),
        MapPoint("north", "North", 38.7140, -9.1400),
        MapPoint("east", "East", 38.7100, -9.1055),
    ]

    drawn = plot(points)

    here, north, east = drawn.points
    assert north.y < here.y and north.x == here.x
    assert east.x > here.x and east.y == here.y
    for point in drawn.points:
        assert 0 <= point.x <= drawn.width and 0 <= point.y <= drawn.height
    assert [point.number for point in drawn.points] == [0, 1, 2]
    assert east.label_anchor == "end"  # near the right edge, the name goes left of it
    assert 13 <= drawn.zoom <= 15
    assert "mlat=38.71000&mlon=-9.14000" in drawn.openstreetmap_url
    assert drawn.openstreetmap_url.startswith("https://www.openstreetmap.org/?")


def test_one_hotel_alone_is_plotted_in_the_middle():
    drawn = plot([MapPoint("here", "Here", *ALFAMA)])

    assert (drawn.points[0].x, drawn.points[0].y) == (drawn.width / 2, drawn.height / 2)
    assert plot([]) is None


def test_distance_is_the_great_circle_distance():
    assert round(distance_km(38.7223, -9.1393, 41.1579, -8.6291)) == 274  # Lisbon-Porto
