"""Resolution on a small hand-made index: context, not the first hit, settles a name."""

import sqlite3
from pathlib import Path

import pytest

from ember.geo.gazetteer import Gazetteer, Place, _write
from ember.geo.resolve import resolve_locations
from ember.records import Location

_PLACES = [
    (Place("geonames:1", "Tripoli", "city", 32.89, 13.19, "LY", "Tripoli", 1, 1_300_000), []),
    (Place("geonames:2", "Tripoli", "city", 34.44, 35.85, "LB", "Liban-Nord", 2, 230_000), []),
    (Place("geonames:3", "Beirut", "city", 33.89, 35.5, "LB", "Beyrouth", 3, 1_900_000), []),
    (Place("geonames:4", "Benghazi", "city", 32.12, 20.07, "LY", "Banghazi", 4, 650_000), []),
    (Place("geonames:5", "Paris", "city", 48.85, 2.35, "FR", "Ile-de-France", 5, 2_100_000), []),
    (Place("geonames:6", "Paris", "city", 33.66, -95.56, "US", "Texas", 6, 25_000), []),
    (Place("geonames:7", "Dallas", "city", 32.78, -96.81, "US", "Texas", 7, 1_300_000), []),
    (Place("admin1:US.TX", "Texas", "admin1", 31.25, -99.25, "US", "Texas", 8, 25_000_000), []),
    (
        Place("geonames:9", "Deir ez-Zor", "city", 35.34, 40.14, "SY", "Deir ez-Zor", 9, 270_000),
        ["Dayr az Zawr"],
    ),
    (
        Place(
            "admin1:SY.07", "Deir ez-Zor", "admin1", 35.0, 40.4, "SY", "Deir ez-Zor", 10, 450_000
        ),
        [],
    ),
    (
        Place(
            "curated:baghouz", "Baghouz", "city", 34.45, 40.93, "SY", "Deir ez-Zor", None, 10_000
        ),
        ["Baguz"],
    ),
    (Place("geonames:12", "Syria", "country", 35.0, 38.0, "SY", None, 12, 17_000_000), []),
    (Place("geonames:13", "Kafr Nasir", "city", 10.0, 10.0, "NG", "Kano", 13, 900), []),
]


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    path: Path = tmp_path_factory.mktemp("geo") / "small.sqlite"
    db = sqlite3.connect(path)
    _write(db, [(place, [place.name, *aliases]) for place, aliases in _PLACES])
    db.commit()
    db.close()
    return Gazetteer(path)


def _resolve(gazetteer: Gazetteer, *names: str, text: str | None = None) -> list[Location]:
    locations, offset = [], 0
    for name in names:
        start = text.index(name, offset) if text else offset
        locations.append(Location(name=name, start=start, end=start + len(name)))
        offset = start + len(name)
    return resolve_locations(locations, text=text, gazetteer=gazetteer)


def test_tripoli_in_a_lebanon_story(gazetteer: Gazetteer) -> None:
    resolved = _resolve(gazetteer, "Beirut", "Tripoli")
    assert resolved[1].country == "LB"


def test_tripoli_in_a_libya_story(gazetteer: Gazetteer) -> None:
    resolved = _resolve(gazetteer, "Benghazi", "Tripoli")
    assert resolved[1].country == "LY"


def test_paris_alone_is_the_big_one_and_paris_texas_follows_its_context(
    gazetteer: Gazetteer,
) -> None:
    assert _resolve(gazetteer, "Paris")[0].country == "FR"
    texan = _resolve(gazetteer, "Dallas", "Texas", "Paris")
    assert texan[2].country == "US"
    assert texan[2].admin1 == "Texas"


@pytest.mark.parametrize("spelling", ["Baghouz", "Baguz", "Bagouz", "Baghuoz", "al-Baghouz"])
def test_baghouz_spellings_resolve_to_one_place(gazetteer: Gazetteer, spelling: str) -> None:
    (resolved,) = _resolve(gazetteer, spelling)
    assert resolved.key == "curated:baghouz"
    assert resolved.geonameid is None
    assert resolved.precision == 1


@pytest.mark.parametrize("spelling", ["Deir ez-Zor", "Deir al-Zour", "Deir Ezzor", "Dayr az Zawr"])
def test_deir_ez_zor_spellings_resolve_to_the_city(gazetteer: Gazetteer, spelling: str) -> None:
    (resolved,) = _resolve(gazetteer, spelling)
    assert resolved.geonameid == 9
    assert resolved.feature == "city"


def test_a_province_word_picks_the_province(gazetteer: Gazetteer) -> None:
    text = "Raids continued across Deir ez-Zor province."
    (resolved,) = _resolve(gazetteer, "Deir ez-Zor", text=text)
    assert resolved.feature == "admin1"
    assert resolved.precision == 3


def test_near_lowers_precision(gazetteer: Gazetteer) -> None:
    (resolved,) = resolve_locations(
        [Location(name="Baghouz", start=0, end=7, near=True)], gazetteer=gazetteer
    )
    assert resolved.precision == 2


def test_nationality_adjective_names_its_country(gazetteer: Gazetteer) -> None:
    (resolved,) = _resolve(gazetteer, "Syrian")
    assert resolved.canonical == "Syria"
    assert resolved.feature == "country"
    assert resolved.precision == 3


def test_unknown_name_comes_back_unchanged(gazetteer: Gazetteer) -> None:
    location = Location(name="Zzyzxqvillage", start=0, end=13)
    assert resolve_locations([location], gazetteer=gazetteer) == [location]


def test_a_name_that_only_shares_the_key_is_not_taken(gazetteer: Gazetteer) -> None:
    # "Beeguuz" has Baghouz's transliteration key but does not look like its names.
    (resolved,) = _resolve(gazetteer, "Beeguuz")
    assert resolved.canonical is None


def test_order_is_kept(gazetteer: Gazetteer) -> None:
    names = ["Dallas", "Beirut", "Baguz"]
    assert [loc.name for loc in _resolve(gazetteer, *names)] == names


def test_a_far_namesake_village_is_not_the_place_in_a_syria_story(gazetteer: Gazetteer) -> None:
    text = "Shelling hit Kafr Nasir near Deir ez-Zor, Syria."
    village, city, country = _resolve(gazetteer, "Kafr Nasir", "Deir ez-Zor", "Syria", text=text)
    assert village.canonical is None
    assert (city.country, country.country) == ("SY", "SY")


def test_a_lone_village_name_still_resolves_without_context(gazetteer: Gazetteer) -> None:
    (village,) = _resolve(gazetteer, "Kafr Nasir")
    assert village.country == "NG"
