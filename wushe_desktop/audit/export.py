"""The audit log to Excel (审计日志 导出Excel): the filtered entries, masked, and audited.

Entries name residents and describe their changes, so the file is personal data: it needs
the audit-export grant, and writing it adds an 导出 entry of its own (after the file is
written; a cancelled or failed export leaves neither file nor entry).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit.service import AuditAction, AuditFilter, query, record
from wushe_desktop.audit.text import RECORD_TYPES, describe, local_time
from wushe_desktop.domain.masking import mask_id_number, mask_phone
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.excel import Column, write_table
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress

__all__ = [
    "RECORD_TYPE",
    "SHEET_TITLE",
    "audit_columns",
    "describe_filter",
    "export_audit",
    "mask_free_text",
]

RECORD_TYPE = "audit"
SHEET_TITLE = "审计日志"

# A full ID number (18 digits, X check digit, or the old 15) or a mainland mobile, not part
# of a longer run of digits. Changes are masked when recorded; this guards free text.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def mask_free_text(text: str) -> str:
    """Mask any full ID number or mobile number that appears in a sentence."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(1)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(1)), text)


def audit_columns() -> list[Column]:
    return [
        Column("时间", "at", kind="datetime", width=20),
        Column("用户", "username", width=12),
        Column("电脑", "host", width=14),
        Column("操作", "action", width=12),
        Column("记录类型", "record_type", width=10),
        Column("记录", "label", width=20),
        Column("内容", "content", width=60, mask=mask_free_text),
    ]


def describe_filter(flt: AuditFilter) -> str:
    """The export's filter in words, for its own audit entry."""
    parts = []
    if flt.username:
        parts.append(f"用户：{flt.username}")
    if flt.record_type:
        parts.append(f"记录类型：{RECORD_TYPES.get(flt.record_type, flt.record_type)}")
    if flt.actions:
        parts.append(f"操作：{'、'.join(flt.actions)}")
    if flt.since or flt.until:
        since = local_time(flt.since)[:10] if flt.since else "…"
        until = local_time(flt.until - timedelta(seconds=1))[:10] if flt.until else "…"
        parts.append(f"日期：{since} 至 {until}")
    return "、".join(parts) or "全部记录"


def _rows(entries: list[Any]) -> Iterator[dict[str, object]]:
    for e in entries:
        yield {
            "at": e.at,
            "username": e.username,
            "host": e.host,
            "action": e.action,
            "record_type": RECORD_TYPES.get(e.record_type, e.record_type),
            "label": e.record_label,
            "content": describe(e),
        }


def export_audit(
    db: Database,
    actor: Actor,
    flt: AuditFilter,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the entries ``flt`` selects (newest first, up to ``flt.limit``) to ``path``;
    return the number of rows. Needs 审计日志：导出; the export is itself audited."""
    actor.require(Resource.AUDIT, Action.EXPORT)
    path = Path(path)
    with db.reader() as session:
        entries = query(session, actor, flt)
    written = write_table(
        path,
        audit_columns(),
        _rows(entries),
        sheet_title=SHEET_TITLE,
        total=len(entries),
        progress=progress,
        cancel=cancel,
    )
    with db.transaction() as session:
        record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type=RECORD_TYPE,
            label=SHEET_TITLE,
            detail=(
                f"导出审计日志 {written} 条（证件号码和电话已脱敏）；"
                f"筛选：{describe_filter(flt)}；文件：{path.name}"
            ),
        )
    return written
