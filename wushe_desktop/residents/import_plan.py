"""Matching the checked rows of a residents sheet to the station's residents.

Each row becomes a create, an update (with its audited diff), "unchanged", or a RowError:
(证件类型, 证件号码) decides; a duplicate within the file rejects every copy; a resident in
the recycle bin is not silently revived; a row without a number is "unchanged" only when an
identical resident without one exists. Columns the file lacks keep the stored values.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import Changes
from wushe_desktop.domain.tags import tags_text
from wushe_desktop.infra.excel import RowError, SheetData
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel
from wushe_desktop.residents import excel_columns as cols
from wushe_desktop.residents.import_check import (
    FREE_TEXT,
    Checked,
    Places,
    check_row,
    clean_fields,
    free_text,
)
from wushe_desktop.residents.models import Resident
from wushe_desktop.residents.rows import load_tags
from wushe_desktop.residents.validation import CleanResident

__all__ = ["Existing", "Plan", "build_plan", "clean_values", "snapshot"]

CHUNK = 1000  # keys per SELECT … IN
_PROGRESS_EVERY = 500


@dataclass
class Existing:
    """A stored resident as the importer compares it."""

    id: uuid.UUID
    version: int
    deleted: bool
    fields: dict[str, Any]  # ResidentInput keyword arguments
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    """What an import will write; ``errors`` are the rejected rows, sorted by row."""

    creates: list[Checked] = field(default_factory=list)
    updates: list[tuple[Checked, Existing, Changes]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    places: Places = field(default_factory=Places)


_FIELD_COLUMNS = (
    Resident.id,
    Resident.version,
    Resident.deleted_at,
    Resident.name,
    Resident.doc_type,
    Resident.id_number,
    Resident.phone,
    Resident.gender,
    Resident.birth_date,
    Resident.address,
    Resident.community_id,
    Resident.grid_id,
    Resident.notes,
)


def _existing_from(row: Any) -> Existing:
    return Existing(
        id=row.id,
        version=row.version,
        deleted=row.deleted_at is not None,
        fields={
            "name": row.name,
            "doc_type": row.doc_type,
            "id_number": row.id_number or "",
            "phone": row.phone or "",
            "gender": row.gender or "",
            "birth_date": row.birth_date,
            "address": row.address,
            "community_id": row.community_id,
            "grid_id": row.grid_id,
            "notes": row.notes,
        },
    )


def _with_tags(session: Session, found: Sequence[Existing]) -> None:
    for start in range(0, len(found), CHUNK):
        part = found[start : start + CHUNK]
        tags = load_tags(session, [e.id for e in part])
        for e in part:
            e.tags = tags.get(e.id, {})
            e.fields["tags"] = e.tags


def _load_by_document(
    session: Session, station_id: uuid.UUID, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], Existing]:
    numbers = sorted({number for _doc, number in keys})
    doc_types = sorted({doc for doc, _number in keys})
    found: dict[tuple[str, str], Existing] = {}
    for start in range(0, len(numbers), CHUNK):
        # All three columns of the unique key, so SQLite (without ANALYZE) uses its index.
        stmt = select(*_FIELD_COLUMNS).where(
            Resident.station_id == station_id,
            Resident.doc_type.in_(doc_types),
            Resident.id_number.in_(numbers[start : start + CHUNK]),
        )
        for row in session.execute(stmt):
            key = (row.doc_type, row.id_number)
            if key in keys:
                found[key] = _existing_from(row)
    _with_tags(session, list(found.values()))
    return found


def _load_without_document(session: Session, station_id: uuid.UUID) -> list[Existing]:
    stmt = select(*_FIELD_COLUMNS).where(
        Resident.station_id == station_id,
        Resident.id_number.is_(None),
        Resident.deleted_at.is_(None),
    )
    found = [_existing_from(row) for row in session.execute(stmt)]
    _with_tags(session, found)
    return found


def snapshot(values: Mapping[str, Any], places: Places) -> dict[str, object]:
    """The audited fields (as residents.common.snapshot) of stored or imported values."""
    grid = values.get("grid_id")
    return {
        "name": values["name"],
        "doc_type": values["doc_type"],
        "id_number": values["id_number"] or None,
        "phone": values["phone"] or None,
        "gender": values["gender"] or None,
        "birth_date": values["birth_date"],
        "address": values["address"],
        "community": places.community_names.get(values["community_id"], ""),
        "grid": places.grid_names.get(grid, "") if grid is not None else "",
        "notes": values["notes"],
        "tags": tags_text(values["tags"]),
    }


def clean_values(clean: CleanResident) -> dict[str, Any]:
    return {
        "name": clean.name,
        "doc_type": clean.doc_type,
        "id_number": clean.id_number or "",
        "phone": clean.phone or "",
        "gender": clean.gender or "",
        "birth_date": clean.birth_date,
        "address": clean.address,
        "community_id": clean.community_id,
        "grid_id": clean.grid_id,
        "notes": clean.notes,
        "tags": clean.tags,
    }


class _Rows:
    """Collects RowErrors addressed by the file's own sheet name and headers."""

    def __init__(self, data: SheetData) -> None:
        self.data = data
        self.errors: list[RowError] = []

    def add(self, row: int, key: str, message: str) -> None:
        column = self.data.header_of(key) if key else ""
        self.errors.append(RowError(self.data.sheet, row, column, message))


