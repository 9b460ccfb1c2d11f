"""Group work: plan and stages, members, sessions with attendance → service records (人次)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import pytest

from tests.conftest import make_actor
from tests.db.community_work_support import make_person
from tests.db.residents_support import Places, make_places, other_station
from tests.db.service_support import make_user
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.groups.search import GroupQuery, list_groups
from wushe_desktop.groups.service import (
    GroupInput,
    add_members,
    create_group,
    delete_group,
    get_group,
    list_members,
    member_leaves,
    remove_member,
    restore_group,
    update_group,
)
from wushe_desktop.groups.sessions import (
    SessionInput,
    create_session,
    delete_session,
    list_sessions,
    next_session_number,
    restore_session,
    update_session,
)
from wushe_desktop.groups.validation import clean_group
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.service_records import metrics
from wushe_desktop.service_records.service import records_for_source

START = date(2025, 3, 1)


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def worker(db: Database, station: Station) -> Actor:
    return make_user(db, station, Role.SOCIAL_WORKER, "李社工")


def _plan(worker: Actor, **kw: object) -> GroupInput:
    values: dict[str, object] = {
        "name": "夕阳红互助小组",
        "group_type": "支持",
        "start_date": START,
        "facilitator_id": worker.user_id,
        "goal": "减少独居老人的孤独感",
        "target_members": "独居老人 8-10 人",
        "recruitment": "网格员推荐、社区公告",
        "planned_sessions": 6,
    }
    values.update(kw)
    return GroupInput(**values)  # type: ignore[arg-type]


@pytest.fixture
def group(db: Database, places: Places, worker: Actor) -> tuple[uuid.UUID, list[uuid.UUID]]:
    people = [
        make_person(db, places, name, "elderly", "elderly_alone")
        for name in ("张桂兰", "王秀英", "刘德福", "陈美华")
    ]
    with db.transaction() as s:
        row = create_group(s, worker, _plan(worker))
        assert add_members(s, worker, row.id, people[:3]) == 3  # no session yet: joins at start
    return row.id, people


def _session(number: int, day: date, present: dict[uuid.UUID, bool], **kw: object) -> SessionInput:
    return SessionInput(
        number=number,
        held_on=day,
        topic=f"第{number}次相聚",
        attendance=present,
        **kw,  # type: ignore[arg-type]
    )


def test_session_attendance_counts_as_service(
    db: Database, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]
) -> None:
    gid, (a, b, c, _d) = group
    with db.transaction() as s:
        first = create_session(s, worker, gid, _session(1, date(2025, 3, 5), {a: True, b: True}))
        second = create_session(
            s, worker, gid, _session(2, date(2025, 3, 12), {a: True, b: False, c: True})
        )
    assert first.present == 2
    assert first.attendance == {a: True, b: True, c: False}  # left out = absent
    assert second.present == 2
    with db.reader() as s:
        records = records_for_source(s, worker, "group_session", first.id)
        counts = metrics.service_counts(s, worker, date(2025, 3, 1), date(2025, 3, 31))
        row = get_group(s, worker, gid)
        members = {m.name: m.attended for m in list_members(s, worker, gid)}
    assert {r.resident_id for r in records} == {a, b} and len(records) == 2
    assert {r.service_type for r in records} == {"小组服务"}
    assert {r.worker_id for r in records} == {worker.user_id}
    assert {r.duration_minutes for r in records} == {90}
    assert "夕阳红互助小组 第1节" in records[0].content
    group_count = counts["小组服务"]
    assert (group_count.records, group_count.attendances, group_count.people) == (4, 4, 3)
    assert (row.sessions_held, row.attendances, row.members) == (2, 4, 3)
    assert members == {"张桂兰": 2, "王秀英": 1, "刘德福": 1}


def test_edit_delete_restore_session(
    db: Database, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]
) -> None:
    gid, (a, b, c, _d) = group
    with db.transaction() as s:
        row = create_session(s, worker, gid, _session(1, date(2025, 3, 5), {a: True}))
    with db.transaction() as s:
        same = update_session(s, worker, row.id, _session(1, date(2025, 3, 5), {a: True}))
        assert same.version == row.version
        edited = update_session(
            s, worker, row.id, _session(1, date(2025, 3, 5), {a: True, b: True, c: True})
        )
    assert edited.present == 3
    with db.reader() as s:
        assert len(records_for_source(s, worker, "group_session", row.id)) == 3
    with db.transaction() as s:
        delete_session(s, worker, row.id)
    with db.reader() as s:
        assert records_for_source(s, worker, "group_session", row.id) == []
        assert list_sessions(s, worker, gid) == []
        assert [x.id for x in list_sessions(s, worker, gid, deleted=True)] == [row.id]
        assert next_session_number(s, worker, gid) == 1
    with db.transaction() as s:
        restore_session(s, worker, row.id)
    with db.reader() as s:
        assert len(records_for_source(s, worker, "group_session", row.id)) == 3


def test_session_rules(
    db: Database, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]
) -> None:
    gid, (a, b, _c, d) = group
    with db.transaction() as s:
        create_session(s, worker, gid, _session(1, date(2025, 3, 5), {a: True}))
    cases = [
        (_session(1, date(2025, 3, 12), {}), "第 1 节已经登记过"),
        (_session(2, date(2025, 2, 20), {}), "早于小组开始日期 2025-03-01"),
        (_session(2, date(2999, 1, 1), {}), "晚于今天"),
        (_session(2, date(2025, 3, 12), {d: True}), "“陈美华”不是本小组的组员"),
        (_session(0, date(2025, 3, 12), {}), "节次应在 1 到 200 之间"),
        (replace(_session(2, date(2025, 3, 12), {}), topic="  "), "请填写本节主题"),
    ]
    for data, message in cases:
        with db.transaction() as s, pytest.raises(ValidationError, match=message):
            create_session(s, worker, gid, data)
    # A member who left cannot attend later sessions; joined later cannot attend earlier ones.
    with db.transaction() as s:
        member_leaves(s, worker, gid, b, date(2025, 3, 10))
        add_members(s, worker, gid, [d], joined_on=date(2025, 3, 15))
    with (
        db.transaction() as s,
        pytest.raises(ValidationError, match="“王秀英”在 2025-03-12 不是组员"),
    ):
        create_session(s, worker, gid, _session(2, date(2025, 3, 12), {b: True}))
    with db.transaction() as s, pytest.raises(ValidationError, match="入组 2025-03-15"):
        create_session(s, worker, gid, _session(2, date(2025, 3, 12), {d: True}))
    with db.transaction() as s:
        row = create_session(s, worker, gid, _session(2, date(2025, 3, 16), {d: True}))
    assert set(row.attendance) == {a, d, _c}  # b left on 3-10


def test_members(db: Database, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]) -> None:
    gid, (a, b, _c, d) = group
    with db.transaction() as s:
        create_session(s, worker, gid, _session(1, date(2025, 3, 5), {a: True}))
    with db.transaction() as s, pytest.raises(ConflictError, match="已有签到记录"):
        remove_member(s, worker, gid, a)
    with db.transaction() as s, pytest.raises(ValidationError, match="还出席了小组活动"):
        member_leaves(s, worker, gid, a, date(2025, 3, 3))
    with db.transaction() as s, pytest.raises(ValidationError, match="早于入组日期"):
        member_leaves(s, worker, gid, b, date(2025, 2, 3))
    with db.transaction() as s:
        assert add_members(s, worker, gid, [a, d], joined_on=START) == 1  # a is already in
        remove_member(s, worker, gid, d)
        member_leaves(s, worker, gid, b, date(2025, 3, 20))
    with db.reader() as s:
        members = {m.name: m.left_on for m in list_members(s, worker, gid)}
        assert get_group(s, worker, gid).members == 2
    assert members == {"张桂兰": None, "王秀英": date(2025, 3, 20), "刘德福": None}
    with db.transaction() as s:
        assert add_members(s, worker, gid, [b]) == 1  # rejoins
    with db.reader() as s:
        assert get_group(s, worker, gid).members == 3


def test_group_plan_rules(worker: Actor) -> None:
    ok = _plan(worker)
    assert clean_group(ok).stage == "筹备"
    cases = [
        ({"name": " "}, "name", "请填写小组名称"),
        ({"group_type": "娱乐"}, "group_type", "小组类型“娱乐”无效"),
        ({"stage": "开始"}, "stage", "小组阶段“开始”无效"),
        ({"start_date": None}, "start_date", "请填写小组开始日期"),
        ({"end_date": date(2025, 2, 1)}, "end_date", "早于开始日期"),
        ({"planned_sessions": 0}, "planned_sessions", "计划节数应在 1 到 200 之间"),
        ({"stage": "结束"}, "end_date", "请填写结束日期"),
        ({"stage": "结束", "end_date": date(2025, 5, 1)}, "closing_evaluation", "结束评估"),
    ]
    for change, field, message in cases:
        with pytest.raises(ValidationError, match=message) as err:
            clean_group(replace(ok, **change))  # type: ignore[arg-type]
        assert err.value.field == field


def test_stages_and_closing(
    db: Database, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]
) -> None:
    gid, (a, _b, _c, _d) = group
    with db.transaction() as s:
        create_session(s, worker, gid, _session(1, date(2025, 4, 5), {a: True}))
    with db.transaction() as s:
        row = update_group(s, worker, gid, _plan(worker, stage="形成"))
    assert row.stage == "形成"
    with db.transaction() as s, pytest.raises(ValidationError, match="结束日期不能早于该日期"):
        update_group(
            s,
            worker,
            gid,
            _plan(worker, stage="结束", end_date=date(2025, 4, 1), closing_evaluation="目标达成"),
        )
    with db.transaction() as s, pytest.raises(ValidationError, match="开始日期不能晚于该日期"):
        update_group(s, worker, gid, _plan(worker, start_date=date(2025, 4, 10)))
    with db.transaction() as s:
        closed = update_group(
            s,
            worker,
            gid,
            _plan(
                worker,
                stage="结束",
                end_date=date(2025, 4, 30),
                closing_evaluation="组员互助网络形成",
            ),
            expected_version=row.version,
        )
    assert (closed.stage, closed.closing_evaluation) == ("结束", "组员互助网络形成")
    with db.transaction() as s, pytest.raises(ValidationError, match="晚于小组结束日期"):
        create_session(s, worker, gid, _session(2, date(2025, 5, 5), {}))


def test_facilitator_change_moves_the_records(
    db: Database, station: Station, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]
) -> None:
    gid, (a, _b, _c, _d) = group
    other = make_user(db, station, Role.SOCIAL_WORKER, "周社工")
    with db.transaction() as s:
        row = create_session(s, worker, gid, _session(1, date(2025, 3, 5), {a: True}))
        update_group(s, worker, gid, _plan(other))
    with db.reader() as s:
        records = records_for_source(s, worker, "group_session", row.id)
    assert [r.worker_name for r in records] == ["周社工"]


def test_delete_group_takes_its_records(
    db: Database, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]
) -> None:
    gid, (a, b, _c, _d) = group
    with db.transaction() as s:
        row = create_session(s, worker, gid, _session(1, date(2025, 3, 5), {a: True, b: True}))
        delete_group(s, worker, gid)
    with db.reader() as s:
        assert records_for_source(s, worker, "group_session", row.id) == []
        assert list_groups(s, worker, GroupQuery()) == []
        assert len(list_groups(s, worker, GroupQuery(deleted=True))) == 1
    with db.transaction() as s, pytest.raises(ConflictError, match="回收站"):
        create_session(s, worker, gid, _session(2, date(2025, 3, 6), {}))
    with db.transaction() as s:
        restore_group(s, worker, gid)
    with db.reader() as s:
        assert len(records_for_source(s, worker, "group_session", row.id)) == 2


def test_list_filters(db: Database, station: Station, places: Places, worker: Actor) -> None:
    other = make_user(db, station, Role.SOCIAL_WORKER, "周社工")
    with db.transaction() as s:
        create_group(s, worker, _plan(worker))
        create_group(
            s,
            other,
            _plan(
                other,
                name="四点半课堂",
                group_type="教育",
                community_id=places.lihe,
                start_date=date(2024, 9, 1),
                end_date=date(2024, 12, 31),
            ),
        )
    with db.reader() as s:
        assert [g.name for g in list_groups(s, worker, GroupQuery())] == [
            "夕阳红互助小组",
            "四点半课堂",
        ]
        assert [g.name for g in list_groups(s, worker, GroupQuery(text="课堂"))] == ["四点半课堂"]
        assert len(list_groups(s, worker, GroupQuery(facilitator_id=other.user_id))) == 1
        assert len(list_groups(s, worker, GroupQuery(community_id=places.lihe))) == 1
        assert len(list_groups(s, worker, GroupQuery(group_type="支持"))) == 1
        assert len(list_groups(s, worker, GroupQuery(stage="筹备"))) == 2
        in_2025 = GroupQuery(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
        assert [g.name for g in list_groups(s, worker, in_2025)] == ["夕阳红互助小组"]
        in_autumn = GroupQuery(date_from=date(2024, 10, 1), date_to=date(2024, 10, 31))
        assert [g.name for g in list_groups(s, worker, in_autumn)] == ["四点半课堂"]


def test_permissions(
    db: Database, station: Station, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]
) -> None:
    gid, (a, _b, _c, _d) = group
    supervisor = make_user(db, station, Role.SUPERVISOR, "督导")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        create_group(s, supervisor, _plan(worker))
    with db.transaction() as s, pytest.raises(PermissionDenied):
        create_session(s, supervisor, gid, _session(1, date(2025, 3, 5), {a: True}))
    with db.reader() as s:
        assert get_group(s, supervisor, gid).name == "夕阳红互助小组"
    other, _c2 = other_station(db)
    stranger = make_actor(other, Role.DIRECTOR, "外站站长")
    with db.reader() as s, pytest.raises(NotFound):
        get_group(s, stranger, gid)
    with db.reader() as s:
        assert list_groups(s, stranger, GroupQuery()) == []


def test_default_join_day(
    db: Database, worker: Actor, group: tuple[uuid.UUID, list[uuid.UUID]]
) -> None:
    from wushe_desktop.community_work.common import today_local

    gid, (a, _b, _c, d) = group
    with db.transaction() as s:
        create_session(s, worker, gid, _session(1, date(2025, 3, 5), {a: True}))
        add_members(s, worker, gid, [d])  # after the first session: joins today
    with db.reader() as s:
        joined = {m.name: m.joined_on for m in list_members(s, worker, gid)}
    assert joined["张桂兰"] == START  # the fixture's members joined before any session
    assert joined["陈美华"] == today_local()
