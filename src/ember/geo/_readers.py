"""Reading the files ``ember gazetteer import`` takes, offline and as streams.

Each file is recognised by its name and checked against its columns (a file named like
a GeoNames dump must have a dump's 19 columns; an unknown name is recognised from its
columns alone):

- ``geonames``: the geoname table (``allCountries``, ``XX``, ``citiesN``; .zip or .txt);
- ``admin1codes`` / ``admin2codes``: ``admin1CodesASCII.txt``, ``admin2Codes.txt``;
- ``alternatenames``: ``alternateNamesV2`` (10 columns) or the older 8-column table;
- ``acled``, ``ucdp``, ``table``: tables of coded locations with a header row (ACLED
  exports, UCDP GED exports, any table with location, latitude and longitude columns).

A zip file is read member by member as a stream, never extracted; a member whose stated
size or compression ratio is out of bounds is refused before a byte is inflated, and
zipfile checks the inflated bytes against the stated size and CRC. Lines are read with a
length cap, so no file can make a reader hold more than one line (or, for tables, the
distinct locations). A malformed line fails the whole file with its line number."""

from __future__ import annotations

import csv
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Literal

import pycountry

from ..errors import GeoError
from ..nlp.fold import fold
from .gazetteer import _read_geonames

__all__ = [
    "AdminCode",
    "AltName",
    "DumpPlace",
    "ImportFailed",
    "Kind",
    "SourceFile",
    "TablePlace",
    "geonames_feature",
    "read_admin_codes",
    "read_alternate_names",
    "read_geonames",
    "read_table",
    "recognise",
]

Kind = Literal["geonames", "admin1codes", "admin2codes", "alternatenames", "acled", "ucdp", "table"]
Progress = Callable[[int], None]

_DATA = "ember.data.geo"
# A line longer than this is not a gazetteer line (the longest GeoNames lines, big
# cities' alternate names, are some tens of kB).
_MAX_LINE = 1 << 20
# Zip members: at most this many, inflating to at most this much, at most this many
# times their compressed size (GeoNames text inflates about 4 times; a bomb thousands).
_MAX_MEMBERS = 1000
_MAX_MEMBER_BYTES = 64 << 30
_MAX_RATIO = 100
_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
_NOT_TABLES = ("readme.txt", "iso-languagecodes.txt")
_GEONAMES_COLUMNS = 19
_NAMED: dict[str, Kind] = {
    "allcountries": "geonames",
    "cities500": "geonames",
    "cities1000": "geonames",
    "cities5000": "geonames",
    "cities15000": "geonames",
    "admin1codesascii": "admin1codes",
    "admin1codes": "admin1codes",
    "admin2codes": "admin2codes",
    "alternatenamesv2": "alternatenames",
    "alternatenames": "alternatenames",
}
# Per-country files ("IQ.zip") exist for the geoname table and for alternate names.
_COUNTRY_FILE = re.compile(r"^[A-Za-z]{2}$")
# Alternate names that are codes or links, not names a report writes.
_CODE_LANGUAGES = frozenset(
    ["link", "wkdt", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "fr_1793"]
)
# Table columns, by what they hold, in the order they are looked for.
_TABLE_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "acled": {
        "name": ("location",),
        "lat": ("latitude",),
        "lon": ("longitude",),
        "country": ("country",),
        "iso": ("iso",),
        "admin1": ("admin1",),
        "admin2": ("admin2",),
        "precision": ("geo_precision",),
    },
    "ucdp": {
        "name": ("where_coordinates",),
        "lat": ("latitude",),
        "lon": ("longitude",),
        "country": ("country",),
        "admin1": ("adm_1",),
        "admin2": ("adm_2",),
        "precision": ("where_prec",),
    },
    "table": {
        "name": ("location", "name", "place", "place_name", "toponym"),
        "lat": ("latitude", "lat"),
        "lon": ("longitude", "lon", "lng", "long"),
        "country": ("country", "country_code", "iso2", "iso3", "iso"),
        "admin1": ("admin1", "adm1", "province", "governorate", "state"),
        "admin2": ("admin2", "adm2", "district"),
        "precision": ("geo_precision", "precision"),
    },
}
# UCDP writes the kind after a name ("Jisr al-Shughur town", "Idlib governorate").
_UCDP_KIND_WORDS = (
    "town", "city", "village", "district", "governorate", "province", "region", "state",
    "county", "municipality", "prefecture", "department", "subdistrict", "sub-district",
)  # fmt: skip
# UCDP where_prec: 1 the place, 2 within 25 km, 3 a district, 4 a province; 5 and over
# (a line, a country, waters) are not places.
_UCDP_LAST_PLACE_PRECISION = 4


