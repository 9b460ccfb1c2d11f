"""Per-volunteer totals, star-level eligibility, yearly summaries, recognition and retention.

Only approved hours (已审核) count towards totals, stars and certificates; pending ones
are shown apart. Star eligibility is computed from cumulative hours and membership months
(station settings, DOMAIN-RULES §2); the awarded star is a separate record
(``VolunteerStar``), because a star is given by a body on a date, not by arithmetic.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.infra.errors import NotFound
from wushe_desktop.scheduling.facts import month_bounds
from wushe_desktop.scheduling.models import Assignment, ServiceHours
from wushe_desktop.scheduling.statuses import ABSENT, APPROVED, CHECKED_IN, PENDING
from wushe_desktop.volunteers.models import Volunteer, VolunteerStar
from wushe_desktop.volunteers.settings import VolunteerRules, get_rules

__all__ = [
    "MonthRetention",
    "Retention",
    "StarReached",
    "SummaryRow",
    "VolunteerTotals",
    "months_between",
    "retention",
    "star_eligible",
    "stars_reached",
    "top_volunteers",
    "volunteer_totals",
    "yearly_summary",
]


def months_between(start: date, end: date) -> int:
    """Completed months from ``start`` to ``end`` (2026-01-31 → 2026-02-28 is 0)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(0, months)


def star_eligible(
    total_minutes: int, registered_on: date | None, on: date, rules: VolunteerRules
) -> int:
    """The highest level (0–5) whose hours and membership months are both reached."""
    months = months_between(registered_on, on) if registered_on else 0
    level = 0
    for index, (hours, min_months) in enumerate(
        zip(rules.star_hours, rules.star_months, strict=True)
    ):
        if total_minutes >= hours * 60 and months >= min_months:
            level = index + 1
    return level


@dataclass(frozen=True)
class VolunteerTotals:
    volunteer_id: uuid.UUID
    name: str
    total_minutes: int  # approved, all time
    year_minutes: int  # approved, in ``year``
    pending_minutes: int
    services: int  # approved records
    attended: int
    absent: int
    eligible_star: int
    awarded_star: int
    next_star_minutes: int | None  # approved minutes still missing for the next level

    @property
    def attendance_rate(self) -> float | None:
        total = self.attended + self.absent
        return self.attended / total if total else None


