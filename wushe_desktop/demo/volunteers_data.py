"""Demo volunteers: the registry, teams, recurring and one-off shifts, assignments and hours.

About 5 % of the residents volunteer (``large``: 3,000 volunteers), most of them residents
of the station, some from outside. Each volunteer gets an activity weight from a heavy-tailed
distribution, so a few serve a lot (and reach star levels) while most serve a few times a
year. Shifts follow recurring patterns per community (助老服务日 every Saturday, 四点半课堂 on
weekdays, 健康义诊 on the second Saturday …) over the scale's years and four weeks ahead,
skipping statutory holidays; past places are checked in (with hours), absent or cancelled,
future ones signed up or confirmed. Everything goes in with bulk inserts; a per-day cache
answers the holiday and deadline questions, so ``large`` (≈ 200,000 assignments) takes a
few seconds.
"""

from __future__ import annotations

import bisect
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, select

from wushe_desktop.demo import names, places
from wushe_desktop.demo.people import PeopleMaker
from wushe_desktop.domain.dates import age_on
from wushe_desktop.infra.db.base import Base
from wushe_desktop.residents.models import Resident
from wushe_desktop.scheduling.hours import credit_minutes
from wushe_desktop.scheduling.models import (
    Assignment,
    ServiceHours,
    Shift,
    ShiftSeries,
    VolunteerActivity,
)
from wushe_desktop.scheduling.recurrence import Rule
from wushe_desktop.scheduling.statuses import (
    ABSENT,
    APPROVED,
    CANCELLED,
    CHECKED_IN,
    CONFIRMED,
    PENDING,
    SIGNED_UP,
)
from wushe_desktop.scheduling.workdays import WorkCalendar
from wushe_desktop.volunteers.availability import parse_availability, shift_slots
from wushe_desktop.volunteers.constants import EDUCATION, POLITICAL_STATUSES
from wushe_desktop.volunteers.models import (
    Volunteer,
    VolunteerQualification,
    VolunteerSetting,
    VolunteerSkill,
    VolunteerStar,
    VolunteerTeam,
    VolunteerTeamMember,
    VolunteerTraining,
    VolunteerUnavailable,
)
from wushe_desktop.volunteers.settings import VolunteerRules
from wushe_desktop.volunteers.validation import VolunteerInput, clean_volunteer

if TYPE_CHECKING:
    from wushe_desktop.demo.generate import DemoContext

__all__ = ["run"]

VOLUNTEER_SHARE = 0.05
#: Shifts per week for every 100 volunteers (≈ 200,000 assignments for 3,000 over 10 years).
SHIFTS_PER_100 = 6.0
AHEAD_DAYS = 28
_CHINA = timedelta(hours=8)
_RULES = VolunteerRules()

_SKILL_WEIGHTS = (
    ("医疗护理", 8),
    ("心理疏导", 5),
    ("法律", 3),
    ("教育辅导", 12),
    ("文艺", 10),
    ("维修", 7),
    ("驾驶", 9),
    ("信息技术", 6),
    ("外语", 3),
    ("手语", 1),
    ("摄影", 3),
    ("烹饪", 4),
)
_OCCUPATIONS = ("退休职工", "教师", "学生", "医生", "护士", "个体经营者", "公司职员", "公务员",
                "社区工作者", "农民", "律师", "工程师", "自由职业")  # fmt: skip
_AVAILABILITY = (
    ("全部时段", 30),
    ("工作日全天、周末上午", 10),
    ("周末全天", 15),
    ("工作日晚上、周末全天", 15),
    ("工作日下午、周六全天", 10),
    ("周一上午、周三上午、周五上午、周六上午", 8),
    ("工作日全天", 12),
)
_TEAMS = (
    ("党员先锋志愿服务队", "political"),
    ("巾帼志愿服务队", "women"),
    ("青年志愿服务队", "young"),
    ("银发志愿服务队", "old"),
    ("医疗卫生志愿服务队", "医疗护理"),
    ("文艺志愿服务队", "文艺"),
    ("法律援助志愿服务队", "法律"),
)


@dataclass(frozen=True)
class _Pattern:
    """A recurring shift pattern of an activity (weekly days, or the n-th weekday monthly)."""

    title: str
    content: str
    start: int
    end: int
    needed: tuple[int, int]
    weekdays: tuple[int, ...] = ()
    month_week: int = 0  # 1–4, or -1 for the last; 0: weekly
    month_weekday: int = 5
    skill: str = ""
    bring: str = ""
    per_community: bool = True
    villages: bool = True  # also in villages (村)


