"""``Store``: the only code that reads or writes ember's database."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import StoreError
from ..ingest.dedup import band_keys, first_similar
from ..records import Claim, DateRange, Document, Entity, Event, Location, Mention
from . import derived
from ._engine import _first_line, lock_for_writing, open_engine
from ._review import apply_reviews, visible
from ._search import (
    SearchPage,
    actor_names,
    place_keys,
    postgres_queries,
    query_terms,
    search_hit,
    source_root,
    spellings,
    sqlite_queries,
)
from .schema import analyses, analysis_failures, document_bands, documents, ingest_log
from .schema import claims as claim_table
from .schema import events as event_table
from .schema import mentions as mention_table

__all__ = ["AnalysisFailure", "Corroboration", "Outcome", "Store", "entity_id"]

Outcome = Literal["stored", "duplicate", "near_duplicate", "rejected", "skipped"]
DateBound = str | date
# An event's cluster id and the other documents that report the same happening.
Corroboration = tuple[str, tuple[str, ...]]
_DOCUMENT_FIELDS = tuple(f.name for f in fields(Document))
_BATCH = 500
# What an Integer column holds (SQLite and PostgreSQL BIGINT alike), and the largest
# figure a claim keeps exactly as a number (a double, and a JSON number every reader
# parses the same).
_INT_MAX = 2**63 - 1
_FIGURE_MAX = 2**53
_EVENT_COUNTS = ("fatalities", "wounded", "arrested", "kidnapped")
# One statement, executed for many events (executemany) by set_corroboration.
_SET_CLUSTER = (
    update(event_table)
    .where(event_table.c.doc_id == bindparam("d"), event_table.c.id == bindparam("e"))
    .values(cluster_id=bindparam("cluster"), corroborated_by=bindparam("others"))
)


def _now() -> datetime:
    return datetime.now(UTC)


def _log_reason(doc: Document, outcome: Outcome) -> str | None:
    if outcome == "duplicate":
        return f"same text as {doc.id}"
    if outcome == "near_duplicate":
        return f"near-duplicate of {doc.duplicate_of}"
    return None


@dataclass(frozen=True, slots=True)
class AnalysisFailure:
    """A document whose analysis raised: which version failed on it, and why."""

    doc_id: str
    version: str
    reason: str
    at: datetime


class Store:
    """A database of documents and the log of every ingest.

    Each document is written in its own transaction together with its log entry, so a
    crash or a kill leaves either the whole document or nothing."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        return cls(open_engine(url))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------

    @contextmanager
    def _write(self, *, documents: bool = False) -> Iterator[Connection]:
        """A write transaction holding the write lock from its first statement: SQLite
        always (reads inside it then see what the write is based on), PostgreSQL when it
        allocates from what it reads (``documents``: the next ``seq``)."""
        with self.engine.begin() as conn:
            if documents or conn.dialect.name == "sqlite":
                lock_for_writing(conn)
            yield conn

    def add_document(
        self, doc: Document, *, signature: bytes | None, run_id: str, note: str | None = None
    ) -> Outcome:
        """Store ``doc`` (with its band keys when it is an original) unless its id is
        already there, and log the outcome, in one transaction. Returns the outcome.
        ``note`` (what ingest repaired) is the log entry's reason when it is stored."""
        try:
            with self._write(documents=True) as conn:
                outcome = self._insert_document(conn, doc, signature)
                conn.execute(insert(ingest_log).values(
                    run_id=run_id, source=doc.source, outcome=outcome,
                    reason=_log_reason(doc, outcome) or note, doc_id=doc.id, at=_now(),
                ))  # fmt: skip
        except IntegrityError as exc:
            # Another writer may have stored the same text between our check and insert.
            if self.get_document(doc.id) is not None:
                return "duplicate"
            raise StoreError(f"cannot store {doc.source}: {_first_line(exc)}") from exc
        except (SQLAlchemyError, UnicodeError, OverflowError) as exc:
            raise StoreError(f"cannot store {doc.source!r}: {_first_line(exc)}") from exc
        return outcome

    @staticmethod
    def _insert_document(conn: Connection, doc: Document, signature: bytes | None) -> Outcome:
        if conn.execute(select(documents.c.id).where(documents.c.id == doc.id)).first():
            return "duplicate"
        seq = conn.execute(select(func.coalesce(func.max(documents.c.seq), 0))).scalar_one()
        row = {**asdict(doc), "minhash": signature, "ingested_at": _now(), "seq": seq + 1}
        conn.execute(insert(documents).values(**row))
        if doc.duplicate_of is not None:
            return "near_duplicate"
        if signature is not None:
            keys = [{"doc_id": doc.id, "band": b, "key": k} for b, k in band_keys(signature)]
            conn.execute(insert(document_bands), keys)
        return "stored"

    def log_rejection(
        self, *, source: str, reason: str, run_id: str, outcome: Outcome = "rejected"
    ) -> None:
        """Log a source that was not stored (rejected, or skipped while walking a folder)."""
        try:
            with self._write() as conn:
                conn.execute(insert(ingest_log).values(
                    run_id=run_id, source=source, outcome=outcome, reason=reason, at=_now()
                ))  # fmt: skip
        except (SQLAlchemyError, UnicodeError) as exc:
            raise StoreError(f"cannot write the ingest log: {_first_line(exc)}") from exc

    # -- analyses (events, mentions and claims of one document) ---------------

    def add_analysis(
        self,
        doc_id: str,
        events: Sequence[Event],
        mentions: Sequence[Mention],
        claims: Sequence[Claim] = (),
        *,
        version: str,
    ) -> list[str]:
        """Store one analysis of ``doc_id`` in one transaction: its events, mentions and
        claims replace those of any earlier analysis, and the marker records ``version``
        (any failure noted for the document is cleared). The document itself is never
        touched; an unknown ``doc_id`` is a StoreError. Claims are stored in text order,
        the order ``iter_claims`` gives them back in.

        Figures are checked first: an event count beyond what a column holds is left
        out (None), a claim whose figure is beyond 2**53 or not finite is dropped. Returns
        the reason for each such change (empty when the analysis is stored whole)."""
        _check_belongs_to(doc_id, [*events, *mentions, *claims])
        notes: list[str] = []
        events = [_bounded_event(event, notes) for event in events]
        claims = [claim for claim in claims if _claim_in_range(claim, notes)]
        try:
            with self._write() as conn:
                if not conn.execute(select(documents.c.id).where(documents.c.id == doc_id)).first():
                    raise StoreError(f"cannot store the analysis of {doc_id}: no such document")
                before = derived.before_analysis(conn, doc_id)
                for table in (event_table, mention_table, claim_table, analyses, analysis_failures):
                    conn.execute(delete(table).where(table.c.doc_id == doc_id))
                if events:
                    conn.execute(insert(event_table), [event_row(event) for event in events])
                if mentions:
                    conn.execute(insert(mention_table), [mention_row(m) for m in mentions])
                if claims:
                    conn.execute(insert(claim_table), [claim_row(c) for c in _text_order(claims)])
                apply_reviews(conn, doc_id)  # a re-analysis never overwrites a review
                conn.execute(insert(analyses).values(doc_id=doc_id, version=version, at=_now()))
                derived.after_analysis(conn, doc_id, before, claims)
        except (SQLAlchemyError, UnicodeError, OverflowError) as exc:
            raise StoreError(f"cannot store the analysis of {doc_id}: {_first_line(exc)}") from exc
        return notes

    def mark_failed(self, doc_id: str, *, version: str, reason: str) -> None:
        """Note that analysing ``doc_id`` with ``version`` raised, and why (one line), so
        later runs of that version skip it. Any earlier analysis is kept."""
        reason = " ".join(reason.split())[:1000] or "unknown error"
        try:
            with self._write() as conn:
                if not conn.execute(select(documents.c.id).where(documents.c.id == doc_id)).first():
                    return
                conn.execute(delete(analysis_failures).where(analysis_failures.c.doc_id == doc_id))
                conn.execute(insert(analysis_failures).values(
                    doc_id=doc_id, version=version, reason=reason, at=_now()
                ))  # fmt: skip
        except (SQLAlchemyError, UnicodeError) as exc:
            raise StoreError(f"cannot note the failure of {doc_id}: {_first_line(exc)}") from exc

    def analysis_failures(self) -> list[AnalysisFailure]:
        """Every document whose last analysis failed, oldest failure first."""
        f = analysis_failures.c
        query = select(f.doc_id, f.version, f.reason, f.at).order_by(f.at, f.doc_id)
        with self.engine.connect() as conn:
            return [AnalysisFailure(*row) for row in conn.execute(query)]

    def set_document_window(
        self,
        doc_id: str,
        *,
        after: str | None,
        before: str | None,
        after_basis: str | None,
        before_basis: str | None,
    ) -> None:
        """Replace the publication window of ``doc_id`` (what the corpus learned of an
        undated report); nothing else of the document changes."""
        values = {
            "published_after": after, "published_before": before,
            "published_after_basis": after_basis, "published_before_basis": before_basis,
        }  # fmt: skip
        try:
            with self._write() as conn:
                conn.execute(update(documents).where(documents.c.id == doc_id).values(**values))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store the window of {doc_id}: {_first_line(exc)}") from exc

    def set_corroboration(self, assignments: Mapping[tuple[str, str], Corroboration]) -> int:
        """Write corroboration in one transaction: for each ``(doc_id, event_id)`` its
        ``(cluster_id, corroborated_by)``. Every other event loses any earlier cluster
        (a re-analysed document may no longer report what it did). Returns how many
        events now belong to a cluster of more than one document."""
        ev = event_table.c
        try:
            with self._write() as conn:
                conn.execute(
                    update(event_table)
                    .where(ev.cluster_id.is_not(None))
                    .values(cluster_id=None, corroborated_by="[]")
                )
                if assignments:
                    conn.execute(_SET_CLUSTER, [
                        {"d": doc_id, "e": event_id, "cluster": cluster,
                         "others": json.dumps(list(others))}
                        for (doc_id, event_id), (cluster, others) in assignments.items()
                    ])  # fmt: skip
                derived.after_corroboration(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store corroboration: {_first_line(exc)}") from exc
        return sum(1 for _cluster, others in assignments.values() if others)

    def documents_needing_analysis(
        self, version: str, *, retry_failed: bool = False
    ) -> Iterator[Document]:
        """Originals (never near-duplicates) not analysed yet or analysed by an older
        version than ``version``, in ingest order. Safe to analyse while iterating.
        A document whose analysis by ``version`` (or a newer one) failed is left out
        unless ``retry_failed``."""
        columns = [documents.c[name] for name in _DOCUMENT_FIELDS]
        failed = analysis_failures.c.version.label("failed_version")
        last = 0
        while True:
            query = (
                select(documents.c.seq, analyses.c.version, failed, *columns)
                .outerjoin(analyses, analyses.c.doc_id == documents.c.id)
                .outerjoin(analysis_failures, analysis_failures.c.doc_id == documents.c.id)
                .where(documents.c.duplicate_of.is_(None), documents.c.seq > last)
                .where(or_(analyses.c.version.is_(None), analyses.c.version != version))
                .order_by(documents.c.seq)
                .limit(_BATCH)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                failed_here = row.failed_version is not None and not is_older_version(
                    row.failed_version, version
                )
                if failed_here and not retry_failed:
                    continue
                if row.version is None or is_older_version(row.version, version):
                    yield Document(**{name: row._mapping[name] for name in _DOCUMENT_FIELDS})
            last = rows[-1].seq

    def analysis_version(self, doc_id: str) -> str | None:
        """The version of the analysers that last read ``doc_id``; None if none has."""
        with self.engine.connect() as conn:
            query = select(analyses.c.version).where(analyses.c.doc_id == doc_id)
            return conn.execute(query).scalar_one_or_none()

    # -- reading ---------------------------------------------------------------

    def document_signatures(self, doc_ids: Iterable[str]) -> dict[str, bytes]:
        """The stored MinHash signatures of ``doc_ids`` (documents stored without one
        are left out), read in batches of bound parameters."""
        wanted = sorted(set(doc_ids))
        found: dict[str, bytes] = {}
        for at in range(0, len(wanted), _BATCH):
            query = select(documents.c.id, documents.c.minhash).where(
                documents.c.id.in_(wanted[at : at + _BATCH]), documents.c.minhash.is_not(None)
            )
            with self.engine.connect() as conn:
                found.update((row.id, bytes(row.minhash)) for row in conn.execute(query))
        return found

    def find_near_duplicate(self, signature: bytes, *, threshold: float) -> str | None:
        """The oldest stored original whose MinHash ``signature`` is at least ``threshold``
        similar, found through the band keys on disk (no index held in memory)."""
        query = candidates_query(band_keys(signature))
        with self.engine.connect() as conn:
            candidates = [(row.id, bytes(row.minhash)) for row in conn.execute(query)]
        return first_similar(signature, candidates, threshold=threshold)

    def iter_documents(self, *, batch_size: int = 500) -> Iterator[Document]:
        """Every stored document in ingest order, streamed in batches."""
        columns = [documents.c[name] for name in _DOCUMENT_FIELDS]
        last = 0
        while True:
            query = (
                select(documents.c.seq, *columns)
                .where(documents.c.seq > last)
                .order_by(documents.c.seq)
                .limit(batch_size)
            )
            with self.engine.connect() as conn:
                rows = conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield Document(**{k: v for k, v in row._mapping.items() if k != "seq"})
            last = rows[-1].seq

    def get_document(self, doc_id: str) -> Document | None:
        columns = [documents.c[name] for name in _DOCUMENT_FIELDS]
        with self.engine.connect() as conn:
            row = conn.execute(select(*columns).where(documents.c.id == doc_id)).first()
        return None if row is None else Document(**row._mapping)

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())

    def ingest_log(self, *, run_id: str | None = None) -> list[dict[str, Any]]:
        query = select(ingest_log).order_by(ingest_log.c.id)
        if run_id is not None:
            query = query.where(ingest_log.c.run_id == run_id)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    # -- search and pages (for views that show a page at a time) -------------------------

    def search_documents(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchPage:
        """Original documents (near-duplicates are left out: their original stands for
        them) whose title or text holds every word and "quoted phrase" of ``query``,
        best match first, with a plain-text snippet and the words that matched.

        Any user text is safe (see ``store/_search.py``); a query with no word in it is a
        ConfigError. SQLite ranks with FTS5's bm25, PostgreSQL with ts_rank_cd over the
        english configuration: both stem ("killed" finds "kills")."""
        _check_page(limit, offset)
        terms = query_terms(query)
        build = postgres_queries if self.engine.dialect.name == "postgresql" else sqlite_queries
        try:
            with self.engine.connect() as conn:
                # Every spelling of a place or actor the term names (see _search.py).
                spelled = [spellings(term, conn) for term in terms]
                count, page = build(spelled, limit=limit, offset=offset)
                total = int(conn.execute(count).scalar_one())
                rows = conn.execute(page).all() if total > offset else []
                root = source_root(conn) if rows else None
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot search documents: {_first_line(exc)}") from exc
        return SearchPage(total=total, hits=[search_hit(row, spelled, root) for row in rows])

    def list_events(
        self,
        *,
        event_type: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        doc_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = False,
    ) -> tuple[list[Event], int]:
        """One page of the events ``iter_events`` gives for these filters, in the same
        order (with ``newest_first``, by date, latest first, undated last), and how many
        match in all. ``actor`` matches any part of either actor, ``place`` any part of
        the place's canonical name, name as written or province, ignoring case."""
        condition = _event_filter(
            event_type=event_type, actor=actor, place=place, since=since, until=until,
            doc_id=doc_id,
        )  # fmt: skip
        by_date = (event_table.c.date_start, event_table.c.date_end) if newest_first else ()
        rows, total = self._page(
            event_table, condition, limit=limit, offset=offset, newest_first=by_date
        )
        return [event_from_row(row) for row in rows], total

    def list_claims(
        self,
        *,
        subject: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        doc_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = False,
    ) -> tuple[list[Claim], int]:
        """One page of the claims ``iter_claims`` gives for these filters, in the same
        order (with ``newest_first``, by as-of date, latest first, undated last), and how
        many match in all."""
        condition = _claim_filter(
            subject=subject, actor=actor, place=place, since=since, until=until, doc_id=doc_id
        )
        by_date = (claim_table.c.as_of_start, claim_table.c.as_of_end) if newest_first else ()
        rows, total = self._page(
            claim_table, condition, limit=limit, offset=offset, newest_first=by_date
        )
        return [claim_from_row(row) for row in rows], total

    def _page(
        self,
        table: Any,
        condition: ColumnElement[bool],
        *,
        limit: int,
        offset: int,
        newest_first: Sequence[Any] = (),
    ) -> tuple[list[dict[str, Any]], int]:
        """Rows ``offset`` to ``offset + limit`` of ``table`` by ``row`` (after the
        ``newest_first`` columns, latest first and nulls last), and the count."""
        _check_page(limit, offset)
        condition = _visible(table, condition)
        count = select(func.count()).select_from(table).where(condition)
        order = [*(c.desc().nulls_last() for c in newest_first), table.c.row]
        query = select(table).where(condition).order_by(*order).limit(limit).offset(offset)
        with self.engine.connect() as conn:
            total = int(conn.execute(count).scalar_one())
            rows = [dict(row._mapping) for row in conn.execute(query)] if total > offset else []
        return rows, total

    # -- streaming reads -------------------------------------------------------------------

    def iter_events(
        self,
        *,
        event_type: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        doc_id: str | None = None,
    ) -> Iterator[Event]:
        """Stored events in the order they were stored (each document's in the
        extractor's order), streamed in batches. ``since``/``until`` keep events whose
        dates overlap that range (inclusive ISO dates); undated events then drop out."""
        condition = _event_filter(event_type=event_type, since=since, until=until, doc_id=doc_id)
        for row in self._paged(event_table, condition):
            yield event_from_row(row)

    def count_events(
        self,
        *,
        event_type: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        doc_id: str | None = None,
    ) -> int:
        condition = _event_filter(event_type=event_type, since=since, until=until, doc_id=doc_id)
        condition = _visible(event_table, condition)
        query = select(func.count()).select_from(event_table).where(condition)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def iter_claims(
        self,
        *,
        subject: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        doc_id: str | None = None,
    ) -> Iterator[Claim]:
        """Stored claims, each document's in text order (documents in the order they
        were analysed), streamed in batches. ``subject`` is a term of the vocabulary
        ("fighters"); ``actor`` and ``place`` match any part of the canonical actor or
        of the scope, ignoring case ("iraq" finds "Iraq; Syria"); ``since``/``until``
        bound the day the figure held (``as_of`` start), so undated claims drop out."""
        condition = _claim_filter(
            subject=subject, actor=actor, place=place, since=since, until=until, doc_id=doc_id
        )
        for row in self._paged(claim_table, condition):
            yield claim_from_row(row)

    def count_claims(
        self,
        *,
        subject: str | None = None,
        actor: str | None = None,
        place: str | None = None,
        since: DateBound | None = None,
        until: DateBound | None = None,
        doc_id: str | None = None,
    ) -> int:
        condition = _claim_filter(
            subject=subject, actor=actor, place=place, since=since, until=until, doc_id=doc_id
        )
        condition = _visible(claim_table, condition)
        query = select(func.count()).select_from(claim_table).where(condition)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def iter_mentions(self, doc_id: str | None = None) -> Iterator[Mention]:
        """Stored mentions, in the order they were stored, streamed in batches."""
        condition = and_(True) if doc_id is None else mention_table.c.doc_id == doc_id
        for row in self._paged(mention_table, condition):
            yield mention_from_row(row)

    def iter_entities(self) -> Iterator[Entity]:
        """Every actor, person, organisation and place mentioned, aggregated across
        documents (ordered by kind, then canonical name)."""
        m = mention_table.c
        identity = (m.kind, m.canonical, m.loc_geonameid, m.loc_key)
        query = (
            select(
                *identity, m.text, func.count().label("n"), func.max(m.loc_lat).label("lat"),
                func.max(m.loc_lon).label("lon"), func.max(m.loc_country).label("country"),
                func.max(m.loc_admin1).label("admin1"),
            )
            .group_by(*identity, m.text)
            .order_by(*identity, func.count().desc(), m.text)
        )  # fmt: skip
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=2000).execute(query)
            yield from _entities(result)

    def _paged(self, table: Any, condition: ColumnElement[bool]) -> Iterator[dict[str, Any]]:
        """Rows of ``table`` matching ``condition`` by ascending ``row``, a batch per
        short-lived connection (no connection is held while the caller works)."""
        condition = _visible(table, condition)
        last = 0
        while True:
            query = (
                select(table)
                .where(condition, table.c.row > last)
                .order_by(table.c.row)
                .limit(_BATCH)
            )
            with self.engine.connect() as conn:
                rows = [dict(row._mapping) for row in conn.execute(query)]
            if not rows:
                return
            yield from rows
            last = rows[-1]["row"]


def _visible(table: Any, condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """``condition`` and, for events and claims, not rejected by a review (reviewed
    only, when asked: see ``store/_review.py``)."""
    if table is event_table or table is claim_table:
        return and_(condition, visible(table))
    return condition


def candidates_query(keys: list[tuple[int, int]]) -> Select[tuple[str, bytes, int]]:
    """Originals sharing any ``(band, key)`` with a signature, oldest first."""
    # Not a row-value IN: SQLite scans the whole table for that, but answers an OR of
    # equalities from the (band, key) index.
    shares_a_key = or_(
        *(and_(document_bands.c.band == b, document_bands.c.key == k) for b, k in keys)
    )
    return (
        select(documents.c.id, documents.c.minhash, documents.c.seq)
        .join(document_bands, document_bands.c.doc_id == documents.c.id)
        .where(shares_a_key)
        .distinct()
        .order_by(documents.c.seq)
    )


def entity_id(kind: str, canonical: str, place_key: str | None = None) -> str:
    """A stable id: a hash of kind and canonical name, plus the gazetteer entry
    (geonameid or curated key) for places, so two towns sharing a name stay apart."""
    identity = "\x1f".join((kind, canonical, place_key or ""))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:16]


_VERSION = re.compile(r"(?P<stem>.*?)(?P<number>\d+(?:\.\d+)*)")


def is_older_version(stored: str, current: str) -> bool:
    """Whether an analysis by ``stored`` predates ``current``. Versions that differ only
    in their trailing dotted number ("1.9" and "1.10", "events-2" and "events-10")
    compare as numbers, so an older program never redoes a newer one's work; any other
    difference counts as older."""
    old, new = _VERSION.fullmatch(stored), _VERSION.fullmatch(current)
    if old and new and old["stem"] == new["stem"]:
        return _numbers(old["number"]) < _numbers(new["number"])
    return stored != current


def _numbers(dotted: str) -> tuple[int, ...]:
    return tuple(int(part) for part in dotted.split("."))


def _check_belongs_to(doc_id: str, records: Sequence[Event | Mention | Claim]) -> None:
    strays = {record.doc_id for record in records} - {doc_id}
    if strays:
        raise ValueError(f"analysis of {doc_id} holds records of other documents: {strays}")


def _text_order(claims: Sequence[Claim]) -> list[Claim]:
    """Claims by where their figure stands in the text (stable for equal positions), so
    paging by ``row`` reads each document's claims in text order."""
    return sorted(claims, key=lambda claim: (claim.quantity_span, claim.span))


def _iso(bound: DateBound) -> str:
    return bound.isoformat() if isinstance(bound, date) else bound


def _check_page(limit: int, offset: int) -> None:
    if limit < 0 or offset < 0:
        raise ValueError(f"a page needs limit >= 0 and offset >= 0, not {limit}, {offset}")
    if limit > _INT_MAX or offset > _INT_MAX:
        raise ValueError(f"a page needs limit and offset below 2**63, not {limit}, {offset}")


def _bounded_event(event: Event, notes: list[str]) -> Event:
    """``event`` with each count a column cannot hold left out, noted in ``notes``."""
    out_of_range: dict[str, Any] = {
        name: None
        for name in _EVENT_COUNTS
        if (value := getattr(event, name)) is not None and not -_INT_MAX <= value <= _INT_MAX
    }
    for name in out_of_range:
        notes.append(f"event {event.id}: {name} {getattr(event, name)} is beyond 2**63; left out")
    if not math.isfinite(event.confidence):
        notes.append(f"event {event.id}: confidence {event.confidence} is not finite; set to 0")
        out_of_range["confidence"] = 0.0
    location = _finite_location(event.location)
    if location is not event.location:
        notes.append(f"event {event.id}: coordinates not finite; left out")
        out_of_range["location"] = location
    return replace(event, **out_of_range) if out_of_range else event


def _finite_location(location: Location | None) -> Location | None:
    """``location`` itself, or a copy without coordinates when either is not finite, so
    no NaN or infinity reaches an export."""
    if location is None or location.lat is None or location.lon is None:
        return location
    if math.isfinite(location.lat) and math.isfinite(location.lon):
        return location
    return replace(location, lat=None, lon=None)


def _claim_in_range(claim: Claim, notes: list[str]) -> bool:
    """Whether both figures of ``claim`` are finite and at most 2**53 in size; if not,
    the reason is added to ``notes``."""
    for value in (claim.value_low, claim.value_high):
        finite = not isinstance(value, float) or math.isfinite(value)
        if not finite or abs(value) > _FIGURE_MAX:
            figure = claim.quantity_text[:40]
            notes.append(f"claim {claim.id}: figure {figure!r} is beyond 2**53; claim left out")
            return False
    if not math.isfinite(claim.confidence):
        notes.append(f"claim {claim.id}: confidence {claim.confidence} is not finite; left out")
        return False
    if any(_finite_location(place) is not place for place in claim.places):
        notes.append(f"claim {claim.id}: a place's coordinates are not finite; left out")
        return False
    return True


def _event_filter(
    *,
    event_type: str | None,
    since: DateBound | None,
    until: DateBound | None,
    doc_id: str | None,
    actor: str | None = None,
    place: str | None = None,
) -> ColumnElement[bool]:
    e = event_table.c
    conditions: list[ColumnElement[bool]] = []
    if event_type is not None:
        conditions.append(e.event_type == event_type)
    if actor is not None:
        # lower() on both sides; autoescape keeps % and _ in the argument literal.
        conditions.append(_any_name((e.actor1, e.actor2), actor, actor_names(actor)))
    if place is not None:
        columns = (e.loc_canonical, e.loc_name, e.loc_admin1)
        conditions.append(or_(_any_contains(columns, place), e.loc_key.in_(place_keys(place))))
    if doc_id is not None:
        conditions.append(e.doc_id == doc_id)
    if since is not None:
        # ISO dates compare correctly as text.
        conditions.append(func.coalesce(e.date_end, e.date_start) >= _iso(since))
    if until is not None:
        conditions.append(e.date_start <= _iso(until))
    return and_(True, *conditions)


def _any_name(columns: Sequence[Any], part: str, names: Sequence[str]) -> ColumnElement[bool]:
    """Any of ``columns`` holds ``part`` or one of ``names`` (the canonical names an
    alias stands for: "Daesh" finds Islamic State), ignoring case."""
    return or_(*(_any_contains(columns, name) for name in (part, *names)))


def _any_contains(columns: Sequence[Any], part: str) -> ColumnElement[bool]:
    """Any of ``columns`` holds ``part``, ignoring case (``%`` and ``_`` match themselves)."""
    return or_(*(column.icontains(part, autoescape=True) for column in columns))


def _claim_filter(
    *,
    subject: str | None,
    actor: str | None,
    place: str | None,
    since: DateBound | None,
    until: DateBound | None,
    doc_id: str | None,
) -> ColumnElement[bool]:
    c = claim_table.c
    conditions: list[ColumnElement[bool]] = []
    if subject is not None:
        conditions.append(c.subject == subject)
    if doc_id is not None:
        conditions.append(c.doc_id == doc_id)
    if actor is not None:
        # lower() on both sides; autoescape keeps % and _ in the argument literal.
        conditions.append(_any_name((c.actor,), actor, actor_names(actor)))
    if place is not None:
        keys = place_keys(place)
        by_key = [c.loc_key.in_(keys), *(c.places.contains(f'"key": "{k}"') for k in keys)]
        conditions.append(or_(c.place.icontains(place, autoescape=True), *by_key))
    if since is not None:
        conditions.append(c.as_of_start >= _iso(since))
    if until is not None:
        conditions.append(c.as_of_start <= _iso(until))
    return and_(True, *conditions)


def _entities(rows: Iterator[Any]) -> Iterator[Entity]:
    """Entities from (identity, text, count, place fields) rows sorted by identity."""
    current: tuple[Any, ...] | None = None
    group: list[Any] = []
    for row in rows:
        identity = (row.kind, row.canonical, row.loc_geonameid, row.loc_key)
        if identity != current and group:
            yield _entity(group)
            group = []
        current = identity
        group.append(row)
    if group:
        yield _entity(group)


def _entity(group: list[Any]) -> Entity:
    """One entity from its alias rows (most mentioned alias first)."""
    first = group[0]
    place_key = str(first.loc_geonameid) if first.loc_geonameid is not None else first.loc_key
    place = first.kind == "place"

    def place_field(name: str) -> Any:
        return next((getattr(r, name) for r in group if getattr(r, name) is not None), None)

    return Entity(
        id=entity_id(first.kind, first.canonical, place_key if place else None),
        kind=first.kind,
        canonical=first.canonical,
        aliases=tuple(row.text for row in group),
        mentions=sum(row.n for row in group),
        geonameid=first.loc_geonameid if place else None,
        lat=place_field("lat") if place else None,
        lon=place_field("lon") if place else None,
        country=place_field("country") if place else None,
        admin1=place_field("admin1") if place else None,
    )


# -- records <-> rows -----------------------------------------------------------

_LOCATION_FIELDS = tuple(f.name for f in fields(Location))


def _location_row(location: Location | None) -> dict[str, Any]:
    values = asdict(location) if location is not None else dict.fromkeys(_LOCATION_FIELDS)
    return {f"loc_{name}": value for name, value in values.items()}


def _location_from_row(row: dict[str, Any]) -> Location | None:
    if row["loc_name"] is None:
        return None
    return Location(**{name: row[f"loc_{name}"] for name in _LOCATION_FIELDS})


def event_row(event: Event) -> dict[str, Any]:
    values = asdict(event)
    for name in ("location", "date", "span", "corroborated_by", "evidence"):
        del values[name]
    return {
        **values,
        **_location_row(event.location),
        "span_start": event.span[0],
        "span_end": event.span[1],
        "date_start": event.date.start,
        "date_end": event.date.end,
        "date_precision": event.date.precision,
        "date_approximate": event.date.approximate,
        "corroborated_by": json.dumps(list(event.corroborated_by)),
        "evidence": json.dumps([list(span) for span in event.evidence]),
    }


_EVENT_SCALARS = tuple(
    f.name
    for f in fields(Event)
    if f.name not in {"location", "date", "span", "corroborated_by", "evidence"}
)


def event_from_row(row: dict[str, Any]) -> Event:
    return Event(
        **{name: row[name] for name in _EVENT_SCALARS},
        span=(row["span_start"], row["span_end"]),
        location=_location_from_row(row),
        date=DateRange(
            start=row["date_start"],
            end=row["date_end"],
            precision=row["date_precision"],
            approximate=bool(row["date_approximate"]),
        ),
        corroborated_by=tuple(json.loads(row["corroborated_by"])),
        evidence=tuple((int(a), int(b)) for a, b in json.loads(row.get("evidence") or "[]")),
    )


_MENTION_SCALARS = tuple(f.name for f in fields(Mention) if f.name != "location")


def mention_row(mention: Mention) -> dict[str, Any]:
    return {
        **{name: getattr(mention, name) for name in _MENTION_SCALARS},
        **_location_row(mention.location),
    }


def mention_from_row(row: dict[str, Any]) -> Mention:
    return Mention(
        **{name: row[name] for name in _MENTION_SCALARS}, location=_location_from_row(row)
    )


_CLAIM_SCALARS = tuple(
    f.name for f in fields(Claim) if f.name not in {"quantity_span", "span", "places", "as_of"}
)


def claim_row(claim: Claim) -> dict[str, Any]:
    """A claim as a ``claims`` row: spans as start/end columns, every place as JSON and
    the first also flattened (``loc_*``), ``place`` the scope's names for filtering."""
    return {
        **{name: getattr(claim, name) for name in _CLAIM_SCALARS},
        "quantity_start": claim.quantity_span[0],
        "quantity_end": claim.quantity_span[1],
        "span_start": claim.span[0],
        "span_end": claim.span[1],
        "place": claim.place,
        "places": json.dumps([asdict(p) for p in claim.places], ensure_ascii=False),
        **_location_row(claim.places[0] if claim.places else None),
        "as_of_start": claim.as_of.start,
        "as_of_end": claim.as_of.end,
        "as_of_precision": claim.as_of.precision,
        "as_of_approximate": claim.as_of.approximate,
    }


def claim_from_row(row: dict[str, Any]) -> Claim:
    return Claim(
        **{name: row[name] for name in _CLAIM_SCALARS},
        quantity_span=(row["quantity_start"], row["quantity_end"]),
        span=(row["span_start"], row["span_end"]),
        places=tuple(Location(**place) for place in json.loads(row["places"])),
        as_of=DateRange(
            start=row["as_of_start"],
            end=row["as_of_end"],
            precision=row["as_of_precision"],
            approximate=bool(row["as_of_approximate"]),
        ),
    )
