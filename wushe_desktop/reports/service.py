"""Report use cases: the content to print (locked snapshot or live), and writing the files.

The GUI and the command line call these; they never compute figures themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress, sub_progress
from wushe_desktop.reports.content import ReportContent, build_content
from wushe_desktop.reports.locks import RECORD_TYPE, get_notes, locked_content
from wushe_desktop.reports.periods import Period
from wushe_desktop.reports.scope import Scope, ScopeKind

__all__ = ["WrittenReport", "record_output", "report_content", "write_report"]


def report_content(
    session: Session,
    actor: Actor,
    period: Period,
    scope: Scope,
    *,
    live: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ReportContent:
    """What the report prints: the locked snapshot when the period is locked (unless
    ``live``), else the figures now with the texts saved for the period. A district user's
    district-wide scope gets the district report (stations side by side, rankings)."""
    if scope.kind is ScopeKind.DISTRICT and actor.is_district:
        from wushe_desktop.reports.district import build_district_content

        return build_district_content(session, actor, period, progress=progress, cancel=cancel)
    if not live:
        locked = locked_content(session, actor, period, scope)
        if locked is not None:
            progress(0.9, "已定稿：使用定稿时的数据")
            return locked
    notes = get_notes(session, actor, period, scope)
    return build_content(
        session,
        actor,
        period,
        scope,
        problems=notes.problems,
        plan=notes.plan,
        progress=progress,
        cancel=cancel,
    )


@dataclass(frozen=True)
class WrittenReport:
    content: ReportContent
    pdf: Path | None
    xlsx: Path | None
    pages: int
    sheets: int

    @property
    def locked(self) -> bool:
        return bool(self.content.data.get("locked"))


def write_report(
    session: Session,
    actor: Actor,
    period: Period,
    scope: Scope,
    *,
    pdf: Path | None = None,
    xlsx: Path | None = None,
    live: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> WrittenReport:
    """Compute (or load the locked) report and write its PDF and/or Excel twin; audited."""
    actor.require(Resource.SERVICE, Action.EXPORT)
    content = report_content(
        session,
        actor,
        period,
        scope,
        live=live,
        progress=sub_progress(progress, 0, 0.7),
        cancel=cancel,
    )
    pages = sheets = 0
    if pdf is not None:
        from wushe_desktop.reports.monthly_pdf import render_pdf

        progress(0.7, "正在排版 PDF……")
        pages = render_pdf(content, pdf, progress=sub_progress(progress, 0.7, 0.95), cancel=cancel)
    if xlsx is not None:
        from wushe_desktop.reports.monthly_excel import render_excel

        progress(0.95, "正在生成 Excel……")
        sheets = render_excel(content, xlsx, cancel=cancel)
    files = "、".join(str(p) for p in (pdf, xlsx) if p is not None)
    audit.record(
        session,
        actor,
        AuditAction.EXPORT,
        record_type=RECORD_TYPE,
        label=f"{scope.name}{period.label}工作报告",
        detail=f"生成报告{'（定稿）' if content.data.get('locked') else ''}：{files}",
        station_id=scope.station_id,
    )
    progress(1.0, "报告已生成")
    return WrittenReport(content, pdf, xlsx, pages, sheets)


def record_output(
    session: Session, actor: Actor, content: ReportContent, *, printed: bool, detail: str
) -> None:
    """Audit a report saved or printed from the preview (the GUI writes the file itself)."""
    actor.require(Resource.SERVICE, Action.EXPORT if not printed else Action.READ)
    scope = content.scope
    audit.record(
        session,
        actor,
        AuditAction.PRINT if printed else AuditAction.EXPORT,
        record_type=RECORD_TYPE,
        label=content.title,
        detail=detail + ("（定稿）" if content.data.get("locked") else ""),
        station_id=scope.station_id,
    )
