"""The demo catalogue file: what it holds, and the errors a typo in it gives."""

import pytest

from demo.checks import CatalogueError
from demo.loader import CATALOGUE_PATH, hotel_catalogue, load_catalogue


def load_edited(tmp_path, old: str, new: str):
    """Load a copy of the catalogue with the first `old` replaced by `new`."""
    text = CATALOGUE_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catalogue.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_catalogue(path)


def test_the_catalogue_holds_36_hotels_in_7_cities_and_6_currencies():
    hotels = hotel_catalogue()

    assert len(hotels) == 36
    assert len({city.name for city, _ in hotels}) == 7
    assert len({city.currency for city, _ in hotels}) == 6
    assert [city.name for city, _ in hotels[:7]] == [
        city.name for city in load_catalogue().cities
    ]


def test_a_misspelt_key_names_its_place_and_the_key_it_resembles(tmp_path):
    with pytest.raises(CatalogueError) as error:
        load_edited(
            tmp_path, "        amenities: [rooftop-terrace]", "        amenites: []"
        )

    assert "cities[0] (Lisbon).hotels[0] (Casa do Fado)" in str(error.value)
    assert "unknown key 'amenites'; did you mean 'amenities'?" in str(error.value)


def test_an_unknown_amenity_is_refused_with_the_closest_code(tmp_path):
    with pytest.raises(CatalogueError, match="did you mean 'rooftop-terrace'"):
        load_edited(tmp_path, "[rooftop-terrace]", "[rooftop-terace]")


def test_a_room_amenity_on_a_hotel_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match="'kettle' is a room amenity"):
        load_edited(tmp_path, "[rooftop-terrace]", "[kettle]")


def test_a_missing_key_is_named(tmp_path):
    with pytest.raises(
        CatalogueError, match=r"cities\[0\] \(Lisbon\): missing country"
    ):
        load_edited(tmp_path, "    country: PT\n", "")


def test_an_unknown_area_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match="unknown area 'Alfma'"):
        load_edited(tmp_path, "        area: Alfama", "        area: Alfma")


def test_an_unquoted_time_is_refused_rather_than_read_as_minutes(tmp_path):
    with pytest.raises(CatalogueError, match=r'check_in_times\[0\]: expected "14:00"'):
        load_edited(tmp_path, '["14:00",', "[14:00,")


def test_a_country_yaml_reads_as_a_boolean_is_refused(tmp_path):
    with pytest.raises(CatalogueError, match="expected some text, found false"):
        load_edited(tmp_path, "country: PT", "country: no")


def test_a_key_given_twice_is_refused_with_its_line(tmp_path):
    with pytest.raises(CatalogueError, match=r"line \d+: 'stars' appears twice"):
        load_edited(
            tmp_path, "        stars: 4\n", "        stars: 4\n        stars: 5\n"
        )


def test_two_hotels_with_one_slug_are_refused(tmp_path):
    with pytest.raises(CatalogueError, match="the slug 'casa-do-fado' is also"):
        load_edited(tmp_path, "name: Hotel Miradouro Chiado", "name: Casa do Fado!")
