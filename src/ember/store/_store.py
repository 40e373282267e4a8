"""``Store``: the only code that reads or writes ember's database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Select, and_, func, insert, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..errors import StoreError
from ..ingest.dedup import band_keys, first_similar
from ..records import Document
from ._engine import _first_line, open_engine
from .schema import document_bands, documents, ingest_log

__all__ = ["Outcome", "Store"]

Outcome = Literal["stored", "duplicate", "near_duplicate", "rejected", "skipped"]
_DOCUMENT_FIELDS = tuple(f.name for f in fields(Document))


def _now() -> datetime:
    return datetime.now(UTC)


def _log_reason(doc: Document, outcome: Outcome) -> str | None:
    if outcome == "duplicate":
        return f"same text as {doc.id}"
    if outcome == "near_duplicate":
        return f"near-duplicate of {doc.duplicate_of}"
    return None


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

    def add_document(self, doc: Document, *, signature: bytes | None, run_id: str) -> Outcome:
        """Store ``doc`` (with its band keys when it is an original) unless its id is
        already there, and log the outcome, in one transaction. Returns the outcome."""
        try:
            with self.engine.begin() as conn:
                outcome = self._insert_document(conn, doc, signature)
                conn.execute(insert(ingest_log).values(
                    run_id=run_id, source=doc.source, outcome=outcome,
                    reason=_log_reason(doc, outcome), doc_id=doc.id, at=_now(),
                ))  # fmt: skip
        except IntegrityError as exc:
            # Another writer may have stored the same text between our check and insert.
            if self.get_document(doc.id) is not None:
                return "duplicate"
            raise StoreError(f"cannot store {doc.source}: {_first_line(exc)}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot store {doc.source}: {_first_line(exc)}") from exc
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
            with self.engine.begin() as conn:
                conn.execute(insert(ingest_log).values(
                    run_id=run_id, source=source, outcome=outcome, reason=reason, at=_now()
                ))  # fmt: skip
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write the ingest log: {_first_line(exc)}") from exc

    # -- reading ---------------------------------------------------------------

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
