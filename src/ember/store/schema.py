"""The database schema: the one place that names ember's tables and columns.

Migrations in ``migrations/versions`` create these tables; ``tests/store/test_schema.py``
checks that a migrated database matches this metadata."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

__all__ = ["document_bands", "documents", "ingest_log", "metadata"]

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("source", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("publisher", Text),
    Column("author", Text),
    Column("published", String(10)),
    Column("published_precision", String(8)),
    Column("published_after", String(10)),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("duplicate_of", String(32), ForeignKey("documents.id")),
    Column("minhash", LargeBinary),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("seq", Integer, nullable=False),
)
Index("ix_documents_seq", documents.c.seq)

ingest_log = Table(
    "ingest_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(32), nullable=False),
    Column("source", Text, nullable=False),
    # stored | duplicate | near_duplicate | rejected | skipped
    Column("outcome", String(16), nullable=False),
    Column("reason", Text),
    Column("doc_id", String(32)),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_ingest_log_source", ingest_log.c.source)

# Locality-sensitive hashing keys of each original document's MinHash (see
# ingest/dedup.py): the near-duplicate index, kept on disk so memory stays flat.
document_bands = Table(
    "document_bands",
    metadata,
    Column("doc_id", String(32), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("band", SmallInteger, nullable=False),
    Column("key", BigInteger, nullable=False),
)
Index("ix_document_bands_band_key", document_bands.c.band, document_bands.c.key)
