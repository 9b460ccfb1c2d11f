"""Every conflict rule, the coordinator's override, the waiting list and status changes."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_actor
from tests.db.residents_support import make_places
from tests.db.scheduling_support import make_activity, make_shift
from tests.db.volunteers_support import add_volunteer
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.scheduling.assignments import (
    AssignmentConflicts,
    assign,
    cancel_assignment,
    check_assignment,
    confirm,
    list_assignments,
    mark_absent,
)
from wushe_desktop.scheduling.shifts import ShiftInput, cancel_shift, get_shift, update_shift
from wushe_desktop.volunteers import records, teams
from wushe_desktop.volunteers.availability import parse_availability
from wushe_desktop.volunteers.service import set_status
from wushe_desktop.volunteers.settings import VolunteerRules, save_rules

SAT = date(2026, 3, 14)  # a Saturday


@pytest.fixture
def coordinator(station: Station) -> Actor:
    return make_actor(station, Role.COORDINATOR, "xietiao")


def _messages(db: Database, actor: Actor, shift_id: object, vid: object) -> list[str]:
    with db.reader() as s:
        return [c.message for c in check_assignment(s, actor, shift_id, vid)]  # type: ignore[arg-type]


def test_overlapping_shift(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    other = make_activity(db, director, "图书室值班")
    first = make_shift(db, director, other, SAT, "10:00", "12:00")
    shift = make_shift(db, director, act, SAT, "09:00", "11:30")
    later = make_shift(db, director, act, SAT, "12:00", "13:00")
    v = add_volunteer(db, director, "张三")
    with db.transaction() as s:
        assign(s, director, first, v)
    assert _messages(db, director, shift, v) == [
        "张三在3月14日（周六） 10:00–12:00 已安排“图书室值班”，与本班次时间重叠。"
    ]
    assert _messages(db, director, later, v) == []  # 12:00–13:00 only touches
    with pytest.raises(AssignmentConflicts, match="时间重叠") as info, db.transaction() as s:
        assign(s, director, shift, v)
    assert "请由协调员填写原因后强制安排" in str(info.value)


def test_outside_weekly_availability(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, "11:00", "14:00")
    v = add_volunteer(db, director, "李四", availability=parse_availability("工作日全天、周六上午"))
    assert _messages(db, director, shift, v) == [
        "本班次时段（周六下午）不在李四登记的可服务时段内。"
    ]


def test_unavailable_dates(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT)
    v = add_volunteer(db, director, "王五")
    with db.transaction() as s:
        records.add_unavailable(
            s, director, v, date(2026, 3, 10), date(2026, 3, 20), reason="外出探亲"
        )
    assert _messages(db, director, shift, v) == [
        "王五在2026年3月10日至2026年3月20日不可服务（外出探亲），本班次日期2026年3月14日在此期间。"
    ]


def test_missing_skill_and_qualification(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    shift = make_shift(
        db,
        director,
        act,
        SAT,
        required_skills=("医疗护理", "驾驶"),
        required_qualifications=("急救证",),
    )
    v = add_volunteer(db, director, "赵六", skills=("驾驶",))
    w = add_volunteer(db, director, "钱七", skills=("医疗护理", "驾驶"))
    with db.transaction() as s:
        records.add_qualification(s, director, w, kind="急救证", valid_until=date(2026, 3, 1))
        records.add_qualification(s, director, w, kind="急救证", valid_until=date(2026, 2, 1))
    assert _messages(db, director, shift, v) == [
        "赵六缺少本班次所需技能：医疗护理。",
        "赵六没有本岗位所需的资格“急救证”。",
    ]
    assert _messages(db, director, shift, w) == [
        "钱七的资格“急救证”已于2026年3月1日到期，早于本班次日期。"
    ]
    with db.transaction() as s:
        records.add_qualification(s, director, w, kind="急救证", valid_until=None)
    assert _messages(db, director, shift, w) == []


def test_insurance_expired_or_missing_for_risky_shift(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    plain = make_shift(db, director, act, SAT)
    risky = make_shift(db, director, act, SAT, "14:00", "16:00", needs_insurance=True)
    expired = add_volunteer(db, director, "孙八", insurance_until=date(2026, 3, 1))
    uninsured = add_volunteer(db, director, "周九")
    assert _messages(db, director, plain, expired) == [
        "孙八的志愿者保险已于2026年3月1日到期，请续保后再安排。"
    ]
    assert _messages(db, director, plain, uninsured) == []
    assert _messages(db, director, risky, uninsured) == [
        "本班次要求有效的志愿者保险（志愿服务条例第17条），周九未登记保险。"
    ]


def test_monthly_hours_cap(db: Database, director: Actor) -> None:
    with db.transaction() as s:
        save_rules(s, director, VolunteerRules(monthly_cap_minutes=4 * 60))
    act = make_activity(db, director)
    earlier = make_shift(db, director, act, date(2026, 3, 7), "09:00", "11:00")
    april = make_shift(db, director, act, date(2026, 4, 4), "09:00", "12:00")
    shift = make_shift(db, director, act, SAT, "09:00", "11:30")
    v = add_volunteer(db, director, "吴十")
    with db.transaction() as s:
        assign(s, director, earlier, v)
        assign(s, director, april, v)  # another month: not counted
    assert _messages(db, director, shift, v) == [
        "吴十3月已安排或服务 2.0 小时，加上本班次 2.5 小时将超过每月上限 4.0 小时。"
    ]


def test_team_restriction_and_paused_volunteer(
    db: Database, director: Actor, coordinator: Actor
) -> None:
    member = add_volunteer(db, director, "郑一")
    outsider = add_volunteer(db, director, "冯二")
    with db.transaction() as s:
        team = teams.create_team(s, director, name="医疗服务队", leader_id=member)
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, team_id=team.id)
    assert _messages(db, director, shift, member) == []
    assert _messages(db, director, shift, outsider) == [
        "本班次仅限“医疗服务队”队员，冯二不是该队队员。"
    ]
    with db.transaction() as s:
        set_status(s, director, member, "暂停", "身体原因")
    with pytest.raises(AssignmentConflicts, match="状态为“暂停”") as info, db.transaction() as s:
        assign(s, coordinator, shift, member, override_reason="急需")
    assert "强制安排" not in str(info.value)  # not overridable


def test_override_needs_reason_and_the_approve_right(
    db: Database, director: Actor, coordinator: Actor, station: Station
) -> None:
    worker = make_actor(station, Role.SOCIAL_WORKER, "shegong")
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, required_skills=("手语",))
    v = add_volunteer(db, director, "陈晨")
    with (
        pytest.raises(AssignmentConflicts, match="缺少本班次所需技能：手语"),
        db.transaction() as s,
    ):
        assign(s, worker, shift, v)
    with pytest.raises(PermissionDenied), db.transaction() as s:
        assign(s, worker, shift, v, override_reason="现场有翻译")
    with db.transaction() as s:
        result = assign(s, coordinator, shift, v, override_reason="现场有翻译")
        rows = list_assignments(s, coordinator, shift)
        entry = s.query(AuditEntry).filter_by(record_type="volunteer_assignment").one()
    assert result.overridden and rows[0].override_reason == "现场有翻译"
    assert (
        "强制安排，原因：现场有翻译" in entry.detail and "缺少本班次所需技能：手语" in entry.detail
    )


def test_waiting_list_moves_up_on_cancel(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, needed=1)
    a, b, c = (add_volunteer(db, director, n) for n in ("甲", "乙", "丙"))
    with db.transaction() as s:
        first = assign(s, director, shift, a)
        assert assign(s, director, shift, b).status == "候补"
        assert assign(s, director, shift, c).status == "候补"
        with pytest.raises(ConflictError, match="已在本班次中"):
            assign(s, director, shift, b)
        with pytest.raises(ValidationError, match="请填写取消原因"):
            cancel_assignment(s, director, first.assignment_id, "")
        promoted = cancel_assignment(s, director, first.assignment_id, "临时有事")
        rows = {r.name: r.status for r in list_assignments(s, director, shift)}
        row = get_shift(s, director, shift)
    assert promoted == "乙"
    assert rows == {"甲": "已取消", "乙": "已报名", "丙": "候补"}
    assert (row.filled, row.waitlist, row.fill_state) == (1, 1, "满员")


def test_confirm_absent_and_cancelled_shift(db: Database, director: Actor) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, needed=3)
    a, b = (add_volunteer(db, director, n) for n in ("甲", "乙"))
    with db.transaction() as s:
        ra = assign(s, director, shift, a)
        rb = assign(s, director, shift, b, confirm=True)
        assert confirm(s, director, [ra.assignment_id, rb.assignment_id]) == 1
        mark_absent(s, director, rb.assignment_id, "未到")
        with pytest.raises(ConflictError, match="不能改为“缺席”"):
            mark_absent(s, director, rb.assignment_id)
        assert cancel_shift(s, director, shift, "暴雨") == 1
        rows = {r.name: (r.status, r.cancel_reason) for r in list_assignments(s, director, shift)}
        with pytest.raises(ConflictError, match="已取消"):
            assign(s, director, shift, b)
    assert rows == {"甲": ("已取消", "班次取消：暴雨"), "乙": ("缺席", "未到")}


def test_moving_a_shift_moves_its_assignments(
    db: Database, director: Actor, station: Station
) -> None:
    places = make_places(db, station)
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT)
    v = add_volunteer(db, director, "甲")
    with db.transaction() as s:
        assign(s, director, shift, v)
        row = update_shift(
            s,
            director,
            shift,
            ShiftInput(
                day=date(2026, 3, 15),
                start_minute=600,
                end_minute=660,
                needed=2,
                community_id=places.qinghe,
            ),
        )
        moved = list_assignments(s, director, shift)[0]
    assert row.community_name == "清河社区" and row.time_text == "10:00–11:00"
    assert (moved.day, moved.start_minute, moved.end_minute) == (date(2026, 3, 15), 600, 660)
