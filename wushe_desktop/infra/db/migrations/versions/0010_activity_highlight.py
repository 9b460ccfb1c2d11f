"""community activities can be marked 工作亮点

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 10:00:00

The monthly report's 工作亮点 lists service records marked 亮点. A community activity writes
its own service records, so the mark belongs on the activity: its records carry it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("community_activity") as batch:
        batch.add_column(
            sa.Column("is_highlight", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("community_activity") as batch:
        batch.drop_column("is_highlight")
