"""The station, its communities (社区/村) and their grids (网格).

Communities and grids are scoped to the signed-in user's station (district administrators
see every station) and checked against ``Resource.COMMUNITY``; every change is audited.
``create_station`` is for ``init`` and the first-run wizard, before anyone can sign in.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts import passwords
from wushe_desktop.accounts.permissions import Action, Actor, Resource, Role, system_actor
from wushe_desktop.accounts.service import UserRow, create_user
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.masking import mask_phone
from wushe_desktop.domain.text import natural_key
from wushe_desktop.infra.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from wushe_desktop.residents.models import Resident
from wushe_desktop.stations.models import Community, Grid, Station
from wushe_desktop.stations.validation import (
    STATION_TEXT_MAX,
    clean_text,
    validate_community_fields,
    validate_grid_fields,
    validate_station_code,
)


@dataclass(frozen=True)
class StationInfo:
    id: uuid.UUID
    name: str
    township: str
    district: str
    code: str
    version: int


@dataclass(frozen=True)
class CommunityRow:
    id: uuid.UUID
    name: str
    kind: str
    population: int
    households: int
    grid_count: int
    resident_count: int
    version: int
    station_id: uuid.UUID


@dataclass(frozen=True)
class GridRow:
    id: uuid.UUID
    community_id: uuid.UUID
    name: str
    worker_name: str
    worker_phone: str
    resident_count: int
    version: int
    station_id: uuid.UUID


def _flush(session: Session, message: str) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(message) from exc


def _check_version(obj: Station | Community | Grid, expected: int, message: str) -> None:
    if obj.version != expected:
        raise ConflictError(message)


# --- station ------------------------------------------------------------------------------

STATION_CHANGED = "站点信息已被其他人修改，请刷新后重试。"


def _station_info(st: Station) -> StationInfo:
    return StationInfo(
        id=st.id,
        name=st.name,
        township=st.township,
        district=st.district,
        code=st.code,
        version=st.version,
    )


def _station_fields(st: Station) -> dict[str, object]:
    return {"name": st.name, "township": st.township, "district": st.district, "code": st.code}


def station_exists(session: Session) -> bool:
    """Whether any station is set up (the first-run wizard shows when there is none)."""
    return session.scalar(select(Station.id).limit(1)) is not None


def create_station(
    session: Session,
    *,
    name: str,
    township: str,
    district: str,
    code: str,
    admin_username: str,
    admin_password: str,
    admin_display_name: str = "站长",
) -> tuple[StationInfo, UserRow]:
    """Create a station and its first director (``init`` and the first-run wizard)."""
    st = Station(
        name=clean_text(name, "站点名称", "name", STATION_TEXT_MAX),
        township=clean_text(township, "乡镇（街道）", "township", STATION_TEXT_MAX),
        district=clean_text(district, "县（区）", "district", STATION_TEXT_MAX, required=False),
        code=validate_station_code(code),
    )
    # Check the director's password before writing anything, so a refusal leaves no station.
    passwords.check_password_strength(admin_password, username=admin_username.strip())
    holder = session.scalar(select(Station).where(Station.code == st.code))
    if holder is not None:
        raise ConflictError(f"站点编码“{st.code}”已被“{holder.name}”使用，请换一个编码。")
    session.add(st)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ConflictError(f"站点编码“{st.code}”已被使用，请换一个编码。") from exc
    actor = system_actor(st.id)
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type="station",
        record_id=st.id,
        label=st.name,
        changes=audit.diff({}, _station_fields(st)),
        station_id=st.id,
    )
    admin = create_user(
        session,
        actor,
        username=admin_username,
        display_name=admin_display_name,
        role=Role.DIRECTOR,
        password=admin_password,
        station_id=st.id,
    )
    return _station_info(st), admin


def _load_station(session: Session, actor: Actor, station_id: uuid.UUID | None) -> Station:
    target = station_id or actor.station_id
    if target is None:
        raise ValidationError("请选择站点。", field="station_id")
    actor.require_station(target)
    st = session.get(Station, target)
    if st is None:
        raise NotFound("找不到该站点，数据库中可能还没有建立站点。")
    return st


def get_station(session: Session, actor: Actor, station_id: uuid.UUID | None = None) -> StationInfo:
    """The user's station (a district administrator names one with ``station_id``)."""
    actor.require(Resource.STATION, Action.READ)
    return _station_info(_load_station(session, actor, station_id))


