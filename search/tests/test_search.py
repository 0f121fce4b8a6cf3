"""search_hotels: only hotels that can take the whole stay, at the right total."""

import math
from datetime import time, timedelta
from decimal import Decimal

import pytest

from hotels.models import HotelPhoto, RoomType
from hotels.tests.factories import hotel_today
from inventory.models import Inventory, RatePlan
from inventory.rules import StayRequest
from inventory.tests.factories import RatePlanFactory
from search.hotels import HotelSearch, search_hotels

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_search_cache(settings):
    settings.SEARCH_CACHE_SECONDS = 0


def stay_from(hotel, offset=10, nights=3, rooms=1, adults=2):
    check_in = hotel_today(hotel) + timedelta(days=offset)
    return StayRequest(check_in, check_in + timedelta(days=nights), rooms, adults)


def names(page):
    return [result.name for result in page.results]


def test_hotel_full_on_one_night_of_the_stay_is_not_listed(make_hotel):
    full = make_hotel(name="Full Tuesday", city="Porto", rooms=2)
    free = make_hotel(name="Always Free", city="Porto", rooms=2)
    stay = stay_from(full)
    Inventory.objects.filter(
        room_type__hotel=full, date=stay.check_in + timedelta(days=1)
    ).update(booked=2)

    page = search_hotels(HotelSearch(stay=stay, place="Porto"))

    assert names(page) == [free.name]
    assert page.count == 1


def test_overbooking_units_count_as_free_rooms(make_hotel):
    hotel = make_hotel(name="Stretchy", city="Porto", rooms=2)
    stay = stay_from(hotel)
    Inventory.objects.filter(room_type__hotel=hotel).update(booked=2, overbooking=1)

    assert names(search_hotels(HotelSearch(stay=stay))) == ["Stretchy"]
    assert names(search_hotels(HotelSearch(stay=stay_from(hotel, rooms=2)))) == []


def test_total_is_right_across_a_price_change_mid_stay(make_hotel):
    hotel = make_hotel(name="Seasonal", price=10_000)
    stay = stay_from(hotel, nights=4)
    room_type = RoomType.objects.get(hotel=hotel)
    Inventory.objects.filter(
        room_type=room_type, date__gte=stay.check_in + timedelta(days=2)
    ).update(price=15_050)
    RatePlan.objects.filter(room_type=room_type).update(price_adjustment_bp=-1_500)

    [result] = search_hotels(
        HotelSearch(stay=StayRequest(stay.check_in, stay.check_out, 2, 2))
    ).results

    # Each night is rounded like core.money.apply_basis_points: 8,500 and 12,793 (12,792.5 up).
    assert result.total == (8_500 * 2 + 12_793 * 2) * 2


def test_cheapest_plan_of_the_cheapest_room_type_wins(make_hotel):
    hotel = make_hotel(name="Choices", price=10_000)
    room_type = RoomType.objects.get(hotel=hotel)
    RatePlanFactory(room_type=room_type, name="Saver", price_adjustment_bp=-2_000)
    RatePlanFactory(
        room_type=room_type, name="Off", price_adjustment_bp=-5_000, is_active=False
    )
    stay = stay_from(hotel, nights=2)

    [result] = search_hotels(HotelSearch(stay=stay)).results

    assert (result.rate_plan_name, result.total) == ("Saver", 16_000)


def test_a_stop_sell_night_excludes_the_hotel(make_hotel):
    hotel = make_hotel(name="Stopped")
    stay = stay_from(hotel, nights=3)
    Inventory.objects.filter(
        room_type__hotel=hotel, date=stay.check_in + timedelta(days=2)
    ).update(stop_sell=True)

    assert search_hotels(HotelSearch(stay=stay)).count == 0
    # The stop-sell night is outside a shorter stay.
    shorter = StayRequest(stay.check_in, stay.check_in + timedelta(days=2), 1, 2)
    assert names(search_hotels(HotelSearch(stay=shorter))) == ["Stopped"]


def test_min_stay_is_checked_on_the_arrival_night_only(make_hotel):
    hotel = make_hotel(name="Three Nights Please")
    stay = stay_from(hotel, nights=2)
    Inventory.objects.filter(room_type__hotel=hotel, date=stay.check_in).update(
        min_stay=3
    )

    assert search_hotels(HotelSearch(stay=stay)).count == 0
    longer = StayRequest(stay.check_in, stay.check_in + timedelta(days=3), 1, 2)
    assert search_hotels(HotelSearch(stay=longer)).count == 1
    # A min-stay on a later night does not bind an arrival before it.
    Inventory.objects.filter(room_type__hotel=hotel).update(min_stay=1)
    Inventory.objects.filter(
        room_type__hotel=hotel, date=stay.check_in + timedelta(days=1)
    ).update(min_stay=5)
    assert search_hotels(HotelSearch(stay=stay)).count == 1


