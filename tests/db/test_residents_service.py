"""Resident use cases: create, update, duplicates, masking, sensitive view, permissions,
optimistic versions and the recycle bin."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import make_actor
from tests.db.residents_support import Places, make_id, make_places, other_station
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from wushe_desktop.models import Resident, ResidentTag, Station
from wushe_desktop.residents import search as rsearch
from wushe_desktop.residents import service
from wushe_desktop.residents.service import ResidentInput, ResidentRow

ID_ZHANG = make_id(date(1950, 3, 5), seq=123, area="320802")


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


def _input(places: Places, **kw: object) -> ResidentInput:
    values: dict[str, object] = {
        "name": "张三",
        "community_id": places.qinghe,
        "id_number": ID_ZHANG,
        "phone": "13812345678",
        "grid_id": places.qinghe_grid1,
    }
    values.update(kw)
    return ResidentInput(**values)  # type: ignore[arg-type]


def _create(db: Database, actor: Actor, data: ResidentInput) -> ResidentRow:
    with db.transaction() as s:
        return service.create_resident(s, actor, data)


def _audit(db: Database, resident_id: uuid.UUID) -> list[AuditEntry]:
    with db.reader() as s:
        stmt = (
            select(AuditEntry)
            .where(AuditEntry.record_id == str(resident_id))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return list(s.scalars(stmt))


# ------------------------------------------------------------------------------ create


def test_create_returns_a_masked_row_with_derived_facts(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places, tags={"elderly_alone": ""}))
    assert row.name == "张三"
    assert row.id_number == "320802********" + ID_ZHANG[-4:]
    assert row.phone == "138****5678"
    assert row.gender == "男" and row.birth_date == date(1950, 3, 5)
    assert row.age is not None and row.age >= 76
    assert row.community_name == "清河社区" and row.grid_name == "第一网格"
    assert row.tags == {"elderly": "", "elderly_alone": ""}
    assert row.tags_text == "独居老人"
    assert row.version == 1 and row.deleted_at is None
    with db.reader() as s:
        stored = s.get(Resident, row.id)
        assert stored is not None
        assert stored.id_number == ID_ZHANG and stored.py_initials == "zs"
        assert stored.station_id == places.station_id


def test_create_is_audited_with_sensitive_values_masked(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    (entry,) = _audit(db, row.id)
    assert entry.action == "新增" and entry.username == "zhanzhang"
    assert entry.record_label == "张三" and entry.station_id == places.station_id
    changes = json.loads(entry.changes)
    assert changes["name"] == [None, "张三"]
    assert changes["id_number"][1] == "320802********" + ID_ZHANG[-4:]
    assert changes["phone"][1] == "138****5678"
    assert ID_ZHANG not in entry.changes and "13812345678" not in entry.changes


def test_duplicate_id_names_the_existing_resident(
    db: Database, director: Actor, places: Places
) -> None:
    _create(db, director, _input(places))
    with pytest.raises(ConflictError) as err:
        _create(db, director, _input(places, name="张叁", id_number=ID_ZHANG.lower()))
    assert err.value.message == (
        f"身份证号 320802********{ID_ZHANG[-4:]} 已登记为居民“张三”（清河社区），请勿重复登记。"
    )


def test_duplicate_in_the_recycle_bin_suggests_restoring(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    with db.transaction() as s:
        service.delete_resident(s, director, row.id)
    with pytest.raises(ConflictError) as err:
        _create(db, director, _input(places))
    assert "回收站" in err.value.message and "恢复" in err.value.message


def test_residents_without_id_are_allowed_several_times(
    db: Database, director: Actor, places: Places
) -> None:
    a = _create(db, director, _input(places, id_number="", phone=""))
    b = _create(db, director, _input(places, id_number="", phone=""))
    assert a.id != b.id and a.id_number == "" and a.phone == ""


def test_the_same_id_may_live_in_two_stations(
    db: Database, director: Actor, places: Places
) -> None:
    st2, community2 = other_station(db)
    _create(db, director, _input(places))
    other = make_actor(st2, Role.DIRECTOR, "other")
    row = _create(db, other, _input(places, community_id=community2, grid_id=None))
    assert row.community_name == "淮海社区"


def test_grid_must_belong_to_the_community(db: Database, director: Actor, places: Places) -> None:
    with pytest.raises(ValidationError) as err:
        _create(db, director, _input(places, community_id=places.lihe))
    assert err.value.field == "grid_id" and "里河村" in err.value.message


def test_community_must_belong_to_the_actors_station(
    db: Database, director: Actor, places: Places
) -> None:
    _st2, community2 = other_station(db)
    with pytest.raises(ValidationError) as err:
        _create(db, director, _input(places, community_id=community2, grid_id=None))
    assert err.value.field == "community_id"


# ------------------------------------------------------------------------------ update


def test_update_changes_fields_bumps_version_and_audits_the_diff(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    with db.transaction() as s:
        new = service.update_resident(
            s,
            director,
            row.id,
            _input(places, phone="13900001111", address="淮海路1号", tags={"disabled": "肢体二级"}),
            expected_version=row.version,
        )
    assert new.version == row.version + 1
    assert new.phone == "139****1111" and new.address == "淮海路1号"
    assert new.tags == {"disabled": "肢体/二级"}
    update = _audit(db, row.id)[-1]
    assert update.action == "修改"
    changes = json.loads(update.changes)
    assert set(changes) == {"phone", "address", "tags"}
    assert changes["phone"] == ["138****5678", "139****1111"]
    assert changes["tags"] == ["", "***"]  # disability details are sensitive


def test_update_with_identical_values_writes_nothing(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places, tags={"elderly": ""}))
    with db.transaction() as s:
        same = service.update_resident(
            s, director, row.id, _input(places, tags={"elderly": ""}), expected_version=1
        )
    assert same.version == 1
    assert [e.action for e in _audit(db, row.id)] == ["新增"]


def test_a_tag_only_change_gets_a_new_version(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places, tags={"elderly": ""}))
    with db.transaction() as s:
        new = service.update_resident(
            s, director, row.id, _input(places, tags={"youfu": ""}), expected_version=1
        )
    assert new.version == 2 and new.tags == {"youfu": ""}
    with db.reader() as s:
        tags = s.scalars(select(ResidentTag.tag).where(ResidentTag.resident_id == row.id))
        assert list(tags) == ["youfu"]


def test_a_stale_version_names_who_changed_it_and_when(
    db: Database, director: Actor, station: Station, places: Places
) -> None:
    row = _create(db, director, _input(places))
    worker = make_actor(station, Role.SOCIAL_WORKER, "wanggong")
    with db.transaction() as s:
        service.update_resident(
            s, worker, row.id, _input(places, address="新地址"), expected_version=1
        )
    with pytest.raises(ConflictError) as err, db.transaction() as s:
        service.update_resident(
            s, director, row.id, _input(places, address="另一个地址"), expected_version=1
        )
    message = err.value.message
    assert message.startswith("该居民信息已被 wanggong 于 20")
    assert message.endswith("修改，请刷新后再编辑。")
    with db.reader() as s:
        stored = s.get(Resident, row.id)
        assert stored is not None and stored.address == "新地址"


def test_update_to_another_residents_id_is_refused(
    db: Database, director: Actor, places: Places
) -> None:
    _create(db, director, _input(places))
    other_id = make_id(date(1960, 1, 1), seq=222)
    li = _create(db, director, _input(places, name="李四", id_number=other_id))
    with pytest.raises(ConflictError) as err, db.transaction() as s:
        service.update_resident(s, director, li.id, _input(places, name="李四"), expected_version=1)
    assert "“张三”" in err.value.message


def test_a_deleted_resident_cannot_be_edited(db: Database, director: Actor, places: Places) -> None:
    row = _create(db, director, _input(places))
    with db.transaction() as s:
        service.delete_resident(s, director, row.id)
    with pytest.raises(ConflictError, match="回收站"), db.transaction() as s:
        service.update_resident(s, director, row.id, _input(places), expected_version=2)


# ------------------------------------------------------------------------------ view


def test_reveal_shows_full_values_and_is_logged(
    db: Database, station: Station, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    worker = make_actor(station, Role.SOCIAL_WORKER, "wanggong")
    with db.transaction() as s:
        masked = service.get_resident(s, worker, row.id)
        full = service.get_resident(s, worker, row.id, reveal=True)
    assert masked.id_number != ID_ZHANG
    assert full.id_number == ID_ZHANG and full.phone == "13812345678"
    views = [e for e in _audit(db, row.id) if e.action == "查看敏感信息"]
    assert len(views) == 1 and views[0].username == "wanggong" and views[0].host == "test-pc"


def test_find_by_document_searches_the_recycle_bin_too(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    with db.transaction() as s:
        assert service.find_by_document(s, director, "身份证", ID_ZHANG.lower()) is not None
        assert (
            service.find_by_document(s, director, "居民身份证", make_id(date(1999, 1, 1))) is None
        )
        service.delete_resident(s, director, row.id)
        found = service.find_by_document(s, director, "居民身份证", ID_ZHANG)
    assert found is not None and found.deleted_at is not None and found.name == "张三"


# ------------------------------------------------------------------------------ roles


@pytest.mark.parametrize(
    ("role", "can_write", "can_reveal"),
    [
        (Role.DIRECTOR, True, True),
        (Role.SOCIAL_WORKER, True, True),
        (Role.COORDINATOR, True, False),
        (Role.SUPERVISOR, False, False),
    ],
)
def test_permissions_per_role(
    db: Database,
    station: Station,
    director: Actor,
    places: Places,
    role: Role,
    can_write: bool,
    can_reveal: bool,
) -> None:
    row = _create(db, director, _input(places))
    actor = make_actor(station, role, "someone")
    with db.transaction() as s:
        assert service.get_resident(s, actor, row.id).name == "张三"
        assert rsearch.count(s, actor, rsearch.ResidentQuery()) == 1
    if can_reveal:
        with db.transaction() as s:
            assert service.get_resident(s, actor, row.id, reveal=True).id_number == ID_ZHANG
    else:
        with pytest.raises(PermissionDenied, match=role.value), db.transaction() as s:
            service.get_resident(s, actor, row.id, reveal=True)
    second = _input(places, name="李四", id_number="")
    if can_write:
        _create(db, actor, second)
        with db.transaction() as s:
            service.update_resident(
                s, actor, row.id, _input(places, address="x"), expected_version=1
            )
    else:
        with pytest.raises(PermissionDenied):
            _create(db, actor, second)
        with pytest.raises(PermissionDenied), db.transaction() as s:
            service.update_resident(s, actor, row.id, _input(places), expected_version=1)
        with pytest.raises(PermissionDenied), db.transaction() as s:
            service.delete_resident(s, actor, row.id)


def test_another_stations_user_cannot_see_the_resident(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    st2, _ = other_station(db)
    outsider = make_actor(st2, Role.DIRECTOR, "other")
    with pytest.raises(PermissionDenied), db.transaction() as s:
        service.get_resident(s, outsider, row.id)
    with db.transaction() as s:
        assert service.find_by_document(s, outsider, "居民身份证", ID_ZHANG) is None
    district = make_actor(None, Role.DISTRICT_ADMIN, "qu")
    with db.transaction() as s:
        assert service.get_resident(s, district, row.id, reveal=True).id_number == ID_ZHANG
        with pytest.raises(PermissionDenied):
            service.create_resident(s, district, _input(places, id_number=""))


def test_missing_resident_is_not_found(db: Database, director: Actor) -> None:
    with pytest.raises(NotFound), db.transaction() as s:
        service.get_resident(s, director, uuid.uuid4())


# ------------------------------------------------------------------------------ recycle bin


def test_soft_delete_restore_and_purge(db: Database, director: Actor, places: Places) -> None:
    row = _create(db, director, _input(places, tags={"elderly": ""}))
    with db.transaction() as s:
        service.delete_resident(s, director, row.id, expected_version=1)
    with db.transaction() as s:
        assert rsearch.count(s, director, rsearch.ResidentQuery()) == 0
        assert rsearch.count(s, director, rsearch.ResidentQuery(deleted=True)) == 1
        (binned,) = service.list_recycle_bin(s, director)
        assert binned.id == row.id and binned.deleted_at is not None
        with pytest.raises(ConflictError):
            service.delete_resident(s, director, row.id)
    with db.transaction() as s:
        restored = service.restore_resident(s, director, row.id)
    assert restored.deleted_at is None
    with db.transaction() as s:
        assert service.list_recycle_bin(s, director) == []
        with pytest.raises(ConflictError, match="不在回收站"):
            service.restore_resident(s, director, row.id)
        with pytest.raises(ConflictError, match="不在回收站"):
            service.purge_resident(s, director, row.id)
    with db.transaction() as s:
        service.delete_resident(s, director, row.id)
    with db.transaction() as s:
        service.purge_resident(s, director, row.id)
    with db.reader() as s:
        assert s.get(Resident, row.id) is None
        assert list(s.scalars(select(ResidentTag))) == []
    actions = [e.action for e in _audit(db, row.id)]
    assert actions == ["新增", "删除", "恢复", "删除", "彻底删除"]
    assert ID_ZHANG not in _audit(db, row.id)[-1].detail


def test_delete_with_a_stale_version_is_refused(
    db: Database, director: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    with db.transaction() as s:
        service.update_resident(
            s, director, row.id, _input(places, address="x"), expected_version=1
        )
    with pytest.raises(ConflictError, match="zhanzhang"), db.transaction() as s:
        service.delete_resident(s, director, row.id, expected_version=1)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR])
def test_workers_may_delete_and_restore_but_only_the_director_purges(
    db: Database, station: Station, director: Actor, places: Places, role: Role
) -> None:
    row = _create(db, director, _input(places))
    worker = make_actor(station, role, "worker")
    with db.transaction() as s:
        service.delete_resident(s, worker, row.id)
        service.restore_resident(s, worker, row.id)
        service.delete_resident(s, worker, row.id)
    with pytest.raises(PermissionDenied, match="站长"), db.transaction() as s:
        service.purge_resident(s, worker, row.id)