def list_stations(session: Session, actor: Actor) -> list[StationInfo]:
    """Every station for a district administrator; the user's own station otherwise."""
    actor.require(Resource.STATION, Action.READ)
    stmt = select(Station).order_by(Station.code)
    if not actor.is_district:
        stmt = stmt.where(Station.id == actor.station_id)
    return [_station_info(st) for st in session.scalars(stmt)]


def update_station(
    session: Session,
    actor: Actor,
    *,
    name: str,
    township: str,
    district: str,
    expected_version: int,
    station_id: uuid.UUID | None = None,
) -> StationInfo:
    """Rename the station; its code is fixed (other databases may know it)."""
    actor.require(Resource.STATION, Action.UPDATE)
    st = _load_station(session, actor, station_id)
    _check_version(st, expected_version, STATION_CHANGED)
    new_name = clean_text(name, "站点名称", "name", STATION_TEXT_MAX)
    new_township = clean_text(township, "乡镇（街道）", "township", STATION_TEXT_MAX)
    new_district = clean_text(district, "县（区）", "district", STATION_TEXT_MAX, required=False)
    old = _station_fields(st)
    st.name, st.township, st.district = new_name, new_township, new_district
    changes = audit.diff(old, _station_fields(st))
    if changes:
        _flush(session, STATION_CHANGED)
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type="station",
            record_id=st.id,
            label=st.name,
            changes=changes,
            station_id=st.id,
        )
    return _station_info(st)


# --- communities --------------------------------------------------------------------------

COMMUNITY_CHANGED = "该社区（村）已被其他人修改，请刷新后重试。"


def _resident_counts(
    session: Session, key: InstrumentedAttribute[Any], *where: ColumnElement[bool]
) -> dict[uuid.UUID, int]:
    stmt = (
        select(key, func.count())
        .select_from(Resident)
        .where(Resident.deleted_at.is_(None), *where)
        .group_by(key)
    )
    return {k: int(n) for k, n in session.execute(stmt).all() if k is not None}


def _community_rows(
    session: Session, communities: list[Community], *, station_id: uuid.UUID | None
) -> list[CommunityRow]:
    if not communities:
        return []
    res_where: list[ColumnElement[bool]] = []
    grid_where: list[ColumnElement[bool]] = []
    if station_id is not None:  # uses the station indexes; a district-wide list counts all
        res_where.append(Resident.station_id == station_id)
        grid_where.append(Grid.station_id == station_id)
    if len(communities) == 1:
        res_where.append(Resident.community_id == communities[0].id)
        grid_where.append(Grid.community_id == communities[0].id)
    residents = _resident_counts(session, Resident.community_id, *res_where)
    grid_stmt = (
        select(Grid.community_id, func.count()).where(*grid_where).group_by(Grid.community_id)
    )
    grids = {k: int(n) for k, n in session.execute(grid_stmt).all()}
    return [
        CommunityRow(
            id=c.id,
            name=c.name,
            kind=c.kind,
            population=c.population,
            households=c.households,
            grid_count=grids.get(c.id, 0),
            resident_count=residents.get(c.id, 0),
            version=c.version,
            station_id=c.station_id,
        )
        for c in communities
    ]


def _community_row(session: Session, community: Community) -> CommunityRow:
    return _community_rows(session, [community], station_id=community.station_id)[0]


def _community_fields(c: Community) -> dict[str, object]:
    return {"name": c.name, "kind": c.kind, "population": c.population, "households": c.households}


def _load_community(session: Session, actor: Actor, community_id: uuid.UUID) -> Community:
    community = session.get(Community, community_id)
    if community is None:
        raise NotFound("找不到该社区（村），可能已被删除。")
    actor.require_station(community.station_id)
    return community