def test_closed_to_arrival_and_departure_and_max_stay_exclude(make_hotel):
    hotel = make_hotel(name="Restricted")
    stay = stay_from(hotel, nights=2)
    rows = Inventory.objects.filter(room_type__hotel=hotel)

    rows.filter(date=stay.check_in).update(closed_to_arrival=True)
    assert search_hotels(HotelSearch(stay=stay)).count == 0
    rows.update(closed_to_arrival=False)
    rows.filter(date=stay.check_out).update(closed_to_departure=True)
    assert search_hotels(HotelSearch(stay=stay)).count == 0
    rows.update(closed_to_departure=False)
    rows.filter(date=stay.check_in).update(max_stay=1)
    assert search_hotels(HotelSearch(stay=stay)).count == 0
    rows.update(max_stay=None)
    assert search_hotels(HotelSearch(stay=stay)).count == 1


def test_a_night_without_inventory_excludes_the_hotel(make_hotel):
    hotel = make_hotel(name="Short Season", days=12)
    assert (
        search_hotels(HotelSearch(stay=stay_from(hotel, offset=10, nights=3))).count
        == 0
    )
    assert (
        search_hotels(HotelSearch(stay=stay_from(hotel, offset=9, nights=3))).count == 1
    )


def test_room_types_too_small_for_the_party_are_skipped(make_hotel):
    hotel = make_hotel(name="Doubles Only")
    stay = stay_from(hotel, adults=3)

    assert search_hotels(HotelSearch(stay=stay)).count == 0
    two_rooms = StayRequest(stay.check_in, stay.check_out, 2, 3)
    assert search_hotels(HotelSearch(stay=two_rooms)).count == 1


def test_inactive_hotels_room_types_and_plans_are_not_listed(make_hotel):
    hotel = make_hotel(name="Closed Hotel", status="inactive")
    other = make_hotel(name="No Plans")
    RatePlan.objects.filter(room_type__hotel=other).update(is_active=False)
    third = make_hotel(name="No Rooms")
    RoomType.objects.filter(hotel=third).update(is_active=False)

    assert search_hotels(HotelSearch(stay=stay_from(hotel))).count == 0


def test_arrival_today_after_the_hotels_cutoff_is_not_offered(make_hotel):
    hotel = make_hotel(name="Early Closer", same_day_cutoff=time(0, 0))
    today = hotel_today(hotel)
    stay = StayRequest(today, today + timedelta(days=1), 1, 2)

    assert search_hotels(HotelSearch(stay=stay)).count == 0
    tomorrow = StayRequest(today + timedelta(days=1), today + timedelta(days=2), 1, 2)
    assert search_hotels(HotelSearch(stay=tomorrow)).count == 1


def test_place_matches_city_prefix_name_and_typos(make_hotel):
    make_hotel(name="Harbour House", city="Lisbon", country="PT")
    make_hotel(name="Han River Inn", city="Seoul", country="KR")
    stay = stay_from(make_hotel(name="Elsewhere", city="Oslo", country="NO"))

    def found(place):
        return sorted(names(search_hotels(HotelSearch(stay=stay, place=place))))

    assert found("Lisbon") == ["Harbour House"]
    assert found("lis") == ["Harbour House"]
    assert found("Lisbn") == ["Harbour House"]
    assert found("river inn") == ["Han River Inn"]
    assert found("seoul, kr") == ["Han River Inn"]
    assert found("Atlantis") == []


def test_point_and_radius_use_great_circle_distance(make_hotel):
    # Two Seoul hotels about 1 km and 8 km from City Hall, and one in Lisbon.
    near = make_hotel(
        name="Near", latitude=Decimal("37.5700"), longitude=Decimal("126.9860")
    )
    far = make_hotel(
        name="Far", latitude=Decimal("37.5170"), longitude=Decimal("127.0474")
    )
    make_hotel(name="Lisbon", latitude=Decimal("38.7223"), longitude=Decimal("-9.1393"))
    stay = stay_from(near)

    within_5 = search_hotels(
        HotelSearch(stay=stay, latitude=37.5663, longitude=126.9779, radius_km=5)
    )
    within_15 = search_hotels(
        HotelSearch(
            stay=stay,
            latitude=37.5663,
            longitude=126.9779,
            radius_km=15,
            sort="distance",
        )
    )

    assert names(within_5) == ["Near"]
    assert names(within_15) == ["Near", "Far"]
    assert within_15.results[0].distance_km == pytest.approx(
        haversine_km(37.5663, 126.9779, 37.57, 126.986), rel=1e-6
    )
    assert within_15.results[1].distance_km == pytest.approx(
        haversine_km(37.5663, 126.9779, 37.517, 127.0474), rel=1e-6
    )
    assert far.pk != near.pk


