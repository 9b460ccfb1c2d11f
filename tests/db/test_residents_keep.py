"""Editing a resident without seeing the full ID number or phone (``KEEP``): a 协调员 edits
the rest, the stored values, derived facts and duplicate check stay right, nothing leaks."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import make_actor
from tests.db.residents_support import Places, make_id, make_places
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, ValidationError
from wushe_desktop.models import Resident, Station
from wushe_desktop.residents import service
from wushe_desktop.residents.service import KEEP, ResidentInput, ResidentRow

ID_ZHANG = make_id(date(1950, 3, 5), seq=124, area="320802")  # a woman


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def coordinator(station: Station) -> Actor:
    return make_actor(station, Role.COORDINATOR, "luru")


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


def _update(db: Database, actor: Actor, row: ResidentRow, data: ResidentInput) -> ResidentRow:
    with db.transaction() as s:
        return service.update_resident(s, actor, row.id, data, expected_version=row.version)


def _stored(db: Database, row: ResidentRow) -> Resident:
    with db.reader() as s:
        found = s.get(Resident, row.id)
        assert found is not None
        s.expunge(found)
        return found


def _actions(db: Database, row: ResidentRow) -> list[tuple[str, str, str]]:
    with db.reader() as s:
        stmt = (
            select(AuditEntry.action, AuditEntry.username, AuditEntry.changes)
            .where(AuditEntry.record_id == str(row.id))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return [(a, u, c or "") for a, u, c in s.execute(stmt)]


def test_a_coordinator_edits_the_rest_and_keeps_number_and_phone(
    db: Database, director: Actor, coordinator: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    with db.transaction() as s:
        seen = service.get_resident(s, coordinator, row.id)  # what the coordinator's form gets
    assert ID_ZHANG not in seen.id_number and "12345678" not in seen.phone
    new = _update(
        db,
        coordinator,
        seen,
        _input(
            places, id_number=KEEP, phone=KEEP, address="淮海路1号", grid_id=places.qinghe_grid2
        ),
    )
    assert new.version == 2 and new.address == "淮海路1号" and new.grid_name == "第二网格"
    assert new.id_number == seen.id_number and new.phone == seen.phone  # still masked
    stored = _stored(db, row)
    assert stored.id_number == ID_ZHANG and stored.phone == "13812345678"
    assert stored.gender == "女" and stored.birth_date == date(1950, 3, 5)
    actions = _actions(db, row)
    assert [a for a, _u, _c in actions] == ["新增", "修改"]  # no sensitive view was needed
    assert set(json.loads(actions[-1][2])) == {"address", "grid"}


def test_kept_values_unchanged_write_nothing(
    db: Database, director: Actor, coordinator: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    same = _update(db, coordinator, row, _input(places, id_number=KEEP, phone=KEEP))
    assert same.version == 1
    assert [a for a, _u, _c in _actions(db, row)] == ["新增"]


def test_a_coordinator_may_replace_the_phone_and_the_audit_masks_both(
    db: Database, director: Actor, coordinator: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    new = _update(db, coordinator, row, _input(places, id_number=KEEP, phone="139-0000-1111"))
    assert new.phone == "139****1111"
    stored = _stored(db, row)
    assert stored.phone == "13900001111" and stored.id_number == ID_ZHANG
    changes = json.loads(_actions(db, row)[-1][2])
    assert changes == {"phone": ["138****5678", "139****1111"]}


def test_a_replaced_number_gives_new_derived_facts(
    db: Database, director: Actor, coordinator: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    number = make_id(date(1961, 7, 1), seq=333, area="320802")  # a man
    _update(db, coordinator, row, _input(places, id_number=number, phone=KEEP))
    stored = _stored(db, row)
    assert stored.id_number == number and stored.phone == "13812345678"
    assert stored.gender == "男" and stored.birth_date == date(1961, 7, 1)


def test_typed_facts_are_checked_against_the_kept_number(
    db: Database, director: Actor, coordinator: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    with pytest.raises(ValidationError, match="性别") as err:
        _update(db, coordinator, row, _input(places, id_number=KEEP, phone=KEEP, gender="男"))
    assert err.value.field == "gender"
    assert ID_ZHANG not in err.value.message
    # typed facts that agree (the form shows them locked) are fine
    ok = _update(
        db,
        coordinator,
        row,
        _input(places, id_number=KEEP, gender="女", birth_date=date(1950, 3, 5), notes="n"),
    )
    assert ok.version == 2


def test_the_duplicate_check_sees_the_kept_number_as_the_residents_own(
    db: Database, director: Actor, coordinator: Actor, places: Places
) -> None:
    zhang = _create(db, director, _input(places))
    li = _create(db, director, _input(places, name="李四", id_number=make_id(date(1960, 1, 1))))
    kept = _update(db, coordinator, li, _input(places, name="李四", id_number=KEEP, notes="n"))
    assert kept.version == 2  # its own stored number is no duplicate
    with pytest.raises(ConflictError, match="“张三”") as err:
        _update(db, coordinator, kept, _input(places, name="李四", id_number=ID_ZHANG))
    assert ID_ZHANG not in err.value.message  # named masked, like everywhere
    assert zhang.id != li.id


def test_keep_on_a_new_resident_means_no_number(
    db: Database, coordinator: Actor, places: Places
) -> None:
    row = _create(db, coordinator, _input(places, name="王五", id_number=KEEP, phone=KEEP))
    stored = _stored(db, row)
    assert stored.id_number is None and stored.phone is None


def test_keep_with_another_document_type_is_refused(
    db: Database, director: Actor, coordinator: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    with pytest.raises(ValidationError, match="更换证件类型"):
        _update(db, coordinator, row, _input(places, doc_type="护照", id_number=KEEP))


def test_a_stale_version_wins_over_keep(
    db: Database, director: Actor, coordinator: Actor, places: Places
) -> None:
    row = _create(db, director, _input(places))
    _update(db, director, row, _input(places, address="新地址"))
    with pytest.raises(ConflictError, match="请刷新后再编辑"):
        _update(db, coordinator, row, _input(places, id_number=KEEP, phone=KEEP, notes="x"))
