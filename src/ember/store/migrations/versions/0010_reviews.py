"""an analyst's review of events and claims, and its audit trail

Revision ID: 0010
Revises: 0009

``reviews`` holds the reviewed value of each field (and the accepted/rejected status)
of an event or claim, keyed by the record's stable id, so a re-analysis applies it
again; ``review_log`` records every change with who, when, the old and new values.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("kind", sa.String(8), primary_key=True),
        sa.Column("record_id", sa.String(64), primary_key=True),
        sa.Column("field", sa.String(32), primary_key=True),
        sa.Column("doc_id", sa.String(32), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_reviews_doc_id", "reviews", ["doc_id"])
    op.create_table(
        "review_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("doc_id", sa.String(32), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("old", sa.Text),
        sa.Column("new", sa.Text),
        sa.Column("by", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_log_record", "review_log", ["kind", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_review_log_record", table_name="review_log")
    op.drop_table("review_log")
    op.drop_index("ix_reviews_doc_id", table_name="reviews")
    op.drop_table("reviews")
