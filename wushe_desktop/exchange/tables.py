"""Which tables a station package carries, and how each is chosen and merged.

Every table of ``Base.metadata`` is classified by its shape, so a new room's tables travel
without code here (a test checks the classification of every table):

* **station** — the exporting station's own row;
* **users** — staff accounts, as disabled reference copies (no password, renamed
  ``<station code>.<username>`` at the district so names never collide);
* **root** — a table with ``station_id``: rows of the station changed in the period
  (``updated_at``; append-only tables by their own time column; small settings tables whole);
* **child** — a table without ``station_id``, owned through a cascading foreign key: the
  complete set of children of every parent in the package (so removals merge too).

Rows referenced by any packaged row (a resident behind a service record, its community,
the worker's account) are added even if unchanged, so a package always imports on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Table

from wushe_desktop.models import Base

__all__ = ["EXCLUDED", "Kind", "TableRule", "rules"]

#: Never exported: the audit log stays where it was written; the import log and baselines
#: belong to the importing database.
EXCLUDED = frozenset({"audit_entry", "package_import", "import_baseline"})

#: Time columns that say when an append-only row was made (first found wins).
_TIME_COLUMNS = ("updated_at", "at", "issued_at", "created_at")


class Kind(StrEnum):
    STATION = "station"
    USERS = "users"
    ROOT = "root"
    CHILD = "child"


@dataclass(frozen=True)
class TableRule:
    table: Table
    kind: Kind
    #: ROOT: the column whose value in the period means "changed" (None: whole table).
    changed: str | None = None
    #: CHILD: (foreign-key column, owner table) pairs through which the rows are owned.
    owners: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.table.name

    def references(self) -> list[tuple[str, str]]:
        """(column, referenced table) of every foreign key."""
        return sorted((fk.parent.name, fk.column.table.name) for fk in self.table.foreign_keys)


def _rule(table: Table) -> TableRule:
    columns = {c.name for c in table.columns}
    if table.name == "station":
        return TableRule(table, Kind.STATION)
    if table.name == "app_user":
        return TableRule(table, Kind.USERS, changed="updated_at")
    if "station_id" in columns:
        changed = next((c for c in _TIME_COLUMNS if c in columns), None)
        return TableRule(table, Kind.ROOT, changed=changed)
    owners = tuple(
        sorted(
            (fk.parent.name, fk.column.table.name)
            for fk in table.foreign_keys
            if (fk.ondelete or "").upper() == "CASCADE"
        )
    )
    if not owners:
        raise ValueError(
            f"table {table.name} has neither station_id nor a cascading owner: "
            "say in exchange/tables.py how packages carry it"
        )
    return TableRule(table, Kind.CHILD, owners=owners)


def rules() -> list[TableRule]:
    """Every exchanged table, parents before children (the import order)."""
    return [_rule(t) for t in Base.metadata.sorted_tables if t.name not in EXCLUDED]
