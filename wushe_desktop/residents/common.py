"""Helpers the resident services share: loading with scope, conflicts, audit snapshots."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.masking import mask_id_number
from wushe_desktop.domain.tags import tags_text
from wushe_desktop.infra.errors import ConflictError, NotFound
from wushe_desktop.residents.models import Resident
from wushe_desktop.residents.rows import ResidentRow, build_rows, row_select

RECORD_TYPE = "resident"
CHINA_TZ = timezone(timedelta(hours=8), "CST")  # no DST; avoids needing tzdata on Windows
_CHANGE_ACTIONS = (
    AuditAction.CREATE.value,
    AuditAction.UPDATE.value,
    AuditAction.DELETE.value,
    AuditAction.RESTORE.value,
)


def load_resident(session: Session, actor: Actor, resident_id: uuid.UUID) -> Resident:
    """The resident, or ``NotFound``; refuses another station's record."""
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound("未找到该居民，可能已被彻底删除。")
    actor.require_station(resident.station_id)
    return resident


def fetch_row(session: Session, resident_id: uuid.UUID, *, reveal: bool = False) -> ResidentRow:
    """One resident as a row (two queries: the row and its tags)."""
    result = session.execute(row_select().where(Resident.id == resident_id)).one()
    return build_rows(session, [result], reveal=reveal)[0]


def doc_label(doc_type: str) -> str:
    return "身份证号" if doc_type == "居民身份证" else f"{doc_type}号码"


def local_time(moment: datetime) -> str:
    """A UTC timestamp as the user reads it (China time, to the minute)."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")


def last_change(session: Session, resident_id: uuid.UUID) -> AuditEntry | None:
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.record_type == RECORD_TYPE,
            AuditEntry.record_id == str(resident_id),
            AuditEntry.action.in_(_CHANGE_ACTIONS),
        )
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def stale_error(session: Session, resident_id: uuid.UUID) -> ConflictError:
    """The optimistic-lock message, naming who changed the record last and when."""
    entry = last_change(session, resident_id)
    if entry is None:
        return ConflictError("该居民信息已被其他用户修改，请刷新后再编辑。")
    return ConflictError(
        f"该居民信息已被 {entry.username} 于 {local_time(entry.at)} 修改，请刷新后再编辑。"
    )


def check_version(session: Session, resident: Resident, expected_version: int | None) -> None:
    if expected_version is not None and resident.version != expected_version:
        raise stale_error(session, resident.id)


def snapshot(resident: Resident, community: str, grid: str) -> dict[str, object]:
    """The audited fields of a resident (audit.service.diff masks the sensitive ones)."""
    return {
        "name": resident.name,
        "doc_type": resident.doc_type,
        "id_number": resident.id_number,
        "phone": resident.phone,
        "gender": resident.gender,
        "birth_date": resident.birth_date,
        "address": resident.address,
        "community": community,
        "grid": grid,
        "notes": resident.notes,
        "tags": tags_text({t.tag: t.detail for t in resident.tags}),
    }


def masked_document(doc_type: str, number: str | None) -> str:
    return f"{doc_label(doc_type)} {mask_id_number(number)}"
