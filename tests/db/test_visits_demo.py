"""The demo's visits, groups and activities: valid by the app's own rules, consistent with
their service records, and deterministic."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select

from wushe_desktop.accounts import passwords
from wushe_desktop.activities.validation import ActivityInput, clean_activity
from wushe_desktop.demo.generate import generate_demo
from wushe_desktop.groups.validation import GroupInput, clean_group
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import (
    ActivityParticipant,
    CommunityActivity,
    GroupAttendance,
    GroupMember,
    GroupSession,
    ServiceRecord,
    Visit,
    WorkGroup,
)
from wushe_desktop.visits.validation import VisitInput, clean_visit

AS_OF = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("WUSHE_ADMIN_PASSWORD", raising=False)
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


def _records(db: Database, source_type: str) -> Counter[object]:
    """source id → 服务人次 of its live service records."""
    with db.reader() as s:
        stmt = (
            select(ServiceRecord.source_id, func.sum(ServiceRecord.attendances))
            .where(ServiceRecord.source_type == source_type, ServiceRecord.deleted_at.is_(None))
            .group_by(ServiceRecord.source_id)
        )
        return Counter({sid: int(n) for sid, n in s.execute(stmt)})


def test_tiny_demo_community_work(db: Database) -> None:
    summary = generate_demo(db, scale="tiny", seed=3, as_of=AS_OF)
    assert summary.counts["探访记录"] > 50
    assert summary.counts["小组"] >= 1
    assert summary.counts["社区活动"] == 12
    with db.reader() as s:
        visits = list(s.scalars(select(Visit)))
        groups = list(s.scalars(select(WorkGroup)))
        sessions = list(s.scalars(select(GroupSession)))
        members = list(s.scalars(select(GroupMember)))
        attendance = list(s.scalars(select(GroupAttendance)))
        activities = list(s.scalars(select(CommunityActivity)))
        named = list(s.scalars(select(ActivityParticipant)))
    for v in visits:
        clean_visit(
            VisitInput(
                resident_id=v.resident_id,
                visited_on=v.visited_on,
                mode=v.mode,
                visitor_kind=v.visitor_kind,
                visitor_user_id=v.visitor_user_id,
                visitor_name=v.visitor_name,
                duration_minutes=v.duration_minutes,
                findings=v.findings,
                risk_found=v.risk_found,
                risk_description=v.risk_description,
            ),
            today=AS_OF,
        )
    assert max(v.visited_on for v in visits) <= AS_OF
    assert _records(db, "visit") == Counter({v.id: 1 for v in visits})

    by_group = {g.id: g for g in groups}
    for g in groups:
        clean_group(
            GroupInput(
                name=g.name,
                group_type=g.group_type,
                start_date=g.start_date,
                stage=g.stage,
                end_date=g.end_date,
                planned_sessions=g.planned_sessions,
                closing_evaluation=g.closing_evaluation,
            ),
            today=AS_OF,
        )
    joined = {(m.group_id, m.resident_id): m for m in members}
    session_group = {x.id: x for x in sessions}
    for x in sessions:
        group = by_group[x.group_id]
        assert group.start_date <= x.held_on < AS_OF
        assert group.end_date is None or x.held_on <= group.end_date
    for a in attendance:
        x = session_group[a.session_id]
        m = joined[(x.group_id, a.resident_id)]
        assert m.joined_on <= x.held_on and (m.left_on is None or m.left_on >= x.held_on)
    present = Counter(a.session_id for a in attendance if a.present)
    assert _records(db, "group_session") == present

    named_count = Counter(p.activity_id for p in named)
    for act in activities:
        clean_activity(
            ActivityInput(
                title=act.title,
                activity_type=act.activity_type,
                held_on=act.held_on,
                participants=act.participants,
                community_id=act.community_id,
                start_time=act.start_time,
                end_time=act.end_time,
                organizer_kind=act.organizer_kind,
                organizer_name=act.organizer_name,
                volunteers=act.volunteers,
                cost_fen=act.cost_fen,
                record=act.record,
                named=[p.resident_id for p in named if p.activity_id == act.id],
            ),
            today=AS_OF,
        )
        assert named_count[act.id] <= act.participants
    assert _records(db, "activity") == Counter({a.id: a.participants for a in activities})


def test_demo_community_work_is_deterministic(tmp_path: object) -> None:
    from pathlib import Path

    from wushe_desktop.infra.db import migrate

    assert isinstance(tmp_path, Path)
    snapshots = []
    for n in (1, 2):
        database = Database.open(tmp_path / f"d{n}.db")
        migrate.upgrade(database)
        generate_demo(database, scale="tiny", seed=5, as_of=AS_OF)
        with database.reader() as s:
            snapshots.append(
                (
                    list(s.execute(select(Visit.id, Visit.visited_on).order_by(Visit.id))),
                    list(
                        s.execute(
                            select(GroupSession.id, GroupSession.topic).order_by(GroupSession.id)
                        )
                    ),
                    list(
                        s.execute(
                            select(CommunityActivity.id, CommunityActivity.participants).order_by(
                                CommunityActivity.id
                            )
                        )
                    ),
                )
            )
        database.dispose()
    assert snapshots[0] == snapshots[1]
