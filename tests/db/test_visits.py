"""Visits: recording (with its service record), validation, permissions, lists."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import make_actor
from tests.db.community_work_support import make_person
from tests.db.residents_support import Places, make_places, other_station
from tests.db.service_support import make_user
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from wushe_desktop.models import ServiceRecord, Station
from wushe_desktop.service_records.service import records_for_source
from wushe_desktop.visits.search import VisitQuery, count_visits, list_visits
from wushe_desktop.visits.service import (
    VisitInput,
    create_visit,
    delete_visit,
    get_visit,
    restore_visit,
    update_visit,
)
from wushe_desktop.visits.validation import clean_visit


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def worker(db: Database, station: Station) -> Actor:
    return make_user(db, station, Role.SOCIAL_WORKER, "李社工")


def _visit(resident: object, worker: Actor, **kw: object) -> VisitInput:
    values: dict[str, object] = {
        "resident_id": resident,
        "visited_on": date(2025, 3, 1),
        "mode": "入户",
        "visitor_kind": "社工",
        "visitor_user_id": worker.user_id,
        "duration_minutes": 40,
        "findings": "老人身体尚可，冰箱里食物充足。",
    }
    values.update(kw)
    return VisitInput(**values)  # type: ignore[arg-type]


def test_visit_writes_one_service_record(db: Database, places: Places, worker: Actor) -> None:
    rid = make_person(db, places, "张桂兰", "elderly", "elderly_alone")
    with db.transaction() as s:
        row = create_visit(s, worker, _visit(rid, worker))
    assert row.resident_name == "张桂兰"
    assert row.visitor_name == "李社工"
    assert row.community_name == "清河社区"
    with db.reader() as s:
        records = records_for_source(s, worker, "visit", row.id)
    assert len(records) == 1
    rec = records[0]
    assert (rec.service_type, rec.resident_id, rec.attendances) == ("探访", rid, 1)
    assert rec.served_on == date(2025, 3, 1)
    assert rec.duration_minutes == 40
    assert rec.worker_id == worker.user_id
    assert "入户探访" in rec.content


def test_grid_worker_visit_names_the_visitor(db: Database, places: Places, worker: Actor) -> None:
    rid = make_person(db, places, "王秀英", "elderly", "elderly_empty_nest")
    data = _visit(rid, worker, visitor_kind="网格员", visitor_user_id=None, visitor_name="赵网格")
    with db.transaction() as s:
        row = create_visit(s, worker, data)
        records = records_for_source(s, worker, "visit", row.id)
    assert row.visitor_text == "赵网格（网格员）"
    assert records[0].worker_name == "赵网格"
    assert records[0].worker_id is None


def test_edit_moves_the_record_and_delete_restore_follow(
    db: Database, places: Places, worker: Actor
) -> None:
    rid = make_person(db, places, "张桂兰", "elderly", "elderly_alone")
    with db.transaction() as s:
        row = create_visit(s, worker, _visit(rid, worker))
    with db.transaction() as s:
        same = update_visit(s, worker, row.id, _visit(rid, worker), expected_version=row.version)
    assert same.version == row.version  # nothing changed, nothing written
    with db.transaction() as s:
        edited = update_visit(
            s,
            worker,
            row.id,
            _visit(rid, worker, visited_on=date(2025, 3, 5), mode="电话", duration_minutes=10),
            expected_version=row.version,
        )
    assert edited.version == row.version + 1
    with db.reader() as s:
        live = records_for_source(s, worker, "visit", row.id)
        kept = s.scalar(
            select(func.count()).select_from(ServiceRecord).where(ServiceRecord.source_id == row.id)
        )
    assert [(r.served_on, r.duration_minutes) for r in live] == [(date(2025, 3, 5), 10)]
    assert kept == 2  # the first record went to the recycle bin, not away
    with db.transaction() as s, pytest.raises(ConflictError, match="其他用户修改"):
        update_visit(s, worker, row.id, _visit(rid, worker), expected_version=row.version)
    with db.transaction() as s:
        delete_visit(s, worker, row.id)
    with db.reader() as s:
        assert records_for_source(s, worker, "visit", row.id) == []
        assert count_visits(s, worker, VisitQuery()) == 0
        assert count_visits(s, worker, VisitQuery(deleted=True)) == 1
    with db.transaction() as s:
        restore_visit(s, worker, row.id)
    with db.reader() as s:
        assert len(records_for_source(s, worker, "visit", row.id)) == 1
        actions = [
            e.action
            for e in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.record_type == "visit", AuditEntry.record_id == str(row.id))
                .order_by(AuditEntry.at)
            )
        ]
    assert actions == ["新增", "修改", "删除", "恢复"]


def test_audit_hides_findings(db: Database, places: Places, worker: Actor) -> None:
    rid = make_person(db, places, "张桂兰", "elderly", "elderly_alone")
    with db.transaction() as s:
        row = create_visit(
            s, worker, _visit(rid, worker, risk_found=True, risk_description="煤气灶漏气")
        )
    with db.reader() as s:
        entry = s.scalars(
            select(AuditEntry).where(
                AuditEntry.record_type == "visit", AuditEntry.record_id == str(row.id)
            )
        ).one()
    changes = json.loads(entry.changes)
    assert changes["risk_description"] == ["", "***"]
    assert "煤气灶" not in entry.changes


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"resident_id": None}, "resident_id", "请选择探访对象"),
        ({"visited_on": date(2999, 1, 1)}, "visited_on", "晚于今天"),
        ({"visited_on": None}, "visited_on", "请填写探访日期"),
        ({"mode": "上门"}, "mode", "探访方式“上门”无效"),
        ({"visitor_user_id": None}, "visitor_user_id", "请选择探访的社工"),
        ({"visitor_kind": "志愿者", "visitor_user_id": None}, "visitor_name", "请填写志愿者的姓名"),
        ({"risk_found": True}, "risk_description", "发现风险时请描述"),
        ({"duration_minutes": -5}, "duration_minutes", "探访时长 -5 分钟无效"),
        ({"findings": "很" * 5001}, "findings", "探访发现最长5000个字"),
    ],
)
def test_visit_validation(change: dict[str, object], field: str, message: str) -> None:
    import uuid

    base = VisitInput(
        resident_id=uuid.uuid4(),
        visited_on=date(2025, 3, 1),
        visitor_user_id=uuid.uuid4(),
    )
    with pytest.raises(ValidationError, match=message) as err:
        clean_visit(replace(base, **change))  # type: ignore[arg-type]
    assert err.value.field == field


def test_risk_text_dropped_without_risk() -> None:
    import uuid

    clean = clean_visit(
        VisitInput(
            resident_id=uuid.uuid4(),
            visited_on=date(2025, 3, 1),
            visitor_user_id=uuid.uuid4(),
            risk_description="旧的描述",
        )
    )
    assert clean.risk_description == ""


def test_permissions_and_scope(
    db: Database, station: Station, places: Places, worker: Actor
) -> None:
    rid = make_person(db, places, "张桂兰", "elderly", "elderly_alone")
    supervisor = make_user(db, station, Role.SUPERVISOR, "督导")
    with db.transaction() as s, pytest.raises(PermissionDenied, match="服务记录：新增"):
        create_visit(s, supervisor, _visit(rid, worker))
    coordinator = make_user(db, station, Role.COORDINATOR, "协调员")
    with db.transaction() as s:
        row = create_visit(s, coordinator, _visit(rid, worker))
    with db.reader() as s:
        assert get_visit(s, supervisor, row.id).id == row.id  # supervisors may read
    other, _community = other_station(db)
    stranger = make_actor(other, Role.DIRECTOR, "外站站长")
    with db.reader() as s, pytest.raises(NotFound):
        get_visit(s, stranger, row.id)
    with db.reader() as s:
        assert count_visits(s, stranger, VisitQuery()) == 0
    # A resident of another station cannot be visited from here.
    foreign = make_person(
        db,
        Places(other.id, _community, _community, _community, _community, _community),
        "外站居民",
        community=_community,
    )
    with db.transaction() as s, pytest.raises(ValidationError, match="不属于本站点"):
        create_visit(s, worker, _visit(foreign, worker))


def test_visit_of_deleted_resident_refused(db: Database, places: Places, worker: Actor) -> None:
    rid = make_person(db, places, "已删居民", "elderly_alone", deleted=True)
    with db.transaction() as s, pytest.raises(ValidationError, match="回收站"):
        create_visit(s, worker, _visit(rid, worker))


def test_list_filters_and_pages(
    db: Database, station: Station, places: Places, worker: Actor
) -> None:
    other_worker = make_user(db, station, Role.SOCIAL_WORKER, "周社工")
    a = make_person(db, places, "张桂兰", "elderly_alone", grid=places.qinghe_grid1)
    b = make_person(
        db, places, "刘德福", "elderly_empty_nest", community=places.lihe, grid=places.lihe_grid
    )
    with db.transaction() as s:
        for day in range(1, 11):
            create_visit(s, worker, _visit(a, worker, visited_on=date(2025, 4, day)))
        create_visit(
            s,
            other_worker,
            _visit(
                b,
                other_worker,
                visited_on=date(2025, 5, 2),
                risk_found=True,
                risk_description="独自在家摔倒过",
            ),
        )
    with db.reader() as s:
        assert count_visits(s, worker, VisitQuery()) == 11
        assert count_visits(s, worker, VisitQuery(community_id=places.lihe)) == 1
        assert count_visits(s, worker, VisitQuery(grid_id=places.qinghe_grid1)) == 10
        assert count_visits(s, worker, VisitQuery(visitor_user_id=other_worker.user_id)) == 1
        assert count_visits(s, worker, VisitQuery(risk_only=True)) == 1
        assert count_visits(s, worker, VisitQuery(text="zgl")) == 10
        assert count_visits(s, worker, VisitQuery(text="刘")) == 1
        span = VisitQuery(date_from=date(2025, 4, 3), date_to=date(2025, 4, 6))
        assert count_visits(s, worker, span) == 4
        first = list_visits(s, worker, VisitQuery(), limit=4)
        assert [r.visited_on for r in first.rows] == [
            date(2025, 5, 2),
            date(2025, 4, 10),
            date(2025, 4, 9),
            date(2025, 4, 8),
        ]
        seen = [r.id for r in first.rows]
        cursor = first.next_cursor
        while cursor is not None:
            page = list_visits(s, worker, VisitQuery(), after=cursor, limit=4)
            seen += [r.id for r in page.rows]
            cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 11


def test_a_finding_opens_a_case(db: Database, places: Places, worker: Actor) -> None:
    from wushe_desktop.visits.cases_link import cases_available, open_case_from_visit

    if not cases_available():
        pytest.skip("the casework room is not installed")
    rid = make_person(db, places, "张桂兰", "elderly", "elderly_alone")
    with db.transaction() as s:
        row = create_visit(
            s, worker, _visit(rid, worker, risk_found=True, risk_description="燃气软管老化")
        )
    with db.transaction() as s:
        case = open_case_from_visit(s, worker, row.id, problem_areas=["安全保护"])
    assert case.resident_id == rid
    assert (case.source, case.risk_level, case.opened_on) == ("主动发现", "高", date(2025, 3, 1))
    with db.reader() as s:
        assert get_visit(s, worker, row.id).case_id == case.id
    with db.transaction() as s, pytest.raises(ConflictError, match="已经转为个案"):
        open_case_from_visit(s, worker, row.id, problem_areas=["安全保护"])


def test_case_hook_without_the_case_room(
    db: Database, places: Places, worker: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from wushe_desktop.infra.errors import WusheError
    from wushe_desktop.visits import cases_link

    real = importlib.import_module

    def missing(name: str, *args: object) -> object:
        if name == "wushe_desktop.cases.service":
            raise ModuleNotFoundError(name)
        return real(name, *args)  # type: ignore[arg-type]

    rid = make_person(db, places, "张桂兰", "elderly", "elderly_alone")
    with db.transaction() as s:
        row = create_visit(s, worker, _visit(rid, worker))
    monkeypatch.setattr(cases_link.importlib, "import_module", missing)
    assert not cases_link.cases_available()
    with db.transaction() as s, pytest.raises(WusheError, match="未安装个案管理功能"):
        cases_link.open_case_from_visit(s, worker, row.id, problem_areas=["其他"])