_PATTERNS = (
    _Pattern("助老服务日", "上门陪伴独居老人、代购代办、整理家务", 540, 690, (3, 6), weekdays=(5,),
             bring="志愿者马甲、工作证"),
    _Pattern("四点半课堂", "放学后作业辅导与阅读陪伴", 990, 1080, (2, 4), weekdays=(0, 1, 2, 3, 4),
             skill="教育辅导", villages=False, bring="教案、文具"),
    _Pattern("文明交通劝导", "路口文明交通劝导、护学岗", 420, 510, (3, 5), weekdays=(0, 2, 4),
             villages=False, bring="志愿者马甲、小红旗"),
    _Pattern("健康义诊", "测量血压血糖、健康咨询", 510, 690, (4, 6), month_week=2, month_weekday=5,
             skill="医疗护理", bring="血压计、血糖仪、一次性手套"),
    _Pattern("人居环境整治", "清理卫生死角、垃圾分类宣传", 480, 660, (5, 10), month_week=-1,
             month_weekday=6, bring="手套、垃圾袋、夹子"),
    _Pattern("平安巡防", "夜间巡逻、防火防盗宣传", 1140, 1260, (2, 3), weekdays=(6,),
             bring="手电筒、志愿者马甲"),
    _Pattern("图书室值班", "社工站图书室借还书与秩序维护", 840, 1020, (2, 2), weekdays=(1, 3),
             per_community=False),
    _Pattern("心理疏导热线", "心理热线接听与情绪疏导", 1140, 1260, (1, 2), weekdays=(2,),
             skill="心理疏导", per_community=False),
    _Pattern("法律咨询日", "婚姻家庭、劳动争议等法律咨询", 540, 690, (1, 2), month_week=1,
             month_weekday=4, skill="法律", per_community=False),
)  # fmt: skip

_ONE_OFF = (
    ((3, 5), "学雷锋便民服务", "义务理发、家电维修、健康咨询", 510, 690, (8, 12)),
    ((3, 5), "江苏省志愿者日宣传", "志愿服务宣传与招募", 840, 990, (4, 6)),
    ((10, 20), "重阳敬老活动", "陪伴高龄老人、文艺慰问", 840, 1020, (6, 10)),
    ((7, 15), "防汛值守", "河道巡查与防汛物资看守", 480, 1080, (4, 6)),
    ((12, 5), "国际志愿者日表彰会", "会务服务与签到引导", 840, 990, (4, 6)),
)


@dataclass(eq=False)
class _Vol:
    id: uuid.UUID
    community_id: uuid.UUID | None
    registered: date
    left_on: date | None
    skills: tuple[str, ...]
    availability: int
    weight: float
    no: str
    name: str


@dataclass(frozen=True)
class _Who:
    """A future volunteer before validation: a resident of the station or a newcomer."""

    name: str
    doc: str
    number: str
    phone: str
    community: uuid.UUID | None
    birth: date
    resident: uuid.UUID | None


@dataclass(frozen=True)
class _ShiftSpec:
    day: date
    activity: uuid.UUID
    series: uuid.UUID | None
    community: uuid.UUID | None
    place: str
    start: int
    end: int
    needed: int
    skill: str
    title: str
    content: str


@dataclass
class _Cache:
    """Per-day answers of the working-day calendar (each day asked once)."""

    cal: WorkCalendar = field(default_factory=WorkCalendar)
    holidays: dict[date, bool] = field(default_factory=dict)
    deadlines: dict[date, date] = field(default_factory=dict)

    def holiday(self, day: date) -> bool:
        found = self.holidays.get(day)
        if found is None:
            found = self.holidays[day] = self.cal.holiday_name(day) is not None
        return found

    def deadline(self, day: date) -> date:
        found = self.deadlines.get(day)
        if found is None:
            found = self.deadlines[day] = self.cal.add_workdays(
                day, _RULES.record_deadline_workdays
            )
        return found


#: Entries the codec's moment cache holds before it starts over. Check-in times repeat within
#: a shift, creation times never do; an unbounded cache grew by ~100 MB at the large scale.
_CODEC_CACHE = 20_000


class _Codec:
    """Values as the driver takes them. SQLite gets SQLAlchemy's storage form directly (UUID
    hex, ISO dates, naive-UTC datetime text): SQLAlchemy's per-value bind processing costs
    more than the insert itself at 500,000 rows. Other databases get Python objects."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite
        self._moments: dict[datetime, str] = {}
        self._days: dict[date, str] = {}

    def uid(self, value: uuid.UUID | None) -> Any:
        return value.hex if self.sqlite and value is not None else value

    def moment(self, value: datetime | None) -> Any:
        if not self.sqlite or value is None:
            return value
        text = self._moments.get(value)
        if text is None:
            if len(self._moments) >= _CODEC_CACHE:
                self._moments.clear()  # most moments are unique: keep the cache small
            text = self._moments[value] = value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return text

    def day(self, value: date) -> Any:
        if not self.sqlite:
            return value
        text = self._days.get(value)
        if text is None:
            text = self._days[value] = value.isoformat()
        return text

    def flag(self, value: bool) -> Any:
        return int(value) if self.sqlite else value


def _bulk(
    ctx: DemoContext, model: type[Base], names: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """Insert rows given as tuples in ``names`` order (encoded by ``_Codec``)."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    if set(names) != {c.name for c in table.columns}:
        raise ValueError(f"demo columns of {table.name} do not match the table")
    if ctx.session.get_bind().dialect.name != "sqlite":
        ctx.insert(model, [dict(zip(names, r, strict=True)) for r in rows])
        return
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn = ctx.session.connection()
    for start in range(0, len(rows), 20_000):
        ctx.check_cancel()
        conn.exec_driver_sql(sql, rows[start : start + 20_000])


