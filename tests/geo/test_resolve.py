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


def index(path: Path, rows: list[tuple[Place, list[str]]]) -> Gazetteer:
    """A gazetteer of just these places (each with its own name and the aliases given)."""
    db = sqlite3.connect(path)
    _write(db, [(place, [place.name, *aliases]) for place, aliases in rows])
    db.commit()
    db.close()
    return Gazetteer(path)


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return index(tmp_path_factory.mktemp("geo") / "small.sqlite", _PLACES)


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
    # Not the Nigerian namesake: somewhere in the one country the story names.
    assert (village.canonical, village.precision) == ("Syria", 3)
    assert (city.country, country.country) == ("SY", "SY")


def test_a_lone_village_name_still_resolves_without_context(gazetteer: Gazetteer) -> None:
    (village,) = _resolve(gazetteer, "Kafr Nasir")
    assert village.country == "NG"


# --- namesakes, regions, landmarks, not-places (issue 11): a second small index ----------

_MORE = [
    (Place("geonames:20", "Syria", "country", 35.0, 38.0, "SY", None, 20, 17_000_000), []),
    (Place("geonames:21", "Turkey", "country", 39.0, 35.0, "TR", None, 21, 80_000_000), []),
    (Place("geonames:22", "Yemen", "country", 15.5, 47.5, "YE", None, 22, 28_000_000), []),
    (Place("geonames:23", "Egypt", "country", 27.0, 30.0, "EG", None, 23, 98_000_000), []),
    (Place("geonames:24", "Iraq", "country", 33.0, 44.0, "IQ", None, 24, 38_000_000), []),
    (Place("geonames:25", "Ra’s al ‘Ayn", "city", 36.85, 40.07, "SY", "Al-Hasakah", 25, 0), []),
    (Place("geonames:26", "Ras El Aïn", "city", 33.0, -7.0, "MA", "Settat", 26, 4_000), []),
    (
        Place("geonames:27", "Al Ḩasakah", "city", 36.5, 40.75, "SY", "Al-Hasakah", 27, 190_000),
        ["Hasakah"],
    ),
    (Place("geonames:28", "California", "city", 38.3, -76.5, "US", "Maryland", 28, 11_000), []),
    (
        Place(
            "admin1:US.CA", "California", "admin1", 37.2, -119.5, "US", "California", 29, 38_000_000
        ),
        [],
    ),
    (
        Place("geonames:30", "Sacramento", "city", 38.58, -121.49, "US", "California", 30, 500_000),
        [],
    ),
    (
        Place(
            "geonames:4140963",
            "Washington",
            "city",
            38.9,
            -77.04,
            "US",
            "District of Columbia",
            4140963,
            689_000,
        ),
        [],
    ),
    (
        Place(
            "admin1:US.WA", "Washington", "admin1", 47.4, -120.5, "US", "Washington", 31, 7_000_000
        ),
        [],
    ),
    (Place("geonames:32", "Middle East", "city", 39.3, -76.6, "US", "Maryland", 32, 1_900), []),
    (Place("curated:middle-east", "Middle East", "region", 29.0, 41.0, None, None, None, 0), []),
    (
        Place(
            "curated:western-desert-iraq",
            "Western Desert",
            "region",
            33.0,
            41.0,
            "IQ",
            "Al Anbar",
            None,
            0,
        ),
        [],
    ),
    (
        Place(
            "curated:western-desert-egypt",
            "Western Desert",
            "region",
            27.0,
            28.0,
            "EG",
            "New Valley",
            None,
            0,
        ),
        [],
    ),
    (
        Place("geonames:33", "Cuba City", "city", 42.6, -90.4, "US", "Wisconsin", 33, 2_000),
        ["Western"],
    ),
    (
        Place("admin1:IQ.01", "Al Anbar", "admin1", 33.7, 42.0, "IQ", "Al Anbar", 34, 1_500_000),
        ["Anbar"],
    ),
    (
        Place(
            "curated:sinai-peninsula", "Sinai Peninsula", "region", 29.5, 33.8, "EG", None, None, 0
        ),
        ["Sinai"],
    ),
    (Place("geonames:35", "Sīnah", "city", 36.8, 43.0, "IQ", "Duhok", 35, 128_000), []),
    (Place("geonames:36", "Mosul", "city", 36.34, 43.12, "IQ", "Nineveh", 36, 1_700_000), []),
    (Place("geonames:37", "Ester", "city", 64.8, -148.0, "US", "Alaska", 37, 2_400), []),
    (Place("geonames:38", "Farr West", "city", 41.3, -112.0, "US", "Utah", 38, 7_000), []),
    (Place("geonames:39", "Aden", "city", 12.78, 45.04, "YE", "Aden", 39, 1_000_000), []),
    (Place("geonames:40", "Aden", "city", 40.0, -80.0, "US", "Ohio", 40, 3_000_000), []),
    (
        Place(
            "curated:white-house",
            "White House",
            "site",
            38.8977,
            -77.0365,
            "US",
            "District of Columbia",
            None,
            0,
        ),
        ["the White House"],
    ),
    (
        Place("geonames:41", "White House", "city", 36.47, -86.65, "US", "Tennessee", 41, 11_000),
        [],
    ),
]


