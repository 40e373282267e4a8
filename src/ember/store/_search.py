"""Full-text search over documents: user text to safe terms, and each database's query.

Whatever the user types becomes a list of terms, each a word or a "quoted phrase" cut
to its letters and digits, so no input can be read as query syntax: SQLite gets every
term double-quoted (an FTS5 string) and PostgreSQL gets ``phraseto_tsquery`` of each,
all as bound parameters. Documents match when they hold every term (AND). The objects
searched are created by migration 0006.

Names are written many ways, so each term is searched as every spelling ember knows of
the same place or actor (``spellings``): the gazetteer's names of the places it
resolves to exactly, the actor table's aliases ("Daesh" also finds ISIS), the spellings
of the place in the corpus's own mentions that share its transliteration key ("Baghouz"
finds "Baguz" and "Baghuz"), and the name without an Arabic article ("al-Baghuz"). A
term ending in ``*`` is a prefix ("Bagh*"). The same folding serves the ``place`` and
``actor`` filters of events and claims (``place_keys``, ``actor_names``)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    column,
    distinct,
    func,
    literal_column,
    or_,
    select,
    table,
)

from ..errors import ConfigError, GeoError
from ..nlp.fold import ARTICLES, fold, place_key
from .schema import SEARCH_TABLE, documents
from .schema import mentions as mention_table

__all__ = [
    "SearchHit",
    "SearchPage",
    "Term",
    "actor_names",
    "list_documents",
    "list_named",
    "place_keys",
    "query_terms",
    "search_terms",
    "shown_source",
    "shown_sources",
    "source_root",
    "spellings",
]

# Marks around matched words in the databases' snippets, taken out before a snippet is
# returned (private-use characters, which cleaned text does not hold).
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_QUOTED_OR_BARE = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")
_PREFIX = re.compile(r"\w\*$")
# A filter holding these means them literally (see the store's LIKE filters).
_WILDCARDS = re.compile(r"[%_]")
# Spellings searched for one term at most, and gazetteer entries a name stands for.
_MAX_SPELLINGS = 40
_MAX_PLACES = 3
_SNIPPET_WORDS = 32
# PostgreSQL: the text search configuration and document expression of the index
# (migration 0006). Written as literals, not parameters, so the planner sees the same
# expression as the index's and uses it.
_CONFIG: ColumnElement[Any] = literal_column("'english'::regconfig")
_HEADLINE = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords={_SNIPPET_WORDS}, MinWords=12, "
    "MaxFragments=1, FragmentDelimiter=…"
)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching document. ``snippet`` is plain text around the best match (not
    HTML: escape it to show it; PostgreSQL's leaves out what its parser reads as markup
    tags); ``terms`` the words that matched, as the text writes them, for a view to
    highlight; ``rank``: higher is a better match (comparable within one search)."""

    doc_id: str
    title: str | None
    publisher: str | None
    published: str | None
    published_after: str | None
    source: str
    snippet: str
    terms: tuple[str, ...]
    rank: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    """``total`` matching documents; ``hits`` the page asked for, best first."""

    total: int
    hits: list[SearchHit]


