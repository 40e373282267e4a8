"""near-duplicate band keys on disk

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ember.ingest.dedup import band_keys

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_bands",
        sa.Column(
            "doc_id",
            sa.String(32),
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("band", sa.SmallInteger, nullable=False),
        sa.Column("key", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_document_bands_band_key", "document_bands", ["band", "key"])
    _backfill()


def _backfill() -> None:
    """Keys for originals stored before this revision, from their stored signatures."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT id, minhash FROM documents WHERE minhash IS NOT NULL AND duplicate_of IS NULL"
        )
    )
    bands = sa.table("document_bands", sa.column("doc_id"), sa.column("band"), sa.column("key"))
    for doc_id, blob in rows.fetchall():
        values = [{"doc_id": doc_id, "band": b, "key": k} for b, k in band_keys(bytes(blob))]
        conn.execute(sa.insert(bands), values)


def downgrade() -> None:
    op.drop_table("document_bands")