@pytest.fixture(scope="module")
def more(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return index(tmp_path_factory.mktemp("geo-more") / "more.sqlite", _MORE)


def _in(gazetteer: Gazetteer, text: str, *names: str) -> list[Location]:
    return _resolve(gazetteer, *names, text=text)


def test_a_namesake_abroad_does_not_outvote_the_town_of_the_focus_country(more: Gazetteer) -> None:
    # Three mentions of one name are one place: they must not vote for the namesake
    # their priors first picked (a Moroccan village) against a Syria story's context.
    text = (
        "Shelling hit Ras al-Ain in Syria. Families fled Ras al-Ain for Hasakah. "
        "Syrian officials said Ras al-Ain was empty."
    )
    picks = _in(more, text, "Ras al-Ain", "Syria", "Ras al-Ain", "Hasakah", "Ras al-Ain")
    assert [p.country for p in picks] == ["SY"] * 5


def test_a_state_is_not_its_small_namesake_town_elsewhere(more: Gazetteer) -> None:
    text = "Wildfires spread across California near Sacramento."
    state, _ = _in(more, text, "California", "Sacramento")
    assert state.feature == "admin1" and state.admin1 == "California"


def test_washington_alone_is_the_capital(more: Gazetteer) -> None:
    (capital,) = _in(more, "Officials in Washington welcomed the deal.", "Washington")
    assert capital.admin1 == "District of Columbia"


def test_a_region_of_several_countries_beats_a_namesake_town(more: Gazetteer) -> None:
    text = "Sacramento and Washington disagree about the Middle East."
    *_, region = _in(more, text, "Sacramento", "Washington", "the Middle East")
    assert region.key == "curated:middle-east"
    assert region.precision == 3


def test_a_curated_desert_is_not_a_town_named_after_its_first_word(more: Gazetteer) -> None:
    text = "Troops swept the Western Desert of Anbar in Iraq."
    desert, *_ = _in(more, text, "Western Desert", "Anbar", "Iraq")
    assert desert.key == "curated:western-desert-iraq"


def test_the_country_stated_before_a_name_picks_its_namesake(more: Gazetteer) -> None:
    text = "Gunmen attacked a checkpoint in Egypt’s Western Desert; Iraq and Anbar were calm."
    desert, *_ = _in(more, text, "Western Desert", "Iraq", "Anbar")
    assert desert.key == "curated:western-desert-egypt"
    (aden,) = _in(more, "A car bomb struck the Yemeni port city of Aden.", "Aden")
    assert aden.country == "YE"


def test_a_curated_region_beats_a_fuzzy_namesake_in_the_focus_country(more: Gazetteer) -> None:
    text = "Mosul was calm, Iraq said, while militants regrouped in Sinai."
    *_, sinai = _in(more, text, "Mosul", "Iraq", "Sinai")
    assert sinai.key == "curated:sinai-peninsula"


@pytest.mark.parametrize("name", ["Easter", "the Far East", "Far East", "the West", "Ramadan"])
def test_holidays_and_vague_regions_are_never_resolved(more: Gazetteer, name: str) -> None:
    (location,) = _resolve(more, name)
    assert location.canonical is None


def test_a_landmark_is_in_its_capital(more: Gazetteer) -> None:
    (house,) = _in(more, "Aides at the White House met on Monday.", "the White House")
    assert house.key == "curated:white-house"
    assert house.admin1 == "District of Columbia"


def test_not_places_file_has_groups_with_reasons_and_no_curated_name() -> None:
    import json
    from importlib import resources

    from ember.nlp.fold import fold

    data = resources.files("ember.data.geo")
    raw = json.loads(data.joinpath("not_places.json").read_text(encoding="utf-8"))
    assert raw["source"]
    curated = set()
    for line in data.joinpath("curated_places.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            curated |= {fold(n) for n in [entry["name"], *entry.get("aliases", [])]}
    names = [group["name"] for group in raw["groups"]]
    assert len(names) == len(set(names))
    for group in raw["groups"]:
        assert set(group) == {"name", "reason", "words"} and group["reason"] and group["words"]
        assert all(isinstance(word, str) and word.strip() == word for word in group["words"])
        assert not curated & {fold(word) for word in group["words"]}, group["name"]


def test_capitals_file_names_one_geonames_place_per_country() -> None:
    from importlib import resources

    text = resources.files("ember.data.geo").joinpath("capitals.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 200
    assert all(len(row) == 3 and len(row[0]) == 2 and row[2].isdigit() for row in rows)
    assert len({row[0] for row in rows}) == len(rows)
    assert ["US", "Washington", "4140963"] in rows


def test_a_nationality_adjective_never_rules_out_the_place_where_it_happened(
    gazetteer: Gazetteer,
) -> None:
    """ "Turkish forces shelled <a village>": the adjective names who acted; it raises
    Turkey's candidates but does not rule out a village outside Turkey."""
    text = "Turkish forces shelled Kafr Nasir overnight."
    (village,) = _resolve(gazetteer, "Kafr Nasir", text=text)
    assert village.country == "NG"


def test_a_transliteration_of_a_towns_own_name_is_its_name(tmp_path: Path) -> None:
    """ "Amara" is how news writes Al 'Amarah: the big town's own name, not an alias
    that a small namesake's exact name outranks."""
    places = [
        Place("geonames:1", "Al ‘Amārah", "city", 31.84, 47.14, "IQ", "Maysan", 1, 320_000),
        Place("geonames:2", "Amara", "city", 44.6, 27.3, "RO", "Ialomita", 2, 2_000),
    ]
    gaz = index(tmp_path / "amara.sqlite", [(place, ["Amara"]) for place in places])
    (found,) = resolve_locations([Location(name="Amara")], gazetteer=gaz)
    assert found.country == "IQ"


def test_a_country_in_a_list_of_countries_is_that_country(tmp_path: Path) -> None:
    """ "Iran, Azerbaijan and Tunisia" is not a town of Azerbaijan named like Iran."""
    places = [
        Place("geonames:1", "Iran", "country", 32.0, 53.0, "IR", None, 1, 81_000_000),
        Place("geonames:2", "Azerbaijan", "country", 40.5, 47.5, "AZ", None, 2, 9_000_000),
        Place("geonames:3", "Aran", "city", 40.6, 48.6, "AZ", "Aghsu", 3, 6_700),
    ]
    gaz = index(tmp_path / "list.sqlite", [(place, []) for place in places])
    text = "Cells were found in Iran, Azerbaijan and elsewhere."
    found = _resolve(gaz, "Iran", "Azerbaijan", text=text)
    assert [loc.country for loc in found] == ["IR", "AZ"]


# --- the document's own evidence: provinces, countries, continents (ACLED-style notes) --

_NOTES = [
    (Place("geonames:50", "Syria", "country", 35.0, 38.0, "SY", None, 50, 17_000_000), []),
    (Place("geonames:51", "Yemen", "country", 15.5, 47.5, "YE", None, 51, 28_000_000), []),
    (Place("geonames:52", "United States", "country", 39.8, -98.5, "US", None, 52, 3e8), ["US"]),
    (
        Place("admin1:SY.04", "Ar-Raqqah", "admin1", 35.9, 38.9, "SY", "Ar-Raqqah", 53, 900_000),
        [],
    ),
    (
        Place("admin1:SY.07", "Deir ez-Zor", "admin1", 35.0, 40.4, "SY", "Deir ez-Zor", 54, 9e5),
        [],
    ),
    (Place("geonames:55", "Deir ez-Zor", "city", 35.34, 40.14, "SY", "Deir ez-Zor", 55, 2e5), []),
    (Place("admin1:SY.09", "Idlib", "admin1", 35.8, 36.6, "SY", "Idlib", 56, 1_500_000), []),
    (Place("admin1:SY.01", "Aleppo", "admin1", 36.2, 37.5, "SY", "Aleppo", 57, 4_000_000), []),
    (Place("geonames:58", "Aleppo", "city", 36.2, 37.16, "SY", "Aleppo", 58, 1_600_000), []),
    (Place("geonames:59", "Kalamazoo", "city", 42.29, -85.59, "US", "Michigan", 59, 76_000),
     ["Karamazu"]),
    (Place("geonames:60", "Dire Dawa", "city", 9.59, 41.87, "ET", "Dire Dawa", 60, 340_000),
     ["Dir"]),
    (Place("geonames:61", "Pisky", "city", 49.7, 33.5, "UA", "Poltava", 61, 2_200), []),
    (Place("admin1:UA.05", "Donetsk", "admin1", 48.0, 37.8, "UA", "Donetsk", 62, 4_000_000), []),
    (Place("admin1:UA.18", "Poltava", "admin1", 49.6, 34.5, "UA", "Poltava", 63, 1_400_000), []),
    (Place("geonames:64", "Córdoba", "city", -31.4, -64.18, "AR", "Cordoba", 64, 1_400_000), []),
    (Place("geonames:65", "Córdoba", "city", 37.89, -4.78, "ES", "Andalusia", 65, 320_000), []),
    (Place("admin1:AR.05", "Cordoba", "admin1", -31.5, -64.0, "AR", "Cordoba", 66, 3e6), []),
    (Place("admin1:CO.12", "Córdoba", "admin1", 8.5, -75.6, "CO", "Cordoba", 67, 1_700_000), []),
    (Place("geonames:68", "Baghdad", "city", 33.34, 44.4, "IQ", "Baghdad", 68, 7_000_000), []),
    (Place("geonames:69", "Karkh", "city", 33.31, 44.36, "IQ", "Baghdad", 69, 0), []),
    (Place("admin1:IQ.07", "Baghdad", "admin1", 33.3, 44.4, "IQ", "Baghdad", 98, 7_500_000), []),
    (Place("geonames:70", "Karkh", "city", 25.3, 55.4, "AE", "Sharjah", 70, 0), []),
    (Place("geonames:71", "Nancy", "city", 48.69, 6.18, "FR", "Grand Est", 71, 105_000), []),
    (Place("geonames:72", "Ridgetop", "city", 36.4, -86.8, "US", "Tennessee", 72, 2_000),
     ["Nancy"]),
    (Place("geonames:73", "Marib", "city", 40.0, -90.0, "US", "Illinois", 73, 60_000), []),
    (Place("geonames:74", "London", "city", 51.5, -0.13, "GB", "England", 74, 8_900_000), []),
    (Place("geonames:75", "Russia", "country", 60.0, 100.0, "RU", None, 75, 144_000_000), []),
    (Place("geonames:76", "El Kef", "city", 36.17, 8.7, "TN", "Kef", 76, 53_000), []),
    (Place("geonames:77", "Kyiv", "city", 50.45, 30.52, "UA", "Kyiv City", 77, 2_900_000),
     ["Kief"]),
    (Place("geonames:78", "Ayn al Arab", "city", 36.89, 38.35, "SY", "Aleppo", 78, 45_000),
     ["Ain al Arab"]),
    (Place("admin1:BO.08", "Santa Cruz", "admin1", -17.8, -61.5, "BO", "Santa Cruz", 79, 2e6),
     []),
    (Place("admin1:AR.22", "Santa Cruz", "admin1", -48.8, -69.9, "AR", "Santa Cruz", 80, 3e5),
     []),
    (Place("admin1:BO.02", "El Beni", "admin1", -14.4, -65.5, "BO", "El Beni", 81, 400_000),
     []),
    (Place("geonames:82", "Genoa", "city", 44.4, 8.93, "IT", "Liguria", 82, 580_000),
     ["Genova"]),
    (Place("admin1:CH.07", "Geneva", "admin1", 46.2, 6.1, "CH", "Geneva", 83, 440_000), []),
    (Place("geonames:84", "Cornegliana", "city", 45.2, 11.9, "IT", "Veneto", 84, 1_000), []),
    (Place("geonames:85", "Génova", "city", 4.2, -75.8, "CO", "Quindio", 85, 8_000), []),
    (Place("geonames:86", "Tall Tamr", "city", 36.65, 40.37, "SY", "Al-Hasakah", 86, 0), []),
    (Place("geonames:87", "Ponteland", "city", 55.05, -1.74, "GB", "England", 87, 10_000), []),
    (Place("geonames:88", "Bosaso", "city", 11.28, 49.18, "SO", "Bari", 88, 74_000), []),
    (Place("geonames:89", "Emory", "city", 33.0, -95.8, "US", "Texas", 89, 1_200), []),
    (Place("geonames:90", "Emory", "city", 36.77, -81.83, "US", "Virginia", 90, 1_100), []),
    (Place("admin1:US.VA", "Virginia", "admin1", 37.5, -78.8, "US", "Virginia", 91, 8e6), []),
    (Place("geonames:92", "Kairouan", "city", 35.68, 10.1, "TN", "Al Qayrawan", 92, 190_000),
     []),
    (Place("admin1:TN.03", "Al Qayrawan", "admin1", 35.6, 9.9, "TN", "Al Qayrawan", 93, 5e5),
     []),
    (Place("geonames:94", "Chebika", "city", 34.3, 7.9, "TN", "Tawzar", 94, 1_000), []),
    (Place("geonames:95", "Slidell", "city", 30.28, -89.78, "US", "Louisiana", 95, 28_000), []),
    (Place("geonames:96", "Los Angeles", "city", 34.05, -118.24, "US", "California", 96, 4e6),
     ["LA"]),
    (Place("admin1:US.CA", "California", "admin1", 37.2, -119.5, "US", "California", 97, 4e7),
     []),
]  # fmt: skip


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return index(tmp_path_factory.mktemp("geo-notes") / "notes.sqlite", _NOTES)


def test_a_fuzzy_namesake_abroad_does_not_rule_out_the_province_named_beside_it(
    notes: Gazetteer,
) -> None:
    text = "On Monday, artillery hit Kuramaza village in Ar Raqqa countryside."
    village, province = _in(notes, text, "Kuramaza", "Ar Raqqa")
    assert (province.feature, province.country) == ("admin1", "SY")
    # No Kuramaza is known in the province: the name stands for it, not for Kalamazoo.
    assert (village.canonical, village.precision) == ("Ar-Raqqah", 3)
    assert village.name == "Kuramaza"


def test_a_span_cut_before_its_article_is_read_whole(notes: Gazetteer) -> None:
    text = "Gunmen killed a shepherd near Hawayij in Deir ez Zor countryside."
    _, province = _in(notes, text, "Hawayij", "Deir")
    assert (province.canonical, province.feature) == ("Deir ez-Zor", "admin1")


def test_a_short_name_is_not_a_loose_spelling_of_another(notes: Gazetteer) -> None:
    (deir,) = _resolve(notes, "Deir")
    assert deir.canonical is None  # not Dire Dawa through its alias "Dir"


def test_the_province_in_a_parenthesis_picks_the_namesake_inside_it(notes: Gazetteer) -> None:
    text = "In Cordoba (Cordoba), teachers marched on the legislature."
    (city,) = _in(notes, text, "Cordoba")
    assert (city.country, city.feature) == ("AR", "city")
    text = "Rebels shelled Tall Rasho (Idleb). Casualties unknown."
    (village,) = _in(notes, text, "Tall Rasho (Idleb")
    assert (village.canonical, village.precision) == ("Idlib", 3)


def test_a_town_said_to_be_in_a_province_is_never_a_namesake_elsewhere(
    notes: Gazetteer,
) -> None:
    (village,) = _in(
        notes, "Shells fell on the village of Pisky, Donetsk. No one was hurt.", "Pisky"
    )
    assert (village.admin1, village.precision) == ("Donetsk", 3)
    # A list is not a town and its province.
    text = "Protests spread to Aleppo, Idlib and other towns."
    aleppo, _ = _in(notes, text, "Aleppo", "Idlib")
    assert (aleppo.canonical, aleppo.feature) == ("Aleppo", "city")


def test_a_part_of_a_city_after_a_dash(notes: Gazetteer) -> None:
    (part,) = _in(notes, "Police closed roads in Baghdad - Karkh.", "Baghdad - Karkh")
    assert (part.geonameid, part.country) == (69, "IQ")
    (whole,) = _in(notes, "Police closed roads in Baghdad - Mansour.", "Baghdad - Mansour")
    assert whole.geonameid == 68


def test_a_big_city_by_its_own_name_beats_a_small_town_with_that_alias(notes: Gazetteer) -> None:
    text = "Hundreds marched in Nancy against the US court ruling."
    nancy, _ = _in(notes, text, "Nancy", "US")
    assert nancy.country == "FR"


def test_a_town_on_another_continent_needs_to_be_a_big_unique_city(notes: Gazetteer) -> None:
    text = "Fighting went on near Marib, officials in Yemen said."
    marib, _ = _in(notes, text, "Marib", "Yemen")
    # Not a town of 60,000 in Illinois: somewhere in the one country the story names.
    assert (marib.canonical, marib.precision) == ("Yemen", 3)
    # Said to be in Yemen, it stands for Yemen.
    marib, _ = _in(notes, "Fighting went on near Marib, Yemen.", "Marib", "Yemen")
    assert (marib.canonical, marib.precision) == ("Yemen", 3)


def test_a_possessive_holds_only_the_name_right_after_it(notes: Gazetteer) -> None:
    text = "Russia's embassy in London issued a warning."
    _, london = _in(notes, text, "Russia", "London")
    assert london.country == "GB"


def test_a_capital_outweighs_no_exact_name(notes: Gazetteer) -> None:
    (kef,) = _in(notes, "Teachers marched in El Kef on Tuesday.", "El Kef")
    assert kef.country == "TN"


def test_a_chain_of_places_ends_at_the_nearest_known_one(notes: Gazetteer) -> None:
    text = (
        "Shells hit Khaneh village in the eastern countryside of Ain al Arab city in "
        "Aleppo governorate."
    )
    khaneh, *_ = _in(notes, text, "Khaneh", "Ain al Arab", "Aleppo governorate")
    assert (khaneh.geonameid, khaneh.precision) == (78, 2)  # "part of" the town


def test_the_documents_other_places_choose_among_provinces_of_one_name(
    notes: Gazetteer,
) -> None:
    text = "In Cuatro Canadas (Santa Cruz), farmers blocked the road to the Beni region."
    town, _, beni = _in(notes, text, "Cuatro Canadas", "Santa Cruz", "Beni")
    assert (town.country, town.feature, beni.country) == ("BO", "admin1", "BO")


def test_a_big_towns_name_is_no_misspelling_of_a_province(notes: Gazetteer) -> None:
    text = "Workers occupied the offices in the Cornigliano area of Genova on Monday."
    quarter, city = _in(notes, text, "Cornigliano", "Genova")
    # Two names that would rule each other out (a fuzzy Italian town, an exact Colombian
    # one) settle together, and Genova is not the canton of Geneva.
    assert (quarter.country, city.geonameid) == ("IT", 82)


@pytest.mark.parametrize("name", [" - ", "(", "( - )", "-", "Baghdad - ", "(Idleb"])
def test_odd_spans_never_raise(notes: Gazetteer, name: str) -> None:
    text = f"Something happened in {name} today."
    (location,) = _in(notes, text, name)
    assert location.name == name


def test_a_spelling_with_a_vowel_more_or_less_is_a_candidate_of_last_resort(
    notes: Gazetteer,
) -> None:
    (town,) = _in(notes, "Shells fell on Tal Tamer overnight.", "Tal Tamer")
    assert town.geonameid == 86
    # Such a loose reading is no evidence against the document's other places.
    text = "Fighters of Puntland clashed in Bosaso on Monday."
    _, town = _in(notes, text, "Puntland", "Bosaso")
    assert town.geonameid == 88


def test_where_the_text_puts_one_mention_it_puts_the_others_of_its_name(
    notes: Gazetteer,
) -> None:
    text = "Students rallied at Emory & Henry College in Emory (Virginia) on Monday."
    college, town = _in(notes, text, "Emory", "Emory")
    assert college.admin1 == town.admin1 == "Virginia"


def test_a_big_town_in_a_parenthesis_names_its_province(notes: Gazetteer) -> None:
    text = "Parents protested at a school in Chebika (Echebika, Kairouan) on Tuesday."
    (village,) = _in(notes, text, "Chebika")
    assert (village.canonical, village.precision) == ("Al Qayrawan", 3)


def test_an_abbreviated_state_is_no_town_to_stand_in(notes: Gazetteer) -> None:
    (town,) = _in(notes, "A boy drowned at his home in Slidell, La., last week.", "Slidell")
    assert town.geonameid == 95


def test_where_the_text_puts_a_name_outweighs_the_other_places_of_the_document(
    notes: Gazetteer,
) -> None:
    text = "Shells fell on Kuramaza village in Ar Raqqa countryside, officials in London said."
    village, _ = _in(notes, text, "Kuramaza", "London")
    assert (village.canonical, village.precision) == ("Ar-Raqqah", 3)


def test_a_city_in_a_parenthesis_with_its_district_is_the_city(notes: Gazetteer) -> None:
    text = "Workers picketed City Hall (Baghdad - Karkh) on Sunday."
    (city,) = _in(notes, text, "Baghdad")
    assert city.feature == "city"


def test_a_name_with_only_namesakes_abroad_is_in_the_one_province_named(
    notes: Gazetteer,
) -> None:
    text = "Shelling hit Kuramaza on Monday. Ar Raqqa was calm by evening."
    village, province = _in(notes, text, "Kuramaza", "Ar Raqqa")
    assert (village.canonical, village.precision, province.feature) == ("Ar-Raqqah", 3, "admin1")
    # Two provinces named: the document does not say which holds it.
    text = "Shelling hit Kuramaza on Monday. Ar Raqqa and Idleb were calm."
    village, *_ = _in(notes, text, "Kuramaza", "Ar Raqqa", "Idleb")
    assert village.canonical is None


def test_a_texts_candidates_are_read_once_for_both_passes(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline resolves a document twice; the second pass (with a name added and
    one marked near) reads no mention's candidates again, and gives what a fresh read
    would."""
    from ember.geo import resolve

    text = "Fighting in Tripoli and Beirut; later near Tripoli."
    asked = [
        Location(name="Tripoli", start=12, end=19),
        Location(name="Beirut", start=24, end=30),
    ]
    again = [*asked, Location(name="Tripoli", start=43, end=50, near=True)]
    fresh = resolve_locations(again, text=str(text + " ")[:-1], gazetteer=gazetteer)
    reads: list[str] = []
    options = resolve._options

    def counted(gaz: Gazetteer, location: Location, text: str | None) -> list[resolve._Option]:
        reads.append(location.name)
        return options(gaz, location, text)

    monkeypatch.setattr(resolve, "_options", counted)
    resolve_locations(asked, text=text, gazetteer=gazetteer)
    assert resolve_locations(again, text=text, gazetteer=gazetteer) == fresh
    assert reads == ["Tripoli", "Beirut", "Tripoli"]
