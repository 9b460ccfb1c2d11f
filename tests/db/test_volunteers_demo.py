"""The demo's volunteer step: rows written through the driver read back through the services."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.demo.generate import generate_demo
from wushe_desktop.infra.db import migrate
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Assignment, ServiceHours, Shift, Station, Volunteer
from wushe_desktop.scheduling.assignments import list_assignments
from wushe_desktop.scheduling.shifts import week_view
from wushe_desktop.scheduling.stats import volunteer_totals, yearly_summary
from wushe_desktop.scheduling.suggest import suggest
from wushe_desktop.volunteers.search import VolunteerQuery, count

AS_OF = date(2026, 11, 20)


def test_demo_volunteers_read_back(db: Database) -> None:
    summary = generate_demo(db, scale="tiny", seed=3, as_of=AS_OF)
    assert summary.counts["志愿者"] >= 8 and summary.counts["排班记录"] > 0
    with db.reader() as s:
        station = s.scalars(select(Station)).one()
        actor = Actor(None, "t", "t", Role.DIRECTOR, station.id)
        assert count(s, actor, VolunteerQuery()) == summary.counts["志愿者"]
        shifts = s.scalar(select(func.count()).select_from(Shift))
        assert shifts == summary.counts["志愿服务班次"]
        hours = list(s.scalars(select(ServiceHours).limit(50)))
        assert hours and all(h.minutes > 0 and h.served_on <= AS_OF for h in hours)
        checked = s.scalars(select(Assignment).where(Assignment.check_in_at.is_not(None))).first()
        assert checked is not None and checked.check_in_at.tzinfo is not None  # type: ignore[union-attr]
        assert checked.check_out_at > checked.check_in_at  # type: ignore[operator]
        rows = list_assignments(s, actor, checked.shift_id)
        assert any(r.credited_minutes for r in rows)
        busiest = s.scalars(
            select(ServiceHours.volunteer_id)
            .group_by(ServiceHours.volunteer_id)
            .order_by(func.sum(ServiceHours.minutes).desc())
        ).first()
        assert busiest is not None
        totals = volunteer_totals(s, actor, busiest, on=AS_OF)
        assert totals.total_minutes > 0
        assert {r.volunteer_no for r in yearly_summary(s, actor, 2026, on=AS_OF)} == set(
            s.scalars(select(Volunteer.volunteer_no))
        )
        ahead = week_view(s, actor, AS_OF + timedelta(days=7))
        if ahead:
            suggest(s, actor, ahead[0].id)


def test_demo_is_deterministic(tmp_path: Path) -> None:
    def facts(name: str) -> tuple[list[tuple[str, str | None]], int, int]:
        database = Database.open(tmp_path / name)
        migrate.upgrade(database)
        try:
            generate_demo(database, scale="tiny", seed=5, as_of=AS_OF)
            with database.reader() as s:
                people = [
                    (r.volunteer_no, r.id_number)
                    for r in s.execute(select(Volunteer).order_by(Volunteer.volunteer_no)).scalars()
                ]
                minutes = int(s.scalar(select(func.sum(ServiceHours.minutes))) or 0)
                places = int(s.scalar(select(func.count()).select_from(Assignment)) or 0)
            return people, minutes, places
        finally:
            database.dispose()

    assert facts("a.db") == facts("b.db")
