"""Service records: add (one and bulk), validation, update, soft delete, search, metrics."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import make_actor
from tests.db.residents_support import Places, make_places, other_station
from tests.db.service_support import make_resident, make_user
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.service_records import metrics, search
from wushe_desktop.service_records.service import (
    ServiceRecordInput,
    add_service_record,
    add_service_records,
    delete_records_for_source,
    delete_service_record,
    get_service_record,
    records_for_source,
    restore_service_record,
    update_service_record,
)


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def worker(db: Database, station: Station) -> Actor:
    return make_user(db, station, Role.SOCIAL_WORKER, "shegong1")


def _rec(**kw: object) -> ServiceRecordInput:
    values: dict[str, object] = {
        "served_on": date(2025, 3, 5),
        "service_type": "咨询",
        "duration_minutes": 30,
        "content": "政策咨询",
    }
    values.update(kw)
    return ServiceRecordInput(**values)  # type: ignore[arg-type]


def test_named_resident_counts_one_and_takes_community(
    db: Database, places: Places, worker: Actor
) -> None:
    rid = make_resident(db, places, "张三", date(1950, 1, 2))
    with db.transaction() as s:
        row = add_service_record(s, worker, _rec(resident_id=rid))
    assert row.attendances == 1 and row.participants == 0
    assert row.community_id == places.qinghe and row.community_name == "清河社区"
    assert row.worker_id == worker.user_id and row.worker_name == "shegong1"
    assert row.resident_name == "张三" and row.served_text == "张三"
    with db.reader() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.record_id == str(row.id))).one()
    assert entry.action == "新增"
    assert json.loads(entry.changes)["content"] == ["***", "***"]  # may be case content


def test_counted_activity(db: Database, places: Places, worker: Actor) -> None:
    with db.transaction() as s:
        row = add_service_record(
            s,
            worker,
            _rec(service_type="社区活动", participants=40, community_id=places.lihe),
        )
    assert row.attendances == 40 and row.served_text == "40 人"


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        ({"served_on": date(2999, 1, 1)}, "served_on", "晚于今天"),
        ({"served_on": date(1999, 1, 1)}, "served_on", "早于 2000"),
        ({"service_type": "聊天"}, "service_type", "服务类型"),
        ({"duration_minutes": -1}, "duration_minutes", "服务时长"),
        ({"duration_minutes": 1441}, "duration_minutes", "服务时长"),
        ({}, "participants", "参与人数"),
        ({"content": "字" * 5001, "participants": 1}, "content", "5000"),
        ({"participants": 3, "source_type": "visit"}, "source_id", "来源"),
    ],
)
def test_validation(
    db: Database, places: Places, worker: Actor, kw: dict[str, object], field: str, words: str
) -> None:
    with db.transaction() as s, pytest.raises(ValidationError, match=words) as err:
        add_service_record(s, worker, _rec(**kw))
    assert err.value.field == field


def test_references_are_scoped(db: Database, places: Places, worker: Actor) -> None:
    other, other_community = other_station(db)
    stranger = make_user(db, other, Role.SOCIAL_WORKER, "waizhan")
    with db.transaction() as s, pytest.raises(ValidationError, match="本站点的工作人员"):
        add_service_record(s, worker, _rec(participants=2, worker_id=stranger.user_id))
    with db.transaction() as s, pytest.raises(ValidationError, match="社区"):
        add_service_record(s, worker, _rec(participants=2, community_id=other_community))
    with db.transaction() as s, pytest.raises(ValidationError, match="服务对象"):
        add_service_record(s, worker, _rec(resident_id=uuid.uuid4()))


def test_free_worker_name_and_supervisor_cannot_add(
    db: Database, station: Station, places: Places, worker: Actor
) -> None:
    with db.transaction() as s:
        row = add_service_record(s, worker, _rec(participants=1, worker_name="网格员王五"))
    assert row.worker_id is None and row.worker_name == "网格员王五"
    with db.transaction() as s, pytest.raises(PermissionDenied):
        add_service_record(s, make_actor(station, Role.SUPERVISOR), _rec(participants=1))


def test_bulk_add_is_all_or_nothing(db: Database, places: Places, worker: Actor) -> None:
    a = make_resident(db, places, "甲", date(1950, 1, 2), 101)
    b = make_resident(db, places, "乙", date(1951, 1, 2), 103)
    session_id = uuid.uuid4()
    items = [
        _rec(
            service_type="小组服务",
            resident_id=r,
            source_type="group_session",
            source_id=session_id,
        )
        for r in (a, b)
    ]
    with db.transaction() as s, pytest.raises(ValidationError, match="第 3 条"):
        add_service_records(s, worker, [*items, _rec(duration_minutes=-5, participants=1)])
    with db.transaction() as s:
        assert add_service_records(s, worker, items, label="小组第1节") == 2
    with db.reader() as s:
        rows = records_for_source(s, worker, "group_session", session_id)
        assert sorted(r.resident_name for r in rows) == ["乙", "甲"]
        entries = s.scalars(select(AuditEntry).where(AuditEntry.record_label == "小组第1节")).all()
    assert len(entries) == 1 and "2 人次" in entries[0].detail
    with db.transaction() as s:
        assert delete_records_for_source(s, worker, "group_session", session_id) == 2
    with db.reader() as s:
        assert records_for_source(s, worker, "group_session", session_id) == []


def test_update_delete_restore(db: Database, places: Places, worker: Actor) -> None:
    with db.transaction() as s:
        row = add_service_record(s, worker, _rec(participants=5))
    with db.transaction() as s:
        new = update_service_record(
            s, worker, row.id, _rec(participants=6, duration_minutes=45), expected_version=1
        )
    assert new.attendances == 6 and new.version == 2
    with db.transaction() as s, pytest.raises(ConflictError, match="其他用户"):
        update_service_record(s, worker, row.id, _rec(participants=7), expected_version=1)
    with db.transaction() as s, pytest.raises(ValidationError, match="来源"):
        update_service_record(
            s, worker, row.id, _rec(participants=7, source_type="visit", source_id=uuid.uuid4())
        )
    with db.transaction() as s:
        delete_service_record(s, worker, row.id)
    with db.reader() as s:
        assert search.count(s, worker, search.ServiceRecordQuery()) == 0
        assert search.count(s, worker, search.ServiceRecordQuery(deleted=True)) == 1
    with db.transaction() as s:
        restore_service_record(s, worker, row.id)
        assert get_service_record(s, worker, row.id).deleted_at is None


def test_search_filters_and_keyset_pages(db: Database, places: Places, worker: Actor) -> None:
    a = make_resident(db, places, "王小明", date(1950, 1, 2), 101)
    items = [
        _rec(served_on=date(2025, 1, 1 + n % 28), participants=1 + n, content=f"第{n}次")
        for n in range(30)
    ]
    items.append(_rec(served_on=date(2025, 2, 3), resident_id=a, content="上门探望"))
    with db.transaction() as s:
        add_service_records(s, worker, items)
    with db.reader() as s:
        q = search.ServiceRecordQuery(date_from=date(2025, 1, 1), date_to=date(2025, 1, 31))
        assert search.count(s, worker, q) == 30
        seen = []
        cursor = None
        while True:
            page = search.search(s, worker, q, after=cursor, limit=7)
            seen += page.rows
            cursor = page.next_cursor
            if cursor is None:
                break
        assert len({r.id for r in seen}) == 30
        assert [r.served_on for r in seen] == sorted((r.served_on for r in seen), reverse=True)
        for text in ("王小", "wxm", "探望"):
            rows = search.search(s, worker, search.ServiceRecordQuery(text=text)).rows
            assert [r.resident_name for r in rows] == ["王小明"], text
        assert search.count(s, worker, search.ServiceRecordQuery(text="100%")) == 0


def test_metrics_definitions(db: Database, places: Places, worker: Actor) -> None:
    a = make_resident(db, places, "甲", date(1950, 1, 2), 101)
    b = make_resident(db, places, "乙", date(1951, 1, 2), 103)
    with db.transaction() as s:
        add_service_records(
            s,
            worker,
            [
                _rec(service_type="探访", resident_id=a, duration_minutes=30),
                _rec(service_type="探访", resident_id=a, duration_minutes=20),  # again: 2 人次
                _rec(service_type="探访", resident_id=b, duration_minutes=10),
                _rec(service_type="社区活动", participants=50, duration_minutes=120),
                _rec(service_type="咨询", resident_id=a, served_on=date(2024, 1, 1)),  # outside
            ],
        )
    with db.reader() as s:
        counts = metrics.service_counts(s, worker, date(2025, 1, 1), date(2025, 12, 31))
    assert counts["探访"] == metrics.ServiceCount(3, 3, 2, 60, 0)
    assert counts["社区活动"] == metrics.ServiceCount(1, 50, 0, 120, 50)
    assert counts[metrics.TOTAL] == metrics.ServiceCount(4, 53, 2, 180, 50)
    assert "咨询" not in counts