def _name_taken(
    session: Session, station_id: uuid.UUID, name: str, exclude: uuid.UUID | None
) -> bool:
    stmt = select(Community.id).where(Community.station_id == station_id, Community.name == name)
    if exclude is not None:
        stmt = stmt.where(Community.id != exclude)
    return session.scalar(stmt.limit(1)) is not None


def _duplicate_community(name: str) -> ConflictError:
    return ConflictError(f"本站点已有名为“{name}”的社区（村），请换一个名称。")


def _scope_station(actor: Actor, station_id: uuid.UUID | None) -> uuid.UUID | None:
    """The station a query is limited to: the user's own, or the one a district user names."""
    if actor.is_district:
        return station_id
    if station_id is not None and station_id != actor.station_id:
        raise PermissionDenied("该记录属于其他站点，您无权访问。")
    return actor.station_id


def list_communities(
    session: Session, actor: Actor, *, station_id: uuid.UUID | None = None
) -> list[CommunityRow]:
    """The station's communities by name, with grid and (not deleted) resident counts."""
    actor.require(Resource.COMMUNITY, Action.READ)
    scope = _scope_station(actor, station_id)
    stmt = select(Community).order_by(Community.name, Community.id)
    if scope is not None:
        stmt = stmt.where(Community.station_id == scope)
    return _community_rows(session, list(session.scalars(stmt)), station_id=scope)


def get_community(session: Session, actor: Actor, community_id: uuid.UUID) -> CommunityRow:
    actor.require(Resource.COMMUNITY, Action.READ)
    return _community_row(session, _load_community(session, actor, community_id))


def find_community_by_name(
    session: Session, actor: Actor, name: str, *, station_id: uuid.UUID | None = None
) -> CommunityRow | None:
    """The community with exactly this name (spaces around it ignored) in the user's station.

    Each call also counts residents; a bulk import should look each name up once and cache it
    (or build a map from ``list_communities``).
    """
    actor.require(Resource.COMMUNITY, Action.READ)
    scope = _scope_station(actor, station_id)
    stmt = select(Community).where(Community.name == (name or "").strip())
    if scope is not None:
        stmt = stmt.where(Community.station_id == scope)
    community = session.scalars(stmt.order_by(Community.id).limit(1)).first()
    return _community_row(session, community) if community else None


def create_community(
    session: Session,
    actor: Actor,
    *,
    name: str,
    kind: str = "社区",
    population: int = 0,
    households: int = 0,
    station_id: uuid.UUID | None = None,
) -> CommunityRow:
    """Add a community or village to the user's station (a district user names the station)."""
    actor.require(Resource.COMMUNITY, Action.CREATE)
    target = _scope_station(actor, station_id)
    if target is None:
        raise ValidationError("请选择社区所属的站点。", field="station_id")
    if session.get(Station, target) is None:
        raise NotFound("找不到所选的站点。")
    fields = validate_community_fields(
        name=name, kind=kind, population=population, households=households
    )
    community = Community(station_id=target, **asdict(fields))
    if _name_taken(session, target, community.name, None):
        raise _duplicate_community(community.name)
    session.add(community)
    try:
        session.flush()
    except IntegrityError as exc:
        raise _duplicate_community(community.name) from exc
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type="community",
        record_id=community.id,
        label=community.name,
        changes=audit.diff({}, _community_fields(community)),
        station_id=community.station_id,
    )
    return _community_row(session, community)


def update_community(
    session: Session,
    actor: Actor,
    community_id: uuid.UUID,
    *,
    name: str,
    kind: str,
    population: int,
    households: int,
    expected_version: int,
) -> CommunityRow:
    actor.require(Resource.COMMUNITY, Action.UPDATE)
    community = _load_community(session, actor, community_id)
    _check_version(community, expected_version, COMMUNITY_CHANGED)
    new: dict[str, object] = asdict(
        validate_community_fields(
            name=name, kind=kind, population=population, households=households
        )
    )
    if new["name"] != community.name and _name_taken(
        session, community.station_id, str(new["name"]), community.id
    ):
        raise _duplicate_community(str(new["name"]))
    changes = audit.diff(_community_fields(community), new)
    if changes:
        for key, value in new.items():
            setattr(community, key, value)
        _flush(session, COMMUNITY_CHANGED)
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type="community",
            record_id=community.id,
            label=community.name,
            changes=changes,
            station_id=community.station_id,
        )
    return _community_row(session, community)


