"""Demo visits, groups with sessions and community activities, with their service records.

Deterministic like the rest of the demo (its own random generators and ids). Rows go in
with bulk inserts; the service records are written as the service-record room's API would
write them (one per visit, one per present group member, one per named activity participant
plus one counted record for the rest), but directly, so ``large`` stays fast.

Visits follow the default schedules: most scheduled residents are on track at ``as_of``,
about a fifth are overdue and a few were never visited; going back in time the gaps
between visits widen (stations visited less often before the schedules were kept).
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select

from wushe_desktop.accounts.permissions import Role
from wushe_desktop.activities.models import ActivityParticipant, CommunityActivity
from wushe_desktop.demo import names
from wushe_desktop.domain.dates import age_on
from wushe_desktop.groups.models import GroupAttendance, GroupMember, GroupSession, WorkGroup
from wushe_desktop.infra.db.base import Base
from wushe_desktop.infra.db.fast_insert import insert_dicts
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.stations.models import Grid
from wushe_desktop.visits.models import Visit
from wushe_desktop.visits.schedule import DEFAULT_FREQUENCIES, frequency_for

if TYPE_CHECKING:
    from wushe_desktop.demo.generate import DemoCommunity, DemoContext, DemoResident

__all__ = ["SIZES", "run"]

T = TypeVar("T")


@dataclass(frozen=True)
class Size:
    groups: int
    activities: int
    #: How much each gap between visits grows going back in time (1.3: 30 % per visit).
    growth: float


SIZES: dict[str, Size] = {
    "tiny": Size(groups=3, activities=12, growth=1.8),
    "small": Size(groups=10, activities=80, growth=1.3),
    "large": Size(groups=120, activities=1_500, growth=1.26),
}


_ELDER_FINDINGS = (
    "老人精神状态良好，血压平稳，家中整洁。",
    "老人反映腿脚不便，已提醒注意防滑，建议加装扶手。",
    "冰箱里食物充足，燃气阀门已关闭，用电安全。",
    "子女每周来电，老人情绪稳定。",
    "老人近期感冒，已提醒按时服药并多喝水。",
    "老人希望参加社区的书法兴趣小组，已登记。",
    "老人反映助餐点饭菜偏咸，已向助餐点反馈。",
    "天气转凉，已提醒老人添衣，检查了取暖设备。",
)
_CHILD_FINDINGS = (
    "孩子学习情况良好，与祖父母相处融洽。",
    "孩子近期情绪低落，已与班主任沟通。",
    "作业完成情况一般，建议参加四点半课堂。",
    "监护人反映孩子周末沉迷手机，已提供亲子沟通建议。",
    "孩子身体健康，父母每周视频通话。",
    "假期安全教育已完成，孩子能说出防溺水要点。",
)
_RISKS = (
    "燃气软管老化，存在漏气隐患",
    "老人独自在家跌倒，膝盖擦伤",
    "家中电线私拉乱接，有火灾隐患",
    "老人近期拒绝进食，情绪低落",
    "孩子连续多日未到校",
    "监护人长期外出，孩子无人照看",
)

_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    # type: (name, members: "elder" | "child" | "adult")
    "支持": (("独居老人互助小组", "elder"), ("照护者减压支持小组", "adult")),
    "成长": (("青少年成长营", "child"), ("自信心提升小组", "child")),
    "教育": (("四点半课堂", "child"), ("防诈骗知识小组", "elder"), ("家长课堂", "adult")),
    "兴趣": (("银龄书法兴趣小组", "elder"), ("手工编织兴趣小组", "elder")),
    "治疗": (("慢病自我管理小组", "elder"), ("情绪疏导小组", "adult")),
    "其他": (("睦邻议事小组", "adult"),),
}
_GROUP_WEIGHTS = {"支持": 3, "成长": 2, "教育": 3, "兴趣": 3, "治疗": 1, "其他": 1}
_TOPICS = (
    "相识破冰",
    "建立小组规范",
    "分享生活经验",
    "主题讲解与讨论",
    "情景练习",
    "互助计划",
    "走进社区",
    "成果展示",
    "回顾与巩固",
    "总结与告别",
)
_GOALS = {
    "elder": "增进老人之间的联系，提升自我照顾能力，减少孤独感。",
    "child": "提升孩子的学习习惯与自信心，建立同伴支持。",
    "adult": "帮助组员获得支持、学习方法，形成互助网络。",
}

_ACTIVITIES: dict[str, tuple[tuple[str, tuple[int, ...]], ...]] = {
    # type: (title, months it happens in; empty: any month)
    "节日慰问": (
        ("春节慰问困难家庭", (1, 2)),
        ("元宵节猜灯谜", (2,)),
        ("端午包粽子", (6,)),
        ("中秋送温暖", (9,)),
        ("重阳敬老宴", (10,)),
    ),
    "文体": (("广场舞展演", ()), ("趣味运动会", (4, 5, 10)), ("社区电影放映", (6, 7, 8))),
    "健康": (("义诊进社区", ()), ("老年人防跌倒讲座", ()), ("中医养生讲座", ())),
    "教育": (("防范电信诈骗宣传", ()), ("垃圾分类宣传", ()), ("暑期安全教育", (7, 8))),
    "志愿服务": (("志愿者环境清洁行动", ()), ("为老服务志愿日", ()), ("理发义剪", ())),
    "议事协商": (("居民议事会：加装电梯", ()), ("小区停车协商会", ()), ("楼道堆物整治议事", ())),
    "其他": (("邻里节", (5, 11)), ("社区跳蚤市场", ())),
}
_ACTIVITY_WEIGHTS = {
    "节日慰问": 3,
    "文体": 3,
    "健康": 3,
    "教育": 3,
    "志愿服务": 2,
    "议事协商": 1,
    "其他": 1,
}
_MINUTES = {"入户": (30, 40, 45, 60), "电话": (5, 10, 15), "视频": (15,)}


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    """``rng.choice`` at a fraction of the cost (one float instead of rejection sampling)."""
    return items[int(rng.random() * len(items))]


_ORGANIZATIONS = ("夕阳红舞蹈队", "暖心志愿服务社", "和平镇慈善协会", "阳光青少年服务中心")


def _insert(ctx: DemoContext, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert through the demo's SQLite fast path (no time columns in these tables)."""
    for start in range(0, len(rows), 5_000):
        ctx.check_cancel()
        insert_dicts(ctx.session, model, rows[start : start + 5_000])


