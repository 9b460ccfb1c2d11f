"""Writing and reading the audit log. Entries are append-only: the ORM refuses to change them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.domain.masking import mask_id_number, mask_phone, mask_text
from wushe_desktop.infra.errors import WusheError


class AuditAction(StrEnum):
    CREATE = "新增"
    UPDATE = "修改"
    DELETE = "删除"
    RESTORE = "恢复"
    PURGE = "彻底删除"
    VIEW_SENSITIVE = "查看敏感信息"
    EXPORT = "导出"
    PRINT = "打印"
    IMPORT = "导入"
    LOGIN = "登录"
    LOGIN_FAILED = "登录失败"
    LOCKED = "账户锁定"
    UNLOCK = "解锁"
    RESET_PASSWORD = "重置密码"
    LOGOUT = "退出"
    BACKUP = "备份"
    RESTORE_DB = "恢复数据库"


#: Fields whose old/new values are masked in the audit log.
_MASKERS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "tags": mask_text,
    "notes": mask_text,
}

Changes = dict[str, list[Any]]


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, StrEnum):
        return value.value
    return value


def diff(old: Mapping[str, object], new: Mapping[str, object]) -> Changes:
    """``{field: [old, new]}`` for every field whose value changed, sensitive ones masked."""
    changes: Changes = {}
    for key in new:
        before, after = _plain(old.get(key)), _plain(new.get(key))
        if before != after:
            masker = _MASKERS.get(key)
            if masker is not None:
                before = masker(str(before)) if before else before
                after = masker(str(after)) if after else after
            changes[key] = [before, after]
    return changes


def record(
    session: Session,
    actor: Actor,
    action: AuditAction,
    *,
    record_type: str = "",
    record_id: object = "",
    label: str = "",
    changes: Changes | None = None,
    detail: str = "",
    station_id: uuid.UUID | None = None,
) -> AuditEntry:
    """Add one audit entry in the caller's unit of work (so it commits or rolls back with it)."""
    entry = AuditEntry(
        station_id=station_id if station_id is not None else actor.station_id,
        user_id=actor.user_id,
        username=actor.username,
        host=actor.host[:100],
        action=action.value,
        record_type=record_type,
        record_id=str(record_id) if record_id else "",
        record_label=label[:200],
        changes=json.dumps(changes, ensure_ascii=False) if changes else "",
        detail=detail,
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    record_type: str | None = None
    record_id: str | None = None
    actions: Sequence[str] = ()
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 500


def query(session: Session, actor: Actor, flt: AuditFilter) -> list[AuditEntry]:
    """Audit entries, newest first; needs the audit-read grant, scoped to the user's station."""
    actor.require(Resource.AUDIT, Action.READ)
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if not actor.is_district:
        stmt = stmt.where(AuditEntry.station_id == actor.station_id)
    if flt.username:
        stmt = stmt.where(AuditEntry.username == flt.username)
    if flt.record_type:
        stmt = stmt.where(AuditEntry.record_type == flt.record_type)
    if flt.record_id:
        stmt = stmt.where(AuditEntry.record_id == flt.record_id)
    if flt.actions:
        stmt = stmt.where(AuditEntry.action.in_(list(flt.actions)))
    if flt.since:
        stmt = stmt.where(AuditEntry.at >= flt.since)
    if flt.until:
        stmt = stmt.where(AuditEntry.at < flt.until)
    return list(session.scalars(stmt.limit(flt.limit)))


def record_history(
    session: Session, actor: Actor, record_type: str, record_id: object
) -> list[AuditEntry]:
    """ "Who viewed or changed this": every entry about one record."""
    return query(session, actor, AuditFilter(record_type=record_type, record_id=str(record_id)))


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper: object, _conn: object, _target: AuditEntry) -> None:
    raise WusheError("审计日志不可修改或删除。")