_SHIFT_COLS = ("id", "station_id", "created_at", "updated_at", "version", "activity_id",
               "series_id", "day", "start_minute", "end_minute", "role", "place", "community_id",
               "needed", "required_skills", "required_qualifications", "needs_insurance",
               "team_id", "cancelled", "notes")  # fmt: skip
_ASSIGNMENT_COLS = ("id", "station_id", "created_at", "updated_at", "version", "shift_id",
                    "volunteer_id", "status", "day", "start_minute", "end_minute", "queued_at",
                    "via", "cancel_reason", "override_reason", "override_conflicts",
                    "check_in_at", "check_out_at")  # fmt: skip
_HOURS_COLS = ("id", "station_id", "created_at", "updated_at", "version", "volunteer_id",
               "assignment_id", "activity_id", "served_on", "title", "place", "content",
               "organiser", "person_in_charge", "actual_minutes", "minutes", "source", "status",
               "approver", "approved_at", "recorded_on", "late", "notes")  # fmt: skip


def _pick(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


_VIA = ("报名", "分派", "推荐")
_CANCEL_REASONS = ("临时有事", "身体不适", "家中有事", "天气原因")
_UTC_CACHE: dict[tuple[date, int], datetime] = {}


def _utc(day: date, minute: int) -> datetime:
    """A China-time minute of ``day`` as UTC (cached: shifts repeat the same minutes)."""
    found = _UTC_CACHE.get((day, minute))
    if found is not None:
        return found
    found = _UTC_CACHE[(day, minute)] = _utc_uncached(day, minute)
    return found


def _utc_uncached(day: date, minute: int) -> datetime:
    local = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
    return (local - _CHINA).replace(tzinfo=UTC)


# --------------------------------------------------------------------------- registry


def _candidates(ctx: DemoContext, rng: random.Random, wanted: int) -> list[tuple[Any, ...]]:
    """Residents aged 16–75 with a document and a phone, as (id, name, doc, number, phone,
    community, birth, gender)."""
    adults = [
        r
        for r in ctx.residents
        if date(ctx.as_of.year - 75, 1, 1) <= r.birth_date <= date(ctx.as_of.year - 16, 1, 1)
    ]
    chosen = rng.sample(adults, min(len(adults), wanted * 2))
    ids = [r.id for r in chosen]
    found: dict[uuid.UUID, tuple[Any, ...]] = {}
    for start in range(0, len(ids), 900):
        stmt = select(
            Resident.id, Resident.name, Resident.doc_type, Resident.id_number, Resident.phone,
            Resident.community_id, Resident.birth_date, Resident.gender,
        ).where(Resident.id.in_(ids[start : start + 900]), Resident.id_number.is_not(None),
                Resident.phone.is_not(None))  # fmt: skip
        for row in ctx.session.execute(stmt):
            if row.phone and not row.phone.startswith("0"):
                found[row.id] = tuple(row)
    return [found[i] for i in ids if i in found][:wanted]


def _volunteer_input(
    rng: random.Random, who: _Who, *, registered: date, as_of: date
) -> VolunteerInput:
    skills = sorted({_pick(rng, _SKILL_WEIGHTS) for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))})
    insured = rng.random() < 0.6
    status, reason = "在册", ""
    roll = rng.random()
    if roll < 0.06:
        status, reason = "退出", rng.choice(("搬离本镇", "工作繁忙", "身体原因", "外出务工"))
    elif roll < 0.10:
        status, reason = "暂停", rng.choice(("外出务工", "照顾家人", "学业繁忙"))
    age = age_on(who.birth, as_of)
    guardian = age < 18
    return VolunteerInput(
        name=who.name,
        id_number=who.number,
        phone=who.phone,
        doc_type=who.doc,
        community_id=who.community,
        political_status=rng.choice(POLITICAL_STATUSES) if rng.random() < 0.8 else "",
        education=rng.choice(EDUCATION) if rng.random() < 0.8 else "",
        occupation="学生" if age < 22 else rng.choice(_OCCUPATIONS),
        skills=skills,
        languages=rng.choice(("普通话", "普通话、淮安话", "普通话、英语", "淮安话")),
        availability=parse_availability(_pick(rng, _AVAILABILITY)),
        registered_on=registered,
        status=status,
        status_reason=reason,
        emergency_name=names.full_name(rng, rng.choice(("男", "女")), 1970),
        emergency_relation=rng.choice(("配偶", "父亲", "母亲", "子女", "兄弟姐妹")),
        emergency_phone=places.mobile(rng),
        insurer=rng.choice(("中国人寿", "中国平安", "太平洋保险")) if insured else "",
        insurance_policy=f"ZYZ{rng.randrange(10**9):09d}" if insured else "",
        # Renewed every year by most; some lapsed last year (a conflict the scheduler shows).
        insurance_until=date(as_of.year - (rng.random() < 0.12), 12, 31) if insured else None,
        consent_on=registered,
        consent_by=names.full_name(rng, "女", 1985) if guardian else "",
        guardian_relation="母亲" if guardian else "",
    )


