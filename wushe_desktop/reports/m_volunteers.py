"""Volunteers section: registered, new, active, 人次, hours, shifts and stars.

Read-only grouped queries of the volunteers and scheduling rooms' tables written here:
``scheduling.stats`` computes per volunteer (one row each), a report needs totals per
community or station. Same rule as there: only approved (已审核) hours count. A
volunteer's community is the one on their registration.
"""

from __future__ import annotations

from sqlalchemy import and_, case, distinct, func, or_
from sqlalchemy.orm import Session

from wushe_desktop.reports.scope import Ctx, Grouped, grouped_rows, select_grouped
from wushe_desktop.scheduling.models import ServiceHours, Shift
from wushe_desktop.scheduling.statuses import APPROVED, PENDING
from wushe_desktop.volunteers.models import Volunteer, VolunteerStar

__all__ = ["volunteer_flow", "volunteer_stock"]

LEFT = "退出"  # volunteers' status for someone who left the register


def _add(out: Grouped, part: Grouped) -> None:
    for group, values in part.items():
        out.setdefault(group, {}).update(values)


def volunteer_stock(session: Session, ctx: Ctx) -> Grouped:
    """Volunteers on the register at the period's end."""
    p = ctx.period
    v = Volunteer
    key = ctx.key(v.station_id, v.community_id)
    on_register = and_(
        v.registered_on <= p.end,
        or_(v.status != LEFT, v.status_since.is_(None), v.status_since > p.end),
    )
    return grouped_rows(
        session,
        select_grouped(key, func.count()).where(
            *ctx.where(v.station_id, v.community_id), v.deleted_at.is_(None), on_register
        ),
        key,
        ["volunteers.registered"],
    )


def volunteer_flow(session: Session, ctx: Ctx) -> Grouped:
    """New volunteers, approved service (人次, hours, who), pending hours, shifts, stars."""
    p = ctx.period
    v = Volunteer
    key = ctx.key(v.station_id, v.community_id)
    scope = [*ctx.where(v.station_id, v.community_id), v.deleted_at.is_(None)]
    out = grouped_rows(
        session,
        select_grouped(key, func.count()).where(
            *scope, v.registered_on >= p.start, v.registered_on <= p.end
        ),
        key,
        ["volunteers.new"],
    )
    h = ServiceHours
    approved = h.status == APPROVED
    _add(
        out,
        grouped_rows(
            session,
            select_grouped(
                key,
                func.count(distinct(case((approved, h.volunteer_id)))),
                func.sum(case((approved, 1), else_=0)),
                func.sum(case((approved, h.minutes), else_=0)),
                func.sum(case((h.status == PENDING, h.minutes), else_=0)),
            )
            .select_from(h)
            .join(v, v.id == h.volunteer_id)
            .where(
                *scope,
                *ctx.station_only(h.station_id),
                h.served_on >= p.start,
                h.served_on <= p.end,
            ),
            key,
            [
                "volunteers.active",
                "volunteers.services",
                "volunteers.minutes",
                "volunteers.pending_minutes",
            ],
        ),
    )
    _add(
        out,
        grouped_rows(
            session,
            select_grouped(key, func.count())
            .select_from(VolunteerStar)
            .join(v, v.id == VolunteerStar.volunteer_id)
            .where(*scope, VolunteerStar.awarded_on >= p.start, VolunteerStar.awarded_on <= p.end),
            key,
            ["volunteers.stars"],
        ),
    )
    skey = ctx.key(Shift.station_id, Shift.community_id)
    _add(
        out,
        grouped_rows(
            session,
            select_grouped(skey, func.count()).where(
                *ctx.where(Shift.station_id, Shift.community_id),
                Shift.cancelled.is_(False),
                Shift.day >= p.start,
                Shift.day <= p.end,
            ),
            skey,
            ["volunteers.shifts"],
        ),
    )
    return out
