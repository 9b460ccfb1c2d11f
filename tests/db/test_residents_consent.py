"""Consent records: guardians for children under 14, separate consent, withdrawal, audit."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import make_actor
from tests.db.residents_support import Places, make_id, make_places, other_station
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.residents import consent, service
from wushe_desktop.residents.service import ResidentInput

TODAY = date.today()
GIVEN = TODAY - timedelta(days=30)


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


def _resident(db: Database, actor: Actor, places: Places, name: str, born: date) -> uuid.UUID:
    with db.transaction() as s:
        return service.create_resident(
            s,
            actor,
            ResidentInput(name=name, community_id=places.qinghe, id_number=make_id(born)),
        ).id


@pytest.fixture
def adult(db: Database, director: Actor, places: Places) -> uuid.UUID:
    return _resident(db, director, places, "王芳", date(1980, 5, 1))


@pytest.fixture
def child(db: Database, director: Actor, places: Places) -> uuid.UUID:
    return _resident(db, director, places, "王小明", TODAY.replace(year=TODAY.year - 10, day=1))


def _add(db: Database, actor: Actor, resident_id: uuid.UUID, **kw: object) -> consent.ConsentRow:
    values: dict[str, object] = {
        "scope": "基本信息",
        "sensitive": False,
        "given_by": "王芳",
        "notice_version": "2026-01",
        "given_on": GIVEN,
    }
    values.update(kw)
    with db.transaction() as s:
        return consent.add_consent(s, actor, resident_id, **values)  # type: ignore[arg-type]


def test_an_adult_consents_for_herself(db: Database, director: Actor, adult: uuid.UUID) -> None:
    row = _add(db, director, adult)
    assert row.active and row.guardian_relation == "" and row.method == "书面签字"
    assert row.recorded_by == "zhanzhang"


def test_separate_consent_for_sensitive_data_is_its_own_record(
    db: Database, director: Actor, adult: uuid.UUID
) -> None:
    _add(db, director, adult)
    _add(db, director, adult, scope="残疾及健康信息", sensitive=True, notice_version="2026-02")
    with db.reader() as s:
        rows = consent.list_consents(s, director, adult)
    assert [(r.scope, r.sensitive) for r in rows] == [
        ("基本信息", False),
        ("残疾及健康信息", True),
    ]


def test_a_child_under_14_cannot_consent_alone(
    db: Database, director: Actor, child: uuid.UUID
) -> None:
    with pytest.raises(ValidationError, match="监护人") as err:
        _add(db, director, child, given_by="王小明", guardian_relation="本人")
    assert err.value.field == "given_by"
    with pytest.raises(ValidationError, match="监护人") as err:
        _add(db, director, child, given_by="王芳")
    assert err.value.field == "guardian_relation"
    row = _add(db, director, child, given_by="王芳", guardian_relation="母亲", sensitive=True)
    assert row.guardian_relation == "母亲"


def test_age_is_taken_on_the_day_of_consent(db: Database, director: Actor, places: Places) -> None:
    born = date(TODAY.year - 14, 1, 1)  # 14 now, but 13 two years ago
    teen = _resident(db, director, places, "李青", born)
    _add(db, director, teen, given_by="李青", given_on=TODAY)
    with pytest.raises(ValidationError):
        _add(db, director, teen, given_by="李青", given_on=date(TODAY.year - 1, 6, 30))


def test_withdrawal_keeps_the_record_and_is_audited(
    db: Database, director: Actor, adult: uuid.UUID
) -> None:
    row = _add(db, director, adult)
    with db.transaction() as s:
        withdrawn = consent.withdraw_consent(s, director, row.id, TODAY)
    assert withdrawn.withdrawn_on == TODAY and not withdrawn.active
    with pytest.raises(ConflictError, match="已于"), db.transaction() as s:
        consent.withdraw_consent(s, director, row.id, TODAY)
    with db.reader() as s:
        entries = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.record_type == "consent")
                .order_by(AuditEntry.at, AuditEntry.id)
            )
        )
        assert [e.action for e in entries] == ["新增", "修改"]
        assert json.loads(entries[1].changes) == {"withdrawn_on": [None, TODAY.isoformat()]}
        assert len(consent.list_consents(s, director, adult)) == 1


def test_withdrawal_dates_are_checked(db: Database, director: Actor, adult: uuid.UUID) -> None:
    row = _add(db, director, adult)
    with pytest.raises(ValidationError, match="早于"), db.transaction() as s:
        consent.withdraw_consent(s, director, row.id, GIVEN - timedelta(days=1))
    with pytest.raises(ValidationError, match="晚于今天"), db.transaction() as s:
        consent.withdraw_consent(s, director, row.id, TODAY + timedelta(days=1))


def test_required_fields(db: Database, director: Actor, adult: uuid.UUID) -> None:
    for field, value in [("scope", " "), ("given_by", ""), ("notice_version", "")]:
        with pytest.raises(ValidationError) as err:
            _add(db, director, adult, **{field: value})
        assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        _add(db, director, adult, given_on=TODAY + timedelta(days=1))
    assert err.value.field == "given_on"


def test_permissions_and_scope(
    db: Database, station: Station, director: Actor, adult: uuid.UUID
) -> None:
    row = _add(db, director, adult)
    supervisor = make_actor(station, Role.SUPERVISOR, "dudao")
    with db.reader() as s:
        assert len(consent.list_consents(s, supervisor, adult)) == 1
    with pytest.raises(PermissionDenied):
        _add(db, supervisor, adult)
    coordinator = make_actor(station, Role.COORDINATOR, "luru")
    _add(db, coordinator, adult, scope="服务记录")
    st2, _ = other_station(db)
    outsider = make_actor(st2, Role.DIRECTOR, "other")
    with pytest.raises(PermissionDenied), db.transaction() as s:
        consent.withdraw_consent(s, outsider, row.id, TODAY)
    with pytest.raises(PermissionDenied), db.reader() as s:
        consent.list_consents(s, outsider, adult)