def _registry(ctx: DemoContext) -> list[_Vol]:
    rng = ctx.rng("volunteers")
    ids = ctx.ids("volunteers")
    total = max(8, int(ctx.spec.residents * VOLUNTEER_SHARE))
    from_residents = _candidates(ctx, rng, int(total * 0.75))
    maker = PeopleMaker(rng, ctx.as_of, taken=(c[3] for c in from_residents))
    people = [_Who(c[1], c[2], c[3], c[4], c[5], c[6], c[0]) for c in from_residents]
    communities = [c.id for c in ctx.communities]
    while len(people) < total:
        gender = rng.choice(("男", "女"))
        made = maker.person("volunteer", gender, rng.randint(17, 68))
        number = maker.id_number(gender, made.birth_date)
        community = rng.choice(communities) if communities and rng.random() < 0.5 else None
        people.append(
            _Who(
                made.name,
                "居民身份证",
                number,
                places.mobile(rng),
                community,
                made.birth_date,
                None,
            )
        )
    earliest = ctx.as_of - timedelta(days=ctx.spec.years * 365)
    dated = []
    for who in people:
        adult = who.birth + timedelta(days=int(16.2 * 365))
        registered = ctx.past_day(rng, not_before=max(adult, earliest))
        dated.append((registered, who))
    dated.sort(key=lambda item: (item[0], item[1].number))
    rows: list[dict[str, Any]] = []
    skills: list[dict[str, Any]] = []
    out: list[_Vol] = []
    for n, (registered, who) in enumerate(dated, 1):
        clean = clean_volunteer(
            _volunteer_input(rng, who, registered=registered, as_of=ctx.as_of),
            _RULES,
            today=ctx.as_of,
        )
        at = ctx.moment(rng, registered)
        vid = ids(at)
        no = f"VOL-{ctx.station_code}-{n:05d}"
        left = None
        if clean.status != "在册":
            left = registered + timedelta(
                days=rng.randint(60, max(61, (ctx.as_of - registered).days))
            )
            left = min(left, ctx.as_of)
        rows.append(
            {
                "id": vid, "station_id": ctx.station_id, "created_at": at, "updated_at": at,
                "version": 1, "deleted_at": None, "deleted_by": None, "volunteer_no": no,
                "national_no": f"3208{rng.randrange(10**10):010d}" if rng.random() < 0.4 else "",
                "resident_id": who.resident, "name": clean.name, "gender": clean.gender,
                "birth_date": clean.birth_date, "doc_type": clean.doc_type,
                "id_number": clean.id_number, "phone": clean.phone, "phone_tail": clean.phone[-4:],
                "community_id": clean.community_id, "political_status": clean.political_status,
                "education": clean.education, "occupation": clean.occupation,
                "languages": clean.languages, "availability": clean.availability,
                "registered_on": registered, "status": clean.status,
                "status_reason": clean.status_reason, "status_since": left,
                "emergency_name": clean.emergency_name,
                "emergency_relation": clean.emergency_relation,
                "emergency_phone": clean.emergency_phone, "insurer": clean.insurer,
                "insurance_policy": clean.insurance_policy,
                "insurance_until": clean.insurance_until, "consent_on": clean.consent_on,
                "consent_by": clean.consent_by, "guardian_relation": clean.guardian_relation,
                "notes": "", "py_initials": clean.py.initials, "py_full": clean.py.full,
                "py_initials_alt": clean.py.initials_alt, "py_full_alt": clean.py.full_alt,
            }
        )  # fmt: skip
        skills.extend({"id": ids(at), "volunteer_id": vid, "skill": s} for s in clean.skills)
        weight = min(40.0, rng.paretovariate(1.6))
        out.append(
            _Vol(vid, clean.community_id, registered, left, clean.skills, clean.availability,
                 weight, no, clean.name)
        )  # fmt: skip
    ctx.insert(Volunteer, rows)
    ctx.insert(VolunteerSkill, skills)
    ctx.add_count("志愿者", len(rows))
    _records(ctx, out, rows)
    return out


