"""Excel export of the service-record list (the query the list shows).

ID numbers are masked unless ``full`` (director). Content the actor may not read (case
records of others) is replaced by its notice; content of minors' records is masked unless
the director exports. The export is audited after the file is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.dates import is_minor
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import write_table
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress
from wushe_desktop.residents.models import Resident
from wushe_desktop.service_records import search
from wushe_desktop.service_records.excel_columns import SHEET_TITLE, export_columns
from wushe_desktop.service_records.rows import ServiceRecordRow

SOURCE_LABELS = {
    "": "手工登记",
    "case": "个案",
    "group_session": "小组",
    "activity": "活动",
    "visit": "探访",
}
MINOR_TEXT = "（未成年人服务内容已隐藏）"


def _people(session: Session, rows: list[ServiceRecordRow]) -> dict[Any, tuple[str, date | None]]:
    ids = {r.resident_id for r in rows if r.resident_id is not None}
    if not ids:
        return {}
    stmt = select(Resident.id, Resident.id_number, Resident.birth_date).where(Resident.id.in_(ids))
    return {rid: (number or "", birth) for rid, number, birth in session.execute(stmt)}


def _rows(
    session: Session, actor: Actor, query: search.ServiceRecordQuery, today: date
) -> Iterator[dict[str, Any]]:
    director = actor.role is Role.DIRECTOR
    for chunk in search.iter_rows(session, actor, query):
        people = _people(session, chunk)
        for r in chunk:
            number, birth = people.get(r.resident_id, ("", None))
            minor = is_minor(birth, today)
            yield {
                "served_on": r.served_on,
                "service_type": r.service_type,
                "resident_name": r.resident_name,
                "id_number": number,
                "participants": r.participants or None,
                "community": r.community_name,
                "worker_name": r.worker_name,
                "duration_minutes": r.duration_minutes,
                "content": MINOR_TEXT if minor and not director else r.content,
                "is_highlight": r.is_highlight,
                "attendances": r.attendances,
                "source_label": SOURCE_LABELS.get(r.source_type, r.source_type),
            }


def export_service_records(
    db: Database,
    actor: Actor,
    query: search.ServiceRecordQuery,
    path: Path,
    *,
    full: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the records ``query`` matches to ``path``; return the number of rows."""
    actor.require(Resource.SERVICE, Action.EXPORT)
    if full:
        actor.require(Resource.SERVICE, Action.EXPORT_SENSITIVE)
    path = Path(path)
    with db.reader() as session:
        total = search.count(session, actor, query)
        written = write_table(
            path,
            export_columns(),
            _rows(session, actor, query, date.today()),
            sheet_title=SHEET_TITLE,
            full=full,
            total=total,
            progress=progress,
            cancel=cancel,
        )
    span = f"{query.date_from or '最早'} 至 {query.date_to or '今天'}"
    kind = "含完整证件号码" if full else "证件号码已脱敏"
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type="service_record",
            label="服务记录",
            detail=f"导出服务记录 {written} 行（{kind}）；日期：{span}；文件：{path.name}",
        )
    return written
