"""events, mentions and the per-document analysis marker

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _location_columns() -> list[sa.Column[Any]]:
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
    _create_events()
    _create_mentions()
    op.create_table(
        "analyses",
        sa.Column("doc_id", sa.String(32), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def _create_events() -> None:
    op.create_table(
        "events",
        sa.Column("row", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("doc_id", sa.String(32), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("sub_event_type", sa.String(64), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("actor1", sa.Text),
        sa.Column("actor1_text", sa.Text),
        sa.Column("actor2", sa.Text),
        sa.Column("actor2_text", sa.Text),
        sa.Column("assoc_actor1", sa.Text),
        sa.Column("assoc_actor2", sa.Text),
        sa.Column("inter1", sa.SmallInteger),
        sa.Column("inter2", sa.SmallInteger),
        *_location_columns(),
        sa.Column("date_start", sa.String(10)),
        sa.Column("date_end", sa.String(10)),
        sa.Column("date_precision", sa.String(8), nullable=False),
        sa.Column("date_approximate", sa.Boolean, nullable=False),
        sa.Column("fatalities", sa.Integer),
        sa.Column("wounded", sa.Integer),
        sa.Column("arrested", sa.Integer),
        sa.Column("kidnapped", sa.Integer),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("corroborated_by", sa.Text, nullable=False),
    )
    op.create_index("ix_events_doc_id", "events", ["doc_id"])
    op.create_index("ix_events_event_type", "events", ["event_type"])
    op.create_index("ix_events_date_start", "events", ["date_start"])
    op.create_index("ix_events_id", "events", ["id"])


def _create_mentions() -> None:
    op.create_table(
        "mentions",
        sa.Column("row", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(32), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("canonical", sa.Text, nullable=False),
        sa.Column("role", sa.Text),
        *_location_columns(),
    )
    op.create_index("ix_mentions_doc_id", "mentions", ["doc_id"])
    op.create_index("ix_mentions_kind_canonical", "mentions", ["kind", "canonical"])


def downgrade() -> None:
    op.drop_table("analyses")
    op.drop_table("mentions")
    op.drop_table("events")
