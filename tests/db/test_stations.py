"""Station set-up, communities and grids: validation, permissions, scoping and audit."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from tests.conftest import make_actor
from wushe_desktop.accounts import passwords
from wushe_desktop.accounts import service as accounts
from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from wushe_desktop.models import Resident, Station
from wushe_desktop.stations import service as stations

READERS = [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.SUPERVISOR]


@pytest.fixture(autouse=True)
def _cheap_hashing() -> Iterator[None]:
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


def _new_station(db: Database, code: str = "320812002") -> Station:
    with db.transaction() as s:
        st = Station(name="淮海街道社工站", township="淮海街道", district="清江浦区", code=code)
        s.add(st)
    return st


def _community(
    db: Database,
    actor: Actor,
    name: str = "清河社区",
    *,
    kind: str = "社区",
    population: int = 0,
    households: int = 0,
) -> stations.CommunityRow:
    with db.transaction() as s:
        return stations.create_community(
            s, actor, name=name, kind=kind, population=population, households=households
        )


def _grid(
    db: Database, actor: Actor, community_id: uuid.UUID, name: str = "第一网格", **kw: str
) -> stations.GridRow:
    with db.transaction() as s:
        return stations.create_grid(s, actor, community_id, name=name, **kw)


def _resident(
    db: Database,
    station: Station,
    community_id: uuid.UUID,
    grid_id: uuid.UUID | None = None,
    *,
    deleted: bool = False,
    name: str = "张三",
) -> None:
    with db.transaction() as s:
        s.add(
            Resident(
                station_id=station.id,
                name=name,
                community_id=community_id,
                grid_id=grid_id,
                deleted_at=utcnow() if deleted else None,
            )
        )


def _audit(db: Database, record_type: str, action: str | None = None) -> list[AuditEntry]:
    with db.reader() as s:
        stmt = select(AuditEntry).where(AuditEntry.record_type == record_type)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return list(s.scalars(stmt.order_by(AuditEntry.at, AuditEntry.id)))


# --- station ------------------------------------------------------------------------------


def test_create_station_with_first_director(db: Database) -> None:
    with db.reader() as s:
        assert not stations.station_exists(s)
    with db.transaction() as s:
        info, admin = stations.create_station(
            s,
            name=" 王营街道社工站 ",
            township="王营街道",
            district="淮阴区",
            code="HY01",
            admin_username="admin",
            admin_password="admin2024",
        )
    assert (info.name, info.code, info.version) == ("王营街道社工站", "HY01", 1)
    assert (admin.role, admin.station_id, admin.display_name) == (Role.DIRECTOR, info.id, "站长")
    with db.reader() as s:
        assert stations.station_exists(s)
    actor = accounts.sign_in(db, "admin", "admin2024")
    assert (actor.role, actor.station_id) == (Role.DIRECTOR, info.id)
    created = _audit(db, "station", "新增") + _audit(db, "user", "新增")
    assert [(e.username, e.station_id) for e in created] == [("system", info.id)] * 2
    assert "admin2024" not in created[1].changes


@pytest.mark.parametrize("code", ["", "HY 01", "淮阴01", "HY-01"])
def test_station_code_must_be_letters_and_digits(db: Database, code: str) -> None:
    with db.transaction() as s, pytest.raises(ValidationError) as info:
        stations.create_station(
            s,
            name="站",
            township="镇",
            district="",
            code=code,
            admin_username="admin",
            admin_password="admin2024",
        )
    assert info.value.field == "code"


def test_station_code_is_unique_and_nothing_half_created(db: Database, station: Station) -> None:
    with (
        db.transaction() as s,
        pytest.raises(ConflictError, match="“320812001”已被“清河街道社工站”使用"),
    ):
        stations.create_station(
            s,
            name="另一站",
            township="镇",
            district="",
            code="320812001",
            admin_username="admin",
            admin_password="admin2024",
        )
    with pytest.raises(ValidationError, match="密码"), db.transaction() as s:
        stations.create_station(
            s,
            name="另一站",
            township="镇",
            district="",
            code="X2",
            admin_username="admin",
            admin_password="weak",
        )
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Station)) == 1
        assert s.scalar(select(func.count()).select_from(User)) == 0


def test_get_and_update_station(db: Database, station: Station, director: Actor) -> None:
    with db.transaction() as s:
        info = stations.get_station(s, director)
        assert info.code == "320812001"
        new = stations.update_station(
            s,
            director,
            name="清河社工站",
            township="清河街道",
            district="清江浦区",
            expected_version=info.version,
        )
    assert (new.name, new.version) == ("清河社工站", info.version + 1)
    with db.transaction() as s, pytest.raises(ConflictError, match="站点信息已被其他人修改"):
        stations.update_station(
            s, director, name="x", township="y", district="", expected_version=info.version
        )
    [entry] = _audit(db, "station", "修改")
    assert json.loads(entry.changes) == {"name": ["清河街道社工站", "清河社工站"]}


def test_station_permissions_and_scope(db: Database, station: Station) -> None:
    other = _new_station(db)
    worker = make_actor(station, Role.SOCIAL_WORKER, "sg")
    with db.transaction() as s:
        assert stations.get_station(s, worker).id == station.id
        with pytest.raises(PermissionDenied):
            stations.update_station(
                s, worker, name="x", township="y", district="", expected_version=1
            )
        with pytest.raises(PermissionDenied):
            stations.get_station(s, worker, station_id=other.id)
        assert [st.id for st in stations.list_stations(s, worker)] == [station.id]
        district = make_actor(None, Role.DISTRICT_ADMIN, "qu")
        assert len(stations.list_stations(s, district)) == 2
        assert stations.get_station(s, district, station_id=other.id).code == "320812002"


# --- communities --------------------------------------------------------------------------


def test_community_crud_and_counts(db: Database, station: Station, director: Actor) -> None:
    row = _community(db, director, " 清河社区 ", population=3200, households=1100)
    assert (row.name, row.kind, row.population, row.grid_count, row.resident_count) == (
        "清河社区",
        "社区",
        3200,
        0,
        0,
    )
    village = _community(db, director, "黄码村", kind="村")
    grid = _grid(db, director, row.id)
    _resident(db, station, row.id, grid.id)
    _resident(db, station, row.id, None, name="李四")
    _resident(db, station, row.id, grid.id, deleted=True, name="王五")
    with db.transaction() as s:
        listed = stations.list_communities(s, director)
    # Order by name follows the database's collation; compare as a set.
    assert {(c.name, c.kind, c.grid_count, c.resident_count) for c in listed} == {
        ("清河社区", "社区", 1, 2),
        ("黄码村", "村", 0, 0),
    }
    with db.transaction() as s:
        updated = stations.update_community(
            s,
            director,
            village.id,
            name="黄码村",
            kind="村",
            population=900,
            households=300,
            expected_version=village.version,
        )
    assert (updated.population, updated.version) == (900, village.version + 1)
    with db.transaction() as s, pytest.raises(ConflictError, match="已被其他人修改"):
        stations.update_community(
            s,
            director,
            village.id,
            name="黄码村",
            kind="村",
            population=1,
            households=1,
            expected_version=village.version,
        )
    with db.transaction() as s:
        stations.delete_community(s, director, village.id)
        assert stations.find_community_by_name(s, director, "黄码村") is None
        found = stations.find_community_by_name(s, director, " 清河社区")
    assert found is not None and found.resident_count == 2
    assert [e.action for e in _audit(db, "community")] == ["新增", "新增", "修改", "删除"]
    deleted = _audit(db, "community", "删除")[0]
    assert json.loads(deleted.changes)["name"] == ["黄码村", None]
    changed = _audit(db, "community", "修改")[0]
    assert json.loads(changed.changes) == {"population": [0, 900], "households": [0, 300]}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "社" * 51}, "name"),
        ({"kind": "街道"}, "kind"),
        ({"population": -1}, "population"),
        ({"households": -5}, "households"),
        ({"population": "100"}, "population"),
        ({"population": 100, "households": 101}, "households"),  # a household has a member
    ],
)
def test_community_validation(
    db: Database, station: Station, director: Actor, fields: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"name": "清河社区", **fields}
    with db.transaction() as s, pytest.raises(ValidationError) as info:
        stations.create_community(s, director, **values)  # type: ignore[arg-type]
    assert info.value.field == field


def test_duplicate_community_name(db: Database, station: Station, director: Actor) -> None:
    _community(db, director, "清河社区")
    shui = _community(db, director, "水渡口社区")
    with pytest.raises(ConflictError, match="已有名为“清河社区”的社区"):
        _community(db, director, "清河社区")
    with db.transaction() as s, pytest.raises(ConflictError, match="“清河社区”"):
        stations.update_community(
            s,
            director,
            shui.id,
            name="清河社区",
            kind="社区",
            population=0,
            households=0,
            expected_version=shui.version,
        )
    # The same name in another station is fine.
    other = _new_station(db)
    _community(db, make_actor(other, Role.DIRECTOR, "boss2"), "清河社区")


@pytest.mark.parametrize("role", READERS)
def test_other_roles_only_read_communities(
    db: Database, station: Station, director: Actor, role: Role
) -> None:
    row = _community(db, director)
    grid = _grid(db, director, row.id)
    actor = make_actor(station, role, "someone")
    with db.transaction() as s:
        assert [c.name for c in stations.list_communities(s, actor)] == ["清河社区"]
        assert [g.name for g in stations.list_grids(s, actor, row.id)] == ["第一网格"]
        with pytest.raises(PermissionDenied):
            stations.create_community(s, actor, name="新社区")
        with pytest.raises(PermissionDenied):
            stations.update_community(
                s,
                actor,
                row.id,
                name="x",
                kind="村",
                population=0,
                households=0,
                expected_version=row.version,
            )
        with pytest.raises(PermissionDenied):
            stations.delete_community(s, actor, row.id)
        with pytest.raises(PermissionDenied):
            stations.create_grid(s, actor, row.id, name="第二网格")
        with pytest.raises(PermissionDenied):
            stations.update_grid(
                s,
                actor,
                grid.id,
                name="x",
                worker_name="",
                worker_phone="",
                expected_version=grid.version,
            )
        with pytest.raises(PermissionDenied):
            stations.delete_grid(s, actor, grid.id)


def test_district_admin_creates_and_updates_but_does_not_delete(
    db: Database, station: Station, director: Actor
) -> None:
    district = make_actor(None, Role.DISTRICT_ADMIN, "qu")
    other = _new_station(db)
    _community(db, director, "清河社区")
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="所属的站点"):
            stations.create_community(s, district, name="无站点社区")
        row = stations.create_community(s, district, name="淮海社区", station_id=other.id)
        assert row.station_id == other.id
        assert {c.name for c in stations.list_communities(s, district)} == {"清河社区", "淮海社区"}
        assert [c.name for c in stations.list_communities(s, district, station_id=other.id)] == [
            "淮海社区"
        ]
        stations.update_community(
            s,
            district,
            row.id,
            name="淮海社区",
            kind="社区",
            population=10,
            households=3,
            expected_version=row.version,
        )
        with pytest.raises(PermissionDenied):
            stations.delete_community(s, district, row.id)
    [entry] = _audit(db, "community", "修改")
    assert entry.station_id == other.id and entry.username == "qu"


def test_station_scoping(db: Database, station: Station, director: Actor) -> None:
    mine = _community(db, director, "清河社区")
    grid = _grid(db, director, mine.id)
    other = _new_station(db)
    boss_b = make_actor(other, Role.DIRECTOR, "boss_b")
    _community(db, boss_b, "淮海社区")
    with db.transaction() as s:
        assert [c.name for c in stations.list_communities(s, boss_b)] == ["淮海社区"]
        assert stations.find_community_by_name(s, boss_b, "清河社区") is None
        with pytest.raises(PermissionDenied):
            stations.get_community(s, boss_b, mine.id)
        with pytest.raises(PermissionDenied):
            stations.list_grids(s, boss_b, mine.id)
        with pytest.raises(PermissionDenied):
            stations.find_grid_by_name(s, boss_b, mine.id, "第一网格")
        with pytest.raises(PermissionDenied):
            stations.update_community(
                s,
                boss_b,
                mine.id,
                name="x",
                kind="村",
                population=0,
                households=0,
                expected_version=mine.version,
            )
        with pytest.raises(PermissionDenied):
            stations.delete_community(s, boss_b, mine.id)
        with pytest.raises(PermissionDenied):
            stations.create_grid(s, boss_b, mine.id, name="偷建网格")
        with pytest.raises(PermissionDenied):
            stations.update_grid(
                s,
                boss_b,
                grid.id,
                name="x",
                worker_name="",
                worker_phone="",
                expected_version=grid.version,
            )
        with pytest.raises(PermissionDenied):
            stations.delete_grid(s, boss_b, grid.id)
        with pytest.raises(PermissionDenied):
            stations.list_communities(s, boss_b, station_id=station.id)
    with db.reader() as s:
        assert stations.get_community(s, director, mine.id).name == "清河社区"


def test_unknown_community(db: Database, station: Station, director: Actor) -> None:
    with db.transaction() as s, pytest.raises(NotFound, match="找不到该社区"):
        stations.list_grids(s, director, uuid.uuid4())


def test_delete_community_refused_while_in_use(
    db: Database, station: Station, director: Actor
) -> None:
    row = _community(db, director)
    grid = _grid(db, director, row.id)
    with db.transaction() as s, pytest.raises(ConflictError, match="还有 1 个网格"):
        stations.delete_community(s, director, row.id)
    _resident(db, station, row.id, None)
    with db.transaction() as s, pytest.raises(ConflictError, match="还有 1 名居民"):
        stations.delete_community(s, director, row.id)
    with db.transaction() as s:
        stations.delete_grid(s, director, grid.id)  # the resident is not in this grid
    with db.transaction() as s, pytest.raises(ConflictError, match="还有 1 名居民"):
        stations.delete_community(s, director, row.id)
    with db.reader() as s:
        assert stations.get_community(s, director, row.id).grid_count == 0


def test_delete_refused_for_residents_in_recycle_bin(
    db: Database, station: Station, director: Actor
) -> None:
    row = _community(db, director)
    _resident(db, station, row.id, None, deleted=True)
    with db.transaction() as s, pytest.raises(ConflictError, match="回收站中还有 1 名居民"):
        stations.delete_community(s, director, row.id)


# --- grids --------------------------------------------------------------------------------


def test_grid_crud(db: Database, station: Station, director: Actor) -> None:
    row = _community(db, director)
    grid = _grid(db, director, row.id, worker_name="李网格", worker_phone="+86 138-1234-5678")
    assert (grid.worker_phone, grid.resident_count, grid.community_id) == (
        "13812345678",
        0,
        row.id,
    )
    _grid(db, director, row.id, "第二网格")
    _resident(db, station, row.id, grid.id)
    with db.transaction() as s:
        grids = stations.list_grids(s, director, row.id)
        assert [(g.name, g.resident_count) for g in grids] == [("第一网格", 1), ("第二网格", 0)]
        found = stations.find_grid_by_name(s, director, row.id, "第二网格 ")
        assert found is not None
        assert stations.find_grid_by_name(s, director, row.id, "第三网格") is None
        updated = stations.update_grid(
            s,
            director,
            found.id,
            name="第三网格",
            worker_name="赵六",
            worker_phone="0517 8361 2345",
            expected_version=found.version,
        )
    assert (updated.name, updated.worker_phone, updated.version) == (
        "第三网格",
        "0517-83612345",
        found.version + 1,
    )
    with db.transaction() as s, pytest.raises(ConflictError, match="该网格已被其他人修改"):
        stations.update_grid(
            s,
            director,
            found.id,
            name="第四网格",
            worker_name="",
            worker_phone="",
            expected_version=found.version,
        )
    with db.transaction() as s:
        stations.delete_grid(s, director, found.id)
        assert stations.get_community(s, director, row.id).grid_count == 1
    with db.transaction() as s, pytest.raises(ConflictError, match="还有 1 名居民"):
        stations.delete_grid(s, director, grid.id)
    entries = _audit(db, "grid")
    assert [e.action for e in entries] == ["新增", "新增", "修改", "删除"]
    created = json.loads(entries[0].changes)
    assert created["worker_phone"] == [None, "138****5678"]  # masked in the log
    assert all("13812345678" not in e.changes for e in entries)
    assert entries[2].record_label == "清河社区/第三网格"


def test_grid_validation(db: Database, station: Station, director: Actor) -> None:
    row = _community(db, director)
    _grid(db, director, row.id)
    with pytest.raises(ValidationError, match="网格员电话") as info:
        _grid(db, director, row.id, "第二网格", worker_phone="12345")
    assert info.value.field == "worker_phone"
    with pytest.raises(ValidationError) as info:
        _grid(db, director, row.id, "")
    assert info.value.field == "name"
    with pytest.raises(ConflictError, match="“清河社区”已有名为“第一网格”的网格"):
        _grid(db, director, row.id, "第一网格")
    other = _community(db, director, "水渡口社区")
    assert _grid(db, director, other.id, "第一网格").community_id == other.id