def _residents_in(session: Session, where: ColumnElement[bool]) -> tuple[int, int]:
    """(active, in recycle bin) residents matching ``where``."""
    stmt = select(
        func.count().filter(Resident.deleted_at.is_(None)),
        func.count().filter(Resident.deleted_at.is_not(None)),
    ).where(where)
    active, deleted = session.execute(stmt).one()
    return int(active or 0), int(deleted or 0)


def _refuse_if_residents(
    session: Session, where: ColumnElement[bool], what: str, unit: str
) -> None:
    active, deleted = _residents_in(session, where)
    if active:
        raise ConflictError(
            f"{what}下还有 {active} 名居民，不能删除；请先把这些居民移到其他{unit}或删除。"
        )
    if deleted:
        raise ConflictError(
            f"{what}在回收站中还有 {deleted} 名居民记录，不能删除；请先在回收站中彻底删除它们。"
        )


def _delete(session: Session, obj: Community | Grid, label: str) -> None:
    session.delete(obj)
    try:
        session.flush()
    except IntegrityError as exc:
        raise ConflictError(f"{label}仍被其他记录引用，不能删除。") from exc


def _gone(fields: Mapping[str, object]) -> audit.Changes:
    """The changes of a deleted record: every field from its value to nothing (masked)."""
    return {key: [after, None] for key, (_, after) in audit.diff({}, fields).items()}


def delete_community(session: Session, actor: Actor, community_id: uuid.UUID) -> None:
    """Delete an empty community; refused while it has grids or residents."""
    actor.require(Resource.COMMUNITY, Action.DELETE)
    community = _load_community(session, actor, community_id)
    what = f"社区（村）“{community.name}”"
    _refuse_if_residents(session, Resident.community_id == community.id, what, "社区（村）")
    grids = session.scalar(
        select(func.count()).select_from(Grid).where(Grid.community_id == community.id)
    )
    if grids:
        raise ConflictError(f"{what}下还有 {grids} 个网格，不能删除；请先删除这些网格。")
    fields = _community_fields(community)
    _delete(session, community, what)
    audit.record(
        session,
        actor,
        AuditAction.DELETE,
        record_type="community",
        record_id=community.id,
        label=community.name,
        changes=_gone(fields),
        station_id=community.station_id,
    )


# --- grids --------------------------------------------------------------------------------

GRID_CHANGED = "该网格已被其他人修改，请刷新后重试。"


def _grid_rows(session: Session, grids: list[Grid]) -> list[GridRow]:
    if not grids:
        return []
    counts = _resident_counts(
        session,
        Resident.grid_id,
        Resident.station_id == grids[0].station_id,
        Resident.grid_id.in_([g.id for g in grids]),
    )
    return [
        GridRow(
            id=g.id,
            community_id=g.community_id,
            name=g.name,
            worker_name=g.worker_name,
            worker_phone=g.worker_phone,
            resident_count=counts.get(g.id, 0),
            version=g.version,
            station_id=g.station_id,
        )
        for g in grids
    ]


def _grid_fields(g: Grid) -> dict[str, object]:
    # The grid worker's mobile is personal data: the audit log keeps it masked.
    return {
        "name": g.name,
        "worker_name": g.worker_name,
        "worker_phone": mask_phone(g.worker_phone),
    }


def _load_grid(session: Session, actor: Actor, grid_id: uuid.UUID) -> Grid:
    grid = session.get(Grid, grid_id)
    if grid is None:
        raise NotFound("找不到该网格，可能已被删除。")
    actor.require_station(grid.station_id)
    return grid


def _grid_taken(
    session: Session, community_id: uuid.UUID, name: str, exclude: uuid.UUID | None
) -> bool:
    stmt = select(Grid.id).where(Grid.community_id == community_id, Grid.name == name)
    if exclude is not None:
        stmt = stmt.where(Grid.id != exclude)
    return session.scalar(stmt.limit(1)) is not None


