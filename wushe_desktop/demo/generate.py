"""Fill a database with realistic, deterministic demo data (``wushe-desktop demo``).

The same seed gives the same data: every step draws from its own ``random.Random`` keyed by
the seed and the step's name, and record ids are UUIDv7 values whose time part is the
record's (invented) creation time and whose random part comes from the seed. Two runs on
the same day give identical rows, except for the station and user accounts, which are made
through the ordinary services. Ages and age-bound tags are computed on ``as_of`` (today).

Every resident passes ``clean_resident``, the rule set of the form and the importer, so demo
data is data the app itself would accept. Rows then go in with bulk inserts in batches
(PERF-FLOORS 2c), not through per-row services, so ``large`` (a big township over ten
years) loads in well under a minute. The whole load is one transaction: cancelling rolls
everything back.

The work is a list of steps (``STEPS``). A later room adds its own demo records by writing
a ``run(ctx: DemoContext) -> None`` function and appending a ``DemoStep`` here; it finds the
station, staff, communities and residents made so far on the context.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Actor, Role, system_actor
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.demo import names, places
from wushe_desktop.demo.people import Household, PeopleMaker, Person
from wushe_desktop.infra.db.base import Base
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, ValidationError
from wushe_desktop.infra.progress import (
    CancelToken,
    Progress,
    check_cancel,
    no_progress,
    sub_progress,
)
from wushe_desktop.residents.bulk import resident_values
from wushe_desktop.residents.models import ConsentRecord, Resident, ResidentTag
from wushe_desktop.residents.validation import ResidentInput, clean_resident
from wushe_desktop.stations.models import Community, Grid, Station

__all__ = [
    "DEFAULT_PASSWORD",
    "SCALES",
    "STEPS",
    "DemoContext",
    "DemoStep",
    "DemoSummary",
    "IdMaker",
    "Scale",
    "ScaleSpec",
    "generate_demo",
]

Scale = Literal["tiny", "small", "large"]
DEFAULT_PASSWORD = "Demo12345"
DIRECTOR_USERNAME = "zhanzhang"
BATCH = 5_000
_REPORT_EVERY = 500  # residents between progress reports (and cancel checks)
_CHINA = timedelta(hours=8)
#: PIPL came into force on this day; consent records start then.
_PIPL_START = date(2021, 11, 1)
NOTICE_VERSION = "告知书2021版"
#: Tags that make a resident's data sensitive (PIPL Art.28: health, 特定身份).
_SENSITIVE_TAGS = frozenset(
    {"disabled", "dibao", "tekun", "dibao_edge", "rigid_expense", "elderly_disabled"}
)


@dataclass(frozen=True)
class ScaleSpec:
    residents: int
    communities: int
    years: int  # how far back records go


#: ``tiny`` is for tests; the command line offers small and large.
SCALES: dict[str, ScaleSpec] = {
    "tiny": ScaleSpec(residents=200, communities=3, years=3),
    "small": ScaleSpec(residents=2_000, communities=12, years=5),
    "large": ScaleSpec(residents=60_000, communities=25, years=10),
}

#: Demo staff besides the director: (username, role).
STAFF: tuple[tuple[str, Role], ...] = (
    ("shegong1", Role.SOCIAL_WORKER),
    ("shegong2", Role.SOCIAL_WORKER),
    ("shegong3", Role.SOCIAL_WORKER),
    ("luru1", Role.COORDINATOR),
    ("dudao1", Role.SUPERVISOR),
)


class IdMaker:
    """Deterministic UUIDv7 ids: the record's time in the time field, seeded random bits."""

    def __init__(self, *key: object) -> None:
        self._rng = random.Random(":".join(str(k) for k in ("ids", *key)))

    def __call__(self, at: datetime) -> uuid.UUID:
        ms = int(at.timestamp() * 1000) & ((1 << 48) - 1)
        bits = self._rng.getrandbits(74)
        value = ms << 80 | 0x7 << 76 | (bits >> 62 & 0xFFF) << 64 | 0b10 << 62
        return uuid.UUID(int=value | bits & ((1 << 62) - 1))


@dataclass(slots=True)
class DemoGrid:
    id: uuid.UUID
    name: str


@dataclass(slots=True)
class DemoCommunity:
    id: uuid.UUID
    name: str
    kind: str
    population: int
    households: int
    residents: int  # how many residents the demo registers here
    grids: list[DemoGrid] = field(default_factory=list)


