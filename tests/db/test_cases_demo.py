"""Demo casework: every stage present, each case has the records its stage needs, the
service records count, and the reminders run on the demo data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import func, select

from wushe_desktop.accounts import passwords
from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.constants import STAGES, Stage, stage_index
from wushe_desktop.cases.models import Case, CaseRecord
from wushe_desktop.cases.reminders import my_todos
from wushe_desktop.demo.generate import generate_demo
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.service_records.models import ServiceRecord

AS_OF = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _cheap_hashing() -> Iterator[None]:
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


def test_demo_cases_are_consistent(db: Database) -> None:
    summary = generate_demo(db, scale="tiny", seed=3, as_of=AS_OF)
    assert summary.counts["个案"] == 24
    with db.reader() as s:
        cases = list(s.scalars(select(Case)))
        records = list(s.scalars(select(CaseRecord).where(CaseRecord.deleted_at.is_(None))))
        served = dict(
            s.execute(
                select(ServiceRecord.source_id, func.count())
                .where(ServiceRecord.source_type == "case")
                .group_by(ServiceRecord.source_id)
            ).all()
        )
        total = s.scalar(select(func.count()).select_from(ServiceRecord))
        numbers = [c.case_no for c in cases]
    assert {c.stage for c in cases} == {s.value for s in STAGES}
    assert len(set(numbers)) == len(numbers)
    kinds: dict[object, Counter[str]] = {}
    for r in records:
        kinds.setdefault(r.case_id, Counter())[r.kind] += 1
        rec.load(r.kind, r.data)  # every stored record reads back
    for case in cases:
        have = kinds.get(case.id, Counter())
        at = stage_index(case.stage)
        assert have["intake"] == 1, case.case_no
        closure = [r for r in records if r.case_id == case.id and r.kind == "closure"]
        refused = bool(closure) and rec.load("closure", closure[0].data).reason == "转介"  # type: ignore[union-attr]
        if at >= stage_index(Stage.PLAN):
            assert have["assessment"] == 1 or refused, case.case_no
        if at >= stage_index(Stage.EVALUATION) and not refused:
            assert have["plan"] == 1 and served.get(case.id, 0) > 0, case.case_no
        if case.stage in (Stage.CLOSED, Stage.FOLLOW_UP):
            assert have["closure"] == 1 and case.closed_on is not None, case.case_no
        if case.stage == Stage.FOLLOW_UP:
            assert any(r.done_on for r in records if r.case_id == case.id and r.kind == "follow_up")
    assert total == summary.counts["服务记录（个案/咨询/回访）"] + summary.counts.get(
        "服务记录（探访/小组/活动）", 0
    )
    with db.reader() as s:
        user = s.scalars(select(User).where(User.username == "zhanzhang")).one()
        director = Actor(user.id, user.username, user.display_name, Role.DIRECTOR, user.station_id)
        todos = my_todos(s, director, AS_OF)
    assert todos  # overdue follow-ups, service gaps or template to-dos