def _duplicate_grid(community: Community, name: str) -> ConflictError:
    return ConflictError(f"“{community.name}”已有名为“{name}”的网格，请换一个名称。")


def list_grids(session: Session, actor: Actor, community_id: uuid.UUID) -> list[GridRow]:
    actor.require(Resource.COMMUNITY, Action.READ)
    community = _load_community(session, actor, community_id)
    stmt = select(Grid).where(Grid.community_id == community.id)
    grids = sorted(session.scalars(stmt), key=lambda g: (natural_key(g.name), g.id))
    return _grid_rows(session, grids)


def find_grid_by_name(
    session: Session, actor: Actor, community_id: uuid.UUID, name: str
) -> GridRow | None:
    """The grid with exactly this name in the community (cache it in bulk jobs, as above)."""
    actor.require(Resource.COMMUNITY, Action.READ)
    community = _load_community(session, actor, community_id)
    stmt = select(Grid).where(Grid.community_id == community.id, Grid.name == (name or "").strip())
    grid = session.scalars(stmt.limit(1)).first()
    return _grid_rows(session, [grid])[0] if grid else None


def create_grid(
    session: Session,
    actor: Actor,
    community_id: uuid.UUID,
    *,
    name: str,
    worker_name: str = "",
    worker_phone: str = "",
) -> GridRow:
    actor.require(Resource.COMMUNITY, Action.CREATE)
    community = _load_community(session, actor, community_id)
    fields = validate_grid_fields(name=name, worker_name=worker_name, worker_phone=worker_phone)
    grid = Grid(station_id=community.station_id, community_id=community.id, **asdict(fields))
    if _grid_taken(session, community.id, grid.name, None):
        raise _duplicate_grid(community, grid.name)
    session.add(grid)
    try:
        session.flush()
    except IntegrityError as exc:
        raise _duplicate_grid(community, grid.name) from exc
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type="grid",
        record_id=grid.id,
        label=f"{community.name}/{grid.name}",
        changes=audit.diff({}, _grid_fields(grid)),
        station_id=grid.station_id,
    )
    return _grid_rows(session, [grid])[0]


def update_grid(
    session: Session,
    actor: Actor,
    grid_id: uuid.UUID,
    *,
    name: str,
    worker_name: str,
    worker_phone: str,
    expected_version: int,
) -> GridRow:
    actor.require(Resource.COMMUNITY, Action.UPDATE)
    grid = _load_grid(session, actor, grid_id)
    _check_version(grid, expected_version, GRID_CHANGED)
    fields = validate_grid_fields(name=name, worker_name=worker_name, worker_phone=worker_phone)
    new_name, new_worker, new_phone = fields.name, fields.worker_name, fields.worker_phone
    if new_name != grid.name and _grid_taken(session, grid.community_id, new_name, grid.id):
        raise _duplicate_grid(grid.community, new_name)
    old = _grid_fields(grid)
    grid.name, grid.worker_name, grid.worker_phone = new_name, new_worker, new_phone
    changes = audit.diff(old, _grid_fields(grid))
    if session.is_modified(grid):
        _flush(session, GRID_CHANGED)
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type="grid",
            record_id=grid.id,
            label=f"{grid.community.name}/{grid.name}",
            changes=changes,
            station_id=grid.station_id,
        )
    return _grid_rows(session, [grid])[0]


def delete_grid(session: Session, actor: Actor, grid_id: uuid.UUID) -> None:
    """Delete a grid that no resident (not even one in the recycle bin) belongs to."""
    actor.require(Resource.COMMUNITY, Action.DELETE)
    grid = _load_grid(session, actor, grid_id)
    label = f"{grid.community.name}/{grid.name}"
    what = f"网格“{label}”"
    _refuse_if_residents(session, Resident.grid_id == grid.id, what, "网格")
    fields = _grid_fields(grid)
    _delete(session, grid, what)
    audit.record(
        session,
        actor,
        AuditAction.DELETE,
        record_type="grid",
        record_id=grid.id,
        label=label,
        changes=_gone(fields),
        station_id=grid.station_id,
    )
