"""Suggesting volunteers for a shift: a ranked list with the reasons, and "fill the shift".

Score (0–100) of a volunteer who is 在册 and not yet in the shift:

* skill match — 40 × share of the required skills held (0 when none are required);
* available — 20 when the shift lies in the volunteer's weekly availability;
* same community — 15 when the volunteer lives in the shift's community;
* fair load — 15 × (1 − recent / most recent), recent = minutes served in the last 90 days,
  so those who served least come first;
* reliability — 10 × attended / (attended + absent) over the past year (0.8 without history).

Candidates with any conflict (``conflicts.py``) rank after every conflict-free one; ties go
by name. Facts are loaded set-wise (``facts.py``), so 3,000 volunteers rank in milliseconds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.infra.errors import ConflictError
from wushe_desktop.scheduling.assignments import AssignResult, assign
from wushe_desktop.scheduling.conflicts import Conflict, ShiftFacts, VolunteerFacts, check
from wushe_desktop.scheduling.facts import load_volunteer_facts, shift_facts
from wushe_desktop.scheduling.models import Assignment, ServiceHours
from wushe_desktop.scheduling.shifts import load_shift
from wushe_desktop.scheduling.statuses import ABSENT, ACTIVE, CHECKED_IN, VOID, WAITLIST
from wushe_desktop.scheduling.timefmt import hours_text
from wushe_desktop.stations.models import Community
from wushe_desktop.volunteers.availability import shift_slots
from wushe_desktop.volunteers.settings import get_rules

__all__ = ["RECENT_DAYS", "Suggestion", "fill_shift", "rank", "suggest"]

RECENT_DAYS = 90
RELIABILITY_DAYS = 365
NEUTRAL_RELIABILITY = 0.8


@dataclass(frozen=True)
class Suggestion:
    volunteer_id: uuid.UUID
    name: str
    volunteer_no: str
    score: float
    reasons: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    recent_minutes: int
    attended: int
    absent: int

    @property
    def ok(self) -> bool:
        return not self.conflicts

    @property
    def reasons_text(self) -> str:
        return "；".join(self.reasons)


@dataclass(frozen=True)
class History:
    recent: dict[uuid.UUID, int]
    attended: dict[uuid.UUID, int]
    absent: dict[uuid.UUID, int]


def _history(session: Session, station_id: uuid.UUID, day: date) -> History:
    """Minutes served in the last 90 days, and attended/absent places of the past year,
    per volunteer (one row each: the counts are conditional sums)."""
    recent = {
        vid: int(minutes or 0)
        for vid, minutes in session.execute(
            select(ServiceHours.volunteer_id, func.sum(ServiceHours.minutes))
            .where(
                ServiceHours.station_id == station_id,
                ServiceHours.served_on >= day - timedelta(days=RECENT_DAYS),
                ServiceHours.served_on <= day,
                ServiceHours.status != VOID,
            )
            .group_by(ServiceHours.volunteer_id)
        )
    }
    attended: dict[uuid.UUID, int] = {}
    absent: dict[uuid.UUID, int] = {}
    came = func.sum(case((Assignment.status == CHECKED_IN, 1), else_=0))
    rows = session.execute(
        select(Assignment.volunteer_id, came, func.count())
        .where(
            Assignment.station_id == station_id,
            Assignment.day >= day - timedelta(days=RELIABILITY_DAYS),
            Assignment.day < day,
            Assignment.status.in_((CHECKED_IN, ABSENT)),
        )
        .group_by(Assignment.volunteer_id)
    )
    for vid, n_came, total in rows:
        attended[vid] = int(n_came or 0)
        absent[vid] = int(total) - attended[vid]
    return History(recent, attended, absent)


def _score(
    shift: ShiftFacts, v: VolunteerFacts, history: History, needed_slots: int, most_recent: int
) -> float:
    score = 0.0
    if shift.required_skills:
        held = sum(1 for s in shift.required_skills if s in v.skills)
        score += 40 * held / len(shift.required_skills)
    if needed_slots & ~v.availability == 0:
        score += 20
    if shift.community_id is not None and v.community_id == shift.community_id:
        score += 15
    score += 15 * (1 - history.recent.get(v.id, 0) / most_recent)
    came, missed = history.attended.get(v.id, 0), history.absent.get(v.id, 0)
    score += 10 * (came / (came + missed) if came + missed else NEUTRAL_RELIABILITY)
    return round(score, 1)


def _reasons(
    shift: ShiftFacts, v: VolunteerFacts, history: History, needed_slots: int, community_name: str
) -> tuple[str, ...]:
    reasons: list[str] = []
    held = [s for s in shift.required_skills if s in v.skills]
    if held:
        reasons.append(f"技能符合：{'、'.join(held)}")
    if needed_slots & ~v.availability == 0:
        reasons.append("该时段有空")
    if shift.community_id is not None and v.community_id == shift.community_id:
        reasons.append(f"同社区（{community_name}）" if community_name else "同社区")
    reasons.append(f"近{RECENT_DAYS}天服务 {hours_text(history.recent.get(v.id, 0))} 小时")
    came, missed = history.attended.get(v.id, 0), history.absent.get(v.id, 0)
    if came + missed:
        reasons.append(f"出勤率 {came / (came + missed):.0%}（{came}/{came + missed}）")
    else:
        reasons.append("暂无出勤记录")
    return tuple(reasons)


def rank(
    shift: ShiftFacts,
    facts: dict[uuid.UUID, VolunteerFacts],
    *,
    history: History,
    community_name: str,
    conflicts_of: dict[uuid.UUID, list[Conflict]],
    limit: int | None = None,
) -> list[Suggestion]:
    """Score and order candidates (pure; see the module docstring for the weights). Every
    candidate is scored; the reasons are written for the ``limit`` best only."""
    most_recent = max((history.recent.get(v, 0) for v in facts), default=0) or 1
    needed_slots = shift_slots(shift.day.weekday(), shift.start_minute, shift.end_minute)
    scored = sorted(
        (
            (
                bool(conflicts_of.get(vid)),
                -_score(shift, v, history, needed_slots, most_recent),
                v.name,
                vid,
            )
            for vid, v in facts.items()
        )
    )
    out = []
    for conflicted, negative, _name, vid in scored[:limit]:
        v = facts[vid]
        out.append(
            Suggestion(
                vid,
                v.name,
                v.number,
                -negative,
                _reasons(shift, v, history, needed_slots, community_name),
                tuple(conflicts_of.get(vid, ())) if conflicted else (),
                history.recent.get(vid, 0),
                history.attended.get(vid, 0),
                history.absent.get(vid, 0),
            )
        )
    return out


def suggest(
    session: Session,
    actor: Actor,
    shift_id: uuid.UUID,
    *,
    limit: int = 30,
    include_conflicted: bool = True,
) -> list[Suggestion]:
    """The best candidates for a shift, conflict-free ones first, with reasons."""
    actor.require(Resource.SHIFT, Action.READ)
    shift = load_shift(session, actor, shift_id)
    facts_of_shift = shift_facts(session, shift)
    facts = load_volunteer_facts(session, shift.station_id, facts_of_shift, active_only=True)
    taken = set(
        session.scalars(
            select(Assignment.volunteer_id).where(
                Assignment.shift_id == shift.id, Assignment.status.in_((*ACTIVE, WAITLIST))
            )
        )
    )
    for vid in taken:
        facts.pop(vid, None)
    rules = get_rules(session, shift.station_id)
    conflicts_of = {vid: check(facts_of_shift, v, rules) for vid, v in facts.items()}
    if not include_conflicted:
        facts = {vid: v for vid, v in facts.items() if not conflicts_of[vid]}
    community = session.get(Community, shift.community_id) if shift.community_id else None
    ranked = rank(
        facts_of_shift,
        facts,
        history=_history(session, shift.station_id, shift.day),
        community_name=community.name if community else "",
        conflicts_of=conflicts_of,
        limit=limit,
    )
    return ranked


def fill_shift(
    session: Session, actor: Actor, shift_id: uuid.UUID, *, count: int | None = None
) -> list[tuple[str, AssignResult]]:
    """Assign the top conflict-free candidates to the open places (via 推荐, 已报名)."""
    actor.require(Resource.SHIFT, Action.ASSIGN)
    shift = load_shift(session, actor, shift_id)
    if shift.cancelled:
        raise ConflictError("该班次已取消，不能再安排志愿者。")
    filled = int(
        session.scalar(
            select(func.count()).where(
                Assignment.shift_id == shift.id, Assignment.status.in_(ACTIVE)
            )
        )
        or 0
    )
    open_places = max(0, shift.needed - filled)
    want = open_places if count is None else min(count, open_places)
    if want == 0:
        return []
    candidates = suggest(session, actor, shift_id, limit=want, include_conflicted=False)
    return [
        (c.name, assign(session, actor, shift_id, c.volunteer_id, via="推荐")) for c in candidates
    ]