def _records(ctx: DemoContext, vols: list[_Vol], rows: list[dict[str, Any]]) -> None:
    """Training, qualifications, unavailability, teams and the station's settings."""
    rng = ctx.rng("volunteer-records")
    ids = ctx.ids("volunteer-records")
    trainings, quals, away = [], [], []
    for v in vols:
        at = ctx.moment(rng, v.registered)
        if rng.random() < 0.45:
            day = min(ctx.as_of, v.registered + timedelta(days=rng.randint(0, 90)))
            trainings.append({"id": ids(at), "volunteer_id": v.id, "course": "志愿者岗前培训",
                              "content": "志愿服务理念、安全须知与服务礼仪", "minutes": 180,
                              "organiser": ctx.station_name, "trained_on": day, "certificate": "",
                              "created_at": at, "updated_at": at})  # fmt: skip
        if "医疗护理" in v.skills or rng.random() < 0.05:
            obtained = v.registered - timedelta(days=rng.randint(0, 700))
            quals.append({"id": ids(at), "volunteer_id": v.id, "kind": "急救证",
                          "number": f"JJ{rng.randrange(10**8):08d}", "obtained_on": obtained,
                          "valid_until": obtained + timedelta(days=3 * 365),
                          "created_at": at, "updated_at": at})  # fmt: skip
        if rng.random() < 0.04:
            start = ctx.as_of + timedelta(days=rng.randint(-20, 20))
            away.append({"id": ids(at), "volunteer_id": v.id, "starts_on": start,
                         "ends_on": start + timedelta(days=rng.randint(3, 30)),
                         "reason": rng.choice(("外出探亲", "住院治疗", "考试复习", "出差")),
                         "created_at": at, "updated_at": at})  # fmt: skip
    ctx.insert(VolunteerTraining, trainings)
    ctx.insert(VolunteerQualification, quals)
    ctx.insert(VolunteerUnavailable, away)
    _teams(ctx, vols, rows, rng, ids)
    director = next(
        (s.display_name for s in ctx.staff if s.role.value == "站长"), ctx.actor.display_name
    )
    handler = ctx.staff[0].display_name if ctx.staff else director
    now = ctx.moment(rng, ctx.as_of)
    ctx.insert(
        VolunteerSetting,
        [{"id": ids(now), "station_id": ctx.station_id, "created_at": now, "updated_at": now,
          "version": 1, "min_age": 7, "guardian_under": 18, "accompany_under": 10,
          "monthly_cap_minutes": 60 * 60, "daily_cap_minutes": 12 * 60, "rounding_minutes": 1,
          "record_deadline_workdays": 10, "star_hours": "100,300,600,1000,1500",
          "star_months": "0,0,0,0,0", "qualification_warn_days": 30,
          "issuer_name": ctx.station_name, "issuer_head": director, "issuer_handler": handler,
          "issuer_contact": "0517-83612345", "uses_national_system": True}],
    )  # fmt: skip


def _teams(
    ctx: DemoContext, vols: list[_Vol], rows: list[dict[str, Any]], rng: random.Random,
    ids: Callable[[datetime], uuid.UUID],
) -> None:  # fmt: skip
    teams: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    by_id = {r["id"]: r for r in rows}
    for name, rule in _TEAMS:

        def fits(v: _Vol, rule: str = rule) -> bool:
            r = by_id[v.id]
            birth = r["birth_date"]
            age = ctx.as_of.year - birth.year if birth else 40
            if rule == "political":
                return bool(r["political_status"].startswith("中共"))
            if rule == "women":
                return r["gender"] == "女" and rng.random() < 0.3
            if rule == "young":
                return age <= 35 and rng.random() < 0.5
            if rule == "old":
                return age >= 55 and rng.random() < 0.5
            return rule in v.skills

        team_members = [v for v in vols if fits(v)]
        if not team_members:
            continue
        founded = min(v.registered for v in team_members)
        at = ctx.moment(rng, founded)
        tid = ids(at)
        leader = max(team_members, key=lambda v: v.weight)
        teams.append({"id": tid, "station_id": ctx.station_id, "created_at": at, "updated_at": at,
                      "version": 1, "name": name, "leader_id": leader.id, "community_id": None,
                      "founded_on": founded, "description": ""})  # fmt: skip
        members.extend({"id": ids(at), "team_id": tid, "volunteer_id": v.id,
                        "joined_on": v.registered} for v in team_members)  # fmt: skip
    ctx.insert(VolunteerTeam, teams)
    ctx.insert(VolunteerTeamMember, members)
    ctx.add_count("志愿服务队", len(teams))


# --------------------------------------------------------------------------- scheduling


@dataclass
class _Slot:
    """One activity instance's pattern, with its activity and series ids."""

    pattern: _Pattern
    activity_id: uuid.UUID
    series_id: uuid.UUID
    community_id: uuid.UUID | None
    place: str


