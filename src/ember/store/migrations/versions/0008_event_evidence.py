"""event evidence: the other sentences of a document that tell the same happening

Revision ID: 0008
Revises: 0007

Existing events get none until they are analysed again (``ember analyze --force``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("evidence", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("evidence")