def run(ctx: DemoContext) -> None:
    """The demo step: visits, then groups, then activities."""
    maker = _Maker(ctx)
    maker.visits()
    ctx.progress(0.6, "正在生成小组工作")
    maker.groups()
    ctx.progress(0.8, "正在生成社区活动")
    maker.activities()
    maker.flush_records()


class _Maker:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.size = SIZES.get(ctx.scale, SIZES["small"])
        workers = [
            (s.user_id, s.display_name)
            for s in ctx.staff
            if s.role in (Role.SOCIAL_WORKER, Role.DIRECTOR)
        ]
        self.workers = workers or [(ctx.actor.user_id, ctx.actor.display_name)]
        self.start = ctx.as_of - timedelta(days=ctx.spec.years * 365)
        self.records: list[dict[str, Any]] = []
        self.record_ids = ctx.ids("community-work-records")
        self.by_community: dict[uuid.UUID, list[DemoResident]] = defaultdict(list)
        for r in ctx.residents:
            self.by_community[r.community_id].append(r)

    # -- helpers ---------------------------------------------------------------------------
    def moment(self, rng: random.Random, day: date, hour: int = 9) -> datetime:
        """A time within four hours after ``hour`` (China time) on ``day``, as UTC."""
        minutes = int(rng.random() * 240)
        return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) + timedelta(
            minutes=minutes - 8 * 60
        )

    def record(
        self,
        *,
        day: date,
        service_type: str,
        worker: tuple[uuid.UUID | None, str],
        resident: DemoResident | None,
        community_id: uuid.UUID | None,
        participants: int,
        minutes: int,
        content: str,
        source_type: str,
        source_id: uuid.UUID,
        at: datetime,
        highlight: bool = False,
    ) -> None:
        self.records.append(
            {
                "id": self.record_ids(at),
                "station_id": self.ctx.station_id,
                "served_on": day,
                "service_type": service_type,
                "worker_id": worker[0],
                "worker_name": worker[1],
                "community_id": resident.community_id if resident else community_id,
                "resident_id": resident.id if resident else None,
                "participants": 0 if resident else participants,
                "attendances": 1 if resident else participants,
                "duration_minutes": minutes,
                "content": content,
                "source_type": source_type,
                "source_id": source_id,
                "is_highlight": highlight,
                "created_at": at,
                "updated_at": at,
                "version": 1,
                "deleted_at": None,
                "deleted_by": None,
            }
        )
        if len(self.records) >= 20_000:
            self.flush_records()

    def flush_records(self) -> None:
        if self.records:
            _insert(self.ctx, ServiceRecord, self.records)
            self.ctx.add_count("服务记录（探访/小组/活动）", len(self.records))
            self.records = []

    # -- visits ----------------------------------------------------------------------------
    def _grid_workers(self) -> dict[uuid.UUID, str]:
        stmt = select(Grid.id, Grid.worker_name).where(Grid.station_id == self.ctx.station_id)
        return {gid: name for gid, name in self.ctx.session.execute(stmt) if name}

    def _visit_days(self, rng: random.Random, days: int, first: date) -> list[date]:
        """Visit days of one resident, newest first: on track, overdue or never visited."""
        as_of = self.ctx.as_of
        roll = rng.random()
        if roll < 0.05:
            return []
        if roll < 0.25:  # overdue
            last = as_of - timedelta(days=days + 1 + rng.randrange(days * 2))
        else:
            last = as_of - timedelta(days=rng.randrange(days))
        found: list[date] = []
        gap = days * rng.uniform(0.8, 1.2)
        day = last
        while day >= first:
            found.append(day)
            day -= timedelta(days=max(1, round(gap * rng.uniform(0.8, 1.3))))
            gap *= self.size.growth
        return found

    def visits(self) -> None:
        ctx = self.ctx
        rng = ctx.rng("community-work-visits")
        ids = ctx.ids("community-work-visits")
        grid_workers = self._grid_workers()
        rows: list[dict[str, Any]] = []
        scheduled = [r for r in ctx.residents if frequency_for(r.tags, DEFAULT_FREQUENCIES)]
        for n, resident in enumerate(scheduled):
            days = frequency_for(resident.tags, DEFAULT_FREQUENCIES) or 30
            first = max(self.start, resident.registered_at.date())
            child = any(t.startswith("child") for t in resident.tags)
            for day in self._visit_days(rng, days, first):
                rows.append(
                    self._visit(rng, ids, resident, day, child=child, grid_workers=grid_workers)
                )
            if len(rows) >= 20_000:
                _insert(ctx, Visit, rows)
                ctx.add_count("探访记录", len(rows))
                rows = []
                ctx.progress(
                    0.6 * n / len(scheduled), f"正在生成探访记录（{n:,}/{len(scheduled):,} 人）"
                )
        _insert(ctx, Visit, rows)
        ctx.add_count("探访记录", len(rows))

    def _visit(
        self,
        rng: random.Random,
        ids: Any,
        resident: DemoResident,
        day: date,
        *,
        child: bool,
        grid_workers: dict[uuid.UUID, str],
    ) -> dict[str, Any]:
        at = self.moment(rng, day)
        vid = ids(at)
        roll = rng.random()
        mode = "入户" if roll < 0.7 else "电话" if roll < 0.95 else "视频"
        minutes = _pick(rng, _MINUTES[mode])
        kind_roll = rng.random()
        grid_worker = grid_workers.get(resident.grid_id) if resident.grid_id else None
        if kind_roll < 0.62 or (kind_roll < 0.9 and grid_worker is None):
            kind, worker = "社工", _pick(rng, self.workers)
            user_id, visitor_name = worker[0], ""
        elif kind_roll < 0.9:
            kind, user_id, visitor_name = "网格员", None, grid_worker or ""
            worker = (None, visitor_name)
        else:
            name = names.full_name(rng, rng.choice(("男", "女")), rng.randint(1960, 2002))
            kind, user_id, visitor_name = "志愿者", None, name
            worker = (None, name)
        findings = _pick(rng, _CHILD_FINDINGS if child else _ELDER_FINDINGS)
        risk = rng.random() < 0.03
        risk_text = _pick(rng, _RISKS) if risk else ""
        content = f"{mode}探访。{findings}" + (f"\n发现风险：{risk_text}" if risk else "")
        self.record(
            day=day,
            service_type="探访",
            worker=worker,
            resident=resident,
            community_id=None,
            participants=0,
            minutes=minutes,
            content=content,
            source_type="visit",
            source_id=vid,
            at=at,
        )
        return {
            "id": vid,
            "station_id": self.ctx.station_id,
            "resident_id": resident.id,
            "visited_on": day,
            "mode": mode,
            "visitor_kind": kind,
            "visitor_user_id": user_id,
            "visitor_name": visitor_name,
            "duration_minutes": minutes,
            "findings": findings,
            "risk_found": risk,
            "risk_description": risk_text,
            "follow_up_needed": risk or rng.random() < 0.06,
            "case_id": None,
            "created_at": at,
            "updated_at": at,
            "version": 1,
            "deleted_at": None,
            "deleted_by": None,
        }

    # -- groups ----------------------------------------------------------------------------
    def _fits(self, resident: DemoResident, who: str, day: date) -> bool:
        if resident.registered_at.date() > day or resident.birth_date >= day:
            return False
        age = age_on(resident.birth_date, day)
        if who == "elder":
            return age >= 60
        if who == "child":
            return 6 <= age <= 16
        return 18 <= age < 60

    def groups(self) -> None:
        ctx = self.ctx
        rng = ctx.rng("community-work-groups")
        ids = ctx.ids("community-work-groups")
        kinds = list(_GROUP_WEIGHTS)
        weights = [_GROUP_WEIGHTS[k] for k in kinds]
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        span = (ctx.as_of - self.start).days
        runs: dict[str, int] = defaultdict(int)
        starts = sorted(
            self.start + timedelta(days=int(span * (1 - rng.random() ** 1.3)))
            for _ in range(self.size.groups)
        )
        for start in starts:
            kind = rng.choices(kinds, weights)[0]
            name, who = rng.choice(_GROUPS[kind])
            community = rng.choice(ctx.communities)
            pool = [r for r in self.by_community[community.id] if self._fits(r, who, start)]
            if len(pool) < 6:
                continue
            runs[name] += 1
            self._group(
                rng, ids, rows, start, kind, f"{name}（第{runs[name]}期）", who, community, pool
            )
        for model in (WorkGroup, GroupMember, GroupSession, GroupAttendance):
            _insert(ctx, model, rows[model.__tablename__])
        ctx.add_count("小组", len(rows["work_group"]))
        ctx.add_count("小组活动节数", len(rows["group_session"]))

    def _group(  # noqa: PLR0917 - one group's facts
        self,
        rng: random.Random,
        ids: Any,
        rows: dict[str, list[dict[str, Any]]],
        start: date,
        kind: str,
        name: str,
        who: str,
        community: DemoCommunity,
        pool: Sequence[DemoResident],
    ) -> None:
        ctx = self.ctx
        at = self.moment(rng, start - timedelta(days=14))
        gid = ids(at)
        facilitator = rng.choice(self.workers)
        planned = rng.randint(6, 10)
        members = rng.sample(list(pool), min(len(pool), rng.randint(6, 12)))
        leaves: dict[uuid.UUID, date] = {}
        days = [start + timedelta(days=7 * i + rng.randint(0, 1)) for i in range(planned)]
        held = [d for d in days if d < ctx.as_of]
        for m in members:
            if len(held) > 3 and rng.random() < 0.1:
                leaves[m.id] = held[rng.randrange(1, len(held) - 1)]
        for m in members:
            rows["group_member"].append(
                {
                    "id": ids(at),
                    "group_id": gid,
                    "resident_id": m.id,
                    "joined_on": start,
                    "left_on": leaves.get(m.id),
                    "created_at": at,
                    "updated_at": at,
                }
            )
        ended = len(held) == planned and held[-1] < ctx.as_of - timedelta(days=7)
        if ended:
            stage = "结束"
        elif not held:
            stage = "筹备"
        else:
            share = len(held) / planned
            stage = "形成" if share < 0.3 else "转折" if share < 0.6 else "成熟"
        rows["work_group"].append(
            {
                "id": gid,
                "station_id": ctx.station_id,
                "name": name,
                "group_type": kind,
                "stage": stage,
                "facilitator_id": facilitator[0],
                "community_id": community.id,
                "start_date": start,
                "end_date": held[-1] if ended else None,
                "goal": _GOALS[who],
                "target_members": f"{community.name}居民 {len(members)} 人左右",
                "recruitment": rng.choice(("网格员推荐", "社区公告招募", "个案转介与自愿报名")),
                "planned_sessions": planned,
                "closing_evaluation": (
                    f"共开展 {planned} 节，组员出席率较高，基本达成小组目标。" if ended else ""
                ),
                "created_at": at,
                "updated_at": at,
                "version": 1,
                "deleted_at": None,
                "deleted_by": None,
            }
        )
        for number, day in enumerate(held, start=1):
            topic = _TOPICS[min(number - 1, len(_TOPICS) - 2)] if number < planned else _TOPICS[-1]
            sat = self.moment(rng, day, hour=14)
            sid = ids(sat)
            rows["group_session"].append(
                {
                    "id": sid,
                    "station_id": ctx.station_id,
                    "group_id": gid,
                    "number": number,
                    "held_on": day,
                    "duration_minutes": 90,
                    "topic": topic,
                    "record": f"本节围绕“{topic}”开展，组员积极参与。",
                    "evaluation": rng.choice(("达到预期", "基本达到预期", "组员反馈良好")),
                    "created_at": sat,
                    "updated_at": sat,
                    "version": 1,
                    "deleted_at": None,
                    "deleted_by": None,
                }
            )
            for m in members:
                left = leaves.get(m.id)
                if left is not None and left < day:
                    continue
                present = rng.random() < 0.82
                rows["group_attendance"].append(
                    {
                        "id": ids(sat),
                        "session_id": sid,
                        "resident_id": m.id,
                        "present": present,
                        "note": "" if present else rng.choice(("请假", "生病", "外出", "")),
                    }
                )
                if present:
                    self.record(
                        day=day,
                        service_type="小组服务",
                        worker=facilitator,
                        resident=m,
                        community_id=None,
                        participants=0,
                        minutes=90,
                        content=f"{name} 第{number}节：{topic}",
                        source_type="group_session",
                        source_id=sid,
                        at=sat,
                    )

    # -- activities ------------------------------------------------------------------------
    def _activity_day(self, rng: random.Random, months: tuple[int, ...]) -> date | None:
        span = (self.ctx.as_of - self.start).days
        day = self.start + timedelta(days=int(span * (1 - rng.random() ** 1.2)))
        if months:
            month = rng.choice(months)
            day = date(day.year, month, rng.randint(1, 28))
        if not self.start <= day < self.ctx.as_of:
            return None
        return day

    def activities(self) -> None:
        ctx = self.ctx
        rng = ctx.rng("community-work-activities")
        ids = ctx.ids("community-work-activities")
        kinds = list(_ACTIVITY_WEIGHTS)
        weights = [_ACTIVITY_WEIGHTS[k] for k in kinds]
        activities: list[dict[str, Any]] = []
        named_rows: list[dict[str, Any]] = []
        while len(activities) < self.size.activities:
            kind = rng.choices(kinds, weights)[0]
            title, months = rng.choice(_ACTIVITIES[kind])
            day = self._activity_day(rng, months)
            if day is None:
                continue
            activities.append(self._activity(rng, ids, named_rows, kind, title, day))
        ctx.insert(CommunityActivity, activities)
        _insert(ctx, ActivityParticipant, named_rows)
        ctx.add_count("社区活动", len(activities))

    def _activity(  # noqa: PLR0917 - one activity's facts
        self,
        rng: random.Random,
        ids: Any,
        named_rows: list[dict[str, Any]],
        kind: str,
        title: str,
        day: date,
    ) -> dict[str, Any]:
        ctx = self.ctx
        at = self.moment(rng, day, hour=8)
        aid = ids(at)
        community = rng.choice(ctx.communities) if rng.random() < 0.85 else None
        start_hour = rng.choice((9, 9, 14, 15, 19))
        start = time(start_hour, rng.choice((0, 30)))
        minutes = rng.choice((60, 90, 120, 150))
        end_dt = datetime.combine(day, start) + timedelta(minutes=minutes)
        end = end_dt.time() if end_dt.date() == day else time(23, 30)
        minutes = int((datetime.combine(day, end) - datetime.combine(day, start)).seconds // 60)
        participants = rng.randint(15, 120) if community else rng.randint(80, 300)
        pool = self.by_community[community.id] if community else self.ctx.residents
        n_named = min(int(participants * rng.choice((0, 0.1, 0.2, 0.3, 0.4))), 40)
        named: list[DemoResident] = []
        for _ in range(n_named * 3 if n_named else 0):  # residents registered by then
            candidate = rng.choice(pool)
            if candidate.registered_at.date() <= day and candidate not in named:
                named.append(candidate)
                if len(named) == n_named:
                    break
        roll = rng.random()
        if roll < 0.6:
            organizer_kind, organizer = "社工站", ""
        elif roll < 0.85 and community is not None:
            organizer_kind, organizer = "社区（村）", community.name
        else:
            organizer_kind, organizer = "社会组织", rng.choice(_ORGANIZATIONS)
        worker = rng.choice(self.workers)
        content = f"{title}（{kind}）"
        # About one in twelve large activities is a 工作亮点; decided from the id so that the
        # random sequence (and every later demo record) stays what it was.
        highlight = participants >= 60 and aid.int % 12 == 0
        for resident in named:
            named_rows.append({"id": ids(at), "activity_id": aid, "resident_id": resident.id})
            self.record(
                day=day,
                service_type="社区活动",
                worker=worker,
                resident=resident,
                community_id=None,
                participants=0,
                minutes=minutes,
                content=content,
                source_type="activity",
                source_id=aid,
                at=at,
                highlight=highlight,
            )
        if participants > len(named):
            self.record(
                day=day,
                service_type="社区活动",
                worker=worker,
                resident=None,
                community_id=community.id if community else None,
                participants=participants - len(named),
                minutes=minutes,
                content=content,
                source_type="activity",
                source_id=aid,
                at=at,
                highlight=highlight,
            )
        where = community.name if community else "全镇"
        return {
            "id": aid,
            "station_id": ctx.station_id,
            "title": title,
            "activity_type": kind,
            "held_on": day,
            "start_time": start,
            "end_time": end,
            "community_id": community.id if community else None,
            "organizer_kind": organizer_kind,
            "organizer_name": organizer,
            "worker_id": worker[0],
            "participants": participants,
            "volunteers": rng.randint(0, 15),
            "cost_fen": rng.choice((None, None, rng.randint(50, 3000) * 100)),
            "record": f"{where}开展“{title}”活动，共 {participants} 人参与。",
            "is_highlight": highlight,
            "created_at": at,
            "updated_at": at,
            "version": 1,
            "deleted_at": None,
            "deleted_by": None,
        }
