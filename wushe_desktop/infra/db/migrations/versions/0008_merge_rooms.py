"""merge the rooms developed side by side (cases, community work, volunteers, reports)

Revision ID: 0008
Revises: 0004, 0005, 0006, 0007
Create Date: 2026-11-25 10:05:00

Each room branched from 0003 while it was built; from here the history is linear again, so
the next room's migration revises "0008".
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | Sequence[str] | None = ("0004", "0005", "0006", "0007")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to change: the merge only joins the branches."""


def downgrade() -> None:
    """Nothing to change."""
