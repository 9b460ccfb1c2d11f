"""Bulk inserts without SQLAlchemy's per-value processing (SQLite), for demo data and imports.

``DemoContext.insert`` goes through Core ``executemany``, which runs every value through
its type's bind processor inside SQLAlchemy's parameter loop: for half a million service
records that loop costs more than SQLite's own work. Here each column gets one plain
converter (UUID → 32 hex digits, date → ISO text, aware datetime → naive UTC text, bool →
0/1: exactly what the SQLAlchemy types store on SQLite) and the rows go to the driver's
``executemany`` on the session's own connection, in its transaction. Other databases
take the ordinary path.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Boolean, Date, Table, Uuid
from sqlalchemy.orm import Session

from wushe_desktop.infra.db.base import Base, UtcDateTime

Converter = Callable[[Any], Any]
_UNSET = object()


def _uuid(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond:06d}"
    )


def _bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _converter(column_type: object) -> Converter | None:
    if isinstance(column_type, Uuid):
        return _uuid
    if isinstance(column_type, UtcDateTime):
        return _datetime
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, Boolean):
        return _bool
    return None


def columns_of(model: type[Base]) -> list[str]:
    """The table's column names in order (the order of the tuples ``insert_tuples`` takes)."""
    return [c.name for c in cast(Table, model.__table__).columns]


def insert_tuples(
    session: Session, model: type[Base], columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert rows given as tuples in ``columns`` order (Python values); returns the count."""
    table = cast(Table, model.__table__)
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        dicts = [dict(zip(columns, row, strict=True)) for row in rows]
        if dicts:
            session.execute(table.insert(), dicts)
        return len(dicts)
    converters = [_converter(table.columns[name].type) for name in columns]
    pairs = [(i, c) for i, c in enumerate(converters) if c is not None]

    # Many rows carry the very same object (the station, the batch's timestamp): its last
    # conversion is reused, which halves the cost of converting an import's rows.
    last_in: list[object] = [_UNSET] * len(columns)
    last_out: list[object] = [None] * len(columns)

    def plain(row: Sequence[Any]) -> list[Any]:
        values = list(row)
        for i, convert in pairs:
            value = values[i]
            if value is last_in[i]:
                values[i] = last_out[i]
            else:
                values[i] = last_out[i] = convert(value)
                last_in[i] = value
        return values

    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        converted = [plain(row) for row in rows]
        cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", converted)
    finally:
        cursor.close()
    return len(converted)


def insert_dicts(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows given as dicts that all have the same keys."""
    if not rows:
        return 0
    columns = list(rows[0])
    return insert_tuples(session, model, columns, [tuple(r.values()) for r in rows])
