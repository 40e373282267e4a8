"""derived tables for the views: merged events and claims-ledger groups

Revision ID: 0012
Revises: 0011

``merged_events`` holds one row per happening (a corroboration cluster, or an event of
none) and ``ledger_groups`` one row per group of the claims ledger, kept in step with
every analysis by ``ember.store.derived``, so the web app and the report read pages of
them instead of recomputing them per request. An existing store gets them filled once
every migration has run (``store._engine``: the code that fills them reads the latest
schema). ``ix_claims_group`` finds the claims of one group.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merged_events",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("first_row", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("start_day", sa.String(10)),
        sa.Column("week", sa.String(10)),
        sa.Column("month", sa.String(7)),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("fatalities", sa.Integer),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("doc_ids", sa.Text, nullable=False),
        sa.Column("actors", sa.Text, nullable=False),
        sa.Column("places", sa.Text, nullable=False),
        sa.Column("members", sa.Text, nullable=False),
    )
    op.create_index("ix_merged_events_first_row", "merged_events", ["first_row"], unique=True)
    op.create_index("ix_merged_events_event_type", "merged_events", ["event_type"])
    op.create_table(
        "ledger_groups",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("actor", sa.Text),
        sa.Column("scope", sa.Text),
        sa.Column("subjects", sa.Text, nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("entries", sa.Integer, nullable=False),
        sa.Column("conflicts", sa.Integer, nullable=False),
        sa.Column("stale", sa.Boolean, nullable=False),
        sa.Column("data", sa.Text),
    )
    op.create_index("ix_ledger_groups_stale", "ledger_groups", ["stale"])
    op.create_index("ix_claims_group", "claims", ["subject", "actor", "place"])


def downgrade() -> None:
    op.drop_index("ix_claims_group", table_name="claims")
    op.drop_table("ledger_groups")
    op.drop_table("merged_events")
