"""Excel export of any resident list (the query the list shows), masked by default.

Rows stream from one ordered SELECT (the list's own filter and sort, read in chunks with
their tags), straight into ``write_table``'s write-only workbook, so 100,000 residents
keep memory flat. The export is audited in its own transaction once the file exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.masking import mask_id_number
from wushe_desktop.domain.tags import tag_label, tags_text
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import write_table
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress
from wushe_desktop.residents import search
from wushe_desktop.residents.common import RECORD_TYPE
from wushe_desktop.residents.excel_columns import SHEET_TITLE, resident_columns
from wushe_desktop.residents.models import Resident
from wushe_desktop.residents.rows import load_tags
from wushe_desktop.stations.models import Community, Grid

__all__ = ["export_residents"]

#: Rows fetched (and tag-loaded) per round trip while streaming.
CHUNK = 2000
#: SQLite page cache during an export (negative: KiB).
STREAM_CACHE_KIB = -8192

_EXPORT_COLUMNS = (
    Resident.id,
    Resident.name,
    Resident.doc_type,
    Resident.id_number,
    Resident.gender,
    Resident.birth_date,
    Resident.phone,
    Community.name.label("community"),
    Grid.name.label("grid"),
    Resident.address,
    Resident.notes,
)


def _rows(session: Session, actor: Actor, query: search.ResidentQuery) -> Iterator[dict[str, Any]]:
    """The query's residents in list order, as mappings keyed like ``resident_columns``."""
    # The list's own filter and sort (residents.search), read in one pass instead of pages.
    conds, order = search.where_and_order(session, actor, query)
    stmt = (
        select(*_EXPORT_COLUMNS)
        .select_from(Resident)
        .join(Community, Community.id == Resident.community_id)
        .outerjoin(Grid, Grid.id == Resident.grid_id)
        .where(*conds)
        .order_by(*order)
    )
    result = session.execute(stmt, execution_options={"yield_per": CHUNK})
    for part in result.partitions():
        tags = load_tags(session, [r.id for r in part])
        for r in part:
            resident_tags = tags.get(r.id)
            yield {
                "name": r.name,
                "doc_type": r.doc_type,
                "id_number": r.id_number,
                "gender": r.gender,
                "birth_date": r.birth_date,
                "phone": r.phone,
                "community": r.community,
                "grid": r.grid,
                "address": r.address,
                "tags": tags_text(resident_tags) if resident_tags else None,
                "notes": r.notes,
            }


@contextmanager
def _streaming_cache(session: Session) -> Iterator[None]:
    """A small SQLite page cache while streaming: each page is read once, so the engine's
    64 MiB cache would only add memory (PERF-FLOORS: export +≤ 50 MB); restored after."""
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    conn = session.connection()
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
    conn.exec_driver_sql(f"PRAGMA cache_size={STREAM_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={before}")


def _place_name(session: Session, community_id: uuid.UUID | None, grid_id: uuid.UUID | None) -> str:
    found = session.get(Community, community_id) if community_id else session.get(Grid, grid_id)
    return found.name if found is not None else "（已删除）"


def describe_query(session: Session, query: search.ResidentQuery) -> str:
    """The filter in words for the audit log (an ID number typed as search text is masked)."""
    parts = []
    text = query.text.strip()
    if text:
        digits = sum(c.isdigit() for c in text)
        parts.append(f"搜索“{mask_id_number(text) if digits >= 7 else text}”")
    if query.community_id is not None:
        parts.append(f"社区：{_place_name(session, query.community_id, None)}")
    if query.grid_id is not None:
        parts.append(f"网格：{_place_name(session, None, query.grid_id)}")
    if query.tag:
        parts.append(f"标签：{tag_label(query.tag)}")
    if query.deleted:
        parts.append("回收站")
    return "、".join(parts) or "全部居民"


def export_residents(
    db: Database,
    actor: Actor,
    query: search.ResidentQuery,
    path: Path,
    *,
    full: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the residents ``query`` matches to ``path``; return the number of rows.

    ID numbers and phones are masked unless ``full`` (which needs the export-sensitive
    grant). The export is audited (rows, filter, full or masked) after the file is written;
    a cancelled or failed export leaves no file and no audit entry.
    """
    actor.require(Resource.RESIDENT, Action.EXPORT)
    if full:
        actor.require(Resource.RESIDENT, Action.EXPORT_SENSITIVE)
    path = Path(path)
    with db.reader() as session, _streaming_cache(session):
        total = search.count(session, actor, query)
        described = describe_query(session, query)
        written = write_table(
            path,
            resident_columns(),
            _rows(session, actor, query),
            sheet_title=SHEET_TITLE,
            full=full,
            total=total,
            progress=progress,
            cancel=cancel,
        )
    kind = "含完整证件号码和电话" if full else "证件号码和电话已脱敏"
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type=RECORD_TYPE,
            label="居民名单",
            detail=f"导出居民 {written} 行（{kind}）；筛选：{described}；文件：{path.name}",
        )
    return written
