"""Full-text search over documents: user text to safe terms, and each database's query.

Whatever the user types becomes a list of terms, each a word or a "quoted phrase" cut
to its letters and digits, so no input can be read as query syntax: SQLite gets every
term double-quoted (an FTS5 string) and PostgreSQL gets ``phraseto_tsquery`` of each,
all as bound parameters. Documents match when they hold every term (AND). The objects
searched are created by migration 0006."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, column, func, literal_column, select, table

from ..errors import ConfigError
from .schema import SEARCH_TABLE, documents

__all__ = ["SearchHit", "SearchPage", "search_terms"]

# Marks around matched words in the databases' snippets, taken out before a snippet is
# returned (private-use characters, which cleaned text does not hold).
_START, _STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{_START}(.*?){_STOP}", re.DOTALL)
_QUOTED_OR_BARE = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"\w+")
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


def _documents_columns() -> list[Any]:
    d = documents.c
    return [d.id, d.title, d.publisher, d.published, d.published_after, d.source, d.seq]


# -- SQLite ----------------------------------------------------------------------------

# FTS5 names the table itself in MATCH and in its ranking and snippet functions.
_FTS: ColumnElement[Any] = literal_column(SEARCH_TABLE)
_FTS_TABLE = table(SEARCH_TABLE, column("rowid"))


def _sqlite_match(terms: Sequence[str]) -> ColumnElement[bool]:
    # Terms hold only word characters and spaces, so quoting cannot be escaped.
    expression = " AND ".join(f'"{term}"' for term in terms)
    return _FTS.op("MATCH")(expression)


def sqlite_queries(
    terms: Sequence[str], *, limit: int, offset: int
) -> tuple[Select[Any], Select[Any]]:
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


def postgres_queries(
    terms: Sequence[str], *, limit: int, offset: int
) -> tuple[Select[Any], Select[Any]]:
    """(count, page) queries over the english tsvector index."""
    text = _pg_document()
    vector = func.to_tsvector(_CONFIG, text)
    query: ColumnElement[Any] = func.phraseto_tsquery(_CONFIG, terms[0])
    for term in terms[1:]:
        query = query.op("&&")(func.phraseto_tsquery(_CONFIG, term))
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


def search_hit(row: Any, terms: Sequence[str]) -> SearchHit:
    """A page row as a hit: the snippet's marks taken out, the words they marked as
    ``terms`` (the query's words when the snippet marks none, e.g. a title match)."""
    marked = tuple(dict.fromkeys(m.strip() for m in _MARKED.findall(row.snippet or "")))
    plain = (row.snippet or "").replace(_START, "").replace(_STOP, "")
    words = tuple(dict.fromkeys(w for term in terms for w in term.split()))
    return SearchHit(
        doc_id=row.id,
        title=row.title,
        publisher=row.publisher,
        published=row.published,
        published_after=row.published_after,
        source=row.source,
        snippet=" ".join(plain.split()),
        terms=tuple(t for t in marked if t) or words,
        rank=float(row.rank),
    )