def _activities(ctx: DemoContext, rng: random.Random, n_per_week: float) -> list[_Slot]:
    ids = ctx.ids("volunteer-activities")
    start = ctx.as_of - timedelta(days=ctx.spec.years * 365)
    at = ctx.moment(rng, start)
    slots: list[_Slot] = []
    activities, series = [], []
    weekly_of = {p.title: (len(p.weekdays) if p.weekdays else 0.25) for p in _PATTERNS}
    budget = n_per_week
    queues: dict[str, list[Any]] = {}
    for pattern in _PATTERNS:
        where = [c for c in ctx.communities if pattern.villages or c.kind == "社区"]
        rng.shuffle(where)
        queues[pattern.title] = where if pattern.per_community else where[:1]
    chosen: list[tuple[_Pattern, Any]] = []
    placed = True
    while placed:  # round robin over the patterns, so a small station gets variety too
        placed = False
        for pattern in _PATTERNS:
            queue = queues[pattern.title]
            if queue and weekly_of[pattern.title] <= budget + 0.5:
                budget -= weekly_of[pattern.title]
                chosen.append((pattern, queue.pop()))
                placed = True
    for pattern, community in chosen:
        aid, sid = ids(at), ids(at)
        place = f"{community.name}党群服务中心" if pattern.per_community else ctx.station_name
        activities.append(
            _activity_row(ctx, aid, at, title=pattern.title, content=pattern.content,
                          place=place, community=community.id, starts_on=start,
                          bring=pattern.bring)
        )  # fmt: skip
        rule = Rule(
            "weekly" if pattern.weekdays else "monthly_weekday",
            start,
            weekdays=pattern.weekdays,
            week_of_month=pattern.month_week or 1,
            weekday=pattern.month_weekday,
            until=ctx.as_of + timedelta(days=AHEAD_DAYS),
        )
        series.append({"id": sid, "station_id": ctx.station_id, "created_at": at,
                       "updated_at": at, "activity_id": aid, "rule": rule.to_json(),
                       "description": rule.describe()[:200]})  # fmt: skip
        slots.append(_Slot(pattern, aid, sid, community.id, place))
    ctx.insert(VolunteerActivity, activities)
    ctx.insert(ShiftSeries, series)
    return slots


def _activity_row(
    ctx: DemoContext, aid: uuid.UUID, at: datetime, *, title: str, content: str, place: str,
    community: uuid.UUID | None, starts_on: date, bring: str,
) -> dict[str, Any]:  # fmt: skip
    return {"id": aid, "station_id": ctx.station_id, "created_at": at, "updated_at": at,
            "version": 1, "title": title, "content": content, "category": "社区服务",
            "organiser": ctx.station_name, "person_in_charge": ctx.actor.display_name,
            "place": place, "community_id": community, "starts_on": starts_on, "source_kind": "",
            "source_id": "", "what_to_bring": bring, "notes": ""}  # fmt: skip


