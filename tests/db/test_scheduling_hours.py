"""Check-in and check-out, credited hours, approval, corrections, late records, totals."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_actor
from tests.db.scheduling_support import china, make_activity, make_shift
from tests.db.volunteers_support import add_volunteer
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.scheduling import hours as hours_service
from wushe_desktop.scheduling.assignments import (
    assign,
    cancel_assignment,
    list_assignments,
    mark_absent,
)
from wushe_desktop.scheduling.checkin import (
    bulk_check_in,
    bulk_check_out,
    check_in,
    check_out,
    desk_items,
)
from wushe_desktop.scheduling.stats import stars_reached, volunteer_totals, yearly_summary
from wushe_desktop.volunteers.records import add_star
from wushe_desktop.volunteers.search import front_desk
from wushe_desktop.volunteers.settings import VolunteerRules, save_rules

SAT = date(2026, 3, 14)


@pytest.fixture
def coordinator(station: Station) -> Actor:
    return make_actor(station, Role.COORDINATOR, "xietiao")


def test_check_in_out_credits_actual_minutes(
    db: Database, director: Actor, coordinator: Actor
) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, "09:00", "11:30")
    v = add_volunteer(db, director, "张三")
    with db.transaction() as s:
        aid = assign(s, director, shift, v).assignment_id
        with pytest.raises(ConflictError, match="尚未签到"):
            check_out(s, director, aid, at=china(SAT, 11, 30))
        with pytest.raises(ValidationError, match="签到时间不在班次当天"):
            check_in(s, director, aid, at=china(date(2026, 3, 13), 9, 0))
        check_in(s, director, aid, at=china(SAT, 9, 2, 40))
        with pytest.raises(ConflictError, match="已签到"):
            check_in(s, director, aid, at=china(SAT, 9, 5))
        credited = check_out(s, director, aid, at=china(SAT, 11, 31, 45), recorded_on=SAT)
        row = list_assignments(s, director, shift)[0]
        [record] = hours_service.list_hours(s, director, volunteer_id=v)
    assert credited == 149  # 09:02:40 → 11:31:45 is 149 whole minutes
    assert row.status == "已签到" and row.credited_minutes == 149
    assert (record.actual_minutes, record.minutes, record.status, record.late) == (
        149,
        149,
        "待审核",
        False,
    )
    assert record.title == "社区助老服务" and record.content == "陪伴老人、测量血压"
    assert record.hours == "2.5"


def test_rounding_step_from_settings(db: Database, director: Actor) -> None:
    with db.transaction() as s:
        save_rules(s, director, VolunteerRules(rounding_minutes=15))
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT)
    v = add_volunteer(db, director, "李四")
    with db.transaction() as s:
        aid = assign(s, director, shift, v).assignment_id
        check_in(s, director, aid, at=china(SAT, 9, 0))
        assert check_out(s, director, aid, at=china(SAT, 11, 29), recorded_on=SAT) == 135


def test_late_record_is_flagged(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    day = date(2026, 9, 30)
    shift = make_shift(db, director, act, day)
    v = add_volunteer(db, director, "王五")
    with db.transaction() as s:
        aid = assign(s, director, shift, v).assignment_id
        check_in(s, director, aid, at=china(day, 9, 0))
        check_out(s, director, aid, at=china(day, 11, 0), recorded_on=date(2026, 10, 21))
        [record] = hours_service.list_hours(s, director, volunteer_id=v)
        entry = s.query(AuditEntry).filter(AuditEntry.detail.like("签退%")).one()
    assert record.late and record.recorded_on == date(2026, 10, 21)
    assert "超过记录时限" in entry.detail


def test_bulk_check_in_and_out_for_a_shift(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, needed=3)
    ids = [add_volunteer(db, director, n) for n in ("甲", "乙", "丙")]
    with db.transaction() as s:
        rows = [assign(s, director, shift, v).assignment_id for v in ids]
        mark_absent(s, director, rows[2], "未到")
        assert bulk_check_in(s, director, shift, at=china(SAT, 8, 58)) == 2
        items = desk_items(s, director, SAT)
        assert {i.action for i in items} == {"签退"}
        assert bulk_check_out(s, director, shift, at=china(SAT, 11, 30)) == 2
        records = hours_service.list_hours(s, director)
    assert sorted(r.minutes for r in records) == [152, 152]
    assert {r.volunteer_name for r in records} == {"甲", "乙"}  # none for the absent one


def test_front_desk_by_phone_tail(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT)
    v = add_volunteer(db, director, "赵六", phone="13912345678")
    with db.transaction() as s:
        assign(s, director, shift, v)
        found = front_desk(s, director, "5678")
        items = desk_items(s, director, SAT, volunteer_ids=[r.id for r in found])
    assert [(i.name, i.title, i.action) for i in items] == [("赵六", "社区助老服务", "签到")]


def test_approval_and_correction_keep_the_original(
    db: Database, director: Actor, coordinator: Actor, station: Station
) -> None:
    worker = make_actor(station, Role.SOCIAL_WORKER, "shegong")
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT)
    v = add_volunteer(db, director, "钱七")
    with db.transaction() as s:
        aid = assign(s, director, shift, v).assignment_id
        check_in(s, director, aid, at=china(SAT, 9, 0))
        check_out(s, director, aid, at=china(SAT, 11, 30), recorded_on=SAT)
        [record] = hours_service.list_hours(s, director, volunteer_id=v)
        with pytest.raises(PermissionDenied):
            hours_service.approve_hours(s, worker, [record.id])
        assert hours_service.approve_hours(s, coordinator, [record.id]) == 1
        with pytest.raises(PermissionDenied):  # an approved record needs the approve right
            hours_service.correct_hours(s, worker, record.id, 120, "提前离开")
        with pytest.raises(ValidationError, match="须填写原因"):
            hours_service.correct_hours(s, coordinator, record.id, 120, " ")
        fixed = hours_service.correct_hours(s, coordinator, record.id, 120, "10:30 提前离开")
        history = hours_service.corrections(s, coordinator, record.id)
        with pytest.raises(ConflictError, match="已签到"):
            cancel_assignment(s, director, aid, "写错了")
    assert fixed.minutes == 120 and fixed.actual_minutes == 150 and fixed.corrected
    assert [(c.old_minutes, c.new_minutes, c.reason) for c in history] == [
        (150, 120, "10:30 提前离开")
    ]
    assert fixed.status == "已审核" and fixed.approver == "xietiao"


def test_hours_outside_shifts_need_an_approver(db: Database, director: Actor) -> None:
    v = add_volunteer(db, director, "孙八")
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="审核人"):
            hours_service.record_outside_shift(
                s, director, v, served_on=date(2026, 5, 4), title="义诊", minutes=90, approver=""
            )
        row = hours_service.record_outside_shift(
            s,
            director,
            v,
            served_on=date(2026, 5, 4),
            title="义诊",
            minutes=90,
            approver="刘站长",
            recorded_on=date(2026, 5, 8),
        )
    assert (row.source, row.minutes, row.approver, row.late) == ("补录", 90, "刘站长", False)
    assert row.organiser == "清河街道社工站"


def test_totals_attendance_and_star_levels(
    db: Database, director: Actor, coordinator: Actor
) -> None:
    v = add_volunteer(db, director, "周九", registered_on=date(2020, 1, 1))
    act = make_activity(db, director)
    s1 = make_shift(db, director, act, SAT)
    s2 = make_shift(db, director, act, date(2026, 3, 21))
    with db.transaction() as s:
        ids = []
        for day in (date(2025, 6, 1), date(2026, 1, 10), date(2026, 2, 1)):
            ids.append(
                hours_service.record_outside_shift(
                    s,
                    director,
                    v,
                    served_on=day,
                    title="助老",
                    minutes=600,
                    approver="刘站长",
                    recorded_on=day,
                ).id
            )
        hours_service.approve_hours(s, coordinator, ids[:2])  # the third stays pending
        a1 = assign(s, director, s1, v).assignment_id
        a2 = assign(s, director, s2, v).assignment_id
        check_in(s, director, a1, at=china(SAT, 9, 0))
        mark_absent(s, director, a2)
        totals = volunteer_totals(s, director, v, year=2026, on=date(2026, 3, 31))
    assert (totals.total_minutes, totals.year_minutes, totals.pending_minutes) == (1200, 600, 600)
    assert (totals.services, totals.attended, totals.absent, totals.attendance_rate) == (
        2,
        1,
        1,
        0.5,
    )
    assert totals.eligible_star == 0 and totals.next_star_minutes == 100 * 60 - 1200


def test_star_reached_in_period_and_awarded_record(
    db: Database, director: Actor, coordinator: Actor
) -> None:
    v = add_volunteer(db, director, "吴十", registered_on=date(2020, 1, 1))
    w = add_volunteer(db, director, "郑一", registered_on=date(2020, 1, 1))
    with db.transaction() as s:
        ids = []
        # 99 h 59 min before March, then one minute on 5 March.
        for day, minutes in (
            (date(2025, 1, 5), 719),
            *((date(2025, 2, d), 720) for d in range(1, 8)),
            (date(2025, 3, 1), 240),
            (date(2026, 3, 5), 1),
        ):
            ids.append(
                hours_service.record_outside_shift(
                    s,
                    director,
                    v,
                    served_on=day,
                    title="助老",
                    minutes=minutes,
                    approver="刘站长",
                    recorded_on=day,
                ).id
            )
        ids.append(
            hours_service.record_outside_shift(
                s,
                director,
                w,
                served_on=date(2026, 3, 6),
                title="助老",
                minutes=600,
                approver="刘站长",
                recorded_on=date(2026, 3, 6),
            ).id
        )
        hours_service.approve_hours(s, coordinator, ids)
        reached = stars_reached(s, director, date(2026, 3, 1), date(2026, 3, 31))
        assert [(r.name, r.level, r.reached_on, r.awarded) for r in reached] == [
            ("吴十", 1, date(2026, 3, 5), False)
        ]
        add_star(
            s,
            director,
            v,
            level=1,
            awarded_on=date(2026, 3, 20),
            body="清江浦区志愿者协会",
            basis_minutes=6000,
        )
        assert stars_reached(s, director, date(2026, 3, 1), date(2026, 3, 31))[0].awarded
        summary = {r.name: r for r in yearly_summary(s, director, 2026, on=date(2026, 3, 31))}
    assert summary["吴十"].total_minutes == 6000 and summary["吴十"].year_minutes == 1
    assert summary["吴十"].eligible_star == 1 and summary["吴十"].awarded_star == 1
    assert summary["郑一"].eligible_star == 0
