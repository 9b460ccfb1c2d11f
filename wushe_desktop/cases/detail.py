"""Opening a case: everything the case page shows, read in a few queries, and its timeline.

Opening the content is a sensitive view (PIPL access log): one audit entry per opening.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.access import load_case, require_content
from wushe_desktop.cases.attachments import AttachmentRow, case_attachments
from wushe_desktop.cases.case_records import RecordRow, case_records
from wushe_desktop.cases.common import log, review_on
from wushe_desktop.cases.constants import RecordKind
from wushe_desktop.cases.interventions import interventions
from wushe_desktop.cases.models import CaseEvent
from wushe_desktop.cases.referrals import ReferralRow, case_referrals
from wushe_desktop.cases.rows import CaseRow, FamilyMember, family_of
from wushe_desktop.cases.service import get_case
from wushe_desktop.cases.stages import StageCheck, check_next
from wushe_desktop.cases.tasks import TaskRow, case_tasks
from wushe_desktop.service_records.rows import ServiceRecordRow


@dataclass(frozen=True)
class EventRow:
    id: uuid.UUID
    on_date: date
    at: datetime
    kind: str
    from_stage: str
    to_stage: str
    text: str
    actor_name: str


@dataclass(frozen=True)
class TimelineItem:
    on: date
    at: datetime | None  # tie-break within a day
    kind: str  # 事件 / 记录 / 服务 / 转介 / 附件 / 待办
    title: str
    text: str
    ref_id: uuid.UUID


@dataclass(frozen=True)
class CaseDetail:
    row: CaseRow
    family: list[FamilyMember]
    records: list[RecordRow]  # archived ones included (marked)
    services: list[ServiceRecordRow]
    referrals: list[ReferralRow]
    attachments: list[AttachmentRow]
    tasks: list[TaskRow]
    events: list[EventRow]
    next_check: StageCheck | None
    review_enabled: bool

    def record(self, kind: str) -> RecordRow | None:
        """The live record of a single kind (intake … closure)."""
        live = [r for r in self.records if r.kind == kind and not r.archived]
        return live[-1] if live else None

    @property
    def follow_ups(self) -> list[RecordRow]:
        return [r for r in self.records if r.kind == RecordKind.FOLLOW_UP and not r.archived]

    def timeline(self) -> list[TimelineItem]:
        return build_timeline(self)


def case_events(session: Session, actor: Actor, case_id: uuid.UUID) -> list[EventRow]:
    case = load_case(session, actor, case_id)
    require_content(actor, case)
    stmt = select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at)
    return [
        EventRow(e.id, e.on_date, e.at, e.kind, e.from_stage, e.to_stage, e.text, e.actor_name)
        for e in session.scalars(stmt)
    ]


def open_case(session: Session, actor: Actor, case_id: uuid.UUID) -> CaseDetail:
    """The case page's data; refuses (PermissionDenied) those who may not read the content.

    Call it in ``db.transaction()``: the access-log entry is written in the same unit of work.
    """
    case = load_case(session, actor, case_id)
    require_content(actor, case)
    detail = CaseDetail(
        row=get_case(session, actor, case.id),
        family=family_of(case.family),
        records=case_records(session, actor, case.id),
        services=interventions(session, actor, case.id),
        referrals=case_referrals(session, actor, case.id),
        attachments=case_attachments(session, actor, case.id),
        tasks=case_tasks(session, actor, case.id),
        events=case_events(session, actor, case.id),
        next_check=check_next(session, actor, case.id),
        review_enabled=review_on(session, actor, case.station_id),
    )
    log(session, actor, AuditAction.VIEW_SENSITIVE, case, detail="查看个案内容")
    return detail


def _record_text(r: RecordRow) -> str:
    d = r.data
    if isinstance(d, rec.IntakeData):
        return ("接案" if d.accepted else "不予接案") + f"；主要问题：{d.presenting_problem}"
    if isinstance(d, rec.AssessmentData):
        return "需求：" + "、".join(n.area for n in d.needs) + f"；风险 {d.risk_level}"
    if isinstance(d, rec.PlanData):
        return f"总目标：{d.overall_goal}；目标 {len(d.goals)} 个，行动 {len(d.actions)} 项"
    if isinstance(d, rec.EvaluationData):
        return "；".join(f"目标{a.goal_no}{a.level}" for a in d.attainments) + f"；{d.satisfaction}"
    if isinstance(d, rec.ClosureData):
        return f"结案原因：{d.reason}；{d.summary}"
    assert isinstance(d, rec.FollowUpData)
    if r.done_on is not None:
        return f"{d.mode}回访：{d.result}；{d.notes}"
    return f"计划 {r.due_on.isoformat() if r.due_on else ''} {d.mode}回访"


def build_timeline(detail: CaseDetail) -> list[TimelineItem]:
    """Every event, record, service, referral, attachment and finished to-do, in order."""
    items: list[TimelineItem] = []
    for e in detail.events:
        stages = f"{e.from_stage}→{e.to_stage}" if e.from_stage and e.to_stage else e.to_stage
        text = "；".join(t for t in (stages, e.text) if t)
        items.append(
            TimelineItem(e.on_date, e.at, "事件", e.kind, f"{text}（{e.actor_name}）", e.id)
        )
    for r in detail.records:
        title = r.label + ("（已作废）" if r.archived else "")
        if r.review_status:
            title += f"［{r.review_status}］"
        on = r.done_on or r.record_date
        items.append(TimelineItem(on, r.created_at, "记录", title, _record_text(r), r.id))
    for s in detail.services:
        items.append(
            TimelineItem(
                s.served_on,
                None,
                "服务",
                f"{s.service_type} {s.duration_minutes}分钟",
                f"{s.resident_name}：{s.content}",
                s.id,
            )
        )
    for f in detail.referrals:
        items.append(
            TimelineItem(f.referred_on, None, "转介", f"转介至{f.target_name}", f.reason, f.id)
        )
        if f.feedback_on is not None:
            items.append(
                TimelineItem(f.feedback_on, None, "转介", f"转介反馈：{f.status}", f.feedback, f.id)
            )
    for a in detail.attachments:
        items.append(
            TimelineItem(a.created_at.date(), a.created_at, "附件", a.kind, a.file_name, a.id)
        )
    for t in detail.tasks:
        if t.done_on is not None:
            items.append(TimelineItem(t.done_on, None, "待办", f"完成：{t.title}", t.note, t.id))
    latest = datetime.max.replace(tzinfo=None)

    def key(item: TimelineItem) -> tuple[date, datetime]:
        # Within a day: what has a time in entry order, then dated-only items.
        at = item.at.replace(tzinfo=None) if item.at is not None else latest
        return item.on, at

    return sorted(items, key=key)
