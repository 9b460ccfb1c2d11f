"""Visit schedules: due dates with fixed dates, the overdue list per community and grid,
to-dos, and the station's frequency settings."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.db.community_work_support import make_person
from tests.db.residents_support import Places, make_places
from tests.db.service_support import make_user
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.visits.overdue import DueStatus, TodoQuery, overdue_summary, visit_todos
from wushe_desktop.visits.schedule import (
    DEFAULT_FREQUENCIES,
    frequency_for,
    get_frequencies,
    is_overdue,
    list_frequencies,
    next_due,
    set_frequencies,
)
from wushe_desktop.visits.service import VisitInput, create_visit, delete_visit

TODAY = date(2025, 3, 20)


def test_next_due_and_overdue_pure() -> None:
    assert next_due(date(2025, 3, 10), 7, TODAY) == date(2025, 3, 17)
    assert is_overdue(date(2025, 3, 10), 7, TODAY)
    assert next_due(date(2025, 3, 13), 7, TODAY) == TODAY
    assert not is_overdue(date(2025, 3, 13), 7, TODAY)  # due today is not overdue yet
    assert next_due(None, 7, TODAY) == TODAY  # never visited: due today
    assert not is_overdue(None, 30, TODAY)
    assert next_due(date(2025, 2, 28), 30, TODAY) == date(2025, 3, 30)


def test_frequency_is_the_shortest_of_the_tags() -> None:
    assert frequency_for(["elderly", "elderly_advanced"], DEFAULT_FREQUENCIES) == 30
    assert frequency_for(["elderly_advanced", "elderly_alone"], DEFAULT_FREQUENCIES) == 7
    assert frequency_for(["elderly", "disabled"], DEFAULT_FREQUENCIES) is None
    assert frequency_for(["elderly_alone"], {"elderly_alone": 0}) is None


def test_defaults_cover_the_key_groups() -> None:
    assert DEFAULT_FREQUENCIES == {
        "elderly_alone": 7,
        "elderly_empty_nest": 14,
        "elderly_disabled": 7,
        "elderly_advanced": 30,
        "child_left_behind": 14,
        "child_in_difficulty": 7,
        "child_orphan": 7,
        "child_unsupported": 7,
    }


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def worker(db: Database, station: Station) -> Actor:
    return make_user(db, station, Role.SOCIAL_WORKER, "李社工")


def _visit(db: Database, worker: Actor, resident: uuid.UUID, day: date) -> uuid.UUID:
    with db.transaction() as s:
        return create_visit(
            s,
            worker,
            VisitInput(
                resident_id=resident,
                visited_on=day,
                visitor_user_id=worker.user_id,
            ),
        ).id


def _town(db: Database, places: Places, worker: Actor) -> dict[str, uuid.UUID]:
    """清河社区 grid 1: 甲 overdue, 乙 fine, 丙 never; grid 2: 丁 overdue (shortest tag wins);
    no grid: 戊 never; 里河村: 己 overdue by its last visit only (an older one is deleted
    and a later one counts), 庚 fine; not scheduled: 辛 (no schedule tag), 壬 (deleted)."""
    g1, g2 = places.qinghe_grid1, places.qinghe_grid2
    people = {
        "甲": make_person(db, places, "甲老人", "elderly", "elderly_alone", grid=g1),
        "乙": make_person(db, places, "乙老人", "elderly", "elderly_empty_nest", grid=g1),
        "丙": make_person(db, places, "丙老人", "elderly", "elderly_advanced", grid=g1),
        "丁": make_person(
            db, places, "丁老人", "elderly", "elderly_advanced", "elderly_alone", grid=g2
        ),
        "戊": make_person(
            db, places, "戊孩子", "child", "child_left_behind", birth=date(2015, 1, 1)
        ),
        "己": make_person(
            db,
            places,
            "己老人",
            "elderly",
            "elderly_disabled",
            community=places.lihe,
            grid=places.lihe_grid,
        ),
        "庚": make_person(
            db,
            places,
            "庚孩子",
            "child",
            "child_in_difficulty",
            community=places.lihe,
            grid=places.lihe_grid,
            birth=date(2012, 1, 1),
        ),
        "辛": make_person(db, places, "辛老人", "elderly", grid=g1),
        "壬": make_person(db, places, "壬老人", "elderly_alone", grid=g1, deleted=True),
    }
    _visit(db, worker, people["甲"], date(2025, 3, 10))  # due 3-17: overdue
    _visit(db, worker, people["乙"], date(2025, 3, 10))  # due 3-24: fine
    _visit(db, worker, people["丁"], date(2025, 3, 12))  # 7 days (not 30): due 3-19, overdue
    _visit(db, worker, people["己"], date(2025, 2, 1))
    late = _visit(db, worker, people["己"], date(2025, 3, 18))
    with db.transaction() as s:
        delete_visit(s, worker, late)  # the last live visit is then 2-1
    _visit(db, worker, people["庚"], date(2025, 3, 13))  # due 3-20 = today: not overdue
    _visit(db, worker, people["辛"], date(2025, 1, 1))  # not scheduled at all
    return people


def test_overdue_summary_per_community_and_grid(
    db: Database, places: Places, worker: Actor
) -> None:
    _town(db, places, worker)
    with db.reader() as s:
        rows = overdue_summary(s, worker, today=TODAY)
    table = [
        (r.community_name, r.grid_name, r.is_total, r.scheduled, r.overdue, r.never_visited)
        for r in rows
    ]
    assert table == [
        ("清河社区", "", True, 5, 2, 2),
        ("清河社区", "第一网格", False, 3, 1, 1),
        ("清河社区", "第二网格", False, 1, 1, 0),
        ("清河社区", "（未分网格）", False, 1, 0, 1),
        ("里河村", "", True, 2, 1, 0),
        ("里河村", "里河网格", False, 2, 1, 0),
    ]


def test_todos_by_status(db: Database, places: Places, worker: Actor) -> None:
    people = _town(db, places, worker)
    with db.reader() as s:
        overdue = visit_todos(s, worker, TodoQuery(status=DueStatus.OVERDUE), today=TODAY)
        due = visit_todos(s, worker, TodoQuery(status=DueStatus.DUE), today=TODAY)
        week = visit_todos(s, worker, TodoQuery(status=DueStatus.WEEK), today=TODAY)
        everyone = visit_todos(s, worker, TodoQuery(status=DueStatus.ALL), today=TODAY)
        in_grid = visit_todos(
            s, worker, TodoQuery(status=DueStatus.ALL, grid_id=places.qinghe_grid1), today=TODAY
        )
        children = visit_todos(
            s, worker, TodoQuery(status=DueStatus.ALL, tag="child_left_behind"), today=TODAY
        )
        by_name = visit_todos(s, worker, TodoQuery(status=DueStatus.ALL, text="丁"), today=TODAY)
    # Most overdue first: 己 (due 2-8), 甲 (3-17), 丁 (3-19).
    assert [t.name for t in overdue] == ["己老人", "甲老人", "丁老人"]
    first = overdue[0]
    assert (first.last_visit, first.days, first.due, first.overdue_days) == (
        date(2025, 2, 1),
        7,
        date(2025, 2, 8),
        40,
    )
    assert first.community_name == "里河村" and first.grid_name == "里河网格"
    assert first.tags_text == "失能老人"
    assert {t.name for t in due} == {"己老人", "甲老人", "丁老人", "丙老人", "戊孩子", "庚孩子"}
    never = [t for t in due if t.never_visited]
    assert {t.name for t in never} == {"丙老人", "戊孩子"}
    assert all(t.due == TODAY and t.overdue_days == 0 for t in never)
    assert {t.name for t in week} == {t.name for t in due} | {"乙老人"}
    assert len(everyone) == 7
    assert {t.name for t in in_grid} == {"甲老人", "乙老人", "丙老人"}
    assert [t.resident_id for t in children] == [people["戊"]]
    assert by_name[0].tags_text == "独居老人、高龄老人"
    assert by_name[0].days == 7


def test_station_frequencies(db: Database, station: Station, places: Places, worker: Actor) -> None:
    director = make_user(db, station, Role.DIRECTOR, "站长")
    _town(db, places, worker)
    with db.transaction() as s, pytest.raises(PermissionDenied):
        set_frequencies(s, worker, {"elderly_alone": 3})
    with db.transaction() as s, pytest.raises(ValidationError, match="0（不安排）到 366 天"):
        set_frequencies(s, director, {"elderly_alone": 400})
    with db.transaction() as s:
        # 独居 every 10 days: 甲 (3-10) due 3-20, no longer overdue; 丁 (3-12) neither.
        # 失能 not scheduled any more: 己 drops out.
        assert set_frequencies(s, director, {"elderly_alone": 10, "elderly_disabled": 0}) == 2
        assert set_frequencies(s, director, {"elderly_alone": 10}) == 0
    with db.reader() as s:
        assert get_frequencies(s, worker)["elderly_alone"] == 10
        assert "elderly_disabled" not in get_frequencies(s, worker)
        rows = {r.tag: r for r in list_frequencies(s, worker)}
        summary = overdue_summary(s, worker, today=TODAY)
    assert (rows["elderly_alone"].days, rows["elderly_alone"].default_days) == (10, 7)
    assert rows["elderly_disabled"].days == 0
    assert rows["elderly_alone"].label == "独居老人"
    totals = {r.community_name: (r.scheduled, r.overdue) for r in summary if r.is_total}
    assert totals == {"清河社区": (5, 0), "里河村": (1, 0)}
