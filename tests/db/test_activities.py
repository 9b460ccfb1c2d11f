"""Community activities: counted and named participants → service records (人次/人数),
validation, edit/delete/restore, lists, permissions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from tests.conftest import make_actor
from tests.db.community_work_support import make_person
from tests.db.residents_support import Places, make_places, other_station
from tests.db.service_support import make_user
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.activities.search import ActivityQuery, count_activities, list_activities
from wushe_desktop.activities.service import (
    ActivityInput,
    create_activity,
    delete_activity,
    get_activity,
    list_named,
    restore_activity,
    update_activity,
)
from wushe_desktop.activities.validation import clean_activity
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import NotFound, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.service_records import metrics
from wushe_desktop.service_records.service import records_for_source

DAY = date(2025, 5, 4)


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def worker(db: Database, station: Station) -> Actor:
    return make_user(db, station, Role.SOCIAL_WORKER, "李社工")


def _activity(places: Places, worker: Actor, **kw: object) -> ActivityInput:
    values: dict[str, object] = {
        "title": "端午包粽子",
        "activity_type": "节日慰问",
        "held_on": DAY,
        "participants": 30,
        "community_id": places.qinghe,
        "start_time": time(9, 0),
        "end_time": time(11, 30),
        "worker_id": worker.user_id,
        "volunteers": 6,
        "cost_fen": 125_050,
        "record": "居民与志愿者一起包粽子，送给独居老人。",
    }
    values.update(kw)
    return ActivityInput(**values)  # type: ignore[arg-type]


def _counts(db: Database, actor: Actor) -> tuple[int, int, int, int]:
    with db.reader() as s:
        c = metrics.service_counts(s, actor, DAY, DAY).get("社区活动")
    return (c.records, c.attendances, c.people, c.counted_only) if c else (0, 0, 0, 0)


def test_counted_only_activity(db: Database, places: Places, worker: Actor) -> None:
    with db.transaction() as s:
        row = create_activity(s, worker, _activity(places, worker))
    assert (row.participants, row.named, row.community_name) == (30, 0, "清河社区")
    assert row.time_text == "09:00–11:30"
    with db.reader() as s:
        records = records_for_source(s, worker, "activity", row.id)
    assert len(records) == 1
    rec = records[0]
    assert (rec.resident_id, rec.participants, rec.attendances) == (None, 30, 30)
    assert rec.duration_minutes == 150
    assert rec.community_id == places.qinghe
    assert _counts(db, worker) == (1, 30, 0, 30)


def test_named_and_counted_participants(db: Database, places: Places, worker: Actor) -> None:
    people = [make_person(db, places, n) for n in ("张桂兰", "王秀英", "刘德福")]
    with db.transaction() as s:
        row = create_activity(s, worker, _activity(places, worker, participants=10, named=people))
    assert (row.participants, row.named) == (10, 3)
    with db.reader() as s:
        records = records_for_source(s, worker, "activity", row.id)
        named = list_named(s, worker, row.id)
    assert sorted(r.attendances for r in records) == [1, 1, 1, 7]
    assert {r.resident_id for r in records if r.resident_id} == set(people)
    assert [n.name for n in named] == sorted(["张桂兰", "王秀英", "刘德福"])
    # 人次 = 参与人数 (10); 人数 = the 3 named residents; 7 人次 without names.
    assert _counts(db, worker) == (4, 10, 3, 7)


def test_all_named_writes_no_counted_record(db: Database, places: Places, worker: Actor) -> None:
    people = [make_person(db, places, n) for n in ("张桂兰", "王秀英")]
    with db.transaction() as s:
        create_activity(s, worker, _activity(places, worker, participants=2, named=people))
    assert _counts(db, worker) == (2, 2, 2, 0)


def test_edit_delete_restore(db: Database, places: Places, worker: Actor) -> None:
    a, b = (make_person(db, places, n) for n in ("张桂兰", "王秀英"))
    with db.transaction() as s:
        row = create_activity(s, worker, _activity(places, worker, participants=5, named=[a, b]))
    with db.transaction() as s:
        same = update_activity(
            s, worker, row.id, _activity(places, worker, participants=5, named=[b, a])
        )
        assert same.version == row.version
        edited = update_activity(
            s,
            worker,
            row.id,
            _activity(places, worker, participants=12, named=[a]),
            expected_version=row.version,
        )
    assert (edited.participants, edited.named) == (12, 1)
    assert _counts(db, worker) == (2, 12, 1, 11)
    with db.transaction() as s:
        delete_activity(s, worker, row.id)
    assert _counts(db, worker) == (0, 0, 0, 0)
    with db.reader() as s:
        assert count_activities(s, worker, ActivityQuery()) == (0, 0)
        assert count_activities(s, worker, ActivityQuery(deleted=True)) == (1, 12)
    with db.transaction() as s:
        restore_activity(s, worker, row.id)
    assert _counts(db, worker) == (2, 12, 1, 11)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "请填写活动名称"),
        ({"activity_type": "联欢"}, "activity_type", "活动类型“联欢”无效"),
        ({"held_on": date(2999, 1, 1)}, "held_on", "晚于今天"),
        ({"participants": 0}, "participants", "参与人数应在 1 到 100,000 之间"),
        ({"start_time": None}, "start_time", "请同时填写开始时间"),
        ({"end_time": time(8, 0)}, "end_time", "结束时间 08:00 应晚于开始时间 09:00"),
        ({"organizer_kind": "社会组织"}, "organizer_name", "请填写组织名称"),
        ({"organizer_kind": "政府"}, "organizer_kind", "主办方类别“政府”无效"),
        ({"volunteers": -1}, "volunteers", "志愿者人数"),
        ({"cost_fen": -100}, "cost_fen", "经费不能为负数"),
    ],
)
def test_validation(
    places: Places, worker: Actor, change: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as err:
        clean_activity(replace(_activity(places, worker), **change))  # type: ignore[arg-type]
    assert err.value.field == field


def test_fewer_participants_than_named(db: Database, places: Places, worker: Actor) -> None:
    people = [make_person(db, places, n) for n in ("张桂兰", "王秀英", "刘德福")]
    data = _activity(places, worker, participants=2, named=people)
    with pytest.raises(ValidationError, match="参与人数（2）少于已登记姓名的参与居民（3 人）"):
        clean_activity(data)
    dup = clean_activity(_activity(places, worker, participants=2, named=[people[0], people[0]]))
    assert dup.named == (people[0],)


def test_station_wide_activity_and_lists(
    db: Database, station: Station, places: Places, worker: Actor
) -> None:
    other = make_user(db, station, Role.COORDINATOR, "周协调")
    with db.transaction() as s:
        create_activity(s, worker, _activity(places, worker))
        create_activity(
            s,
            other,
            _activity(
                places,
                other,
                title="全镇广场舞比赛",
                activity_type="文体",
                community_id=None,
                held_on=date(2025, 6, 1),
                participants=200,
                organizer_kind="社会组织",
                organizer_name="夕阳红舞蹈队",
            ),
        )
    with db.reader() as s:
        page = list_activities(s, worker, ActivityQuery())
        assert [r.title for r in page.rows] == ["全镇广场舞比赛", "端午包粽子"]
        assert page.rows[0].community_name == "全站（镇/街道）"
        assert page.rows[0].organizer_text == "夕阳红舞蹈队"
        assert count_activities(s, worker, ActivityQuery()) == (2, 230)
        assert count_activities(s, worker, ActivityQuery(text="舞蹈队")) == (1, 200)
        assert count_activities(s, worker, ActivityQuery(community_id=places.qinghe)) == (1, 30)
        assert count_activities(s, worker, ActivityQuery(worker_id=other.user_id)) == (1, 200)
        assert count_activities(s, worker, ActivityQuery(activity_type="文体")) == (1, 200)
        may = ActivityQuery(date_from=date(2025, 5, 1), date_to=date(2025, 5, 31))
        assert count_activities(s, worker, may) == (1, 30)
        one = list_activities(s, worker, ActivityQuery(), limit=1)
        rest = list_activities(s, worker, ActivityQuery(), after=one.next_cursor, limit=1)
        assert [r.title for r in rest.rows] == ["端午包粽子"]
        assert rest.next_cursor is None


def test_permissions(db: Database, station: Station, places: Places, worker: Actor) -> None:
    with db.transaction() as s:
        row = create_activity(s, worker, _activity(places, worker))
    supervisor = make_user(db, station, Role.SUPERVISOR, "督导")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        create_activity(s, supervisor, _activity(places, worker))
    with db.transaction() as s, pytest.raises(PermissionDenied):
        delete_activity(s, supervisor, row.id)
    with db.reader() as s:
        assert get_activity(s, supervisor, row.id).title == "端午包粽子"
    other, other_community = other_station(db)
    stranger = make_actor(other, Role.DIRECTOR, "外站站长")
    with db.reader() as s, pytest.raises(NotFound):
        get_activity(s, stranger, row.id)
    with (
        db.transaction() as s,
        pytest.raises(ValidationError, match="所选社区不存在或不属于本站点"),
    ):
        create_activity(s, worker, _activity(places, worker, community_id=other_community))


def test_a_highlighted_activity_marks_its_records_for_the_monthly_report(
    db: Database, station: Station, places: Places, worker: Actor
) -> None:
    from wushe_desktop.reports.content import _highlights
    from wushe_desktop.reports.periods import Period
    from wushe_desktop.reports.scope import resolve_scope

    named = [make_person(db, places, "赵敏")]
    with db.transaction() as s:
        act = create_activity(s, worker, _activity(places, worker, named=named)).id
    director = make_actor(station, Role.DIRECTOR, "zhanzhang")
    month = Period.month(DAY.year, DAY.month)

    def marks_and_report() -> tuple[set[bool], list[str]]:
        with db.reader() as s:
            marks = {r.is_highlight for r in records_for_source(s, worker, "activity", act)}
            found = _highlights(s, director, month, resolve_scope(s, director))
        return marks, [h["about"] for h in found]

    assert marks_and_report() == ({False}, [])
    with db.transaction() as s:  # only the mark changes: the records are kept and marked
        row = get_activity(s, worker, act)
        ids_before = {r.id for r in records_for_source(s, worker, "activity", act)}
        update_activity(s, worker, act, _activity(places, worker, named=named, is_highlight=True))
        assert {r.id for r in records_for_source(s, worker, "activity", act)} == ids_before
        assert get_activity(s, worker, act).version == row.version + 1
    assert marks_and_report() == ({True}, ["社区活动“端午包粽子”，30人参与"])  # one line
    with db.transaction() as s:  # the records are rewritten: they carry the mark
        update_activity(
            s, worker, act, _activity(places, worker, named=[], participants=40, is_highlight=True)
        )
    assert marks_and_report() == ({True}, ["社区活动“端午包粽子”，40人参与"])
    with db.transaction() as s:
        update_activity(s, worker, act, _activity(places, worker, participants=40))
    assert marks_and_report() == ({False}, [])
