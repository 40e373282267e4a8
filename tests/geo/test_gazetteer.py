"""The gazetteer's data files (schema, sources) and, on the real index, its lookups."""

import json
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from ember.geo.gazetteer import Gazetteer, Place, _write, continent, load_gazetteer
from ember.nlp.fold import place_key

_DATA = resources.files("ember.data.geo")
_FEATURES = {"city", "site", "region", "admin1", "country"}


def _rows(name: str) -> list[list[str]]:
    text = _DATA.joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def test_curated_places_have_coordinates_kind_and_source() -> None:
    ids = set()
    for line in _DATA.joinpath("curated_places.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        assert entry["id"] not in ids
        ids.add(entry["id"])
        assert entry["feature"] in _FEATURES
        assert -90 <= entry["lat"] <= 90 and -180 <= entry["lon"] <= 180
        assert entry["source"].strip()
        assert entry["country"] is None or len(entry["country"]) == 2


@pytest.mark.parametrize(
    ("name", "columns"),
    [
        ("admin1.tsv", 3),
        ("admin1_world.tsv", 3),
        ("admin1_named.tsv", 3),
        ("country_points.tsv", 3),
        ("aliases.tsv", 2),
        ("demonyms.tsv", 2),
    ],
)
def test_tables_are_well_formed_and_say_where_they_come_from(name: str, columns: int) -> None:
    assert _DATA.joinpath(name).read_text(encoding="utf-8").startswith("#")
    assert all(len(row) == columns for row in _rows(name))


def test_conflict_countries_have_their_subdivisions() -> None:
    countries = {row[0].split(".")[0] for row in _rows("admin1.tsv")}
    assert {"IQ", "SY", "AF", "YE", "SO", "NG", "ML", "BF", "LY", "LB", "TR", "IL", "PS"} <= (
        countries
    )
    assert {"EG", "PK", "UA"} <= countries


def test_curated_aliases_share_a_key_with_their_spellings() -> None:
    assert place_key("Baghuoz") == place_key("Baghouz")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.mark.slow
def test_real_index_lookups(gazetteer: Gazetteer) -> None:
    baghouz = {c.place.key for c in gazetteer.lookup("Baguz") if c.exact}
    assert "curated:baghouz" in baghouz
    deir = [c for c in gazetteer.lookup("Deir al-Zour") if c.place.feature == "city"]
    assert any(c.place.country == "SY" and c.place.population > 100_000 for c in deir)
    assert gazetteer.country_name("SY") == "Syria"
    assert gazetteer.admin1_name("SY", "07") == "Deir ez-Zor"
    assert gazetteer.admin1_name("US", "TX") == "Texas"
    tripoli = {c.place.country for c in gazetteer.lookup("Tripoli") if c.exact}
    assert {"LY", "LB"} <= tripoli
    # Reporting's short form of Deir ez-Zor, and provinces by their official names.
    assert "geonames:170794" in {c.place.key for c in gazetteer.lookup("Deir") if c.exact}
    for name, province in [("Sud-Kivu", "South Kivu"), ("Sagaing", "Sagain")]:
        assert province in {c.place.name for c in gazetteer.lookup(name) if c.exact}
    assert any(c.place.name == "Tall Tamr" for c in gazetteer.lookup_loose("Tal Tamer"))


def test_a_place_is_matched_by_its_name_written_most_like_the_query(tmp_path: Path) -> None:
    """Of a place's several names sharing a key, the closest to the name looked up is the
    one it is judged by ("Nassriya" is written like "Nasriya", not like "Nasrie")."""
    place = Place("geonames:1", "Nasiriyah", "city", 31.05, 46.26, "IQ", "Dhi Qar", 1, 550_000)
    db = sqlite3.connect(tmp_path / "one.sqlite")
    _write(db, [(place, ["Nasiriyah", "Nasrie", "Nasriya"])])
    db.commit()
    db.close()
    (candidate,) = Gazetteer(tmp_path / "one.sqlite").lookup("Nassriya")
    assert candidate.matched == "nasriya"


def test_a_name_is_looked_up_once_and_each_caller_gets_its_own_list(tmp_path: Path) -> None:
    place = Place("geonames:2", "Rawa", "city", 34.48, 41.92, "IQ", "Anbar", 2, 20_000)
    db = sqlite3.connect(tmp_path / "two.sqlite")
    _write(db, [(place, ["Rawa"])])
    db.commit()
    db.close()
    gazetteer = Gazetteer(tmp_path / "two.sqlite")
    first = gazetteer.lookup("Rawa")
    first.clear()  # a caller extending or emptying its list leaves the next one whole
    gazetteer.close()  # the index is not read again for a name already looked up
    assert [c.place.key for c in gazetteer.lookup("Rawa")] == ["geonames:2"]


def test_continents_of_countries() -> None:
    assert (continent("SY"), continent("fr"), continent("US"), continent(None)) == (
        "AS",
        "EU",
        "NA",
        None,
    )


def test_a_vowel_more_or_less_is_found_through_the_loose_lookup(tmp_path: Path) -> None:
    place = Place("geonames:1", "Tall Tamr", "city", 36.65, 40.37, "SY", "Al-Hasakah", 1, 0)
    db = sqlite3.connect(tmp_path / "loose.sqlite")
    _write(db, [(place, ["Tall Tamr"])])
    db.commit()
    db.close()
    gaz = Gazetteer(tmp_path / "loose.sqlite")
    assert gaz.lookup("Tal Tamer") == []  # not the same transliteration key
    (candidate,) = gaz.lookup_loose("Tal Tamer")
    assert (candidate.place.name, candidate.exact) == ("Tall Tamr", False)
    assert gaz.lookup_loose("Tall Tamr") == []  # same key: lookup finds it


def test_hand_named_subdivisions_are_codes_the_other_tables_lack_and_cities_use() -> None:
    from ember.geo.gazetteer import _read_geonames

    named = [row[0] for row in _rows("admin1_named.tsv")]
    assert len(named) == len(set(named))
    assert not set(named) & {row[0] for row in _rows("admin1.tsv") + _rows("admin1_world.tsv")}
    used = {
        f"{c['countrycode']}.{c['admin1code']}" for c in _read_geonames("cities500.json").values()
    }
    assert set(named) <= used


def test_frances_regions_of_2016_are_named(gazetteer: Gazetteer) -> None:
    assert gazetteer.admin1_name("FR", "44") == "Grand Est"
    nancy = [c.place for c in gazetteer.lookup("Nancy") if c.exact and c.place.country == "FR"]
    assert nancy and nancy[0].admin1 == "Grand Est"


@pytest.mark.slow
def test_a_loose_spelling_is_no_place_in_a_country_named_in_passing(gazetteer: Gazetteer) -> None:
    from ember.geo.resolve import resolve_locations
    from ember.records import Location

    text = (
        "Special forces raided a compound near the village of Barisha, close to the border. "
        "Idlib has been shelled for weeks, and Aleppo too. Officials in Syria said Russia "
        "had been told of the raid."
    )
    names = ["Barisha", "Idlib", "Aleppo", "Syria", "Russia"]
    asked = [Location(name=n, start=text.index(n), end=text.index(n) + len(n)) for n in names]
    barisha = resolve_locations(asked, text=text, gazetteer=gazetteer)[0]
    assert barisha.country in (None, "SY"), barisha