def _load(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> Volunteer:
    actor.require(Resource.SHIFT, Action.READ)
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None:
        raise NotFound("未找到该志愿者。")
    actor.require_station(volunteer.station_id)
    return volunteer


def volunteer_totals(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    *,
    year: int | None = None,
    on: date | None = None,
) -> VolunteerTotals:
    """Hours (cumulative and for ``year``), services, attendance and star levels."""
    volunteer = _load(session, actor, volunteer_id)
    on = on or date.today()
    year = year or on.year
    rules = get_rules(session, volunteer.station_id)
    base = (ServiceHours.volunteer_id == volunteer.id, ServiceHours.served_on <= on)
    total, services = session.execute(
        select(func.coalesce(func.sum(ServiceHours.minutes), 0), func.count()).where(
            *base, ServiceHours.status == APPROVED
        )
    ).one()
    year_minutes = session.scalar(
        select(func.coalesce(func.sum(ServiceHours.minutes), 0)).where(
            *base,
            ServiceHours.status == APPROVED,
            ServiceHours.served_on >= date(year, 1, 1),
            ServiceHours.served_on <= date(year, 12, 31),
        )
    )
    pending = session.scalar(
        select(func.coalesce(func.sum(ServiceHours.minutes), 0)).where(
            *base, ServiceHours.status == PENDING
        )
    )
    counts = {
        k: v
        for k, v in session.execute(
            select(Assignment.status, func.count())
            .where(
                Assignment.volunteer_id == volunteer.id, Assignment.status.in_((CHECKED_IN, ABSENT))
            )
            .group_by(Assignment.status)
        )
    }
    awarded = session.scalar(
        select(func.max(VolunteerStar.level)).where(VolunteerStar.volunteer_id == volunteer.id)
    )
    eligible = star_eligible(int(total), volunteer.registered_on, on, rules)
    next_missing = None
    if eligible < 5:
        next_missing = max(0, rules.star_hours[eligible] * 60 - int(total))
    return VolunteerTotals(
        volunteer.id,
        volunteer.name,
        int(total),
        int(year_minutes or 0),
        int(pending or 0),
        int(services),
        int(counts.get(CHECKED_IN, 0)),
        int(counts.get(ABSENT, 0)),
        eligible,
        int(awarded or 0),
        next_missing,
    )


@dataclass(frozen=True)
class SummaryRow:
    volunteer_id: uuid.UUID
    volunteer_no: str
    name: str
    status: str
    year_minutes: int
    year_services: int
    total_minutes: int
    eligible_star: int
    awarded_star: int


def _scope(actor: Actor, column: object) -> list[ColumnElement[bool]]:
    return [] if actor.is_district else [column == actor.station_id]  # type: ignore[list-item]


def yearly_summary(
    session: Session, actor: Actor, year: int, *, on: date | None = None
) -> list[SummaryRow]:
    """Every volunteer with the year's approved hours and services and the cumulative total."""
    actor.require(Resource.SHIFT, Action.READ)
    on = on or min(date.today(), date(year, 12, 31))
    rules = get_rules(session, actor.station_id)
    approved = (*_scope(actor, ServiceHours.station_id), ServiceHours.status == APPROVED)
    year_rows = {
        vid: (int(m), int(n))
        for vid, m, n in session.execute(
            select(ServiceHours.volunteer_id, func.sum(ServiceHours.minutes), func.count())
            .where(
                *approved,
                ServiceHours.served_on >= date(year, 1, 1),
                ServiceHours.served_on <= date(year, 12, 31),
            )
            .group_by(ServiceHours.volunteer_id)
        )
    }
    totals = {
        vid: int(m)
        for vid, m in session.execute(
            select(ServiceHours.volunteer_id, func.sum(ServiceHours.minutes))
            .where(*approved, ServiceHours.served_on <= date(year, 12, 31))
            .group_by(ServiceHours.volunteer_id)
        )
    }
    awarded = {
        k: v
        for k, v in session.execute(
            select(VolunteerStar.volunteer_id, func.max(VolunteerStar.level)).group_by(
                VolunteerStar.volunteer_id
            )
        )
    }
    rows = []
    stmt = (
        select(
            Volunteer.id,
            Volunteer.volunteer_no,
            Volunteer.name,
            Volunteer.status,
            Volunteer.registered_on,
        )
        .where(*_scope(actor, Volunteer.station_id), Volunteer.deleted_at.is_(None))
        .order_by(Volunteer.name, Volunteer.id)
    )
    for vid, number, name, status, registered in session.execute(stmt):
        minutes, services = year_rows.get(vid, (0, 0))
        total = totals.get(vid, 0)
        rows.append(
            SummaryRow(
                vid,
                number,
                name,
                status,
                minutes,
                services,
                total,
                star_eligible(total, registered, on, rules),
                int(awarded.get(vid) or 0),
            )
        )
    return rows


@dataclass(frozen=True)
class StarReached:
    volunteer_id: uuid.UUID
    volunteer_no: str
    name: str
    level: int
    reached_on: date
    total_minutes: int  # at the period's end
    awarded: bool  # a star of this level (or higher) has been recorded


def stars_reached(
    session: Session, actor: Actor, date_from: date, date_to: date
) -> list[StarReached]:
    """Volunteers whose eligible star level rose within the period, with the day it did."""
    actor.require(Resource.SHIFT, Action.READ)
    rules = get_rules(session, actor.station_id)
    approved = (*_scope(actor, ServiceHours.station_id), ServiceHours.status == APPROVED)

    def totals(until: date) -> dict[uuid.UUID, int]:
        return {
            vid: int(m)
            for vid, m in session.execute(
                select(ServiceHours.volunteer_id, func.sum(ServiceHours.minutes))
                .where(*approved, ServiceHours.served_on <= until)
                .group_by(ServiceHours.volunteer_id)
            )
        }

    before = totals(date_from - timedelta(days=1))
    after = totals(date_to)
    people = {
        r.id: r
        for r in session.execute(
            select(
                Volunteer.id, Volunteer.name, Volunteer.volunteer_no, Volunteer.registered_on
            ).where(Volunteer.id.in_(list(after)), Volunteer.deleted_at.is_(None))
        )
    }
    awarded = {
        k: v
        for k, v in session.execute(
            select(VolunteerStar.volunteer_id, func.max(VolunteerStar.level))
            .where(VolunteerStar.volunteer_id.in_(list(people)))
            .group_by(VolunteerStar.volunteer_id)
        )
    }
    out = []
    for vid, person in people.items():
        start_level = star_eligible(
            before.get(vid, 0), person.registered_on, date_from - timedelta(days=1), rules
        )
        end_level = star_eligible(after[vid], person.registered_on, date_to, rules)
        if end_level <= start_level:
            continue
        reached = _day_reached(
            session,
            vid,
            running=before.get(vid, 0),
            level=end_level,
            registered=person.registered_on,
            date_from=date_from,
            date_to=date_to,
            rules=rules,
        )
        out.append(
            StarReached(
                vid,
                person.volunteer_no,
                person.name,
                end_level,
                reached,
                after[vid],
                int(awarded.get(vid) or 0) >= end_level,
            )
        )
    out.sort(key=lambda r: (-r.level, r.reached_on, r.name))
    return out


def _day_reached(
    session: Session,
    volunteer_id: uuid.UUID,
    *,
    running: int,
    level: int,
    registered: date | None,
    date_from: date,
    date_to: date,
    rules: VolunteerRules,
) -> date:
    """The first day within the period on which the volunteer became eligible for ``level``."""
    rows = session.execute(
        select(ServiceHours.served_on, func.sum(ServiceHours.minutes))
        .where(
            ServiceHours.volunteer_id == volunteer_id,
            ServiceHours.status == APPROVED,
            ServiceHours.served_on >= date_from,
            ServiceHours.served_on <= date_to,
        )
        .group_by(ServiceHours.served_on)
        .order_by(ServiceHours.served_on)
    )
    for day, minutes in rows:
        running += int(minutes)
        if star_eligible(running, registered, day, rules) >= level:
            return day
    # Hours were enough earlier; the membership months ran out within the period.
    day = date_from
    while day <= date_to and star_eligible(running, registered, day, rules) < level:
        day += timedelta(days=1)
    return day


def top_volunteers(
    session: Session, actor: Actor, date_from: date, date_to: date, *, limit: int = 20
) -> list[tuple[uuid.UUID, str, str, int, int]]:
    """(id, name, number, approved minutes, services) in the period, most hours first."""
    actor.require(Resource.SHIFT, Action.READ)
    total = func.sum(ServiceHours.minutes)
    stmt = (
        select(Volunteer.id, Volunteer.name, Volunteer.volunteer_no, total, func.count())
        .join(Volunteer, Volunteer.id == ServiceHours.volunteer_id)
        .where(
            *_scope(actor, ServiceHours.station_id),
            ServiceHours.status == APPROVED,
            ServiceHours.served_on >= date_from,
            ServiceHours.served_on <= date_to,
            Volunteer.deleted_at.is_(None),
        )
        .group_by(Volunteer.id, Volunteer.name, Volunteer.volunteer_no)
        .order_by(total.desc(), Volunteer.name)
        .limit(limit)
    )
    return [(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in session.execute(stmt)]


@dataclass(frozen=True)
class MonthRetention:
    month: date  # first day
    active: int  # volunteers with a service record in the month
    new: int  # registered in the month
    left: int  # status 退出 since a day of the month
    registered_at_start: int  # on the register (not 退出) at the month's start

    @property
    def turnover(self) -> float | None:
        return self.left / self.registered_at_start if self.registered_at_start else None


@dataclass(frozen=True)
class Retention:
    on: date
    inactive_90: list[tuple[uuid.UUID, str, date | None]]  # 在册, no service in 90 days
    new_this_month: list[tuple[uuid.UUID, str, date]]
    months: list[MonthRetention]


def retention(
    session: Session, actor: Actor, *, on: date | None = None, months: int = 12
) -> Retention:
    """Who drifted away (no service in 90 days), who is new, and monthly activity/turnover."""
    actor.require(Resource.SHIFT, Action.READ)
    on = on or date.today()
    scope_v = _scope(actor, Volunteer.station_id)
    scope_h = _scope(actor, ServiceHours.station_id)
    last = {
        k: v
        for k, v in session.execute(
            select(ServiceHours.volunteer_id, func.max(ServiceHours.served_on))
            .where(*scope_h, ServiceHours.status != "已作废", ServiceHours.served_on <= on)
            .group_by(ServiceHours.volunteer_id)
        )
    }
    people = list(
        session.execute(
            select(
                Volunteer.id,
                Volunteer.name,
                Volunteer.registered_on,
                Volunteer.status,
                Volunteer.status_since,
            )
            .where(*scope_v, Volunteer.deleted_at.is_(None))
            .order_by(Volunteer.name)
        )
    )
    cutoff = on - timedelta(days=90)
    inactive = [
        (p.id, p.name, last.get(p.id))
        for p in people
        if p.status == "在册"
        and p.registered_on <= cutoff
        and (last.get(p.id) is None or last[p.id] < cutoff)
    ]
    first, _ = month_bounds(on)
    new = [(p.id, p.name, p.registered_on) for p in people if first <= p.registered_on <= on]
    series = []
    month_start = first
    for _ in range(months):
        start, end = month_bounds(month_start)
        active = session.scalar(
            select(func.count(distinct(ServiceHours.volunteer_id))).where(
                *scope_h,
                ServiceHours.status != "已作废",
                ServiceHours.served_on >= start,
                ServiceHours.served_on <= end,
            )
        )
        series.append(
            MonthRetention(
                start,
                int(active or 0),
                sum(1 for p in people if start <= p.registered_on <= end),
                sum(
                    1
                    for p in people
                    if p.status == "退出" and p.status_since and start <= p.status_since <= end
                ),
                sum(
                    1
                    for p in people
                    if p.registered_on < start
                    and not (p.status == "退出" and p.status_since and p.status_since < start)
                ),
            )
        )
        month_start = (start - timedelta(days=1)).replace(day=1)
    series.reverse()
    return Retention(on, inactive, new, series)
