"""Rows as JSON lines: the same text for the same content on SQLite and PostgreSQL.

A row is a JSON object of its columns (sorted keys, no spaces): UUIDs hyphenated, dates
ISO, moments ISO in UTC. Its digest (SHA-1 of that text) tells whether two copies of a
record are the same, which is how an import sees what changed on either side.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Date, DateTime, Table, Time, Uuid

__all__ = ["decoder", "digest", "encode", "text_digest", "to_text"]


def _plain(value: object) -> object:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def encode(row: Mapping[str, object]) -> dict[str, object]:
    """A row's values as JSON values."""
    return {key: _plain(value) for key, value in row.items()}


def to_text(row: Mapping[str, object]) -> str:
    """The canonical JSON line of an (encoded) row."""
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def text_digest(text: str) -> str:
    """SHA-1 (hex) of a canonical row text."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def digest(row: Mapping[str, object]) -> str:
    """SHA-1 (hex) of the row's canonical text: equal content, equal digest."""
    return text_digest(to_text(encode(row)))


def _converter(column: Any) -> Callable[[object], object] | None:
    kind = column.type
    base = getattr(kind, "impl", kind)  # a TypeDecorator (UtcDateTime) by what it stores
    if isinstance(kind, Uuid):
        return lambda v: uuid.UUID(str(v))
    if isinstance(base, DateTime):
        return lambda v: datetime.fromisoformat(str(v))
    if isinstance(kind, Date):
        return lambda v: date.fromisoformat(str(v))
    if isinstance(kind, Time):
        return lambda v: time.fromisoformat(str(v))
    return None


def decoder(table: Table) -> Callable[[Mapping[str, object]], dict[str, object]]:
    """Turns a JSON row back into Python values for ``table``'s columns (unknown keys are
    refused by the caller, missing ones stay missing)."""
    converters = {c.name: _converter(c) for c in table.columns}

    def decode(row: Mapping[str, object]) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in row.items():
            convert = converters.get(key)
            out[key] = convert(value) if (convert is not None and value is not None) else value
        return out

    return decode