def _check_rows(
    data: SheetData, places: Places, rows: _Rows, progress: Progress, cancel: CancelToken | None
) -> list[Checked]:
    today = date.today()
    present = data.present_keys
    typed = {k: i for k, i in data.column_index.items() if k in FREE_TEXT}
    checked: list[Checked] = []
    total = max(len(data.rows), 1)
    for index, row in enumerate(data.rows, 1):
        if index % _PROGRESS_EVERY == 0:
            check_cancel(cancel)
            progress(index / total, f"已检查 {index} / {total} 行")
        values = row.values | {k: free_text(row.raw, i) for k, i in typed.items()}
        result = check_row(row.row_number, values, present, places, today)
        if isinstance(result, Checked):
            checked.append(result)
        else:
            for key, message in result:
                rows.add(row.row_number, key, message)
    check_cancel(cancel)
    return checked


def _drop_duplicates(checked: list[Checked], rows: _Rows) -> list[Checked]:
    """Rows sharing a document within the file are all rejected, each naming the others."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for item in checked:
        if item.clean.id_number is not None:
            by_key[(item.clean.doc_type, item.clean.id_number)].append(item.row_number)
    duplicated: set[int] = set()
    for (doc_type, _number), numbers in by_key.items():
        if len(numbers) < 2:
            continue
        label = "身份证号码" if doc_type == "居民身份证" else f"{doc_type}号码"
        for number in numbers:
            others = "、".join(str(n) for n in numbers if n != number)
            rows.add(
                number,
                cols.ID_NUMBER,
                f"{label}与本表第 {others} 行重复，同一居民只能填写一行，请删除或合并重复的行。",
            )
            duplicated.add(number)
    return [item for item in checked if item.row_number not in duplicated]


def _merge_absent(
    item: Checked, existing: Existing, present: frozenset[str], places: Places, rows: _Rows
) -> Checked | None:
    """Columns the file lacks keep the stored values (re-checked together with the rest)."""
    absent = {k for k in cols.FIELD_KEYS.values() if k not in present}
    if not absent:
        return item
    merged = dict(item.fields)
    stored = existing.fields
    for key in (cols.GENDER, cols.BIRTH_DATE, cols.PHONE, cols.ADDRESS, cols.NOTES, cols.TAGS_KEY):
        if key in absent:
            merged[key] = stored[key]
    if cols.GRID in absent:
        grid = stored["grid_id"]
        same_place = grid is not None and places.grid_community.get(grid) == merged["community_id"]
        merged["grid_id"] = grid if same_place else None
    clean, errors = clean_fields(merged, date.today())
    for key, message in errors:
        rows.add(item.row_number, key, message)
    return None if clean is None else Checked(item.row_number, merged, clean)


def build_plan(
    session: Session,
    station_id: uuid.UUID,
    data: SheetData,
    progress: Progress,
    cancel: CancelToken | None,
) -> Plan:
    """Check every row and decide what it becomes; nothing is written here."""
    places = Places.load(session, station_id)
    rows = _Rows(data)
    checked = _drop_duplicates(_check_rows(data, places, rows, progress, cancel), rows)
    keys = {(c.clean.doc_type, c.clean.id_number) for c in checked if c.clean.id_number}
    stored = _load_by_document(session, station_id, keys)
    plan = Plan(places=places)
    without: list[Checked] = []
    for item in checked:
        if item.clean.id_number is None:
            without.append(item)
            continue
        existing = stored.get((item.clean.doc_type, item.clean.id_number))
        if existing is None:
            plan.creates.append(item)
            continue
        if existing.deleted:
            rows.add(
                item.row_number,
                cols.ID_NUMBER,
                f"该证件号码已登记为居民“{existing.fields['name']}”，该居民目前在回收站中；"
                "请先到回收站恢复，再导入。",
            )
            continue
        merged = _merge_absent(item, existing, data.present_keys, places, rows)
        if merged is None:
            continue
        before = snapshot(existing.fields, places)
        after = snapshot(clean_values(merged.clean), places)
        # Most rows of a re-import are identical: compare first, diff only the changed ones.
        changes = audit.diff(before, after) if before != after else {}
        if changes:
            plan.updates.append((merged, existing, changes))
        else:
            plan.unchanged += 1
    if without:
        _plan_without_document(session, station_id, without, places, plan)
    rows.errors.sort(key=lambda e: e.row)
    plan.errors = rows.errors
    return plan


def _plan_without_document(
    session: Session, station_id: uuid.UUID, items: list[Checked], places: Places, plan: Plan
) -> None:
    """No ID number: unchanged when an identical resident without one exists, else created."""

    def signature(values: Mapping[str, Any]) -> tuple[object, ...]:
        return tuple(snapshot(values, places).values())

    available = Counter(signature(e.fields) for e in _load_without_document(session, station_id))
    for item in items:
        sig = signature(clean_values(item.clean))
        if available[sig] > 0:
            available[sig] -= 1
            plan.unchanged += 1
        else:
            plan.creates.append(item)
