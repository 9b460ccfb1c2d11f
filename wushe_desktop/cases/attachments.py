"""Files attached to a case (scanned consent forms, photos, documents).

The bytes go to the shared store (``infra/attachments.py``: data directory, by SHA-256,
copied beside every backup); the case keeps the name, kind, hash and size. Opening a file
is a sensitive view and is logged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases.access import load_case, require_content, require_write
from wushe_desktop.cases.common import flush, log
from wushe_desktop.cases.constants import AttachmentKind
from wushe_desktop.cases.models import Case, CaseAttachment
from wushe_desktop.infra import attachments as store
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import NotFound, ValidationError

RECORD_TYPE = "case_attachment"


@dataclass(frozen=True)
class AttachmentRow:
    id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    file_name: str
    sha256: str
    size: int
    note: str
    added_by: str
    created_at: datetime


def _row(a: CaseAttachment) -> AttachmentRow:
    return AttachmentRow(
        a.id, a.case_id, a.kind, a.file_name, a.sha256, a.size, a.note, a.added_by, a.created_at
    )


def add_attachment(
    session: Session,
    actor: Actor,
    case_id: uuid.UUID,
    source: Path,
    *,
    kind: str = AttachmentKind.DOCUMENT.value,
    note: str = "",
) -> AttachmentRow:
    """Keep a copy of ``source`` with the case (the file is copied, the original stays)."""
    case = load_case(session, actor, case_id)
    require_write(actor, case)
    if kind not in tuple(AttachmentKind):
        raise ValidationError(f"附件类型应为 {'、'.join(AttachmentKind)} 之一。", field="kind")
    stored = store.store_file(Path(source))
    attachment = CaseAttachment(
        station_id=case.station_id,
        case_id=case.id,
        kind=kind,
        file_name=Path(source).name[:200],
        stored_path=stored.relative_path,
        sha256=stored.sha256,
        size=stored.size,
        note=note.strip(),
        added_by=actor.display_name,
    )
    session.add(attachment)
    flush(session, "附件")
    log(
        session,
        actor,
        AuditAction.CREATE,
        case,
        record_type=RECORD_TYPE,
        record_id=attachment.id,
        detail=f"附件 {attachment.file_name}（SHA-256 {stored.sha256[:12]}…）",
    )
    return _row(attachment)


def _load(session: Session, actor: Actor, attachment_id: uuid.UUID) -> tuple[Case, CaseAttachment]:
    attachment = session.get(CaseAttachment, attachment_id)
    if attachment is None or attachment.deleted_at is not None:
        raise NotFound("未找到该附件。")
    return load_case(session, actor, attachment.case_id), attachment


def attachment_path(session: Session, actor: Actor, attachment_id: uuid.UUID) -> Path:
    """The stored file to open with the system viewer (content readers only; logged)."""
    case, attachment = _load(session, actor, attachment_id)
    require_content(actor, case)
    path = store.resolve(attachment.stored_path)
    log(
        session,
        actor,
        AuditAction.VIEW_SENSITIVE,
        case,
        record_type=RECORD_TYPE,
        record_id=attachment.id,
        detail=f"打开附件 {attachment.file_name}",
    )
    return path


def delete_attachment(session: Session, actor: Actor, attachment_id: uuid.UUID) -> None:
    """Remove from the case (soft; the stored file stays for backups and restore)."""
    case, attachment = _load(session, actor, attachment_id)
    require_write(actor, case)
    attachment.deleted_at, attachment.deleted_by = utcnow(), actor.user_id
    flush(session, "附件")
    log(
        session,
        actor,
        AuditAction.DELETE,
        case,
        record_type=RECORD_TYPE,
        record_id=attachment.id,
        detail=f"附件 {attachment.file_name}",
    )


def case_attachments(session: Session, actor: Actor, case_id: uuid.UUID) -> list[AttachmentRow]:
    case = load_case(session, actor, case_id)
    require_content(actor, case)
    stmt = (
        select(CaseAttachment)
        .where(CaseAttachment.case_id == case.id, CaseAttachment.deleted_at.is_(None))
        .order_by(CaseAttachment.created_at)
    )
    return [_row(a) for a in session.scalars(stmt)]
