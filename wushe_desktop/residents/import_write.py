"""Writing an import plan in the caller's transaction: bulk INSERT/UPDATE, never per row.

Residents, tags and audit entries go in as plain dicts through Core executemany (every
row carries every column, so each batch is one statement; PERF-FLOORS 2c/2e). Updates
check and increment the version, so a resident edited meanwhile aborts the import.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.audit.service import AuditAction, Changes
from wushe_desktop.infra.db.base import new_id, utcnow
from wushe_desktop.infra.db.fast_insert import insert_dicts
from wushe_desktop.infra.errors import ConflictError
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel
from wushe_desktop.residents.bulk import resident_values
from wushe_desktop.residents.common import RECORD_TYPE
from wushe_desktop.residents.import_check import Checked
from wushe_desktop.residents.import_plan import Existing, Plan, clean_values, snapshot
from wushe_desktop.residents.models import Resident, ResidentTag
from wushe_desktop.residents.validation import CleanResident

__all__ = ["write_plan"]

_CHUNK = 1000  # rows per executemany (audit rows: 5,000)
# One encoder for every audit entry: json.dumps builds a new one per call (10,000 rows).
_JSON = json.JSONEncoder(ensure_ascii=False).encode

_T = cast(Table, Resident.__table__)
# Core INSERTs: every row carries every column, so each batch is one executemany.
_INSERT_TAG = insert(cast(Table, ResidentTag.__table__))
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


def _update_params(clean: CleanResident, existing: Existing, now: datetime) -> dict[str, object]:
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
                "changes": _JSON(changes) if changes else "",
                "detail": f"{self.source} 第 {row} 行",
            }
        )

    def flush(self, session: Session) -> None:
        for start in range(0, len(self.rows), _CHUNK * 5):
            insert_dicts(session, AuditEntry, self.rows[start : start + _CHUNK * 5])


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
        insert_dicts(session, Resident, rows)
        tags = [
            {"id": new_id(), "resident_id": ids[i], "tag": tag, "detail": detail}
            for i in part
            for tag, detail in creates[i].clean.tags.items()
        ]
        insert_dicts(session, ResidentTag, tags)
    return ids


def _write_updates(
    session: Session, updates: Sequence[tuple[Checked, Existing, Changes]], now: datetime
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


def write_plan(
    session: Session,
    *,
    actor: Actor,
    station_id: uuid.UUID,
    source: str,
    summary: str,
    plan: Plan,
    progress: Progress,
    cancel: CancelToken | None,
) -> None:
    places = plan.places
    now = utcnow()
    audits = _AuditRows(actor, station_id, now, f"Excel 导入“{source}”")
    progress(0.0, "正在写入新增的居民…")
    try:
        ids = _insert_residents(session, station_id, plan.creates, now)
        check_cancel(cancel)
        for item, resident_id in zip(plan.creates, ids, strict=True):
            snap = snapshot(clean_values(item.clean), places)
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
            label=source[:200],
            detail=f"从“{source}”导入居民：{summary}",
            station_id=station_id,
        )
        session.flush()
        check_cancel(cancel)
    except IntegrityError:
        raise ConflictError(
            "导入期间有其他用户登记了相同证件号码的居民，本次导入未写入任何数据，请重新导入。"
        ) from None
    progress(1.0, "写入完成。")
