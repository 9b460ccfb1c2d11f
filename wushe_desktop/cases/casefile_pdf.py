"""The printable case file (个案档案): every stage record, the services, referrals,
follow-ups, attachments and the case's history, with a signature area — A4, embedded fonts
(the shared PDF layer, GB/T 9704 geometry).

Masking: ID numbers and phones are always masked (a paper file needs neither in full). For
a minor's case, unless the director prints it, the name keeps only the surname and the
address and guardian's name are left out. Printing is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.access import load_case, require_content, resident_of
from wushe_desktop.cases.common import log
from wushe_desktop.cases.constants import RecordKind
from wushe_desktop.cases.detail import CaseDetail, open_case
from wushe_desktop.domain.masking import mask_id_number, mask_name, mask_phone
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress
from wushe_desktop.stations.models import Station

NONE = "（未填写）"


@dataclass(frozen=True)
class _Person:
    name: str
    gender: str
    id_number: str
    phone: str
    address: str


def _person(session: Session, actor: Actor, detail: CaseDetail) -> _Person:
    case = load_case(session, actor, detail.row.id)
    r = resident_of(session, case)
    strict = detail.row.is_minor and actor.role is not Role.DIRECTOR
    return _Person(
        name=mask_name(r.name) if strict else r.name,
        gender=r.gender or "",
        id_number=mask_id_number(r.id_number),
        phone=mask_phone(r.phone),
        address="（未成年人，地址不打印）" if strict else r.address,
    )


def _review(row: object) -> str:
    status = getattr(row, "review_status", "")
    if not status:
        return ""
    who = getattr(row, "reviewer_name", "")
    comment = getattr(row, "review_comment", "")
    return f"{status}" + (f"（{who}）" if who else "") + (f"：{comment}" if comment else "")


def _section(flow: list[object], title: str) -> None:
    from wushe_desktop.infra.pdf import section_title

    flow.append(section_title(title, 1))


def _basic(flow: list[object], d: CaseDetail, p: _Person, strict: bool) -> None:
    from wushe_desktop.infra.pdf import kv_table

    row = d.row
    family = "、".join(
        (mask_name(m.name) if strict else m.name) + (f"（{m.relation}）" if m.relation else "")
        for m in d.family
    )
    _section(flow, "一、基本信息")
    flow.append(
        kv_table(
            [
                ("个案编号", row.case_no),
                ("服务对象", p.name + ("（未成年人）" if row.is_minor else "")),
                ("性别", p.gender),
                ("年龄", f"{row.resident_age} 岁" if row.resident_age is not None else ""),
                ("证件号码", p.id_number),
                ("联系电话", p.phone),
                ("所属社区（村）", row.community_name),
                ("负责社工", row.worker_name),
                ("个案来源", row.source),
                ("风险等级", row.risk_level),
                ("问题领域", row.problem_text),
                ("当前阶段", row.stage),
                ("接案日期", row.opened_on),
                ("结案日期", row.closed_on or ""),
                ("家庭成员", family or "无"),
                ("居住地址", p.address),
            ],
            wide=("问题领域", "家庭成员", "居住地址"),
        )
    )


def _intake(flow: list[object], d: CaseDetail, strict: bool) -> None:
    from wushe_desktop.infra.pdf import kv_table, para

    _section(flow, "二、接案登记")
    r = d.record(RecordKind.INTAKE)
    if r is None:
        flow.append(para(NONE))
        return
    data = r.data
    assert isinstance(data, rec.IntakeData)
    by = data.consent_by
    if by and strict:
        by = mask_name(by)
    flow.append(
        kv_table(
            [
                ("登记日期", r.record_date),
                ("记录人", r.author_name),
                ("主要问题", data.presenting_problem),
                ("同意接受服务", data.consent_service),
                ("同意使用个人信息", data.consent_data),
                ("同意人", (f"{by}（{data.guardian_relation}）" if by else "本人")),
                ("是否接案", "接案" if data.accepted else "不予接案"),
                ("理由", data.reason),
                ("转介去向", data.referral_to),
            ],
            wide=("主要问题", "理由"),
        )
    )


def _measures(before: Sequence[rec.Measure], after: Sequence[rec.Measure]) -> list[list[object]]:
    names = list(dict.fromkeys([m.name for m in before] + [m.name for m in after]))
    pre = {m.name: m for m in before}
    post = {m.name: m for m in after}
    rows: list[list[object]] = []
    for name in names:
        a, b = pre.get(name), post.get(name)
        change = f"{b.value - a.value:+g}" if a and b else ""
        either = a or b
        scale = either.scale if either is not None else ""
        rows.append([name, scale, f"{a.value:g}" if a else "", f"{b.value:g}" if b else "", change])
    return rows


def _assessment(flow: list[object], d: CaseDetail) -> None:
    from wushe_desktop.infra.pdf import data_table, kv_table, para

    _section(flow, "三、预估")
    r = d.record(RecordKind.ASSESSMENT)
    if r is None:
        flow.append(para(NONE))
        return
    data = r.data
    assert isinstance(data, rec.AssessmentData)
    flow.append(
        kv_table(
            [
                ("预估日期", r.record_date),
                ("风险等级", data.risk_level),
                ("问题表现与成因", data.causes),
                ("优势与资源", data.strengths),
                ("风险说明", data.risk_notes),
                ("干预建议", data.suggestion),
                ("督导审核", _review(r)),
            ],
            wide=("问题表现与成因", "优势与资源", "风险说明", "干预建议", "督导审核"),
        )
    )
    flow.append(
        data_table(
            ["优先次序", "问题领域", "需求"],
            [
                [n.priority, n.area, n.description]
                for n in sorted(data.needs, key=lambda n: n.priority)
            ],
            col_widths=[0.15, 0.2, 0.65],
        )
    )


def _plan(flow: list[object], d: CaseDetail) -> None:
    from wushe_desktop.infra.pdf import data_table, kv_table, para

    _section(flow, "四、服务计划")
    r = d.record(RecordKind.PLAN)
    if r is None:
        flow.append(para(NONE))
        return
    data = r.data
    assert isinstance(data, rec.PlanData)
    flow.append(
        kv_table(
            [
                ("计划日期", r.record_date),
                ("服务协议", "已签订" if data.agreement else "未签订"),
                ("总目标", data.overall_goal),
                ("督导审核", _review(r)),
            ],
            wide=("总目标", "督导审核"),
        )
    )
    flow.append(
        data_table(
            ["目标", "内容", "可测量指标", "完成期限"],
            [[g.no, g.text, g.indicator, g.target_date] for g in data.goals],
            col_widths=[0.08, 0.37, 0.35, 0.2],
        )
    )
    flow.append(
        data_table(
            ["执行方", "执行人/机构", "行动内容", "时间", "对应目标"],
            [[a.by, a.who, a.what, a.when, a.goal_no or "全部"] for a in data.actions],
            col_widths=[0.14, 0.2, 0.36, 0.16, 0.14],
        )
    )


def _services(flow: list[object], d: CaseDetail) -> None:
    from wushe_desktop.infra.pdf import data_table

    _section(flow, "五、介入服务记录")
    flow.append(
        data_table(
            ["日期", "类型", "时长（分钟）", "服务人员", "服务内容"],
            [
                [s.served_on, s.service_type, s.duration_minutes, s.worker_name, s.content]
                for s in d.services
            ],
            col_widths=[0.17, 0.12, 0.12, 0.13, 0.46],
            align=[None, None, "right", None, None],
            empty_text="（尚无服务记录）",
        )
    )


def _evaluation(flow: list[object], d: CaseDetail) -> None:
    from wushe_desktop.infra.pdf import data_table, kv_table, para

    _section(flow, "六、成效评估")
    r = d.record(RecordKind.EVALUATION)
    if r is None:
        flow.append(para(NONE))
        return
    data = r.data
    assert isinstance(data, rec.EvaluationData)
    plan = d.record(RecordKind.PLAN)
    goals = (
        {g.no: g.text for g in plan.data.goals}
        if plan and isinstance(plan.data, rec.PlanData)
        else {}
    )
    flow.append(
        kv_table(
            [
                ("评估日期", r.record_date),
                ("服务对象满意度", data.satisfaction),
                ("社工意见", data.worker_opinion),
                ("服务对象意见", data.client_opinion),
            ],
            wide=("社工意见", "服务对象意见"),
        )
    )
    flow.append(
        data_table(
            ["目标", "内容", "达成程度", "说明"],
            [[a.goal_no, goals.get(a.goal_no, ""), a.level, a.note] for a in data.attainments],
            col_widths=[0.08, 0.42, 0.15, 0.35],
        )
    )
    assessment = d.record(RecordKind.ASSESSMENT)
    before = (
        assessment.data.pre_measures
        if assessment and isinstance(assessment.data, rec.AssessmentData)
        else []
    )
    rows = _measures(before, data.post_measures)
    if rows:
        flow.append(
            data_table(
                ["指标", "计分说明", "前测", "后测", "变化"],
                rows,
                col_widths=[0.25, 0.33, 0.14, 0.14, 0.14],
                align=[None, None, "right", "right", "right"],
            )
        )


def _closure(flow: list[object], d: CaseDetail) -> None:
    from wushe_desktop.infra.pdf import data_table, kv_table, para

    _section(flow, "七、结案与回访")
    r = d.record(RecordKind.CLOSURE)
    if r is None:
        flow.append(para("（尚未结案）"))
    else:
        data = r.data
        assert isinstance(data, rec.ClosureData)
        flow.append(
            kv_table(
                [
                    ("结案日期", r.record_date),
                    ("结案原因", data.reason),
                    ("服务总结", data.summary),
                    ("跟进计划", data.follow_up_plan),
                    ("转介去向", data.referral_to),
                    ("督导审核", _review(r)),
                ],
                wide=("服务总结", "跟进计划", "督导审核"),
            )
        )
    rows: list[list[object]] = []
    for f in d.follow_ups:
        data = f.data
        assert isinstance(data, rec.FollowUpData)
        rows.append([f.due_on or "", f.done_on or "未进行", data.mode, data.result, data.notes])
    flow.append(
        data_table(
            ["计划日期", "回访日期", "方式", "结果", "情况"],
            rows,
            col_widths=[0.17, 0.17, 0.1, 0.16, 0.4],
            empty_text="（无回访安排）",
        )
    )


def _others(flow: list[object], d: CaseDetail) -> None:
    from wushe_desktop.infra.pdf import data_table

    _section(flow, "八、转介记录")
    flow.append(
        data_table(
            ["转介日期", "对象类型", "机构/部门", "原因", "状态", "反馈"],
            [
                [f.referred_on, f.target_kind, f.target_name, f.reason, f.status, f.feedback]
                for f in d.referrals
            ],
            col_widths=[0.15, 0.12, 0.18, 0.23, 0.1, 0.22],
            empty_text="（无转介）",
        )
    )
    _section(flow, "九、附件目录")
    flow.append(
        data_table(
            ["类型", "文件名", "SHA-256（前 16 位）", "登记人"],
            [[a.kind, a.file_name, a.sha256[:16], a.added_by] for a in d.attachments],
            col_widths=[0.15, 0.45, 0.25, 0.15],
            empty_text="（无附件）",
        )
    )
    _section(flow, "十、过程记录")
    flow.append(
        data_table(
            ["日期", "事项", "说明", "操作人"],
            [
                [
                    e.on_date,
                    e.kind,
                    e.text or (f"{e.from_stage}→{e.to_stage}" if e.to_stage else ""),
                    e.actor_name,
                ]
                for e in d.events
            ],
            col_widths=[0.17, 0.15, 0.53, 0.15],
        )
    )


def case_file_story(
    session: Session, actor: Actor, case_id: uuid.UUID
) -> tuple[CaseDetail, list[object], str]:
    """The flowables of the case file (and the detail and station name), in one session."""
    from wushe_desktop.infra.pdf import section_title, signature_block

    actor.require(Resource.CASE, Action.PRINT)
    case = load_case(session, actor, case_id)
    require_content(actor, case)
    detail = open_case(session, actor, case_id)
    strict = detail.row.is_minor and actor.role is not Role.DIRECTOR
    station = session.get(Station, case.station_id)
    org = station.name if station else ""
    flow: list[object] = [section_title("个案档案", 0)]
    _basic(flow, detail, _person(session, actor, detail), strict)
    _intake(flow, detail, strict)
    _assessment(flow, detail)
    _plan(flow, detail)
    _services(flow, detail)
    _evaluation(flow, detail)
    _closure(flow, detail)
    _others(flow, detail)
    flow.append(signature_block(("负责社工", "督导", "服务对象（监护人）", "日期"), org=org))
    log(session, actor, AuditAction.PRINT, case, detail="打印个案档案")
    return detail, flow, org


def print_case_file(
    db: Database,
    actor: Actor,
    case_id: uuid.UUID,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the case file PDF to ``path`` (temp name, then rename); returns the page count.

    The print is audited in the same transaction that reads the case; if writing the file
    fails, the transaction (and its audit entry) rolls back.
    """
    from wushe_desktop.infra.pdf import PdfDocument

    with db.transaction() as session:
        detail, flow, org = case_file_story(session, actor, case_id)
        doc = PdfDocument(
            path,
            title=f"个案档案 {detail.row.case_no}",
            header_left=org,
            header_right=f"个案编号 {detail.row.case_no}",
            author=actor.display_name,
            subject="个案档案",
        )
        doc.add(*flow)
        return doc.build(progress=progress, cancel=cancel)