class ImportFailed(GeoError):
    """A file that cannot be imported, and where: ``source`` (the file) and ``line``."""

    def __init__(self, reason: str, *, source: str, line: int | None = None) -> None:
        where = f"{source} line {line}" if line else source
        super().__init__(f"cannot import {where}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A recognised file: what it is, and which member of a zip holds its table."""

    path: Path
    kind: Kind
    member: str | None = None
    size: int = 0
    text_bytes: int = 0
    delimiter: str = "\t"

    @property
    def label(self) -> str:
        return f"{self.path.name} ({self.member})" if self.member else self.path.name


@dataclass(frozen=True, slots=True)
class DumpPlace:
    geonameid: int
    name: str
    ascii_name: str
    names: list[str]
    lat: float
    lon: float
    feature: str
    country: str | None
    admin1_code: str | None
    admin2_code: str | None
    population: int


@dataclass(frozen=True, slots=True)
class AdminCode:
    level: int
    code: str
    name: str
    geonameid: int | None


@dataclass(frozen=True, slots=True)
class AltName:
    geonameid: int
    name: str


@dataclass(slots=True)
class TablePlace:
    """One location of a table, from all the rows that name it."""

    name: str
    country: str | None
    admin1: str | None
    admin2: str | None
    feature: str
    precision: int
    points: Counter[tuple[float, float]] = field(default_factory=Counter)

    @property
    def point(self) -> tuple[float, float]:
        return self.points.most_common(1)[0][0]


# ------------------------------------------------------------------------ recognition


def recognise(path: Path) -> SourceFile:
    """What ``path`` is; ``ImportFailed`` when it is nothing ember imports."""
    label = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFailed(f"cannot read it: {exc.strerror}", source=label) from exc
    member, text_bytes = None, size
    if path.suffix.lower() == ".zip":
        member, text_bytes = _zip_member(path)
    probe = SourceFile(path, "table", member, size, text_bytes)
    with _stream(probe) as stream:
        first = _first_line(stream, probe)
    stem = Path(member or path.name).stem.lower()
    kind, delimiter = _kind(stem, first, probe.label)
    return SourceFile(path, kind, member, size, text_bytes, delimiter)


def _kind(stem: str, first: str, label: str) -> tuple[Kind, str]:
    fields = first.rstrip("\r\n").split("\t")
    by_columns = _kind_by_columns(fields)
    named = _NAMED.get(stem)
    if named is not None:
        if by_columns != named:
            raise ImportFailed(
                f"{len(fields)} columns, not the {_expected(named)} of a GeoNames {stem} file",
                source=label,
                line=1,
            )
        return named, "\t"
    if _COUNTRY_FILE.match(stem) and by_columns in ("geonames", "alternatenames"):
        return by_columns, "\t"
    if by_columns is not None:
        return by_columns, "\t"
    table = _table_kind(first)
    if table is not None:
        return table
    raise ImportFailed(
        "not a GeoNames dump (19 tab-separated columns), admin codes, alternate names, "
        "or a table with location, latitude and longitude columns",
        source=label,
        line=1,
    )


def _expected(kind: Kind) -> str:
    return {
        "geonames": "19",
        "admin1codes": "4",
        "admin2codes": "4",
        "alternatenames": "8 or 10",
    }.get(kind, "")


def _kind_by_columns(fields: list[str]) -> Kind | None:
    """A headerless GeoNames table, from its first line."""
    if len(fields) == _GEONAMES_COLUMNS and fields[0].isdigit():
        return "geonames"
    if len(fields) in (8, 10) and fields[0].isdigit() and fields[1].isdigit():
        return "alternatenames"
    if len(fields) == 4 and fields[3].strip().isdigit():
        code = fields[0].split(".")
        if len(code) == 2:
            return "admin1codes"
        if len(code) == 3:
            return "admin2codes"
    return None


def _table_kind(header: str) -> tuple[Kind, str] | None:
    header = header.lstrip("\ufeff")
    delimiter = max(",\t;|", key=header.count)
    columns = {c.strip().lower() for c in next(csv.reader([header], delimiter=delimiter))}
    if "event_id_cnty" in columns or "geo_precision" in columns:
        kind: Kind = "acled"
    elif "where_coordinates" in columns:
        kind = "ucdp"
    else:
        kind = "table"
    wanted = _TABLE_COLUMNS[kind]
    if all(any(c in columns for c in wanted[part]) for part in ("name", "lat", "lon")):
        return kind, delimiter
    return None


def _zip_member(path: Path) -> tuple[str, int]:
    """The member holding the table, checked before anything is inflated."""
    label = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ImportFailed(f"not a readable zip file (truncated?): {exc}", source=label) from exc
    if len(infos) > _MAX_MEMBERS:
        raise ImportFailed(f"a zip of {len(infos)} files is not a GeoNames file", source=label)
    tables = [
        i
        for i in infos
        if i.filename.lower().endswith((".txt", ".csv", ".tsv"))
        and Path(i.filename).name.lower() not in _NOT_TABLES
    ]
    named = [i for i in tables if Path(i.filename).stem.lower() == path.stem.lower()]
    if not named and len(tables) != 1:
        raise ImportFailed(
            f"the zip holds {len(tables)} tables and none is named {path.stem}.txt", source=label
        )
    info = (named or tables)[0]
    _check_member(info, label)
    return info.filename, info.file_size


def _check_member(info: zipfile.ZipInfo, label: str) -> None:
    if info.flag_bits & 0x1:
        raise ImportFailed(f"{info.filename} is encrypted", source=label)
    if info.compress_type not in _ZIP_METHODS:
        raise ImportFailed(f"{info.filename}: unsupported compression", source=label)
    if info.file_size > _MAX_MEMBER_BYTES:
        raise ImportFailed(
            f"{info.filename} would inflate to {info.file_size} bytes: refused", source=label
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if ratio > _MAX_RATIO and info.file_size > _MAX_LINE:
        raise ImportFailed(
            f"{info.filename} inflates {ratio:.0f} times (over {_MAX_RATIO}): "
            "refused as a compression bomb",
            source=label,
        )


# ------------------------------------------------------------------------------ lines


@contextmanager
def _stream(source: SourceFile) -> Iterator[IO[bytes]]:
    try:
        if source.member is None:
            with source.path.open("rb") as handle:
                yield handle
        else:
            with zipfile.ZipFile(source.path) as archive, archive.open(source.member) as member:
                yield member
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as exc:
        raise ImportFailed(f"cannot read it: {exc}", source=source.label) from exc


def _first_line(stream: IO[bytes], source: SourceFile) -> str:
    for _number, line in _numbered(stream, source, None):
        return line
    raise ImportFailed("empty file", source=source.label)


def _numbered(
    stream: IO[bytes], source: SourceFile, on_bytes: Progress | None
) -> Iterator[tuple[int, str]]:
    """(line number, decoded line with its newline); damaged data fails with its line."""
    number = 0
    while True:
        number += 1
        try:
            raw = stream.readline(_MAX_LINE)
        except (zipfile.BadZipFile, OSError, zlib.error, EOFError) as exc:
            raise ImportFailed(
                f"damaged or truncated data ({exc})", source=source.label, line=number
            ) from exc
        if not raw:
            return
        if len(raw) >= _MAX_LINE and not raw.endswith(b"\n"):
            raise ImportFailed("a line over 1 MB: not a gazetteer table", source=source.label,
                               line=number)  # fmt: skip
        if on_bytes is not None:
            on_bytes(len(raw))
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"not UTF-8 text (byte {exc.start})", source=source.label, line=number
            ) from exc


@contextmanager
def _lines(source: SourceFile, on_bytes: Progress | None) -> Iterator[Iterator[tuple[int, str]]]:
    with _stream(source) as stream:
        yield _numbered(stream, source, on_bytes)


def _tab_fields(line: str, number: int, source: SourceFile, columns: tuple[int, ...]) -> list[str]:
    if not line.endswith("\n"):
        # GeoNames ends every line, the last too: a line cut short is a cut file.
        fields = line.split("\t")
        if len(fields) not in columns:
            raise ImportFailed(
                f"{len(fields)} columns and no line end: the file is truncated",
                source=source.label,
                line=number,
            )
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) not in columns:
        expected = " or ".join(str(c) for c in columns)
        raise ImportFailed(
            f"{len(fields)} columns where this table has {expected}",
            source=source.label,
            line=number,
        )
    return fields


