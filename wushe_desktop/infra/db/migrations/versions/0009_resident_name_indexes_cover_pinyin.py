"""resident indexes: name indexes hold py_full; fewer indexes to maintain on insert

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 09:00:00

Names are listed in pinyin order (py_full, name, id). A name-prefix search such as 王 matches
thousands of residents; sorting them read every matching row from the table (8.5 ms for 5,555
rows). With py_full appended to the name indexes the sort reads the index alone and the page's
rows are fetched afterwards by id (about 1 ms).

Every index is work on each insert (an import of 10,000 residents into 60,000 spent 0.3 s of
its 0.4 s insert and most of its commit on the 12 secondary indexes). Two are partial now: the
other-reading pinyin keys exist only for surnames read two ways (a few rows in a hundred), and
the plain station_id index goes: every (station_id, deleted_at, …) index serves station_id = ?.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME_INDEXES = {
    "ix_resident_station_name": ["station_id", "deleted_at", "name", "id"],
    "ix_resident_community": ["community_id", "deleted_at", "name", "id"],
    "ix_resident_grid": ["grid_id", "deleted_at", "name", "id"],
}
_PARTIAL = {
    "ix_resident_station_py_alt": "py_initials_alt",
    "ix_resident_station_py_full_alt": "py_full_alt",
}


def upgrade() -> None:
    for name, columns in _NAME_INDEXES.items():
        op.drop_index(name, table_name="resident")
        op.create_index(name, "resident", [*columns, "py_full"])
    for name, column in _PARTIAL.items():
        op.drop_index(name, table_name="resident")
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            name,
            "resident",
            ["station_id", "deleted_at", column],
            sqlite_where=where,
            postgresql_where=where,
        )
    op.drop_index("ix_resident_station_id", table_name="resident")


def downgrade() -> None:
    op.create_index("ix_resident_station_id", "resident", ["station_id"])
    for name, column in _PARTIAL.items():
        op.drop_index(name, table_name="resident")
        op.create_index(name, "resident", ["station_id", "deleted_at", column])
    for name, columns in _NAME_INDEXES.items():
        op.drop_index(name, table_name="resident")
        op.create_index(name, "resident", columns)
