"""What a printed report contains, as plain JSON-able data (``ReportContent``).

The PDF and the Excel twin are drawn from this content only, so a locked (定稿) report is
reproduced from its stored snapshot exactly, whatever was edited afterwards. Building it
is the one place that computes: figures of the period and its comparison columns, per
community, 12-month series, highlights (anonymised) and the director's texts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop import __version__
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.activities.models import CommunityActivity
from wushe_desktop.domain.masking import mask_name
from wushe_desktop.domain.tags import TAGS
from wushe_desktop.groups.models import GroupSession, WorkGroup
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress
from wushe_desktop.reports.definitions import COVERAGE_GROUPS, DEFINITIONS, definition_of
from wushe_desktop.reports.metrics import Calculator, Value
from wushe_desktop.reports.periods import CHINA_TZ, Period, comparisons
from wushe_desktop.reports.scope import Scope
from wushe_desktop.residents.models import Resident
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.service_records.privacy import HIDDEN_TEXT, hidden_sources
from wushe_desktop.stations.models import Community

__all__ = [
    "COMMUNITY_CODES",
    "FORMAT",
    "SUMMARY_CODES",
    "ReportContent",
    "base_code",
    "build_content",
    "coverage_text",
    "display",
    "figure_label",
    "hours",
    "hours_value",
]

FORMAT = 1
MAX_HIGHLIGHTS = 12
HIGHLIGHT_CHARS = 160

#: The summary table's rows (this period vs the comparison columns).
SUMMARY_CODES: tuple[str, ...] = (
    "residents.total",
    "residents.new",
    "cases.new",
    "cases.open",
    "cases.closed",
    "cases.services",
    "groups.count",
    "groups.sessions",
    "groups.attendances",
    "activities.count",
    "activities.participants",
    "visits.count",
    "services.records",
    "services.attendances",
    "services.people",
    "services.minutes",
    "keygroups.served.all",
    "volunteers.registered",
    "volunteers.new",
    "volunteers.active",
    "volunteers.services",
    "volunteers.minutes",
)

#: The columns of the figures-by-community table.
COMMUNITY_CODES: tuple[str, ...] = (
    "residents.total",
    "keygroups.registered.all",
    "keygroups.served.all",
    "cases.open",
    "services.attendances",
    "services.people",
    "activities.count",
    "visits.count",
    "visits.overdue",
    "volunteers.registered",
)


def _half_up(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def hours_value(minutes: int) -> Decimal:
    """Minutes as hours with one decimal, half up (the volunteers room's display rule)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def hours(minutes: int) -> str:
    """``hours_value`` as printed: 19,744.4."""
    return f"{hours_value(minutes):,}"


def coverage_text(served: int | None, registered: int | None) -> str:
    """服务人数 ÷ 在册 as "12.3%" (one decimal, half up); "—" when nobody is registered."""
    if not registered or served is None:
        return "—"
    return _half_up(Decimal(served) * 100 / registered) + "%"


def coverage_ratio(served: int | None, registered: int | None) -> Decimal | None:
    if not registered or served is None:
        return None
    return (Decimal(served) * 100 / registered).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def display(code: str, value: Value) -> str:
    """A figure as printed: counts as integers, minutes as hours; None → 未登记."""
    if value is None:
        return "未登记"
    if definition_of(code).unit == "小时":
        return hours(value)
    return str(value)


def base_code(definitions: dict[str, Any], code: str) -> str:
    """The defined code a breakdown code belongs to (services.people.咨询 → services.people)."""
    while code not in definitions and "." in code:
        code = code.rsplit(".", 1)[0]
    return code


def figure_label(data: dict[str, Any], code: str) -> str:
    """A figure's label from a content's own definitions: 服务人次（咨询）, 中风险 …"""
    defs = data["definitions"]
    base = base_code(defs, code)
    label = str(defs[base][0])
    key = code[len(base) + 1 :]
    if not key:
        return label
    if base == "residents.tag":
        tag = TAGS.get(key)
        return tag.label if tag else key
    groups = dict(data.get("coverage_groups", []))
    if base == "residents.group":
        return str(groups.get(key, key))
    if base.startswith("keygroups."):
        key = str(groups.get(key, key))
    elif base.endswith(".risk"):
        key = f"{key}风险"
    return f"{label}（{key}）"


@dataclass
class ReportContent:
    """The report as data (``data`` is the JSON snapshot a lock stores)."""

    data: dict[str, Any]

    @property
    def period(self) -> Period:
        return Period.from_json(self.data["period"])

    @property
    def scope(self) -> Scope:
        return Scope.from_json(self.data["scope"])

    @property
    def values(self) -> dict[str, Value]:
        """This period's figures."""
        found: dict[str, Value] = self.data["columns"][0]["values"]
        return found

    @property
    def title(self) -> str:
        return str(self.data["title"])


def _mask_in(text: str, name: str) -> str:
    return text.replace(name, mask_name(name)) if name else text


def _highlights(
    session: Session, actor: Actor, period: Period, scope: Scope
) -> list[dict[str, str]]:
    """Service records marked 亮点, newest first, with names masked (张*)."""
    r = ServiceRecord
    conds = [
        r.deleted_at.is_(None),
        r.is_highlight.is_(True),
        r.served_on >= period.start,
        r.served_on <= period.end,
    ]
    if scope.station_id is not None:
        conds.append(r.station_id == scope.station_id)
    if scope.community_id is not None:
        conds.append(r.community_id == scope.community_id)
    rows = session.execute(
        select(
            r.id,
            r.served_on,
            r.service_type,
            r.content,
            r.source_type,
            r.source_id,
            r.participants,
            r.attendances,
            Resident.name,
            Community.name,
        )
        .outerjoin(Resident, Resident.id == r.resident_id)
        .outerjoin(Community, Community.id == r.community_id)
        .where(*conds)
        .order_by(r.served_on.desc(), r.id)
        .limit(MAX_HIGHLIGHTS * 3)
    ).all()
    hidden = hidden_sources(session, actor, [(row.source_type, row.source_id) for row in rows])
    sources = {row.source_id for row in rows if row.source_id is not None}
    titles: dict[uuid.UUID, str] = {}
    if sources:
        for aid, title, participants in session.execute(
            select(
                CommunityActivity.id, CommunityActivity.title, CommunityActivity.participants
            ).where(CommunityActivity.id.in_(sources))
        ):
            titles[aid] = f"社区活动“{title}”，{participants}人参与"
        for sid, name, topic in session.execute(
            select(GroupSession.id, WorkGroup.name, GroupSession.topic)
            .join(WorkGroup, WorkGroup.id == GroupSession.group_id)
            .where(GroupSession.id.in_(sources))
        ):
            titles[sid] = f"小组“{name}”：{topic}"
    out: list[dict[str, str]] = []
    seen: set[uuid.UUID] = set()
    for row in rows:
        if row.source_id is not None:
            if row.source_id in seen:  # one highlight per activity or session
                continue
            seen.add(row.source_id)
        name = row[8] or ""
        if row.source_id in hidden:
            text = HIDDEN_TEXT
        else:
            text = _mask_in((row.content or "").strip(), name)
            if len(text) > HIGHLIGHT_CHARS:
                text = text[:HIGHLIGHT_CHARS] + "……"
        about = titles.get(row.source_id) if row.source_id else None
        who = mask_name(name) if name else (f"{row.attendances}人次" if row.attendances else "")
        out.append(
            {
                "date": row.served_on.isoformat(),
                "type": row.service_type,
                "community": row[9] or "",
                "who": who,
                "about": about or "",
                "text": text,
            }
        )
        if len(out) >= MAX_HIGHLIGHTS:
            break
    return out


def _community_rows(
    session: Session, calc: Calculator, period: Period, scope: Scope
) -> list[dict[str, Any]]:
    if scope.community_id is not None:
        return []
    by = calc.figures_by(period, "community", COMMUNITY_CODES)
    stmt = select(Community.id, Community.name).order_by(Community.name)
    if scope.station_id is not None:
        stmt = stmt.where(Community.station_id == scope.station_id)
    rows = []
    for cid, name in session.execute(stmt):
        values = by.get(cid, {})
        rows.append(
            {"id": str(cid), "name": name, "values": {c: values.get(c, 0) for c in COMMUNITY_CODES}}
        )
    if None in by:  # records without a community (station-wide activities)
        values = by[None]
        rows.append(
            {
                "id": "",
                "name": "（全站/未指定社区）",
                "values": {c: values.get(c, 0) for c in COMMUNITY_CODES},
            }
        )
    return rows


def build_content(
    session: Session,
    actor: Actor,
    period: Period,
    scope: Scope,
    *,
    problems: str = "",
    plan: str = "",
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ReportContent:
    """Compute everything the report prints (the live figures)."""
    columns = comparisons(period)
    calc = Calculator(session, actor, scope, [p for _, p in columns], series_end=period)
    out_columns = []
    for index, (heading, p) in enumerate(columns):
        check_cancel(cancel)
        progress(0.1 + 0.5 * index / len(columns), f"正在统计{heading}（{p.label}）……")
        values = calc.figures(p, None if index == 0 else SUMMARY_CODES).values
        out_columns.append({"heading": heading, "period": p.as_json(), "values": values})
    check_cancel(cancel)
    progress(0.65, "正在统计各社区数据……")
    communities = _community_rows(session, calc, period, scope)
    check_cancel(cancel)
    progress(0.8, "正在统计月度趋势……")
    series = calc.series(period)
    highlights = _highlights(session, actor, period, scope)
    now = datetime.now(CHINA_TZ)
    who = scope.name
    title = f"{who}{period.label}工作报告"
    data: dict[str, Any] = {
        "format": FORMAT,
        "title": title,
        "period": period.as_json(),
        "scope": scope.as_json(),
        "generated_at": now.isoformat(timespec="seconds"),
        "generated_by": actor.display_name,
        "app_version": __version__,
        "columns": out_columns,
        "communities": communities,
        "series": {
            "months": [m.isoformat() for m in series.months],
            "values": series.values,
        },
        "highlights": highlights,
        "problems": problems,
        "plan": plan,
        "definitions": {
            code: [d.label, d.unit, d.section, d.definition] for code, d in DEFINITIONS.items()
        },
        "coverage_groups": [[g.key, g.label] for g in COVERAGE_GROUPS],
        "locked": None,
    }
    progress(0.9, "统计完成")
    return ReportContent(data)


def today_local() -> date:
    return datetime.now(CHINA_TZ).date()