def haversine_km(lat1, lng1, lat2, lng2):
    """An independent great-circle distance (mean Earth radius, IUGG)."""

    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_filters_stars_rating_amenities_price_and_free_cancellation(make_hotel, wifi):
    cheap = make_hotel(name="Cheap", price=8_000, star_rating=2)
    posh = make_hotel(name="Posh", price=30_000, star_rating=5, refundable=True)
    posh.amenities.add(wifi)
    posh.rating_average = Decimal("8.7")
    posh.rating_count = 12
    posh.save()
    stay = stay_from(cheap, offset=20)

    def found(**filters):
        return names(search_hotels(HotelSearch(stay=stay, **filters)))

    assert found(stars=(5,)) == ["Posh"]
    assert found(min_rating=Decimal("8")) == ["Posh"]
    assert found(amenities=("wifi",)) == ["Posh"]
    assert found(max_price=Decimal("100")) == ["Cheap"]
    assert found(min_price=Decimal("80.01")) == ["Posh"]
    assert found(min_price=Decimal("80"), max_price=Decimal("80")) == ["Cheap"]
    assert found(free_cancellation=True) == ["Posh"]
    # The policy refunds 100% until 7 days before: too late for an arrival in 5 days.
    soon = stay_from(cheap, offset=5)
    assert names(search_hotels(HotelSearch(stay=soon, free_cancellation=True))) == []


def test_price_filter_respects_zero_decimal_currencies(make_hotel):
    make_hotel(name="Seoul Inn", currency="KRW", price=90_000)  # ₩90,000 a night
    stay = stay_from(make_hotel(name="Euro Inn", currency="EUR", price=9_000))  # €90

    found = names(search_hotels(HotelSearch(stay=stay, max_price=Decimal("95"))))

    assert found == ["Euro Inn"]


def test_sorting_by_price_and_rating_and_pagination(make_hotel):
    for index, price in enumerate([30_000, 10_000, 20_000, 40_000, 50_000]):
        hotel = make_hotel(name=f"H{index}", price=price)
        hotel.rating_average = Decimal(index + 5)
        hotel.rating_count = 3
        hotel.save()
    stay = stay_from(hotel)

    by_price = search_hotels(HotelSearch(stay=stay, sort="price", page_size=2))
    second = search_hotels(HotelSearch(stay=stay, sort="price", page=2, page_size=2))
    past_end = search_hotels(HotelSearch(stay=stay, page=9, page_size=2))
    by_rating = search_hotels(HotelSearch(stay=stay, sort="rating"))

    assert names(by_price) == ["H1", "H2"]
    assert names(second) == ["H0", "H3"]
    assert (by_price.count, by_price.pages) == (5, 3)
    assert past_end.results == [] and past_end.count == 5
    assert names(by_rating) == ["H4", "H3", "H2", "H1", "H0"]


def test_rooms_left_is_the_tightest_night(make_hotel):
    hotel = make_hotel(name="Tight", rooms=5)
    stay = stay_from(hotel)
    Inventory.objects.filter(
        room_type__hotel=hotel, date=stay.check_in + timedelta(days=1)
    ).update(booked=3)

    [result] = search_hotels(HotelSearch(stay=stay)).results

    assert result.rooms_left == 2


def test_cover_photo_is_the_first_hotel_photo(make_hotel):
    hotel = make_hotel(name="Pictured")
    HotelPhoto.objects.create(hotel=hotel, image="hotels/b.jpg", position=2)
    HotelPhoto.objects.create(hotel=hotel, image="hotels/a.jpg", position=1)

    [result] = search_hotels(HotelSearch(stay=stay_from(hotel))).results

    assert result.cover_image == "hotels/a.jpg"


def test_results_are_cached_for_seconds_and_bookings_do_not_read_them(
    make_hotel, settings
):
    settings.SEARCH_CACHE_SECONDS = 30
    hotel = make_hotel(name="Cached", rooms=1)
    stay = stay_from(hotel)
    assert search_hotels(HotelSearch(stay=stay)).count == 1
    Inventory.objects.filter(room_type__hotel=hotel).update(booked=1)

    # The summary may lag for SEARCH_CACHE_SECONDS; a booking re-checks under lock.
    assert search_hotels(HotelSearch(stay=stay)).count == 1
    settings.SEARCH_CACHE_SECONDS = 0
    assert search_hotels(HotelSearch(stay=stay)).count == 0


def test_a_deactivated_hotel_leaves_the_cached_results_at_once(
    make_hotel, settings, django_capture_on_commit_callbacks
):
    settings.SEARCH_CACHE_SECONDS = 30
    hotel = make_hotel(name="Closing Down", city="Lagos", rooms=2)
    other = make_hotel(name="Staying Open", city="Lagos", rooms=2)
    stay = stay_from(hotel)
    assert sorted(names(search_hotels(HotelSearch(stay=stay, place="Lagos")))) == [
        "Closing Down",
        "Staying Open",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        hotel.status = hotel.Status.INACTIVE
        hotel.save()

    assert names(search_hotels(HotelSearch(stay=stay, place="Lagos"))) == [other.name]
