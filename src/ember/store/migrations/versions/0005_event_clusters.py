"""event clusters: the reports of one happening across documents share a cluster

Revision ID: 0005
Revises: 0004

Existing events get no cluster (each counts on its own) until corroboration runs
again, which ``ember analyze`` does after every analysis.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("cluster_id", sa.String(64)))
    op.create_index("ix_events_cluster_id", "events", ["cluster_id"])


def downgrade() -> None:
    op.drop_index("ix_events_cluster_id", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("cluster_id")
