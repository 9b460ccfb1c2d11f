"""Suggestion ranking on a hand-built case, filling a shift, and recurring series."""

from __future__ import annotations

from datetime import date

from tests.db.residents_support import make_places
from tests.db.scheduling_support import china, make_activity, make_shift
from tests.db.volunteers_support import add_volunteer
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Station
from wushe_desktop.scheduling.assignments import assign, list_assignments, mark_absent
from wushe_desktop.scheduling.checkin import check_in, check_out
from wushe_desktop.scheduling.recurrence import Rule
from wushe_desktop.scheduling.shifts import ShiftInput, create_series, list_shifts, week_view
from wushe_desktop.scheduling.suggest import fill_shift, suggest
from wushe_desktop.volunteers.availability import parse_availability
from wushe_desktop.volunteers.service import set_status

SAT = date(2026, 3, 14)
PAST = date(2026, 3, 7)


def test_ranking_with_reasons(db: Database, director: Actor, station: Station) -> None:
    places = make_places(db, station)
    here, there = places.qinghe, places.lihe
    med = ("医疗护理",)
    a = add_volunteer(db, director, "阿甲", community_id=here, skills=med)  # 40+20+15+15+8 = 98
    b = add_volunteer(db, director, "阿乙", community_id=there, skills=med)  # 40+20+0+15+8 = 83
    c = add_volunteer(db, director, "阿丙", community_id=here)  # no skill: a conflict
    d = add_volunteer(db, director, "阿丁", community_id=here, skills=med)  # busy, reliable: 85
    e = add_volunteer(db, director, "阿戊", community_id=here, skills=med)  # paused
    f = add_volunteer(db, director, "阿己", community_id=here, skills=med)  # already in
    g = add_volunteer(db, director, "阿庚", community_id=here, skills=med)  # once absent: 90
    h = add_volunteer(  # weekdays only: no 20 for availability, and a conflict
        db,
        director,
        "阿辛",
        community_id=here,
        skills=med,
        availability=parse_availability("工作日全天"),
    )
    act = make_activity(db, director, community_id=here)
    past = make_shift(db, director, act, PAST, needed=5)
    shift = make_shift(db, director, act, SAT, "09:00", "11:00", needed=3, required_skills=med)
    with db.transaction() as s:
        done = assign(s, director, past, d).assignment_id
        check_in(s, director, done, at=china(PAST, 9, 0))
        check_out(s, director, done, at=china(PAST, 11, 30), recorded_on=PAST)
        mark_absent(s, director, assign(s, director, past, g).assignment_id)
        set_status(s, director, e, "暂停", "外出务工")
        assign(s, director, shift, f)
        ranked = suggest(s, director, shift)
    order = [(r.name, r.score, r.ok) for r in ranked]
    assert order == [
        ("阿甲", 98.0, True),
        ("阿庚", 90.0, True),
        ("阿丁", 85.0, True),
        ("阿乙", 83.0, True),
        ("阿辛", 78.0, False),
        ("阿丙", 58.0, False),
    ]
    top = ranked[0]
    assert top.reasons == (
        "技能符合：医疗护理",
        "该时段有空",
        "同社区（清河社区）",
        "近90天服务 0.0 小时",
        "暂无出勤记录",
    )
    assert ranked[2].reasons[-2:] == ("近90天服务 2.5 小时", "出勤率 100%（1/1）")
    assert ranked[1].reasons[-1] == "出勤率 0%（0/1）"
    assert [c.code for c in ranked[-1].conflicts] == ["skill"]
    assert {r.volunteer_id for r in ranked}.isdisjoint({e, f})
    assert b in {r.volunteer_id for r in ranked} and c in {r.volunteer_id for r in ranked}
    assert a == top.volunteer_id and h == ranked[4].volunteer_id


def test_fill_the_shift_with_top_candidates(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, needed=2, required_skills=("驾驶",))
    for name in ("甲", "乙"):
        add_volunteer(db, director, name, skills=("驾驶",))
    add_volunteer(db, director, "丙")  # no skill: never picked
    with db.transaction() as s:
        filled = fill_shift(s, director, shift)
        rows = list_assignments(s, director, shift)
        assert fill_shift(s, director, shift) == []  # already full
    assert sorted(name for name, _ in filled) == ["乙", "甲"]
    assert {(r.status, r.via) for r in rows} == {("已报名", "推荐")}


def test_publish_a_month_of_recurring_shifts(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    rule = Rule("weekly", date(2026, 9, 1), weekdays=(1, 5), until=date(2026, 10, 31))
    template = ShiftInput(day=date(2026, 9, 1), start_minute=540, end_minute=690, needed=4)
    with db.transaction() as s:
        result = create_series(s, director, act, rule, template)
        shifts = list_shifts(s, director, date(2026, 9, 1), date(2026, 10, 31))
        week = week_view(s, director, date(2026, 10, 7))
    assert len(result.shift_ids) == len(shifts) == 15
    skipped = [d for d, _ in result.occurrences.skipped]
    assert skipped == [date(2026, 9, 26), date(2026, 10, 3), date(2026, 10, 6)]
    assert result.occurrences.notes == ["2026年10月10日（周六）为调休上班日"]
    assert [r.day for r in week] == [date(2026, 10, 10)]  # 6 Oct (Tue) is 国庆
    assert week[0].fill_state == "空缺" and week[0].time_text == "09:00–11:30"
    assert result.summary() == "已生成 15 个班次，跳过 3 天。"
