"""GeoNames-format and ACLED/UCDP-style files written for the import tests, and a tiny
bundled index so the tests never build the real one. Every row here is made up for
ember's tests (names of real places, coordinates rounded, codes as GeoNames writes them)."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest

from ember.geo.gazetteer import Place, _write, bundled_index_path

BUNDLED = [
    (Place("geonames:170794", "Deir ez-Zor", "city", 35.34, 40.14, "SY", "Deir ez-Zor",
           170794, 240_000), ["Dayr az Zawr"]),
    (Place("admin1:SY.07", "Deir ez-Zor", "admin1", 35.0, 40.4, "SY", "Deir ez-Zor", 170792,
           450_000), []),
    (Place("geonames:163843", "Syria", "country", 35.0, 38.0, "SY", None, 163843,
           17_000_000), []),
    (Place("geonames:99072", "Mosul", "city", 36.34, 43.13, "IQ", "Nineveh", 99072,
           1_700_000), []),
]  # fmt: skip


def use_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder under ``tmp_path`` made ember's (``EMBER_CACHE_DIR``), holding the
    small bundled index: imports never touch the user's cache."""
    directory = tmp_path / "cache"
    monkeypatch.setenv("EMBER_CACHE_DIR", str(directory))
    write_bundled(directory)
    return directory


def write_bundled(directory: Path) -> Path:
    """A small index where ``load_gazetteer(directory)`` looks for the bundled one."""
    directory.mkdir(parents=True, exist_ok=True)
    path = bundled_index_path(directory)
    db = sqlite3.connect(path)
    _write(db, [(place, [place.name, *aliases]) for place, aliases in BUNDLED])
    db.commit()
    db.close()
    return path


def geoname(
    geonameid: int,
    name: str,
    lat: float,
    lon: float,
    feature: str,
    *,
    country: str = "SY",
    admin1: str = "07",
    admin2: str = "",
    population: int = 0,
    alternates: str = "",
) -> str:
    """One line of the geoname table (19 tab-separated columns)."""
    klass, code = feature.split(".")
    return "\t".join(
        [str(geonameid), name, name, alternates, f"{lat}", f"{lon}", klass, code, country, "",
         admin1, admin2, "", "", str(population), "", "250", "Asia/Damascus", "2024-03-01"]
    ) + "\n"  # fmt: skip


# A district of Deir ez-Zor with its seat, a village, a camp, a hill (not kept), a
# historical place (not kept), and the province's ADM1 feature under its GeoNames name.
SYRIA_ROWS = [
    geoname(9000001, "Hajin", 34.69, 40.83, "P.PPL", admin2="1003", population=37_000,
            alternates="Hajeen,Hadjin,هجين"),
    geoname(9000002, "Abu Kamal District", 34.45, 40.92, "A.ADM2", admin2="1003"),
    geoname(9000003, "Al Susah", 34.52, 40.90, "P.PPL", admin2="1003"),
    geoname(9000004, "Mukhayyam al Hol", 36.38, 41.15, "S.CMPRF", admin1="01"),
    geoname(9000005, "Tall al Jabal", 35.20, 40.60, "T.HLL", admin2="1003"),
    geoname(9000006, "Old Qarqisiya", 35.15, 40.43, "P.PPLH"),
    geoname(9000007, "Muhafazat Dayr az Zawr", 35.0, 40.3, "A.ADM1"),
]  # fmt: skip
ADMIN2_CODES = "SY.07.1003\tAbū Kāmal\tAbu Kamal\t9000002\n"
# A country the bundled admin1 table lacks, and one it has (its bundled name wins).
ADMIN1_CODES = "AM.08\tSyunik\tSyunik\t828263\nSY.07\tDayr az Zawr\tDayr az Zawr\t170792\n"


def write_dump(path: Path, rows: list[str]) -> Path:
    path.write_text("".join(rows), encoding="utf-8")
    return path


def write_zip(path: Path, member: str, text: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
        archive.writestr("readme.txt", "GeoNames-format test file written for ember\n")
    return path


ACLED_HEADER = (
    "event_id_cnty,event_date,event_type,country,iso,admin1,admin2,admin3,location,"
    "latitude,longitude,geo_precision,notes,fatalities\n"
)


def acled_row(event: str, location: str, lat: float, lon: float, precision: int, *,
              admin1: str = "Deir ez-Zor", admin2: str = "Al Mayadin") -> str:  # fmt: skip
    note = f'"On 1 May 2023, a made-up note about {location}, with a comma."'
    return (
        f"{event},2023-05-01,Battles,Syria,760,{admin1},{admin2},,{location},{lat},{lon},"
        f"{precision},{note},0\n"
    )


UCDP_HEADER = "id,year,country,adm_1,adm_2,where_coordinates,where_prec,latitude,longitude\n"
