"""The database schema: the one place that names ember's tables and columns.

Migrations in ``migrations/versions`` create these tables; the store tests check that a
migrated database matches this metadata (``in_metadata`` names what is left out)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect

__all__ = [
    "SEARCH_INDEX",
    "SEARCH_TABLE",
    "alerts",
    "analyses",
    "analysis_failures",
    "claims",
    "document_bands",
    "documents",
    "events",
    "in_metadata",
    "ingest_log",
    "ledger_groups",
    "mentions",
    "merged_events",
    "metadata",
    "review_log",
    "reviews",
    "watch_sources",
]

metadata = MetaData()


class PageStarts(TypeDecorator[tuple[int, ...]]):
    """``Document.pages`` (where each page starts in the text) as text: ``"0 1834 3920"``."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: tuple[int, ...] | None, dialect: Dialect) -> str | None:
        return None if value is None else " ".join(str(offset) for offset in value)

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[int, ...] | None:
        return None if value is None else tuple(int(offset) for offset in str(value).split())


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
    Column("published_before", String(10)),
    Column("published_after_basis", Text),
    Column("published_before_basis", Text),
    Column("language", String(8)),
    Column("text", Text, nullable=False),
    Column("duplicate_of", String(32), ForeignKey("documents.id")),
    Column("pages", PageStarts),  # since migration 0013
    Column("minhash", LargeBinary),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    # Ingest order and the full-text rowid: allocated under the write lock, unique since
    # migration 0009.
    Column("seq", Integer, nullable=False),
)
Index("ix_documents_seq", documents.c.seq, unique=True)

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


def _location_columns() -> list[Column[Any]]:
    """A ``records.Location`` flattened into ``loc_*`` columns; ``loc_name`` is None when
    the record has no location (a location always has a name)."""
    return [
        Column("loc_name", Text),
        Column("loc_start", Integer),
        Column("loc_end", Integer),
        Column("loc_near", Boolean),
        Column("loc_canonical", Text),
        Column("loc_key", Text),
        Column("loc_geonameid", Integer),
        Column("loc_lat", Float),
        Column("loc_lon", Float),
        Column("loc_country", String(2)),
        Column("loc_admin1", Text),
        Column("loc_admin2", Text),
        Column("loc_feature", String(16)),
        Column("loc_precision", SmallInteger),
    ]


