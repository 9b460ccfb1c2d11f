"""Cases section: new, open at the end, closed, by risk and by stage; interventions, referrals.

Read-only queries of the cases room's tables written here (the cases room lists cases
"now"; a report needs them as of a period's end). A case's community is its resident's.
个案服务次数 (records produced by cases) comes from the service tally.
The stage at the period's end is the ``to_stage`` of the last stage event on or before it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from wushe_desktop.cases.constants import OPEN_STAGES, Stage
from wushe_desktop.cases.models import Case, CaseEvent, CaseReferral
from wushe_desktop.reports.scope import ALL, Ctx, Grouped, grouped_rows, select_grouped
from wushe_desktop.residents.models import Resident

__all__ = ["case_flow", "case_stock"]

RISKS = ("高", "中", "低")
OPEN_STAGE_ORDER = tuple(s.value for s in Stage if s.value in OPEN_STAGES)


def _n(cond: Any) -> Any:
    return func.sum(case((cond, 1), else_=0))


def _scope(ctx: Ctx) -> list[Any]:
    return [*ctx.where(Case.station_id, Resident.community_id), Case.deleted_at.is_(None)]


def _is_open(ctx: Ctx) -> Any:
    end = ctx.period.end
    return and_(Case.opened_on <= end, or_(Case.closed_on.is_(None), Case.closed_on > end))


def _add_keyed(out: Grouped, stmt: Any, key: Any, prefix: str) -> None:
    """Rows of (key?, breakdown, count) into ``prefix.<breakdown>`` codes."""
    for row in stmt:
        values = list(row)
        group = values.pop(0) if key is not None else ALL
        name, count = values
        code = f"{prefix}.{name}"
        target = out.setdefault(group, {})
        target[code] = target.get(code, 0) + int(count or 0)


def case_flow(session: Session, ctx: Ctx) -> Grouped:
    """New and closed cases (new by risk) and referrals within the period."""
    p = ctx.period
    key = ctx.key(Case.station_id, Resident.community_id)
    is_new = and_(Case.opened_on >= p.start, Case.opened_on <= p.end)
    is_closed = and_(Case.closed_on >= p.start, Case.closed_on <= p.end)
    out = grouped_rows(
        session,
        select_grouped(key, _n(is_new), _n(is_closed))
        .select_from(Case)
        .join(Resident, Resident.id == Case.resident_id)
        .where(*_scope(ctx), Case.opened_on <= p.end),
        key,
        ["cases.new", "cases.closed"],
    )
    by_risk: Any = (
        select_grouped(key, Case.risk_level, func.count())
        .select_from(Case)
        .join(Resident, Resident.id == Case.resident_id)
        .where(*_scope(ctx), is_new)
        .group_by(Case.risk_level)
    )
    if ctx.wants("cases.new.risk"):
        _add_keyed(out, session.execute(by_risk), key, "cases.new.risk")
    if ctx.wants("cases.referrals"):
        _referrals(session, ctx, out)
    return out


def case_stock(session: Session, ctx: Ctx) -> Grouped:
    """Cases open at the period's end, by risk and by the stage they were in then."""
    key = ctx.key(Case.station_id, Resident.community_id)
    is_open = _is_open(ctx)
    out = grouped_rows(
        session,
        select_grouped(key, func.count())
        .select_from(Case)
        .join(Resident, Resident.id == Case.resident_id)
        .where(*_scope(ctx), is_open),
        key,
        ["cases.open"],
    )
    by_risk: Any = (
        select_grouped(key, Case.risk_level, func.count())
        .select_from(Case)
        .join(Resident, Resident.id == Case.resident_id)
        .where(*_scope(ctx), is_open)
        .group_by(Case.risk_level)
    )
    if ctx.wants("cases.open.risk"):
        _add_keyed(out, session.execute(by_risk), key, "cases.open.risk")
    if ctx.wants("cases.open.stage"):
        _stages(session, ctx, out)
    return out


def _stages(session: Session, ctx: Ctx, out: Grouped) -> None:
    """Open cases by their stage at the period's end (one query with a window function)."""
    ranked = (
        select(
            CaseEvent.case_id,
            CaseEvent.to_stage,
            func.row_number()
            .over(
                partition_by=CaseEvent.case_id,
                order_by=(CaseEvent.on_date.desc(), CaseEvent.at.desc(), CaseEvent.id.desc()),
            )
            .label("rn"),
        )
        .where(CaseEvent.on_date <= ctx.period.end, CaseEvent.to_stage != "")
        .subquery("ranked")
    )
    last = select(ranked.c.case_id, ranked.c.to_stage).where(ranked.c.rn == 1).subquery("last")
    key = ctx.key(Case.station_id, Resident.community_id)
    stage = func.coalesce(last.c.to_stage, Stage.INTAKE.value)
    stmt: Any = (
        select_grouped(key, stage, func.count())
        .select_from(Case)
        .join(Resident, Resident.id == Case.resident_id)
        .outerjoin(last, last.c.case_id == Case.id)
        .where(*_scope(ctx), _is_open(ctx))
        .group_by(stage)
    )
    _add_keyed(out, session.execute(stmt), key, "cases.open.stage")


def _referrals(session: Session, ctx: Ctx, out: Grouped) -> None:
    p = ctx.period
    key = ctx.key(CaseReferral.station_id, Resident.community_id)
    stmt = (
        select_grouped(key, func.count())
        .select_from(CaseReferral)
        .join(Case, Case.id == CaseReferral.case_id)
        .join(Resident, Resident.id == Case.resident_id)
        .where(
            *ctx.where(CaseReferral.station_id, Resident.community_id),
            CaseReferral.deleted_at.is_(None),
            Case.deleted_at.is_(None),
            CaseReferral.referred_on >= p.start,
            CaseReferral.referred_on <= p.end,
        )
    )
    for group, values in grouped_rows(session, stmt, key, ["cases.referrals"]).items():
        out.setdefault(group, {}).update(values)