def _number(text: str, what: str, source: SourceFile, line: int) -> int:
    try:
        return int(text)
    except ValueError:
        raise ImportFailed(f"{what} {text!r} is not a number", source=source.label,
                           line=line) from None  # fmt: skip


def _point(lat_text: str, lon_text: str, source: SourceFile, line: int) -> tuple[float, float]:
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        raise ImportFailed(
            f"bad coordinates {lat_text!r}, {lon_text!r}", source=source.label, line=line
        ) from None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ImportFailed(f"coordinates out of range: {lat}, {lon}", source=source.label,
                           line=line)  # fmt: skip
    return lat, lon


# ------------------------------------------------------------------------ GeoNames


@cache
def _feature_table() -> dict[tuple[str, str], str | None]:
    table: dict[tuple[str, str], str | None] = {}
    text = resources.files(_DATA).joinpath("geonames_features.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            klass, code, feature, _why = row.split("\t")
            table[(klass, code)] = None if feature == "-" else feature
    return table


def geonames_feature(klass: str, code: str) -> str | None:
    """ember's feature for a GeoNames feature class and code, or None (not kept)."""
    table = _feature_table()
    found = table.get((klass, code), table.get((klass, "*")))
    return found


def read_geonames(
    source: SourceFile, *, on_bytes: Progress | None = None, tally: Counter[str]
) -> Iterator[DumpPlace]:
    """The kept places of a geoname table; ``tally`` counts rows read and kept."""
    with _lines(source, on_bytes) as lines:
        for number, line in lines:
            fields = _tab_fields(line, number, source, (_GEONAMES_COLUMNS,))
            tally["rows"] += 1
            geonameid = _number(fields[0], "geonameid", source, number)
            lat, lon = _point(fields[4], fields[5], source, number)
            feature = geonames_feature(fields[6], fields[7])
            if feature is None:
                continue
            names = [fields[1], fields[2], *fields[3].split(",")] if fields[3] else fields[1:3]
            yield DumpPlace(
                geonameid=geonameid,
                name=fields[1] or fields[2],
                ascii_name=fields[2] or fields[1],
                names=names,
                lat=lat,
                lon=lon,
                feature=feature,
                country=fields[8].upper() or None,
                admin1_code=fields[10] or None,
                admin2_code=fields[11] or None,
                population=_number(fields[14] or "0", "population", source, number),
            )


def read_admin_codes(
    source: SourceFile, *, on_bytes: Progress | None = None, tally: Counter[str]
) -> Iterator[AdminCode]:
    """``admin1CodesASCII.txt`` / ``admin2Codes.txt``: code, name, ASCII name, geonameid."""
    level = 1 if source.kind == "admin1codes" else 2
    with _lines(source, on_bytes) as lines:
        for number, line in lines:
            code, name, ascii_name, geonameid = _tab_fields(line, number, source, (4,))
            tally["rows"] += 1
            if code.count(".") != level:
                raise ImportFailed(f"{code!r} is not an admin{level} code", source=source.label,
                                   line=number)  # fmt: skip
            yield AdminCode(
                level=level,
                code=code,
                name=ascii_name or name,
                geonameid=_number(geonameid, "geonameid", source, number) if geonameid else None,
            )


def read_alternate_names(
    source: SourceFile, *, on_bytes: Progress | None = None, tally: Counter[str]
) -> Iterator[AltName]:
    """Alternate names that are names (not codes or links) of a geonameid."""
    with _lines(source, on_bytes) as lines:
        for number, line in lines:
            fields = _tab_fields(line, number, source, (8, 10))
            tally["rows"] += 1
            geonameid = _number(fields[1], "geonameid", source, number)
            if fields[2] in _CODE_LANGUAGES or not fields[3]:
                continue
            yield AltName(geonameid, fields[3])


# --------------------------------------------------------------------------- tables


def read_table(
    source: SourceFile, *, on_bytes: Progress | None = None, tally: Counter[str]
) -> list[TablePlace]:
    """The distinct locations of a table of coded events or places: one per (name,
    country, admin1), at the point of its most precise rows (the most frequent one)."""
    places: dict[tuple[str, str | None, str], TablePlace] = {}
    with _lines(source, on_bytes) as lines:
        texts = (line.lstrip("\ufeff") if n == 1 else line for n, line in lines)
        reader = csv.reader(texts, delimiter=source.delimiter)
        try:
            header = [c.strip().lower() for c in next(reader)]
            where = _columns(header, source)
            for fields in reader:
                _add_row(places, fields, where, source, reader.line_num, tally)
        except csv.Error as exc:
            raise ImportFailed(f"not a well-formed table: {exc}", source=source.label,
                               line=reader.line_num) from exc  # fmt: skip
    return list(places.values())


def _columns(header: list[str], source: SourceFile) -> dict[str, int]:
    where = {}
    for part, names in _TABLE_COLUMNS[source.kind].items():
        found = next((header.index(n) for n in names if n in header), None)
        if found is not None:
            where[part] = found
    return where


def _add_row(
    places: dict[tuple[str, str | None, str], TablePlace],
    fields: list[str],
    where: dict[str, int],
    source: SourceFile,
    line: int,
    tally: Counter[str],
) -> None:
    if not any(f.strip() for f in fields):
        return
    if len(fields) <= max(where.values()):
        raise ImportFailed(f"{len(fields)} columns, fewer than the header's", source=source.label,
                           line=line)  # fmt: skip
    tally["rows"] += 1

    def value(part: str) -> str | None:
        return fields[where[part]].strip() or None if part in where else None

    name, admin1, admin2 = value("name"), value("admin1"), value("admin2")
    lat, lon = _point(value("lat") or "", value("lon") or "", source, line)
    precision_text = value("precision")
    precision = _number(precision_text, "precision", source, line) if precision_text else 1
    country = _country_code(value("country"), value("iso"))
    feature: str | None = "city"
    if source.kind == "ucdp":
        name, feature = _ucdp_place(name, admin1, admin2, precision)
        admin1, admin2 = _without_kind(admin1), _without_kind(admin2)
    if not name or feature is None:
        tally["skipped"] += 1
        return
    key = (fold(name), country, fold(admin1 or ""))
    place = places.get(key)
    if place is None:
        place = places[key] = TablePlace(name, country, admin1, admin2, feature, precision)
    if precision < place.precision:
        place.precision, place.points = precision, Counter()
        place.admin2 = admin2 or place.admin2
    if precision == place.precision:
        place.points[(lat, lon)] += 1
        place.admin2 = place.admin2 or admin2


def _ucdp_place(
    name: str | None, admin1: str | None, admin2: str | None, precision: int
) -> tuple[str | None, str | None]:
    if name is None or precision > _UCDP_LAST_PLACE_PRECISION:
        return None, None
    bare = _without_kind(name)
    if precision == _UCDP_LAST_PLACE_PRECISION and fold(bare or "") == fold(
        _without_kind(admin1) or ""
    ):
        return None, None  # a province's centroid: the bundled province stands for it
    is_district = name.lower().endswith(" district") or (
        admin2 is not None and fold(bare or "") == fold(_without_kind(admin2) or "")
    )
    return bare, "admin2" if precision == 3 and is_district else "city"


def _without_kind(name: str | None) -> str | None:
    if not name:
        return None
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _UCDP_KIND_WORDS:
        return " ".join(words[:-1])
    return name


def _country_code(name: str | None, iso: str | None) -> str | None:
    """ISO 3166-1 alpha-2 from a numeric code (ACLED's ``iso``), a code or a name."""
    if iso and iso.isdigit() and int(iso):
        found = pycountry.countries.get(numeric=f"{int(iso):03d}")
        if found is not None:
            return str(found.alpha_2)
    if not name:
        return None
    return _country_names().get(fold(re.sub(r"\s*\(.*\)\s*$", "", name)))


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, info in _read_geonames("countries.json").items():
        names[fold(info["name"])] = code
    for country in pycountry.countries:
        for part in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            value = getattr(country, part, None)
            if value:
                names.setdefault(fold(value), country.alpha_2)
    text = resources.files(_DATA).joinpath("aliases.tsv").read_text(encoding="utf-8")
    for row in text.splitlines():
        if row.startswith("country:"):
            target, alias = row.split("\t")
            names.setdefault(fold(alias), target.removeprefix("country:"))
    # Names conflict datasets use that ISO does not (ACLED, UCDP).
    names.update(
        {
            "kosovo": "XK",
            "palestine": "PS",
            "dr congo": "CD",
            "democratic republic of congo": "CD",
            "republic of congo": "CG",
            "bosnia herzegovina": "BA",
            "kingdom of eswatini": "SZ",
        }
    )
    return names
