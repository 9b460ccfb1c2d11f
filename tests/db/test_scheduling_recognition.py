"""Recognition and retention: top volunteers, inactive for 90 days, new this month,
monthly activity and turnover; the station calendar table; settings validation."""

from __future__ import annotations

from datetime import date

import pytest

from tests.db.volunteers_support import add_volunteer
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.scheduling import hours as hours_service
from wushe_desktop.scheduling.stats import retention, top_volunteers
from wushe_desktop.scheduling.workdays import (
    list_station_days,
    load_calendar,
    remove_station_day,
    set_station_day,
)
from wushe_desktop.volunteers.service import set_status
from wushe_desktop.volunteers.settings import VolunteerRules, save_rules

ON = date(2026, 6, 15)


def _serve(db: Database, actor: Actor, vid: object, day: date, minutes: int) -> None:
    with db.transaction() as s:
        row = hours_service.record_outside_shift(
            s,
            actor,
            vid,
            served_on=day,
            title="助老",
            minutes=minutes,
            approver="站长",
            recorded_on=day,  # type: ignore[arg-type]
        )
        hours_service.approve_hours(s, actor, [row.id])


def test_top_volunteers_and_retention(db: Database, director: Actor) -> None:
    old = add_volunteer(db, director, "老王", registered_on=date(2025, 1, 1))
    busy = add_volunteer(db, director, "小李", registered_on=date(2025, 3, 1))
    gone = add_volunteer(db, director, "阿张", registered_on=date(2025, 3, 1))
    new = add_volunteer(db, director, "新人", registered_on=date(2026, 6, 2), today=ON)
    _serve(db, director, old, date(2026, 1, 10), 120)  # more than 90 days ago
    _serve(db, director, busy, date(2026, 6, 1), 300)
    _serve(db, director, busy, date(2026, 5, 20), 60)
    _serve(db, director, new, date(2026, 6, 10), 90)
    with db.transaction() as s:
        set_status(s, director, gone, "退出", "搬离本镇", on=date(2026, 5, 3))
        top = top_volunteers(s, director, date(2026, 1, 1), date(2026, 6, 30))
        r = retention(s, director, on=ON, months=3)
    assert [(name, minutes, services) for _id, name, _no, minutes, services in top] == [
        ("小李", 360, 2),
        ("老王", 120, 1),
        ("新人", 90, 1),
    ]
    assert [name for _id, name, _last in r.inactive_90] == ["老王"]
    assert r.inactive_90[0][2] == date(2026, 1, 10)
    assert [name for _id, name, _day in r.new_this_month] == ["新人"]
    assert [(m.month, m.active, m.new, m.left) for m in r.months] == [
        (date(2026, 4, 1), 0, 0, 0),
        (date(2026, 5, 1), 1, 0, 1),
        (date(2026, 6, 1), 2, 1, 0),
    ]
    may = r.months[1]
    assert may.registered_at_start == 3 and may.turnover == pytest.approx(1 / 3)


def test_station_calendar_table(db: Database, director: Actor) -> None:
    with db.transaction() as s:
        set_station_day(s, director, date(2027, 10, 1), "休", "国庆节")
        set_station_day(s, director, date(2027, 10, 9), "班", "国庆调休")
        set_station_day(s, director, date(2027, 10, 9), "班", "国庆调休上班")
        with pytest.raises(ValidationError, match="类型应为"):
            set_station_day(s, director, date(2027, 10, 2), "假")
        days = list_station_days(s, director, 2027)
        cal = load_calendar(s, director.station_id)
        assert cal.holiday_name(date(2027, 10, 1)) == "国庆节"
        assert cal.is_makeup_workday(date(2027, 10, 9))
        assert cal.warnings() == []
        remove_station_day(s, director, date(2027, 10, 9))
        assert len(list_station_days(s, director, 2027)) == 1
    assert days == [(date(2027, 10, 1), "休", "国庆节"), (date(2027, 10, 9), "班", "国庆调休上班")]


def test_settings_are_validated(db: Database, director: Actor) -> None:
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="逐级递增"):
            save_rules(s, director, VolunteerRules(star_hours=(100, 50, 600, 1000, 1500)))
        with pytest.raises(ValidationError, match="取整单位"):
            save_rules(s, director, VolunteerRules(rounding_minutes=7))
        saved = save_rules(
            s, director, VolunteerRules(star_months=(6, 6, 12, 12, 12), issuer_head="刘站长")
        )
    assert saved.star_months == (6, 6, 12, 12, 12) and saved.issuer_name == "清河街道社工站"