def search_terms(query: str) -> tuple[str, ...]:
    """The terms of a user's query: each "quoted phrase" and each other word, reduced
    to its words (letters and digits) joined by spaces; duplicates dropped. An unclosed
    quote runs to the end. A ConfigError when nothing searchable is left."""
    terms: list[str] = []
    for match in _QUOTED_OR_BARE.finditer(query):
        piece = match.group(1) if match.group(1) is not None else match.group(2)
        words = _WORD.findall(piece)
        if words:
            terms.append(" ".join(words))
    if not terms:
        raise ConfigError(f"nothing to search for in {query!r}: give a word or a phrase")
    return tuple(dict.fromkeys(terms))


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a query: its words (letters and digits, joined by spaces) and
    whether the last is a prefix ("Bagh*")."""

    words: str
    prefix: bool = False


def query_terms(query: str) -> tuple[Term, ...]:
    """``search_terms`` keeping a trailing ``*`` of a bare word (or a quoted phrase) as
    a prefix."""
    terms: list[Term] = []
    for match in _QUOTED_OR_BARE.finditer(query):
        piece = match.group(1) if match.group(1) is not None else match.group(2)
        words = _WORD.findall(piece)
        if words:
            terms.append(Term(" ".join(words), prefix=bool(_PREFIX.search(piece.strip()))))
    if not terms:
        raise ConfigError(f"nothing to search for in {query!r}: give a word or a phrase")
    return tuple(dict.fromkeys(terms))


def spellings(term: Term, conn: Connection | None = None) -> tuple[Term, ...]:
    """``term`` and every other spelling of the place or actor it names (see the module
    docstring); a prefix term is searched as written. ``conn`` reads the corpus's own
    place mentions."""
    if term.prefix:
        return (term,)
    found: dict[str, None] = {term.words: None, fold(term.words): None}
    words = term.words.split()
    if len(words) > 1 and fold(words[0]) in ARTICLES:
        found[fold(" ".join(words[1:]))] = None
    for alias in _actor_aliases().get(fold(term.words), ()):
        found[alias] = None
    key = place_key(term.words)
    mentioned = _mentioned_spellings(conn, key) if conn is not None and key else []
    for place in _places_named(term.words):
        # Gazetteer names of a common word's namesakes ("wedding") would widen every
        # search: a place counts when curated or when the corpus mentions it as a place.
        if place.startswith("curated:"):
            found.update(dict.fromkeys(_gazetteer_names(place)))
        elif mentioned:
            same = (n for n in _gazetteer_names(place) if place_key(n) == key)
            found.update(dict.fromkeys(same))
    found.update(dict.fromkeys(mentioned))
    spelled = [" ".join(_WORD.findall(name)) for name in found]
    return tuple(Term(words) for words in dict.fromkeys(w for w in spelled if w))[:_MAX_SPELLINGS]


def place_keys(name: str) -> tuple[str, ...]:
    """The gazetteer keys a place name stands for exactly (any transliteration the
    gazetteer holds: "Baguz" -> curated:baghouz), for the ``place`` filters. A name
    with LIKE's wildcards in it is matched literally only."""
    return () if _WILDCARDS.search(name) else tuple(_places_named(name))


def actor_names(name: str) -> tuple[str, ...]:
    """The canonical actor names an alias stands for ("Daesh" -> "Islamic State")."""
    if _WILDCARDS.search(name):
        return ()
    canonical = _actor_canonical().get(fold(name))
    return (canonical,) if canonical else ()


@cache
def _places_named(name: str) -> tuple[str, ...]:
    from ..geo import load_gazetteer

    try:
        candidates = load_gazetteer().lookup(name)
    except GeoError:
        return ()
    exact = [c for c in candidates if c.exact]
    exact.sort(key=lambda c: (not c.main, -(c.place.population or 0)))
    return tuple(dict.fromkeys(c.place.key for c in exact))[:_MAX_PLACES]


def _gazetteer_names(key: str) -> list[str]:
    from ..geo import load_gazetteer

    try:
        return load_gazetteer().names(key)[:_MAX_SPELLINGS]
    except GeoError:
        return []