def _occurs(pattern: _Pattern, day: date) -> bool:
    if pattern.weekdays:
        return day.weekday() in pattern.weekdays
    if day.weekday() != pattern.month_weekday:
        return False
    if pattern.month_week == -1:
        return (day + timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == pattern.month_week


class _Pool:
    """Volunteers in registration order, so those registered by a day are a prefix."""

    def __init__(self, vols: list[_Vol]) -> None:
        self.vols = sorted(vols, key=lambda v: v.registered)
        self.dates = [v.registered for v in self.vols]

    def draw(self, rng: random.Random, day: date) -> _Vol | None:
        upto = bisect.bisect_right(self.dates, day)
        return self.vols[int(upto * rng.random() ** 0.8)] if upto else None


class _Picker:
    """Chooses volunteers for a shift: registered by then, not left, skilled, community first."""

    def __init__(self, rng: random.Random, vols: list[_Vol]) -> None:
        self.rng = rng
        self.everyone = _Pool(vols)
        self.by_community: dict[uuid.UUID, _Pool] = {}
        self.by_skill: dict[str, _Pool] = {}
        groups: dict[Any, list[_Vol]] = {}
        for v in vols:
            if v.community_id is not None:
                groups.setdefault(v.community_id, []).append(v)
            for skill in v.skills:
                groups.setdefault(("skill", skill), []).append(v)
        for key, members in groups.items():
            pool = _Pool(members)
            if isinstance(key, tuple):
                self.by_skill[key[1]] = pool
            else:
                self.by_community[key] = pool
        self.busy: dict[tuple[int, date], list[tuple[int, int]]] = {}

    def _pool(self, skill: str, community: uuid.UUID | None) -> _Pool:
        rng = self.rng
        if skill and skill in self.by_skill and rng.random() < 0.9:
            return self.by_skill[skill]
        if community is not None and community in self.by_community and rng.random() < 0.75:
            return self.by_community[community]
        return self.everyone

    def pick(
        self, day: date, span: tuple[int, int], n: int, *, skill: str, community: uuid.UUID | None
    ) -> list[_Vol]:
        start, end = span
        rng = self.rng
        chosen: list[_Vol] = []
        taken: set[int] = set()
        slot_bits = shift_slots(day.weekday(), start, end)
        for _ in range(n * 8):
            if len(chosen) >= n:
                break
            v = self._pool(skill, community).draw(rng, day)
            if v is None:
                break
            key = id(v)
            if key in taken or (v.left_on is not None and v.left_on <= day):
                continue
            if rng.random() * 5 > v.weight + 1:
                continue  # the heavy tail: frequent volunteers come back often
            if slot_bits & ~v.availability and rng.random() < 0.85:
                continue
            spans = self.busy.setdefault((key, day), [])
            if any(a < end and b > start for a, b in spans):
                continue
            spans.append((start, end))
            chosen.append(v)
            taken.add(key)
        return chosen


def _schedule(ctx: DemoContext, vols: list[_Vol]) -> None:
    rng = ctx.rng("volunteer-shifts")
    per_week = max(1.0, len(vols) * SHIFTS_PER_100 / 100)
    slots = _activities(ctx, rng, per_week)
    cache = _Cache()
    writer = _Writer(ctx, cache)
    picker = _Picker(rng, vols)
    day = ctx.as_of - timedelta(days=ctx.spec.years * 365)
    end = ctx.as_of + timedelta(days=AHEAD_DAYS)
    one_off_ids = ctx.ids("volunteer-one-off")
    total_days = (end - day).days
    done = 0
    while day <= end:
        if done % 60 == 0:
            ctx.check_cancel()
            ctx.progress(done / total_days, f"正在生成排班（{day.isoformat()}）")
        done += 1
        holiday = cache.holiday(day)
        for slot in slots:
            p = slot.pattern
            if holiday or not _occurs(p, day):
                continue
            needed = rng.randint(*p.needed)
            people = picker.pick(
                day, (p.start, p.end), needed, skill=p.skill, community=slot.community_id
            )
            writer.shift(_ShiftSpec(day, slot.activity_id, slot.series_id, slot.community_id,
                                    slot.place, p.start, p.end, needed, p.skill, p.title,
                                    p.content), people)  # fmt: skip
        for (month, mday), title, content, start, stop, size in _ONE_OFF:
            if (day.month, day.day) != (month, mday) or not ctx.communities:
                continue
            at = ctx.moment(rng, day - timedelta(days=20))
            aid = one_off_ids(at)
            place = f"{ctx.communities[0].name}广场"
            writer.activities.append(
                _activity_row(ctx, aid, at, title=title, content=content, place=place,
                              community=None, starts_on=day, bring="")
            )  # fmt: skip
            needed = rng.randint(*size)
            people = picker.pick(day, (start, stop), needed, skill="", community=None)
            writer.shift(
                _ShiftSpec(day, aid, None, None, place, start, stop, needed, "", title, content),
                people,
            )
        if len(writer.assignments) >= 20_000:
            writer.flush()
        day += timedelta(days=1)
    writer.flush()
    writer.stars(vols)


class _Writer:
    """Turns shifts and their volunteers into shift, assignment and hours rows (tuples)."""

    def __init__(self, ctx: DemoContext, cache: _Cache) -> None:
        self.ctx = ctx
        self.cache = cache
        self.rng = ctx.rng("volunteer-assignments")
        self.ids = ctx.ids("volunteer-assignments")
        self.codec = _Codec(ctx.session.get_bind().dialect.name == "sqlite")
        self.station = self.codec.uid(ctx.station_id)
        self.director = ctx.actor.display_name
        self.keys: dict[int, Any] = {}  # id(_Vol) → encoded volunteer id
        self.shifts: list[tuple[Any, ...]] = []
        self.assignments: list[tuple[Any, ...]] = []
        self.hours: list[tuple[Any, ...]] = []
        self.activities: list[dict[str, Any]] = []
        self.totals: dict[uuid.UUID, list[tuple[date, int]]] = {}

    def shift(self, spec: _ShiftSpec, people: list[_Vol]) -> None:
        rng, ctx, c = self.rng, self.ctx, self.codec
        created = ctx.moment(rng, spec.day - timedelta(days=7 + int(rng.random() * 24)))
        sid = c.uid(self.ids(created))
        at = c.moment(created)
        day = c.day(spec.day)
        self.shifts.append(
            (sid, self.station, at, at, 1, c.uid(spec.activity), c.uid(spec.series), day,
             spec.start, spec.end, "", spec.place, c.uid(spec.community), spec.needed, spec.skill,
             "", c.flag(False), None, c.flag(False), "")
        )  # fmt: skip
        future = spec.day >= ctx.as_of
        if future:
            people = people[: max(0, spec.needed - int(rng.random() * 3))]
        for v in people:
            self._place(spec, (sid, day, at, created), v, future=future)

    def _key(self, v: _Vol) -> Any:
        key = self.keys.get(id(v))
        if key is None:
            key = self.keys[id(v)] = self.codec.uid(v.id)
        return key

    def _place(
        self, spec: _ShiftSpec, shift: tuple[Any, Any, Any, datetime], v: _Vol, *, future: bool
    ) -> None:
        """One volunteer's place; ``shift`` is the shift's encoded (id, day, created, created)."""
        sid, day, at, created = shift
        rng, c = self.rng, self.codec
        aid = self.ids(created)
        status, reason, came_at, left_at = CHECKED_IN, "", None, None
        roll = rng.random()
        if future:
            status = CONFIRMED if roll < 0.55 else SIGNED_UP
        elif roll < 0.07:
            status = ABSENT
        elif roll < 0.14:
            status = CANCELLED
            reason = _CANCEL_REASONS[int(rng.random() * len(_CANCEL_REASONS))]
        else:
            came = spec.start - int(rng.random() * 13)
            left = spec.end + int(rng.random() * 26) - 10
            came_at = c.moment(_utc(spec.day, came))
            left_at = c.moment(_utc(spec.day, left))
            self._hours(spec, c.uid(aid), v, left - came)
        self.assignments.append(
            (c.uid(aid), self.station, at, at, 1, sid, self._key(v), status, day, spec.start,
             spec.end, None, _VIA[int(rng.random() * 3)], reason, "", "", came_at, left_at)
        )  # fmt: skip

    def _hours(self, spec: _ShiftSpec, aid: Any, v: _Vol, actual: int) -> None:
        rng, ctx, c = self.rng, self.ctx, self.codec
        served = spec.day
        recorded = served
        if rng.random() < 0.03:  # a late record
            recorded = min(ctx.as_of, served + timedelta(days=16 + int(rng.random() * 15)))
        minutes = credit_minutes(actual, _RULES)
        approved = (ctx.as_of - served).days > 14 or rng.random() < 0.3
        moment = _utc(recorded, 1080)
        at = c.moment(moment)
        self.hours.append(
            (c.uid(self.ids(moment)), self.station, at, at, 1, self._key(v), aid,
             c.uid(spec.activity), c.day(served), spec.title, spec.place, spec.content,
             ctx.station_name, self.director, actual, minutes, "签到",
             APPROVED if approved else PENDING, self.director if approved else "",
             at if approved else None, c.day(recorded),
             c.flag(recorded > self.cache.deadline(served)), "")
        )  # fmt: skip
        if approved:
            self.totals.setdefault(v.id, []).append((served, minutes))

    def flush(self) -> None:
        ctx = self.ctx
        ctx.insert(VolunteerActivity, self.activities)
        _bulk(ctx, Shift, _SHIFT_COLS, self.shifts)
        _bulk(ctx, Assignment, _ASSIGNMENT_COLS, self.assignments)
        _bulk(ctx, ServiceHours, _HOURS_COLS, self.hours)
        ctx.add_count("志愿服务班次", len(self.shifts))
        ctx.add_count("排班记录", len(self.assignments))
        ctx.add_count("志愿服务时长记录", len(self.hours))
        self.shifts, self.assignments, self.hours, self.activities = [], [], [], []

    def stars(self, vols: list[_Vol]) -> None:
        """Award the star a volunteer became eligible for, on the next 5 December (志愿者日)."""
        ctx = self.ctx
        bodies = {1: "清江浦区志愿者协会", 2: "清江浦区志愿者协会", 3: "淮安市志愿者协会",
                  4: "淮安市志愿者协会", 5: "江苏省志愿服务总会"}  # fmt: skip
        rows = []
        for v in vols:
            running, level = 0, 0
            for day, minutes in sorted(self.totals.get(v.id, ())):
                running += minutes
                while level < 5 and running >= _RULES.star_hours[level] * 60:
                    level += 1
                    awarded = date(day.year, 12, 5)
                    if awarded < day:
                        awarded = date(day.year + 1, 12, 5)
                    if awarded > ctx.as_of:
                        continue
                    at = _utc(awarded, 600)
                    rows.append({"id": self.ids(at), "volunteer_id": v.id, "level": level,
                                 "awarded_on": awarded, "body": bodies[level],
                                 "basis_minutes": running, "notes": "年度星级志愿者评定",
                                 "created_at": at, "updated_at": at})  # fmt: skip
        ctx.insert(VolunteerStar, rows)
        ctx.add_count("星级评定", len(rows))


def run(ctx: DemoContext) -> None:
    """The demo step: registry first, then ten years of shifts."""
    vols = _registry(ctx)
    try:
        _schedule(ctx, vols)
    finally:
        _UTC_CACHE.clear()
    ctx.session.flush()
