"""How the case page shows each stage record (read-only text) and its lists (tables)."""

from __future__ import annotations

import html
from typing import Any

from wushe_desktop.cases import records as rec
from wushe_desktop.cases.case_records import RecordRow
from wushe_desktop.ui.models.table import RIGHT, Column


def _p(label: str, value: object) -> str:
    text = (
        html.escape(str(value)) if value not in (None, "") else "<span style='color:#999'>—</span>"
    )
    return f"<p><b>{html.escape(label)}：</b>{text.replace(chr(10), '<br>')}</p>"


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='4' style='border-collapse:collapse'>"
        f"<tr style='background:#eef2f7'>{head}</tr>{body}</table>"
    )


def review_html(r: RecordRow) -> str:
    if not r.review_status:
        return ""
    color = {"待审核": "#9a6700", "已通过": "#1b6e20", "退回": "#b3261e"}.get(r.review_status, "")
    who = f"（{html.escape(r.reviewer_name)}）" if r.reviewer_name else ""
    comment = f"：{html.escape(r.review_comment)}" if r.review_comment else ""
    return f"<p style='color:{color}'><b>督导审核：{r.review_status}</b>{who}{comment}</p>"


def record_html(r: RecordRow | None, empty: str) -> str:
    """The record as the tab shows it, or ``empty`` (what to do next)."""
    if r is None:
        return f"<p style='color:#777'>{html.escape(empty)}</p>"
    d = r.data
    parts = [review_html(r), _p("记录日期", r.record_date), _p("记录人", r.author_name)]
    if isinstance(d, rec.IntakeData):
        parts += [
            _p("主要问题", d.presenting_problem),
            _p("同意接受服务", "是" if d.consent_service else "否"),
            _p("同意使用个人信息", "是" if d.consent_data else "否"),
            _p("同意人", f"{d.consent_by}（{d.guardian_relation}）" if d.consent_by else "本人"),
            _p("是否接案", "接案" if d.accepted else "不予接案"),
            _p("理由", d.reason),
            _p("转介去向", d.referral_to),
        ]
    elif isinstance(d, rec.AssessmentData):
        parts += [
            _table(
                ["优先", "问题领域", "需求"], [[n.priority, n.area, n.description] for n in d.needs]
            ),
            _p("问题表现与成因", d.causes),
            _p("优势与资源", d.strengths),
            _p("风险等级", d.risk_level),
            _p("风险说明", d.risk_notes),
            _p("干预建议", d.suggestion),
            _p("前测", "；".join(f"{m.name} {m.value:g}（{m.scale}）" for m in d.pre_measures)),
        ]
    elif isinstance(d, rec.PlanData):
        parts += [
            _p("总目标", d.overall_goal),
            _table(
                ["目标", "内容", "可测量指标", "完成期限"],
                [[g.no, g.text, g.indicator, g.target_date] for g in d.goals],
            ),
            "<br>",
            _table(
                ["执行方", "执行人/机构", "做什么", "何时", "目标"],
                [[a.by, a.who, a.what, a.when, a.goal_no or "全部"] for a in d.actions],
            ),
            _p("服务协议", "已签字" if d.agreement else "未签字"),
        ]
    elif isinstance(d, rec.EvaluationData):
        parts += [
            _table(
                ["目标", "达成程度", "说明"], [[a.goal_no, a.level, a.note] for a in d.attainments]
            ),
            _p("满意度", d.satisfaction),
            _p("后测", "；".join(f"{m.name} {m.value:g}" for m in d.post_measures)),
            _p("社工意见", d.worker_opinion),
            _p("服务对象意见", d.client_opinion),
        ]
    elif isinstance(d, rec.ClosureData):
        parts += [
            _p("结案原因", d.reason),
            _p("服务总结", d.summary),
            _p("跟进计划", d.follow_up_plan),
            _p("转介去向", d.referral_to),
        ]
    return "".join(parts)


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


SERVICE_COLUMNS: list[Column[Any]] = [
    Column("日期", lambda s: _day(s.served_on), width=90),
    Column("类型", lambda s: s.service_type, width=70),
    Column("时长", lambda s: f"{s.duration_minutes} 分钟", RIGHT, width=70),
    Column("服务对象", lambda s: s.resident_name, width=80),
    Column("服务人员", lambda s: s.worker_name, width=80),
    Column("内容", lambda s: s.content, width=300, tooltip=lambda s: s.content),
]
FOLLOW_COLUMNS: list[Column[Any]] = [
    Column("计划日期", lambda r: _day(r.due_on), width=90),
    Column("回访日期", lambda r: _day(r.done_on) or "未进行", width=90),
    Column("方式", lambda r: r.data.mode, width=60),
    Column("结果", lambda r: r.data.result, width=90),
    Column("情况", lambda r: r.data.notes or r.data.purpose, width=260),
]
TIMELINE_COLUMNS: list[Column[Any]] = [
    Column("日期", lambda i: _day(i.on), width=90),
    Column("类别", lambda i: i.kind, width=50),
    Column("事项", lambda i: i.title, width=160),
    Column("说明", lambda i: i.text, width=420, tooltip=lambda i: i.text),
]
REFERRAL_COLUMNS: list[Column[Any]] = [
    Column("转介日期", lambda r: _day(r.referred_on), width=90),
    Column("对象类型", lambda r: r.target_kind, width=70),
    Column("机构/部门", lambda r: r.target_name, width=140),
    Column("原因", lambda r: r.reason, width=160),
    Column("状态", lambda r: r.status, width=60),
    Column("反馈", lambda r: r.feedback, width=200),
]
ATTACHMENT_COLUMNS: list[Column[Any]] = [
    Column("类型", lambda a: a.kind, width=80),
    Column("文件名", lambda a: a.file_name, width=220),
    Column("大小", lambda a: f"{a.size / 1024:.0f} KB", RIGHT, width=70),
    Column("SHA-256", lambda a: a.sha256[:16] + "…", width=140, tooltip=lambda a: a.sha256),
    Column("登记人", lambda a: a.added_by, width=70),
]
TASK_COLUMNS: list[Column[Any]] = [
    Column("期限", lambda t: _day(t.due_on), width=90),
    Column("待办事项", lambda t: t.title, width=200),
    Column("完成日期", lambda t: _day(t.done_on) or "未完成", width=90),
    Column("来源", lambda t: "模板" if t.from_template else "手工", width=50),
]