@cache
def _actor_table() -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Folded alias -> every folded alias of the same actor, and folded alias ->
    canonical name, from ``data/actors/actors.jsonl``."""
    import json
    from importlib import resources

    text = resources.files("ember").joinpath("data/actors/actors.jsonl").read_text("utf-8")
    aliases: dict[str, tuple[str, ...]] = {}
    canonical: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        names = tuple(
            dict.fromkeys(f for f in map(fold, [row["name"], *row.get("aliases", [])]) if f)
        )
        for name in names:
            aliases.setdefault(name, names)
            canonical.setdefault(name, row["name"])
    return aliases, canonical


def _actor_aliases() -> dict[str, tuple[str, ...]]:
    return _actor_table()[0]


def _actor_canonical() -> dict[str, str]:
    return _actor_table()[1]


def _mentioned_spellings(conn: Connection, key: str) -> list[str]:
    """Place names as the corpus writes them whose transliteration key is ``key``, and
    the other spellings of the places they resolved to."""
    return list(_place_spellings(conn).get(key, ()))


# The corpus's place spellings by transliteration key, per database, rebuilt when its
# mentions change (an analysis replaces a document's mentions, so the last row moves).
_SPELLINGS: dict[str, tuple[tuple[int, int], dict[str, tuple[str, ...]]]] = {}
_SPELLINGS_ROWS = 200_000


def _place_spellings(conn: Connection) -> dict[str, tuple[str, ...]]:
    m = mention_table.c
    place = m.kind == "place"
    marker = conn.execute(select(func.count(), func.max(m.row)).where(place)).one()
    version = (int(marker[0] or 0), int(marker[1] or 0))
    url = str(conn.engine.url)
    cached = _SPELLINGS.get(url)
    if cached is not None and cached[0] == version:
        return cached[1]
    query = select(m.text, m.canonical, m.loc_key).where(place).distinct()
    groups: dict[str, dict[str, None]] = {}
    keys: dict[str, set[str]] = {}
    for row in conn.execute(query.limit(_SPELLINGS_ROWS)):
        group = groups.setdefault(row.loc_key or fold(row.canonical), {})
        for name in (row.text, row.canonical):
            group[fold(name)] = None
            keys.setdefault(place_key(name), set()).add(row.loc_key or fold(row.canonical))
    table = {
        key: tuple(dict.fromkeys(n for g in sorted(members) for n in groups[g]))
        for key, members in keys.items()
        if key
    }
    _SPELLINGS[url] = (version, table)
    return table


def _documents_columns() -> list[Any]:
    d = documents.c
    return [d.id, d.title, d.publisher, d.published, d.published_after, d.source, d.seq]


# -- SQLite ----------------------------------------------------------------------------

# FTS5 names the table itself in MATCH and in its ranking and snippet functions.
_FTS: ColumnElement[Any] = literal_column(SEARCH_TABLE)
_FTS_TABLE = table(SEARCH_TABLE, column("rowid"))


Terms = Sequence[str | Sequence[Term]]


def _alternatives(term: str | Sequence[Term]) -> Sequence[Term]:
    return (Term(term),) if isinstance(term, str) else term


def _sqlite_match(terms: Terms) -> ColumnElement[bool]:
    # Terms hold only word characters and spaces, so quoting cannot be escaped.
    groups = [
        "("
        + " OR ".join(f'"{t.words}"' + ("*" if t.prefix else "") for t in _alternatives(term))
        + ")"
        for term in terms
    ]
    return _FTS.op("MATCH")(" AND ".join(groups))


def sqlite_queries(terms: Terms, *, limit: int, offset: int) -> tuple[Select[Any], Select[Any]]:
    """(count, page) queries over the FTS5 table; bm25 weighs the title twice."""
    joined = documents.join(_FTS_TABLE, _FTS_TABLE.c.rowid == documents.c.seq)
    condition = and_(_sqlite_match(terms), documents.c.duplicate_of.is_(None))
    count = select(func.count()).select_from(joined).where(condition)
    score = func.bm25(_FTS, 2.0, 1.0)
    snippet = func.snippet(_FTS, -1, _START, _STOP, "…", _SNIPPET_WORDS)
    page = (
        select(*_documents_columns(), (-score).label("rank"), snippet.label("snippet"))
        .select_from(joined)
        .where(condition)
        .order_by(score, documents.c.seq)
        .limit(limit)
        .offset(offset)
    )
    return count, page


# -- PostgreSQL ------------------------------------------------------------------------


def _pg_document() -> ColumnElement[Any]:
    d = documents.c
    return (
        func.coalesce(d.title, literal_column("''"))
        .op("||")(literal_column("' '"))
        .op("||")(d.text)
    )


def _pg_term(term: Term) -> ColumnElement[Any]:
    if not term.prefix:
        return func.phraseto_tsquery(_CONFIG, term.words)
    # Words only (see ``query_terms``), so nothing in them is tsquery syntax.
    return func.to_tsquery(_CONFIG, " <-> ".join(term.words.split()) + ":*")


def _pg_any(term: str | Sequence[Term]) -> ColumnElement[Any]:
    first, *rest = _alternatives(term)
    query = _pg_term(first)
    for other in rest:
        query = query.op("||")(_pg_term(other))
    return query


def postgres_queries(terms: Terms, *, limit: int, offset: int) -> tuple[Select[Any], Select[Any]]:
    """(count, page) queries over the english tsvector index."""
    text = _pg_document()
    vector = func.to_tsvector(_CONFIG, text)
    query: ColumnElement[Any] = _pg_any(terms[0])
    for term in terms[1:]:
        query = query.op("&&")(_pg_any(term))
    condition = and_(vector.op("@@")(query), documents.c.duplicate_of.is_(None))
    count = select(func.count()).select_from(documents).where(condition)
    rank = func.ts_rank_cd(vector, query)
    snippet = func.ts_headline(_CONFIG, text, query, _HEADLINE)
    page = (
        select(*_documents_columns(), rank.label("rank"), snippet.label("snippet"))
        .where(condition)
        .order_by(rank.desc(), documents.c.seq)
        .limit(limit)
        .offset(offset)
    )
    return count, page


# -- rows to hits ----------------------------------------------------------------------


def search_hit(row: Any, terms: Terms, root: str | None = None) -> SearchHit:
    """A page row as a hit: the snippet's marks taken out, the words they marked as
    ``terms`` (the query's words when the snippet marks none, e.g. a title match), the
    source shown relative to ``root`` (``shown_source``)."""
    marked = tuple(dict.fromkeys(m.strip() for m in _MARKED.findall(row.snippet or "")))
    plain = (row.snippet or "").replace(_START, "").replace(_STOP, "")
    words = tuple(
        dict.fromkeys(w for term in terms for t in _alternatives(term) for w in t.words.split())
    )
    return SearchHit(
        doc_id=row.id,
        title=row.title,
        publisher=row.publisher,
        published=row.published,
        published_after=row.published_after,
        source=shown_source(row.source, root),
        snippet=" ".join(plain.split()),
        terms=tuple(t for t in marked if t) or words,
        rank=float(row.rank),
    )


# -- sources as shown --------------------------------------------------------------------


def source_root(conn: Connection) -> str | None:
    """The folder every absolute local source in the store lies under (the ingest root
    of a corpus read from one folder), or None when no source is an absolute path. The
    common prefix of the smallest and largest path is that of them all."""
    d = documents.c
    absolute = d.source.like("/%")
    low, high = conn.execute(select(func.min(d.source), func.max(d.source)).where(absolute)).one()
    if low is None:
        return None
    if low == high:
        return posixpath.dirname(str(low))
    return posixpath.commonpath([str(low), str(high)])


def shown_source(source: str, root: str | None) -> str:
    """``source`` as pages and the API show it: an absolute path relative to ``root``
    (absolute paths stay in the store only); URLs and relative paths as stored."""
    if root is None or not source.startswith("/"):
        return source
    shown = posixpath.relpath(source, root)
    return shown if not shown.startswith("..") else source.lstrip("/")


def shown_sources(conn: Connection, sources: Iterable[str]) -> dict[str, str]:
    root = source_root(conn)
    return {source: shown_source(source, root) for source in sources}


# -- lists (documents, actors, places), a page at a time in SQL ----------------------------

ListSort = str
_DOC_SORTS = ("date", "ingested", "title")
_NAME_SORTS = ("date", "mentions", "name")


def list_documents(
    conn: Connection, *, sort: str = "date", limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Documents without their text, newest publication first (``sort`` "date"; an
    undated report by the latest day of its window, then after every dated one), or
    newest ingested ("ingested"), or by title; and how many there are. ``source`` is as
    shown (``shown_source``)."""
    if sort not in _DOC_SORTS:
        raise ConfigError(f"documents sort by {', '.join(_DOC_SORTS)}, not {sort!r}")
    d = documents.c
    when = func.coalesce(d.published, d.published_before, d.published_after)
    orders: dict[str, list[Any]] = {
        "date": [when.is_(None), when.desc(), d.seq.desc()],
        "ingested": [d.seq.desc()],
        "title": [func.lower(func.coalesce(d.title, d.source)), d.seq],
    }
    order = orders[sort]
    columns = [d.id, d.source, d.url, d.title, d.publisher, d.author, d.published,
               d.published_after, d.published_before, d.language, d.duplicate_of,
               d.format, d.ingested_at]  # fmt: skip
    query = select(*columns).order_by(*order).limit(limit).offset(offset)
    total = int(conn.execute(select(func.count()).select_from(documents)).scalar_one())
    rows = [dict(row._mapping) for row in conn.execute(query)] if total > offset else []
    root = source_root(conn)
    for row in rows:
        row["source"] = shown_source(row["source"], root)
        row["ingested_at"] = row["ingested_at"].isoformat() if row["ingested_at"] else None
    return rows, total


def list_named(
    conn: Connection,
    kind: str,
    *,
    name: str | None = None,
    sort: str = "date",
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Actors (``kind`` "actor") or places ("place") as the corpus mentions them, one
    row per canonical name (and gazetteer entry for places): mentions, documents, the
    latest publication date of a document naming it; most recently reported first
    (``sort`` "date"), or by mentions or name. ``name`` keeps those whose name holds it
    or that it names by any spelling ("Baguz", "Daesh")."""
    if sort not in _NAME_SORTS:
        raise ConfigError(f"{kind}s sort by {', '.join(_NAME_SORTS)}, not {sort!r}")
    m, d = mention_table.c, documents.c
    identity = [m.canonical, m.loc_key] if kind == "place" else [m.canonical]
    condition = and_(m.kind == kind, _name_condition(kind, name))
    when = func.max(func.coalesce(d.published, d.published_before, d.published_after))
    mentions_n = func.count()
    columns = [
        *identity, mentions_n.label("mentions"),
        func.count(distinct(m.doc_id)).label("documents"), when.label("latest"),
    ]  # fmt: skip
    if kind == "place":
        columns += [func.max(m.loc_lat).label("lat"), func.max(m.loc_lon).label("lon"),
                    func.max(m.loc_country).label("country"),
                    func.max(m.loc_admin1).label("admin1")]  # fmt: skip
    order: list[Any] = {
        "date": [when.is_(None), when.desc(), mentions_n.desc(), m.canonical],
        "mentions": [mentions_n.desc(), m.canonical],
        "name": [func.lower(m.canonical), m.canonical],
    }[sort]
    grouped = (
        select(*columns)
        .select_from(mention_table.join(documents, documents.c.id == m.doc_id))
        .where(condition)
        .group_by(*identity)
    )
    count = select(func.count()).select_from(
        select(*identity).where(condition).group_by(*identity).subquery()
    )
    total = int(conn.execute(count).scalar_one())
    query = grouped.order_by(*order).limit(limit).offset(offset)
    rows = [dict(row._mapping) for row in conn.execute(query)] if total > offset else []
    return rows, total


def _name_condition(kind: str, name: str | None) -> ColumnElement[bool]:
    m = mention_table.c
    if not name or not name.strip():
        return and_(True)
    name = " ".join(name.split())
    conditions: list[ColumnElement[bool]] = [
        m.canonical.icontains(name, autoescape=True), m.text.icontains(name, autoescape=True)
    ]  # fmt: skip
    if kind == "place":
        keys = place_keys(name)
        if keys:
            conditions.append(m.loc_key.in_(keys))
    else:
        conditions += [m.canonical == canonical for canonical in actor_names(name)]
    return or_(*conditions)
