"""Excel import of residents: check every row, then write the valid ones in one transaction.

Rows are matched to the station's residents by (证件类型, 证件号码): identical → nothing
written; changed → one bulk UPDATE (version checked and incremented) with an audited
diff; new → one bulk INSERT (residents, tags, one audit entry each). A row without an ID
number is created unless an identical resident without one exists, so re-importing an
exported file changes nothing. Rejected rows come back as ``RowError``s and as an error
workbook (the original rows plus 错误原因) that can be corrected and imported again.

Performance (PERF-FLOORS: 10,000 rows validated ≤ 1 s): calamine reader, one SELECT per
1,000 keys, executemany for every write; never one ORM object per row.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.audit.service import AuditAction, Changes
from wushe_desktop.domain.tags import tags_text
from wushe_desktop.infra.db.base import new_id, utcnow
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, WusheError
from wushe_desktop.infra.excel import ERROR_COLUMN, RowError, SheetData, read_sheet
from wushe_desktop.infra.excel import write_error_workbook as _write_error_workbook
from wushe_desktop.infra.progress import (
    CancelToken,
    Progress,
    check_cancel,
    no_progress,
    sub_progress,
)
from wushe_desktop.residents import excel_columns as cols
from wushe_desktop.residents.bulk import resident_values
from wushe_desktop.residents.common import RECORD_TYPE
from wushe_desktop.residents.import_check import (
    FREE_TEXT,
    Checked,
    Places,
    check_row,
    clean_fields,
    free_text,
)
from wushe_desktop.residents.models import Resident, ResidentTag
from wushe_desktop.residents.rows import load_tags
from wushe_desktop.residents.validation import CleanResident

__all__ = ["ImportReport", "default_error_path", "import_residents", "preview_rows"]

_CHUNK = 1000  # keys per SELECT … IN, rows per executemany
_PROGRESS_EVERY = 500
ERROR_SUFFIX = "_错误"


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    total: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    error_workbook: Path | None
    dry_run: bool
    aborted: bool = False  # strict mode found errors, so nothing was written

    @property
    def rejected(self) -> int:
        """Number of rows with at least one error."""
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        """One line for the status bar and the command line."""
        counts = (
            f"共 {self.total} 行：新增 {self.created}，修改 {self.updated}，"
            f"未变 {self.unchanged}，有错误 {self.rejected} 行"
        )
        if self.aborted:
            return f"严格模式：{self.rejected} 行有错误，未导入任何数据（{self.total} 行）。"
        if self.dry_run:
            return f"试导入（未写入数据库）{counts}。"
        return f"导入完成，{counts}。"


# --------------------------------------------------------------------------- matching


@dataclass
class _Existing:
    """A stored resident as the importer compares it."""

    id: uuid.UUID
    version: int
    deleted: bool
    fields: dict[str, Any]  # ResidentInput keyword arguments
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class _Plan:
    creates: list[Checked] = field(default_factory=list)
    updates: list[tuple[Checked, _Existing, Changes]] = field(default_factory=list)
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


def _existing_from(row: Any) -> _Existing:
    return _Existing(
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


def _with_tags(session: Session, found: Sequence[_Existing]) -> None:
    for start in range(0, len(found), _CHUNK):
        part = found[start : start + _CHUNK]
        tags = load_tags(session, [e.id for e in part])
        for e in part:
            e.tags = tags.get(e.id, {})
            e.fields["tags"] = e.tags


def _load_by_document(
    session: Session, station_id: uuid.UUID, keys: set[tuple[str, str]]
) -> dict[tuple[str, str], _Existing]:
    numbers = sorted({number for _doc, number in keys})
    doc_types = sorted({doc for doc, _number in keys})
    found: dict[tuple[str, str], _Existing] = {}
    for start in range(0, len(numbers), _CHUNK):
        # All three columns of the unique key, so SQLite (without ANALYZE) uses its index.
        stmt = select(*_FIELD_COLUMNS).where(
            Resident.station_id == station_id,
            Resident.doc_type.in_(doc_types),
            Resident.id_number.in_(numbers[start : start + _CHUNK]),
        )
        for row in session.execute(stmt):
            key = (row.doc_type, row.id_number)
            if key in keys:
                found[key] = _existing_from(row)
    _with_tags(session, list(found.values()))
    return found


def _load_without_document(session: Session, station_id: uuid.UUID) -> list[_Existing]:
    stmt = select(*_FIELD_COLUMNS).where(
        Resident.station_id == station_id,
        Resident.id_number.is_(None),
        Resident.deleted_at.is_(None),
    )
    found = [_existing_from(row) for row in session.execute(stmt)]
    _with_tags(session, found)
    return found


def _snapshot(values: Mapping[str, Any], places: Places) -> dict[str, object]:
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


def _clean_values(clean: CleanResident) -> dict[str, Any]:
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
    item: Checked, existing: _Existing, present: frozenset[str], places: Places, rows: _Rows
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


def _plan(
    session: Session,
    station_id: uuid.UUID,
    data: SheetData,
    progress: Progress,
    cancel: CancelToken | None,
) -> _Plan:
    places = Places.load(session, station_id)
    rows = _Rows(data)
    checked = _drop_duplicates(_check_rows(data, places, rows, progress, cancel), rows)
    keys = {(c.clean.doc_type, c.clean.id_number) for c in checked if c.clean.id_number}
    stored = _load_by_document(session, station_id, keys)
    plan = _Plan(places=places)
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
        changes = audit.diff(
            _snapshot(existing.fields, places), _snapshot(_clean_values(merged.clean), places)
        )
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
    session: Session, station_id: uuid.UUID, items: list[Checked], places: Places, plan: _Plan
) -> None:
    """No ID number: unchanged when an identical resident without one exists, else created."""

    def signature(values: Mapping[str, Any]) -> tuple[object, ...]:
        return tuple(_snapshot(values, places).values())

    available = Counter(signature(e.fields) for e in _load_without_document(session, station_id))
    for item in items:
        sig = signature(_clean_values(item.clean))
        if available[sig] > 0:
            available[sig] -= 1
            plan.unchanged += 1
        else:
            plan.creates.append(item)


# --------------------------------------------------------------------------- writing


_T = cast(Table, Resident.__table__)
# Core INSERTs: every row carries every column, so each batch is one executemany.
_INSERT_RESIDENT = insert(_T)
_INSERT_TAG = insert(cast(Table, ResidentTag.__table__))
_INSERT_AUDIT = insert(cast(Table, AuditEntry.__table__))
_UPDATED = (
    "name",
    "phone",
    "gender",
    "birth_date",
    "address",
    "community_id",
    "grid_id",
    "notes",
    "py_initials",
    "py_full",
    "py_initials_alt",
    "py_full_alt",
    "updated_at",
)
_UPDATE = (
    update(_T)
    .where(
        _T.c.id == bindparam("b_id", type_=_T.c.id.type),
        _T.c.version == bindparam("b_version", type_=_T.c.version.type),
    )
    .values(
        {name: bindparam(f"v_{name}", type_=_T.c[name].type) for name in _UPDATED}
        | {"version": _T.c.version + 1}
    )
)


def _created(snap: Mapping[str, object]) -> Changes:
    """``audit.diff({}, snap)`` without its per-value type dispatch (10,000 rows at once):
    every field that has a value, as [None, value], sensitive values masked the same way."""
    maskers = audit._MASKERS
    changes: Changes = {}
    for key, value in snap.items():
        if value is None:
            continue
        shown: object = value
        if isinstance(value, date):
            shown = value.isoformat()
        elif value and key in maskers:
            shown = maskers[key](str(value))
        changes[key] = [None, shown]
    return changes


def _update_params(clean: CleanResident, existing: _Existing, now: datetime) -> dict[str, object]:
    return {
        "b_id": existing.id,
        "b_version": existing.version,
        "v_name": clean.name,
        "v_phone": clean.phone,
        "v_gender": clean.gender,
        "v_birth_date": clean.birth_date,
        "v_address": clean.address,
        "v_community_id": clean.community_id,
        "v_grid_id": clean.grid_id,
        "v_notes": clean.notes,
        "v_py_initials": clean.py.initials,
        "v_py_full": clean.py.full,
        "v_py_initials_alt": clean.py.initials_alt,
        "v_py_full_alt": clean.py.full_alt,
        "v_updated_at": now,
    }


class _AuditRows:
    """Audit entries built as dicts and inserted in bulk (same fields as audit.record)."""

    def __init__(self, actor: Actor, station_id: uuid.UUID, now: datetime, source: str) -> None:
        self.base = {
            "at": now,
            "station_id": station_id,
            "user_id": actor.user_id,
            "username": actor.username,
            "host": actor.host[:100],
            "record_type": RECORD_TYPE,
        }
        self.source = source
        self.rows: list[dict[str, object]] = []

    def add(
        self, action: AuditAction, record_id: uuid.UUID, label: str, changes: Changes, row: int
    ) -> None:
        self.rows.append(
            self.base
            | {
                "id": new_id(),
                "action": action.value,
                "record_id": str(record_id),
                "record_label": label[:200],
                "changes": json.dumps(changes, ensure_ascii=False) if changes else "",
                "detail": f"{self.source} 第 {row} 行",
            }
        )

    def flush(self, session: Session) -> None:
        for start in range(0, len(self.rows), _CHUNK * 5):
            session.execute(_INSERT_AUDIT, self.rows[start : start + _CHUNK * 5])


def _insert_residents(
    session: Session, station_id: uuid.UUID, creates: Sequence[Checked], now: datetime
) -> list[uuid.UUID]:
    """INSERT residents and tags in batches of plain dicts (PERF-FLOORS 2c)."""
    ids = [new_id() for _ in creates]
    for start in range(0, len(creates), _CHUNK * 5):
        part = range(start, min(start + _CHUNK * 5, len(creates)))
        rows = [
            resident_values(creates[i].clean, station_id=station_id, resident_id=ids[i], now=now)
            for i in part
        ]
        session.execute(_INSERT_RESIDENT, rows)
        tags = [
            {"id": new_id(), "resident_id": ids[i], "tag": tag, "detail": detail}
            for i in part
            for tag, detail in creates[i].clean.tags.items()
        ]
        if tags:
            session.execute(_INSERT_TAG, tags)
    return ids


def _write_updates(
    session: Session, updates: Sequence[tuple[Checked, _Existing, Changes]], now: datetime
) -> None:
    for start in range(0, len(updates), _CHUNK):
        part = updates[start : start + _CHUNK]
        result = session.execute(_UPDATE, [_update_params(c.clean, e, now) for c, e, _ in part])
        dialect = session.get_bind().dialect
        if dialect.supports_sane_multi_rowcount and result.rowcount != len(part):  # type: ignore[attr-defined]
            raise ConflictError(
                "导入期间有其他用户修改了部分居民，本次导入未写入任何数据，请重新导入。"
            )
    retagged = [(c, e) for c, e, _ in updates if c.clean.tags != e.tags]
    for start in range(0, len(retagged), _CHUNK):
        batch = retagged[start : start + _CHUNK]
        session.execute(
            delete(ResidentTag).where(ResidentTag.resident_id.in_([e.id for _, e in batch]))
        )
        tags = [
            {"id": new_id(), "resident_id": e.id, "tag": tag, "detail": detail}
            for c, e in batch
            for tag, detail in c.clean.tags.items()
        ]
        if tags:
            session.execute(_INSERT_TAG, tags)


def _write(
    session: Session,
    *,
    actor: Actor,
    station_id: uuid.UUID,
    path: Path,
    report: ImportReport,
    plan: _Plan,
    progress: Progress,
    cancel: CancelToken | None,
) -> None:
    places = plan.places
    now = utcnow()
    audits = _AuditRows(actor, station_id, now, f"Excel 导入“{path.name}”")
    progress(0.0, "正在写入新增的居民…")
    try:
        ids = _insert_residents(session, station_id, plan.creates, now)
        check_cancel(cancel)
        for item, resident_id in zip(plan.creates, ids, strict=True):
            snap = _snapshot(_clean_values(item.clean), places)
            audits.add(
                AuditAction.CREATE, resident_id, item.clean.name, _created(snap), item.row_number
            )
        progress(0.4, "正在更新已有的居民…")
        _write_updates(session, plan.updates, now)
        for item, existing, changes in plan.updates:
            audits.add(AuditAction.UPDATE, existing.id, item.clean.name, changes, item.row_number)
        check_cancel(cancel)
        progress(0.7, "正在写入审计日志…")
        audits.flush(session)
        audit.record(
            session,
            actor,
            AuditAction.IMPORT,
            record_type=RECORD_TYPE,
            label=path.name[:200],
            detail=f"从“{path.name}”导入居民：{report.summary()}",
            station_id=station_id,
        )
        session.flush()
        check_cancel(cancel)
    except IntegrityError:
        raise ConflictError(
            "导入期间有其他用户登记了相同证件号码的居民，本次导入未写入任何数据，请重新导入。"
        ) from None
    progress(1.0, "写入完成。")


# --------------------------------------------------------------------------- error file


def default_error_path(source: Path) -> Path:
    """``名单.xlsx`` → ``名单_错误.xlsx``; importing that file again reuses its name."""
    stem = source.stem if source.stem.endswith(ERROR_SUFFIX) else source.stem + ERROR_SUFFIX
    return source.with_name(stem + ".xlsx")


def _without_error_column(data: SheetData) -> SheetData:
    """Drop a 错误原因 column of a re-imported error file, so reasons do not pile up."""
    if ERROR_COLUMN not in data.headers:
        return data
    drop = data.headers.index(ERROR_COLUMN)

    def shift(index: int) -> int:
        return index - 1 if index > drop else index

    return replace(
        data,
        headers=[h for i, h in enumerate(data.headers) if i != drop],
        rows=[replace(r, raw=r.raw[:drop] + r.raw[drop + 1 :]) for r in data.rows],
        column_index={k: shift(i) for k, i in data.column_index.items()},
        text_indexes=frozenset(shift(i) for i in data.text_indexes if i != drop),
    )


def _error_workbook(
    source: Path, data: SheetData, errors: list[RowError], error_out: Path | None, dry_run: bool
) -> Path | None:
    """Write the rejected rows: to ``error_out`` if given, else beside the source (not in
    a dry run). A default location that cannot be written is skipped, not fatal."""
    if not errors or (error_out is None and dry_run):
        return None
    target = Path(error_out) if error_out is not None else default_error_path(source)
    try:
        _write_error_workbook(target, _without_error_column(data), errors)
    except WusheError:
        if error_out is not None:
            raise
        return None
    return target


# --------------------------------------------------------------------------- public API


def import_residents(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    error_out: Path | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Import the residents of the first sheet of ``path`` into the actor's station.

    ``dry_run`` checks everything and writes nothing (the error workbook only when
    ``error_out`` is given). ``strict`` writes nothing when any row is rejected. Otherwise
    the valid rows are written in one transaction and the rejected ones go to the error
    workbook (``error_out`` or ``<name>_错误.xlsx`` beside the source). Cancelling leaves
    the database untouched.
    """
    actor.require(Resource.RESIDENT, Action.IMPORT)
    station_id = actor.station_id
    if station_id is None:
        raise PermissionDenied("区级账户不属于任何站点，不能导入居民；请用站点账户登录后导入。")
    path = Path(path)
    data = read_sheet(
        path,
        cols.resident_columns(),
        aliases=cols.ALIASES,
        progress=sub_progress(progress, 0.0, 0.2),
        cancel=cancel,
    )
    opener = db.reader if dry_run else db.transaction
    with opener() as session:
        plan = _plan(session, station_id, data, sub_progress(progress, 0.2, 0.55), cancel)
        aborted = strict and bool(plan.errors)
        report = ImportReport(
            total=len(data.rows),
            created=0 if aborted else len(plan.creates),
            updated=0 if aborted else len(plan.updates),
            unchanged=0 if aborted else plan.unchanged,
            errors=plan.errors,
            error_workbook=None,
            dry_run=dry_run,
            aborted=aborted,
        )
        report.error_workbook = _error_workbook(path, data, plan.errors, error_out, dry_run)
        if not dry_run and not aborted and (plan.creates or plan.updates):
            _write(
                session,
                actor=actor,
                station_id=station_id,
                path=path,
                report=report,
                plan=plan,
                progress=sub_progress(progress, 0.6, 1.0),
                cancel=cancel,
            )
    progress(1.0, report.summary())
    return report


def preview_rows(path: Path, limit: int = 20) -> tuple[list[str], list[list[object]]]:
    """The header and the first ``limit`` data rows as the importer will read them.

    Raises the same ``ValidationError`` as the import for an unreadable file or a sheet
    without the required columns, so the preview step already explains the problem.
    """
    data = read_sheet(Path(path), cols.resident_columns(), aliases=cols.ALIASES)
    width = len(data.headers)
    rows = [
        [_shown(row.raw[i]) if i < len(row.raw) else None for i in range(width)]
        for row in data.rows[:limit]
    ]
    return data.headers, rows


def _shown(value: object) -> object:
    """calamine reads every number as a float; show 3.0 as 3."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
