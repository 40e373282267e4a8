"""claims: the quantitative statements of each analysed document

Revision ID: 0004
Revises: 0003

Stored documents have no claims yet; ``ember analyze`` fills the table, since the
analyser version that writes claims is newer than the one that analysed them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _location_columns() -> list[sa.Column[Any]]:
    # A copy, not an import: a migration keeps the columns of its own day.
    return [
        sa.Column("loc_name", sa.Text),
        sa.Column("loc_start", sa.Integer),
        sa.Column("loc_end", sa.Integer),
        sa.Column("loc_near", sa.Boolean),
        sa.Column("loc_canonical", sa.Text),
        sa.Column("loc_key", sa.Text),
        sa.Column("loc_geonameid", sa.Integer),
        sa.Column("loc_lat", sa.Float),
        sa.Column("loc_lon", sa.Float),
        sa.Column("loc_country", sa.String(2)),
        sa.Column("loc_admin1", sa.Text),
        sa.Column("loc_admin2", sa.Text),
        sa.Column("loc_feature", sa.String(16)),
        sa.Column("loc_precision", sa.SmallInteger),
    ]


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("row", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("doc_id", sa.String(32), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("subject_text", sa.Text, nullable=False),
        sa.Column("value_low", sa.Float, nullable=False),
        sa.Column("value_high", sa.Float, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("qualifier", sa.Text),
        sa.Column("vague", sa.Boolean, nullable=False),
        sa.Column("quantity_text", sa.Text, nullable=False),
        sa.Column("quantity_start", sa.Integer, nullable=False),
        sa.Column("quantity_end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("actor", sa.Text),
        sa.Column("place", sa.Text),
        sa.Column("places", sa.Text, nullable=False),
        *_location_columns(),
        sa.Column("as_of_start", sa.String(10)),
        sa.Column("as_of_end", sa.String(10)),
        sa.Column("as_of_precision", sa.String(8), nullable=False),
        sa.Column("as_of_approximate", sa.Boolean, nullable=False),
        sa.Column("attributed_to", sa.Text),
        sa.Column("attributed_text", sa.Text),
        sa.Column("hedge", sa.Text),
        sa.Column("confidence", sa.Float, nullable=False),
    )
    op.create_index("ix_claims_doc_id", "claims", ["doc_id"])
    op.create_index("ix_claims_subject", "claims", ["subject"])
    op.create_index("ix_claims_as_of_start", "claims", ["as_of_start"])


def downgrade() -> None:
    op.drop_table("claims")