@dataclass(slots=True)
class DemoResident:
    """What later steps need to know about a resident (kept small: 60,000 of them)."""

    id: uuid.UUID
    name: str
    gender: str
    birth_date: date
    community_id: uuid.UUID
    grid_id: uuid.UUID | None
    tags: tuple[str, ...]
    registered_at: datetime


@dataclass(slots=True)
class DemoStaff:
    user_id: uuid.UUID | None
    username: str
    display_name: str
    role: Role


@dataclass
class DemoContext:
    """Shared state of one demo run; steps read what earlier steps made and add to it."""

    session: Session
    seed: int
    scale: str
    spec: ScaleSpec
    as_of: date
    station_id: uuid.UUID
    station_code: str
    station_name: str
    actor: Actor
    password: str
    cancel: CancelToken | None = None
    progress: Progress = no_progress
    staff: list[DemoStaff] = field(default_factory=list)
    communities: list[DemoCommunity] = field(default_factory=list)
    residents: list[DemoResident] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def rng(self, key: str) -> random.Random:
        """A generator of its own for one step, so adding a step leaves the others unchanged."""
        return random.Random(f"{self.seed}:{key}")

    def ids(self, key: str) -> IdMaker:
        """Deterministic ids for one step, distinct per station (mergeable across stations)."""
        return IdMaker(self.seed, self.station_code, key)

    def check_cancel(self) -> None:
        check_cancel(self.cancel)

    def add_count(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def insert(self, model: type[Base], rows: Sequence[Mapping[str, Any]]) -> None:
        """Bulk insert in batches (Core executemany), checking for cancel between batches."""
        table = cast(Table, model.__table__)
        for start in range(0, len(rows), BATCH):
            self.check_cancel()
            self.session.execute(table.insert(), list(rows[start : start + BATCH]))

    def moment(self, rng: random.Random, day: date) -> datetime:
        """A time in office hours (China time) on ``day``, as UTC."""
        local = datetime(day.year, day.month, day.day, 8, 30) + timedelta(
            minutes=rng.randrange(9 * 60)
        )
        return (local - _CHINA).replace(tzinfo=UTC)

    def past_day(self, rng: random.Random, *, not_before: date | None = None) -> date:
        """A day within the scale's years before ``as_of``, recent days more likely."""
        span = self.spec.years * 365
        day = self.as_of - timedelta(days=1 + int(span * rng.random() ** 1.4))
        if not_before is not None and day < not_before:
            day = min(
                self.as_of - timedelta(days=1), not_before + timedelta(days=rng.randint(0, 60))
            )
        return day


@dataclass(frozen=True)
class DemoStep:
    key: str  # stable: keys the step's random generator and ids
    label: str  # Chinese, shown in progress
    weight: float  # share of the progress bar
    run: Callable[[DemoContext], None]


@dataclass(frozen=True)
class DemoSummary:
    station_name: str
    station_code: str
    scale: str
    seed: int
    created_station: bool
    users: int
    communities: int
    grids: int
    residents: int
    tags: int
    consents: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = [
            f"站点“{self.station_name}”（规模 {self.scale}，种子 {self.seed}）",
            f"社区（村）{self.communities} 个",
            f"网格 {self.grids} 个",
            f"居民 {self.residents:,} 人",
            f"重点人群标签 {self.tags:,} 条",
            f"同意记录 {self.consents:,} 条",
            f"工作人员账户 {self.users} 个",
        ]
        parts += [f"{k} {v:,}" for k, v in self.counts.items() if k not in _CORE_COUNTS]
        text = "，".join(parts) + f"；用时 {self.seconds:.1f} 秒。"
        if self.created_station:
            text += f"站长账户 {DIRECTOR_USERNAME}，工作人员账户 {'、'.join(u for u, _ in STAFF)}。"
        return text


_CORE_COUNTS = ("users", "communities", "grids", "residents", "tags", "consents")


# --- steps ------------------------------------------------------------------------------


def _staff_step(ctx: DemoContext) -> None:
    """Demo staff of each role (social workers, a data-entry clerk, a supervisor)."""
    from wushe_desktop.accounts.service import create_user

    rng = ctx.rng("staff")
    taken = set(ctx.session.scalars(select(func.lower(User.username))))
    for username, role in STAFF:
        display = names.full_name(rng, rng.choice(("男", "女")), rng.randint(1975, 1998))
        if username in taken:
            continue
        row = create_user(
            ctx.session,
            ctx.actor,
            username=username,
            display_name=display,
            role=role,
            password=ctx.password,
            station_id=ctx.station_id,
        )
        ctx.staff.append(DemoStaff(row.id, row.username, row.display_name, role))
        ctx.add_count("users", 1)


def _community_step(ctx: DemoContext) -> None:
    """Communities and villages with population, households and 3–8 grids each."""
    rng = ctx.rng("communities")
    ids = ctx.ids("communities")
    seeds = places.COMMUNITIES[: ctx.spec.communities]
    weights = [rng.uniform(1.2, 2.2) if s.kind == "社区" else rng.uniform(0.6, 1.2) for s in seeds]
    total = ctx.spec.residents
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    founded = ctx.as_of - timedelta(days=ctx.spec.years * 365 + 30)
    community_rows, grid_rows = [], []
    for seed, n in zip(seeds, shares, strict=True):
        if seed.kind == "社区":
            population = max(rng.randint(3_000, 9_000), int(n * rng.uniform(1.03, 1.15)))
        else:
            population = max(rng.randint(1_800, 4_500), int(n * rng.uniform(1.03, 1.15)))
        households = int(population / rng.uniform(2.6, 3.1))
        at = ctx.moment(rng, founded)
        community = DemoCommunity(ids(at), seed.name, seed.kind, population, households, n)
        community_rows.append(
            {
                "id": community.id,
                "station_id": ctx.station_id,
                "name": seed.name,
                "kind": seed.kind,
                "population": population,
                "households": households,
                "created_at": at,
                "updated_at": at,
                "version": 1,
            }
        )
        for grid_name in places.GRID_NAMES[: max(3, min(8, round(households / 400)))]:
            grid = DemoGrid(ids(at), grid_name)
            community.grids.append(grid)
            worker = names.full_name(rng, rng.choice(("男", "女")), rng.randint(1970, 1998))
            grid_rows.append(
                {
                    "id": grid.id,
                    "station_id": ctx.station_id,
                    "community_id": community.id,
                    "name": grid_name,
                    "worker_name": worker,
                    "worker_phone": places.mobile(rng),
                    "created_at": at,
                    "updated_at": at,
                    "version": 1,
                }
            )
        ctx.communities.append(community)
    ctx.insert(Community, community_rows)
    ctx.insert(Grid, grid_rows)
    ctx.add_count("communities", len(community_rows))
    ctx.add_count("grids", len(grid_rows))


@dataclass(slots=True)
class _Placed:
    person: Person
    community: DemoCommunity
    grid: DemoGrid | None


def _resident_step(ctx: DemoContext) -> None:
    """Residents household by household, with their tags and consent records."""
    rng = ctx.rng("residents")
    maker = PeopleMaker(rng, ctx.as_of)
    writer = _ResidentWriter(ctx)
    done = 0
    for community in ctx.communities:
        remaining = community.residents
        while remaining > 0:
            hh: Household = maker.household(community.kind, community.name)
            hh.members = hh.members[:remaining]
            maker.complete(hh)
            grid = rng.choice(community.grids) if community.grids else None
            if rng.random() < 0.02:
                grid = None  # not yet assigned to a grid
            for person in hh.members:
                writer.add(_Placed(person, community, grid))
            remaining -= len(hh.members)
            before, done = done, done + len(hh.members)
            if done // _REPORT_EVERY != before // _REPORT_EVERY:
                ctx.check_cancel()
                ctx.progress(
                    done / ctx.spec.residents, f"正在生成居民（{done:,}/{ctx.spec.residents:,}）"
                )
            if len(writer.pending) >= BATCH:
                writer.flush()
    writer.flush()


def _input(placed: _Placed) -> ResidentInput:
    p = placed.person
    return ResidentInput(
        name=p.name,
        community_id=placed.community.id,
        doc_type=p.doc_type,
        id_number=p.id_number or "",
        phone=p.phone or "",
        gender=p.gender,
        birth_date=p.birth_date,
        address=p.address,
        grid_id=placed.grid.id if placed.grid else None,
        notes=p.notes,
        tags=p.tags,
    )


class _ResidentWriter:
    """Turns placed people into resident, tag and consent rows, a batch at a time."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("resident-rows")
        self.ids = ctx.ids("residents")
        self.pending: list[_Placed] = []
        self.recorders = [s.display_name for s in ctx.staff] or [ctx.actor.display_name]

    def add(self, placed: _Placed) -> None:
        self.pending.append(placed)

    def flush(self) -> None:
        if not self.pending:
            return
        ctx, rng = self.ctx, self.rng
        residents: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        consents: list[dict[str, Any]] = []
        for placed in self.pending:
            p = placed.person
            clean = clean_resident(_input(placed), today=ctx.as_of)
            registered = ctx.past_day(rng, not_before=p.birth_date + timedelta(days=30))
            created = ctx.moment(rng, registered)
            updated = created
            if rng.random() < 0.3:
                updated = max(created, ctx.moment(rng, ctx.past_day(rng, not_before=registered)))
            rid = self.ids(created)
            row = resident_values(clean, station_id=ctx.station_id, resident_id=rid, now=created)
            row["updated_at"] = updated
            residents.append(row)
            checked = clean.tags
            for code, detail in checked.items():
                tags.append(
                    {"id": self.ids(created), "resident_id": rid, "tag": code, "detail": detail}
                )
            consents.extend(self._consents(p, rid, registered, checked))
            ctx.residents.append(
                DemoResident(
                    rid,
                    p.name,
                    p.gender,
                    p.birth_date,
                    placed.community.id,
                    placed.grid.id if placed.grid else None,
                    tuple(checked),
                    created,
                )
            )
        ctx.insert(Resident, residents)
        ctx.insert(ResidentTag, tags)
        ctx.insert(ConsentRecord, consents)
        ctx.add_count("residents", len(residents))
        ctx.add_count("tags", len(tags))
        ctx.add_count("consents", len(consents))
        self.pending = []

    def _consents(
        self, p: Person, rid: uuid.UUID, registered: date, tags: Mapping[str, str]
    ) -> Iterable[dict[str, Any]]:
        """Separate consent for sensitive data; a guardian's for a child under 14 (PIPL 29/31)."""
        rng = self.rng
        not_before = max(registered, _PIPL_START)
        if p.age < 14 and set(tags) - {"child"} and p.guardian and rng.random() < 0.8:
            given_by, relation = p.guardian
            scope = "未成年人个人信息"
        elif p.age >= 18 and _SENSITIVE_TAGS & set(tags) and rng.random() < 0.35:
            given_by, relation = p.name, ""
            scope = "敏感个人信息（健康、困难救助身份）"
            not_before = max(not_before, p.birth_date + timedelta(days=18 * 366))
        elif p.age >= 60 and rng.random() < 0.05:
            given_by, relation = p.name, ""
            scope = "基本信息"
        else:
            return []
        given_on = self.ctx.past_day(rng, not_before=not_before)
        withdrawn = None
        if rng.random() < 0.03 and given_on < self.ctx.as_of - timedelta(days=2):
            withdrawn = given_on + timedelta(
                days=rng.randint(1, (self.ctx.as_of - given_on).days - 1)
            )
        at = self.ctx.moment(rng, given_on)
        return [
            {
                "id": self.ids(at),
                "resident_id": rid,
                "scope": scope,
                "sensitive": scope != "基本信息",
                "given_by": given_by,
                "guardian_relation": relation,
                "notice_version": NOTICE_VERSION,
                "method": "书面签字" if rng.random() < 0.9 else "电子签名",
                "given_on": given_on,
                "withdrawn_on": withdrawn,
                "recorded_by": rng.choice(self.recorders),
                "notes": "",
                "created_at": at,
                "updated_at": at,
            }
        ]


def _community_work_step(ctx: DemoContext) -> None:
    from wushe_desktop.demo.community_work_data import run

    run(ctx)


def _cases_step(ctx: DemoContext) -> None:
    from wushe_desktop.demo.cases_data import run

    run(ctx)


def _volunteers_step(ctx: DemoContext) -> None:
    from wushe_desktop.demo.volunteers_data import run

    run(ctx)


#: The demo's steps in order. Later rooms append theirs (volunteers, services, charity …).
STEPS: list[DemoStep] = [
    DemoStep("staff", "工作人员账户", 1, _staff_step),
    DemoStep("communities", "社区（村）与网格", 1, _community_step),
    DemoStep("residents", "居民与重点人群标签", 30, _resident_step),
    DemoStep("cases", "个案、咨询与电话回访", 25, _cases_step),
    DemoStep("community_work", "探访、小组与社区活动", 12, _community_work_step),
    DemoStep("volunteers", "志愿者、排班与服务时长", 20, _volunteers_step),
]


# --- the job ----------------------------------------------------------------------------


def _password() -> str:
    return os.environ.get("WUSHE_ADMIN_PASSWORD") or DEFAULT_PASSWORD


def _director_actor(session: Session, station: Station) -> Actor:
    user = session.scalars(
        select(User)
        .where(User.station_id == station.id, User.role == Role.DIRECTOR.value, User.active)
        .order_by(User.username)
    ).first()
    if user is None:
        return system_actor(station.id)
    return Actor(user.id, user.username, user.display_name, Role.DIRECTOR, station.id)


def _target_station(
    session: Session, station_code: str | None, password: str, rng: random.Random
) -> tuple[Station, Actor, bool]:
    """The station to fill: the one with ``station_code``, the only one, or a new demo station."""
    from wushe_desktop.stations.service import create_station

    stations = list(session.scalars(select(Station).order_by(Station.created_at, Station.code)))
    if station_code:
        found = [s for s in stations if s.code == station_code]
    elif len(stations) > 1:
        codes = "、".join(s.code for s in stations)
        raise ValidationError(
            f"数据库中有多个站点（编码 {codes}），请指定要载入演示数据的站点编码。",
            field="station_code",
        )
    else:
        found = stations
    if found:
        station = found[0]
        return station, _director_actor(session, station), False
    director_name = names.full_name(rng, "男", 1978)
    info, admin = create_station(
        session,
        name=places.STATION_NAME,
        township=places.TOWNSHIP,
        district=places.DISTRICT,
        code=station_code or places.STATION_CODE,
        admin_username=DIRECTOR_USERNAME,
        admin_password=password,
        admin_display_name=director_name,
    )
    new_station = session.get(Station, info.id)
    assert new_station is not None
    actor = Actor(admin.id, admin.username, admin.display_name, Role.DIRECTOR, info.id)
    return new_station, actor, True


def _refuse_filled(session: Session, station: Station) -> None:
    if session.scalar(select(Community.id).where(Community.station_id == station.id).limit(1)):
        raise ConflictError(
            f"站点“{station.name}”已有社区（村）数据，演示数据只能载入新建的空站点；"
            "请换一个新的数据库文件再运行 demo。"
        )


def generate_demo(
    db: Database,
    *,
    scale: Scale = "small",
    seed: int = 1,
    station_code: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    as_of: date | None = None,
) -> DemoSummary:
    """Fill an existing, migrated database with demo data in one transaction.

    Creates the demo station (director ``zhanzhang``, password from ``WUSHE_ADMIN_PASSWORD``
    or ``Demo12345``) when there is none; refuses a station that already has communities.
    """
    spec = SCALES.get(scale)
    if spec is None:
        raise ValidationError(f"演示数据规模“{scale}”无效，应为 small 或 large。", field="scale")
    started = time.perf_counter()
    password = _password()
    total_weight = sum(step.weight for step in STEPS)
    with db.transaction() as session:
        progress(0.0, "正在准备站点")
        station, actor, created = _target_station(
            session, station_code, password, random.Random(f"{seed}:station")
        )
        _refuse_filled(session, station)
        ctx = DemoContext(
            session=session,
            seed=seed,
            scale=scale,
            spec=spec,
            as_of=as_of or date.today(),
            station_id=station.id,
            station_code=station.code,
            station_name=station.name,
            actor=actor,
            password=password,
            cancel=cancel,
        )
        if created:
            ctx.add_count("users", 1)
        done = 0.0
        for step in STEPS:
            ctx.check_cancel()
            start, end = done / total_weight, (done + step.weight) / total_weight
            ctx.progress = sub_progress(progress, start, end)
            ctx.progress(0.0, f"正在生成{step.label}")
            step.run(ctx)
            done += step.weight
        ctx.check_cancel()
        summary = DemoSummary(
            station_name=station.name,
            station_code=station.code,
            scale=scale,
            seed=seed,
            created_station=created,
            users=ctx.counts.get("users", 0),
            communities=ctx.counts.get("communities", 0),
            grids=ctx.counts.get("grids", 0),
            residents=ctx.counts.get("residents", 0),
            tags=ctx.counts.get("tags", 0),
            consents=ctx.counts.get("consents", 0),
            seconds=time.perf_counter() - started,
            counts=dict(ctx.counts),
        )
        audit.record(
            session,
            actor,
            AuditAction.IMPORT,
            record_type="demo",
            record_id=station.id,
            label="演示数据载入",
            detail=str(summary),
            station_id=station.id,
        )
        progress(1.0, "正在保存")
    return replace(summary, seconds=time.perf_counter() - started)