# Events and mentions belong to one analysis of one document: ``Store.add_analysis``
# replaces them together. ``row`` keeps the extractor's order (the first event of a
# document is its primary one) and gives streaming reads a key to page on.
events = Table(
    "events",
    metadata,
    Column("row", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False),
    Column("doc_id", String(32), ForeignKey("documents.id"), nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("sub_event_type", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("actor1", Text),
    Column("actor1_text", Text),
    Column("actor2", Text),
    Column("actor2_text", Text),
    Column("assoc_actor1", Text),
    Column("assoc_actor2", Text),
    Column("inter1", SmallInteger),
    Column("inter2", SmallInteger),
    *_location_columns(),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("date_precision", String(8), nullable=False),
    Column("date_approximate", Boolean, nullable=False),
    Column("fatalities", Integer),
    Column("wounded", Integer),
    Column("arrested", Integer),
    Column("kidnapped", Integer),
    Column("confidence", Float, nullable=False),
    # Other doc ids reporting the same event, as a JSON array, and the cluster every
    # report of that event shares (set by corroboration, migration 0005).
    Column("corroborated_by", Text, nullable=False),
    # The other sentences of the document that tell it, as a JSON array of [start, end]
    # (migration 0008).
    Column("evidence", Text),
    Column("cluster_id", String(64)),
)
Index("ix_events_doc_id", events.c.doc_id)
Index("ix_events_event_type", events.c.event_type)
Index("ix_events_date_start", events.c.date_start)
Index("ix_events_id", events.c.id)
Index("ix_events_cluster_id", events.c.cluster_id)

mentions = Table(
    "mentions",
    metadata,
    Column("row", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(32), ForeignKey("documents.id"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("canonical", Text, nullable=False),
    Column("role", Text),
    *_location_columns(),
)
Index("ix_mentions_doc_id", mentions.c.doc_id)
Index("ix_mentions_kind_canonical", mentions.c.kind, mentions.c.canonical)

# Quantitative claims ("15 to 20 thousand fighters, US intelligence estimates"), written
# and replaced with the events of the same analysis. ``places`` keeps every place of the
# scope as a JSON array of location objects; the first is also flattened into ``loc_*``
# and ``place`` holds ``Claim.place`` (the names joined by "; "), so SQL can filter and
# map claims without reading JSON.
claims = Table(
    "claims",
    metadata,
    Column("row", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False),
    Column("doc_id", String(32), ForeignKey("documents.id"), nullable=False),
    Column("subject", Text, nullable=False),
    Column("subject_text", Text, nullable=False),
    Column("value_low", Float, nullable=False),
    Column("value_high", Float, nullable=False),
    Column("unit", Text, nullable=False),
    Column("qualifier", Text),
    Column("vague", Boolean, nullable=False),
    Column("quantity_text", Text, nullable=False),
    Column("quantity_start", Integer, nullable=False),
    Column("quantity_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("actor", Text),
    Column("place", Text),
    Column("places", Text, nullable=False),
    *_location_columns(),
    Column("as_of_start", String(10)),
    Column("as_of_end", String(10)),
    Column("as_of_precision", String(8), nullable=False),
    Column("as_of_approximate", Boolean, nullable=False),
    Column("attributed_to", Text),
    Column("attributed_text", Text),
    Column("hedge", Text),
    Column("confidence", Float, nullable=False),
)
Index("ix_claims_doc_id", claims.c.doc_id)
Index("ix_claims_subject", claims.c.subject)
Index("ix_claims_as_of_start", claims.c.as_of_start)

# Which version of the analysers last read each document, so an upgrade can re-read
# the documents an older version analysed.
analyses = Table(
    "analyses",
    metadata,
    Column("doc_id", String(32), ForeignKey("documents.id"), primary_key=True),
    Column("version", String(32), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

# Documents whose analysis raised (migration 0009): the reason, and the version that
# failed, so later runs of that version skip them (``ember analyze --retry-failed`` tries
# again; a newer version does too). A successful analysis removes the row.
analysis_failures = Table(
    "analysis_failures",
    metadata,
    Column("doc_id", String(32), ForeignKey("documents.id"), primary_key=True),
    Column("version", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)


# An analyst's review (migration 0010). ``reviews`` holds what stands now for each
# reviewed field of an event or claim (``kind``), keyed by the record's id, which is
# stable across re-analysis: ``value`` is the JSON of the columns it sets (``status``:
# "accepted" or "rejected"), applied again after every analysis of ``doc_id``.
# ``review_log`` is the audit trail: every change, who made it, when, the old and new
# values (JSON, as shown to the analyst).
reviews = Table(
    "reviews",
    metadata,
    Column("kind", String(8), primary_key=True),
    Column("record_id", String(64), primary_key=True),
    Column("field", String(32), primary_key=True),
    Column("doc_id", String(32), nullable=False),
    Column("value", Text, nullable=False),
    Column("by", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_reviews_doc_id", reviews.c.doc_id)

review_log = Table(
    "review_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),
    Column("record_id", String(64), nullable=False),
    Column("doc_id", String(32), nullable=False),
    Column("field", String(32), nullable=False),
    Column("old", Text),
    Column("new", Text),
    Column("by", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_review_log_record", review_log.c.kind, review_log.c.record_id)

# Derived tables (migration 0012; ``store/derived.py`` keeps them in step with the
# analyses): one row per merged event, its members as stored event rows (JSON) and the
# merged event's fields that views filter, order, count and map by; and one row per
# claims-ledger group, its counts and its JSON (``stale`` until recomputed).
merged_events = Table(
    "merged_events",
    metadata,
    Column("key", String(128), primary_key=True),
    Column("first_row", Integer, nullable=False),
    Column("event_type", String(64), nullable=False),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("start_day", String(10)),
    Column("week", String(10)),
    Column("month", String(7)),
    Column("lat", Float),
    Column("lon", Float),
    Column("fatalities", Integer),
    Column("reports", Integer, nullable=False),
    Column("doc_ids", Text, nullable=False),
    Column("actors", Text, nullable=False),
    Column("places", Text, nullable=False),
    Column("members", Text, nullable=False),
)
Index("ix_merged_events_first_row", merged_events.c.first_row, unique=True)
Index("ix_merged_events_event_type", merged_events.c.event_type)

ledger_groups = Table(
    "ledger_groups",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("subject", Text, nullable=False),
    Column("actor", Text),
    Column("scope", Text),
    Column("subjects", Text, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("entries", Integer, nullable=False),
    Column("conflicts", Integer, nullable=False),
    Column("stale", Boolean, nullable=False),
    Column("data", Text),
)
Index("ix_ledger_groups_stale", ledger_groups.c.stale)
Index("ix_claims_group", claims.c.subject, claims.c.actor, claims.c.place)

# Full-text search over documents is one database's own kind of object, so it lives
# outside this metadata: SQLite's FTS5 table (and the shadow tables FTS5 keeps beside
# it) and PostgreSQL's expression index, both created by migration 0006.
SEARCH_TABLE = "documents_fts"
SEARCH_INDEX = "ix_documents_search"


def in_metadata(name: str | None, type_: str, _parent_names: object) -> bool:
    """Alembic's ``include_name`` hook: False for the full-text search objects, which
    comparing the database with ``metadata`` must skip."""
    if name is None:
        return True
    if type_ == "table":
        return name != SEARCH_TABLE and not name.startswith(f"{SEARCH_TABLE}_")
    return not (type_ == "index" and name == SEARCH_INDEX)


# ``ember watch`` (migration 0011). ``watch_sources``: what the last poll of each watched
# source (as the user gave it) saw: the validators of a URL, the hash of its body, and in
# ``state`` (JSON) the feed entry ids seen, the files of a folder with their mtime and
# size, and the documents stored but not yet checked against the alert rules; failures in
# a row and when to try again (the backoff). ``alerts``: every alert raised, once, keyed
# by the rule id and the record's id; ``webhook`` is "pending" until a POST succeeds.
watch_sources = Table(
    "watch_sources",
    metadata,
    Column("source", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("content_hash", String(64)),
    Column("state", Text, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("last_error", Text),
    Column("next_try_at", DateTime(timezone=True)),
    Column("polled_at", DateTime(timezone=True)),
)

alerts = Table(
    "alerts",
    metadata,
    Column("key", Text, primary_key=True),
    Column("rule_id", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("record_id", Text, nullable=False),
    Column("doc_id", String(32)),
    Column("summary", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("webhook", String(8)),
    Column("webhook_attempts", Integer, nullable=False),
    Column("webhook_error", Text),
)
Index("ix_alerts_at", alerts.c.at)
