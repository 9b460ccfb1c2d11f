"""Demo casework and the other service records (咨询, 电话回访) over the demo's years.

Cases go through their stages as the app would take them (each stage's record, its
events, template to-dos, interventions as service records); old cases are closed and
followed up, recent ones spread over the open stages, a few high-risk ones are overdue
so 我的待办 has something to show. Consultations and phone follow-ups without a case fill
the service-record list (``large``: about 350,000 records of this step, the rest of the
500,000 come from the visits, groups and activities step). Everything is bulk inserted.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from wushe_desktop.accounts.permissions import Role
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.constants import PROBLEM_AREAS, ClosureReason, Stage
from wushe_desktop.cases.models import (
    Case,
    CaseEvent,
    CaseRecord,
    CaseReferral,
    CaseTask,
)
from wushe_desktop.cases.templates import DEFAULT_TEMPLATES
from wushe_desktop.demo.generate import DemoContext, DemoResident
from wushe_desktop.infra.db.fast_insert import insert_dicts, insert_tuples
from wushe_desktop.service_records.models import ServiceRecord

_CHINA = timedelta(hours=8)


@dataclass(frozen=True)
class Size:
    cases: int
    consultations: int  # 咨询 / 电话回访 / 其他 without a case


SIZES: dict[str, Size] = {
    "tiny": Size(cases=24, consultations=300),
    "small": Size(cases=150, consultations=6_000),
    "large": Size(cases=3_000, consultations=290_000),
}

#: Problem areas suggested by key-group tags; the template follows the first area.
_AREAS_BY_TAG = {
    "elderly_alone": ("生活照料", "社会支持"),
    "elderly_empty_nest": ("社会支持", "心理情绪"),
    "elderly_disabled": ("生活照料", "健康/康复"),
    "disabled": ("健康/康复", "教育/就业"),
    "dibao": ("经济困难", "社会支持"),
    "tekun": ("经济困难", "生活照料"),
    "left_behind_child": ("家庭关系", "安全保护"),
    "child_in_difficulty": ("安全保护", "教育/就业"),
}
_TEMPLATE_BY_AREA = {
    "生活照料": "elderly_care",
    "经济困难": "economic",
    "心理情绪": "psych",
    "家庭关系": "family",
    "安全保护": "child_protection",
}
_NEEDS = {
    "生活照料": "做饭、洗澡需要他人协助",
    "经济困难": "家庭收入低，医疗支出大",
    "健康/康复": "慢性病需要定期复查和康复训练",
    "心理情绪": "情绪低落，睡眠差",
    "家庭关系": "与子女沟通少，关系紧张",
    "社会支持": "邻里往来少，缺少支持网络",
    "安全保护": "监护不到位，存在安全隐患",
    "教育/就业": "学习困难/就业渠道少",
    "其他": "其他需要",
}

#: What a casework service of each type typically records.
_INTERVENTIONS: dict[str, tuple[str, ...]] = {
    "个案服务": (
        "面谈，了解近况并给予情绪支持",
        "家庭会谈，改善沟通方式",
        "陪同到镇卫生院复查",
        "协助整理救助申请材料",
        "链接志愿者开展陪伴服务",
        "与学校老师沟通学习情况",
    ),
    "探访": (
        "入户探访，检查居家安全，联系社区落实改造",
        "入户探访，了解助餐落实情况",
        "入户探访，老人情绪稳定，家中整洁",
    ),
    "电话回访": (
        "电话跟进助餐服务情况",
        "电话了解复查结果，提醒按时服药",
        "电话跟进救助申请进度",
    ),
}
#: (stage, days since intake) of the first cases, so every stage is shown.
_FORCED: tuple[tuple[Stage, int], ...] = (
    (Stage.INTAKE, 2),
    (Stage.ASSESSMENT, 10),
    (Stage.PLAN, 25),
    (Stage.INTERVENTION, 90),
    (Stage.EVALUATION, 170),
    (Stage.CLOSED, 120),
    (Stage.FOLLOW_UP, 400),
)
_DURATIONS = (15, 20, 30, 30, 45, 60, 60, 90)
_SR_COLUMNS = (
    "id",
    "station_id",
    "served_on",
    "service_type",
    "worker_id",
    "worker_name",
    "community_id",
    "resident_id",
    "participants",
    "attendances",
    "duration_minutes",
    "content",
    "source_type",
    "source_id",
    "is_highlight",
    "created_at",
    "updated_at",
    "version",
)
_CONSULT = (
    ("咨询", "咨询养老服务补贴申请条件"),
    ("咨询", "咨询低保申请流程"),
    ("咨询", "咨询残疾人两项补贴"),
    ("咨询", "咨询医保报销政策"),
    ("电话回访", "电话回访近况，情况稳定"),
    ("电话回访", "电话了解助餐服务满意度"),
    ("其他", "协助办理政务服务事项"),
)


def run(ctx: DemoContext) -> None:
    maker = _Maker(ctx)
    maker.cases()
    ctx.progress(0.5, "正在生成咨询与电话回访")
    maker.consultations()
    maker.flush()


class _Maker:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.size = SIZES.get(ctx.scale, SIZES["small"])
        workers = [(s.user_id, s.display_name) for s in ctx.staff if s.role is Role.SOCIAL_WORKER]
        self.workers = workers or [(ctx.actor.user_id, ctx.actor.display_name)]
        self.service_ids = ctx.ids("case-services")
        self.case_ids = ctx.ids("cases")
        self.other_ids = ctx.ids("case-records")
        self.rows: dict[type, list[dict[str, Any]]] = defaultdict(list)
        self.services: list[tuple[Any, ...]] = []
        self.day_base: dict[int, datetime] = {}
        self.numbers: dict[int, int] = defaultdict(int)

    # -- helpers ---------------------------------------------------------------------------
    def at(self, rng: random.Random, day: date) -> datetime:
        """A moment in office hours (08:30–17:30 China time) on ``day``, as UTC."""
        base = self.day_base.get(day.toordinal())
        if base is None:
            base = datetime(day.year, day.month, day.day, 8, 30, tzinfo=UTC) - _CHINA
            self.day_base[day.toordinal()] = base
        return base + timedelta(minutes=rng.randrange(540))

    def add(self, model: type, row: dict[str, Any]) -> None:
        self.rows[model].append(row)

    def service(  # noqa: PLR0917 - one record's facts
        self,
        rng: random.Random,
        day: date,
        kind: str,
        worker: tuple[uuid.UUID | None, str],
        resident: DemoResident,
        content: str,
        source: uuid.UUID | None,
    ) -> None:
        at = self.at(rng, day)
        self.services.append(
            (
                self.service_ids(at),
                self.ctx.station_id,
                day,
                kind,
                worker[0],
                worker[1],
                resident.community_id,
                resident.id,
                0,
                1,
                _DURATIONS[rng.randrange(len(_DURATIONS))],
                content,
                "case" if source else "",
                source,
                rng.random() < 0.004,
                at,
                at,
                1,
            )
        )
        if len(self.services) >= 50_000:
            self.flush_services()

    def flush_services(self) -> None:
        if self.services:
            self.ctx.check_cancel()
            insert_tuples(self.ctx.session, ServiceRecord, _SR_COLUMNS, self.services)
            self.ctx.add_count("服务记录（个案/咨询/回访）", len(self.services))
            self.services = []

    def flush(self) -> None:
        for model in (Case, CaseRecord, CaseEvent, CaseTask, CaseReferral):
            rows = self.rows.pop(model, [])
            self.ctx.check_cancel()
            insert_dicts(self.ctx.session, model, rows)
        self.flush_services()

    # -- cases -----------------------------------------------------------------------------
    def _clients(self, rng: random.Random) -> list[DemoResident]:
        tagged = [r for r in self.ctx.residents if any(t in _AREAS_BY_TAG for t in r.tags)]
        pool = tagged if len(tagged) >= self.size.cases else list(self.ctx.residents)
        return rng.sample(pool, min(self.size.cases, len(pool)))

    def cases(self) -> None:
        rng = self.ctx.rng("cases")
        clients = self._clients(rng)
        for n, resident in enumerate(clients):
            if n % 200 == 0:
                self.ctx.check_cancel()
                self.ctx.progress(0.5 * n / max(1, len(clients)), "正在生成个案")
            # The first cases cover every stage, whatever the draw.
            self._case(rng, resident, _FORCED[n] if n < len(_FORCED) else None)
        self.ctx.add_count("个案", len(clients))
        self.flush()

    def _opened(self, rng: random.Random, resident: DemoResident) -> date:
        registered = resident.registered_at.date()
        return self.ctx.past_day(rng, not_before=registered)

    def _stage_for(self, rng: random.Random, age: int) -> Stage:
        if age > 200:
            return Stage.FOLLOW_UP if rng.random() < 0.6 else Stage.CLOSED
        for limit, stage in (
            (5, Stage.INTAKE),
            (18, Stage.ASSESSMENT),
            (30, Stage.PLAN),
            (150, Stage.INTERVENTION),
        ):
            if age <= limit:
                return stage
        return Stage.EVALUATION

    def _case(
        self, rng: random.Random, resident: DemoResident, forced: tuple[Stage, int] | None
    ) -> None:
        ctx = self.ctx
        if forced is not None:
            stage, age = forced
            opened = ctx.as_of - timedelta(days=age)
        else:
            opened = self._opened(rng, resident)
            age = (ctx.as_of - opened).days
            stage = self._stage_for(rng, age)
        found = next((_AREAS_BY_TAG[t] for t in resident.tags if t in _AREAS_BY_TAG), None)
        areas: tuple[str, ...] = found or tuple(rng.sample(PROBLEM_AREAS[:-1], 2))
        template = _TEMPLATE_BY_AREA.get(areas[0], "general")
        risk = rng.choices(("高", "中", "低"), (1, 4, 3))[0]
        worker = rng.choice(self.workers)
        at = self.at(rng, opened)
        case_id = self.case_ids(at)
        self.numbers[opened.year] += 1
        refused = stage in (Stage.CLOSED, Stage.FOLLOW_UP) and rng.random() < 0.04
        case: dict[str, Any] = {
            "id": case_id,
            "station_id": ctx.station_id,
            "case_no": f"GA{opened.year}-{self.numbers[opened.year]:04d}",
            "resident_id": resident.id,
            "worker_id": worker[0],
            "worker_name": worker[1],
            "source": rng.choice(("主动发现", "居民求助", "社区/村转介", "部门转介")),
            "problem_areas": "、".join(a for a in PROBLEM_AREAS if a in areas),
            "risk_level": risk,
            "stage": Stage.CLOSED.value if refused else stage.value,
            "opened_on": opened,
            "closed_on": None,
            "family": "[]",
            "template_key": template,
            "reopen_count": 0,
            "created_at": at,
            "updated_at": at,
            "version": 1,
            "deleted_at": None,
            "deleted_by": None,
        }
        flow = _Flow(self, rng, case, resident, worker, areas)
        flow.walk(Stage.CLOSED if refused else stage, refused=refused)
        self.add(Case, case)
        if len(self.rows[CaseRecord]) > 20_000:
            self.flush()

    # -- consultations ---------------------------------------------------------------------
    def consultations(self) -> None:
        """Records without a case, written in date order (index-friendly appends)."""
        rng = self.ctx.rng("consultations")
        total = self.size.consultations
        clients = rng.choices(self.ctx.residents, k=total)
        days = [self.ctx.past_day(rng, not_before=r.registered_at.date()) for r in clients]
        order = sorted(range(total), key=days.__getitem__)
        kinds = rng.choices(_CONSULT, k=total)
        workers = rng.choices(self.workers, k=total)
        for n, i in enumerate(order):
            if n % 50_000 == 0:
                self.ctx.progress(0.5 + 0.5 * n / max(1, total), "正在生成咨询与电话回访")
            kind, content = kinds[i]
            self.service(rng, days[i], kind, workers[i], clients[i], content, None)


class _Flow:
    """One case's stage records, events, to-dos and interventions up to its stage."""

    def __init__(  # noqa: PLR0917 - one case's facts
        self,
        maker: _Maker,
        rng: random.Random,
        case: dict[str, Any],
        resident: DemoResident,
        worker: tuple[uuid.UUID | None, str],
        areas: tuple[str, ...],
    ) -> None:
        self.m, self.rng, self.case, self.resident = maker, rng, case, resident
        self.worker, self.areas = worker, areas
        self.day: date = case["opened_on"]
        self.as_of = maker.ctx.as_of

    def step(self, days: int) -> date:
        self.day = min(self.as_of, self.day + timedelta(days=days))
        return self.day

    def base(self, day: date) -> dict[str, Any]:
        at = self.m.at(self.rng, day)
        return {
            "id": self.m.other_ids(at),
            "station_id": self.case["station_id"],
            "case_id": self.case["id"],
            "created_at": at,
        }

    def record(self, kind: str, data: rec.RecordData, day: date, **extra: object) -> None:
        row = self.base(day)
        row |= {
            "updated_at": row["created_at"],
            "version": 1,
            "deleted_at": None,
            "deleted_by": None,
            "kind": kind,
            "record_date": day,
            "data": rec.dump(data),
            "due_on": None,
            "done_on": None,
            "author_id": self.worker[0],
            "author_name": self.worker[1],
            "review_status": "",
            "reviewer_name": "",
            "reviewed_at": None,
            "review_comment": "",
        }
        row |= extra
        self.m.add(CaseRecord, row)

    def event(self, kind: str, text: str, day: date, before: str = "", after: str = "") -> None:
        row = self.base(day)
        at = row.pop("created_at")
        row |= {
            "at": at,
            "on_date": day,
            "kind": kind,
            "from_stage": before,
            "to_stage": after,
            "text": text,
            "actor_name": self.worker[1],
        }
        self.m.add(CaseEvent, row)

    def enter(self, before: Stage, after: Stage, days: int) -> date:
        day = self.step(days)
        self.event("阶段推进", "", day, before.value, after.value)
        return day

    def tasks(self, reached: Stage) -> None:
        template = next(t for t in DEFAULT_TEMPLATES if t.key == self.case["template_key"])
        for title, days in template.steps:
            due = self.case["opened_on"] + timedelta(days=days)
            done = reached != Stage.INTAKE and due <= self.as_of and self.rng.random() < 0.95
            row = self.base(self.case["opened_on"])
            row |= {
                "updated_at": row["created_at"],
                "version": 1,
                "deleted_at": None,
                "deleted_by": None,
                "title": title,
                "due_on": due,
                "done_on": min(due, self.as_of) if done else None,
                "from_template": template.key,
                "note": "",
            }
            self.m.add(CaseTask, row)

    def walk(self, target: Stage, *, refused: bool) -> None:
        rng, case = self.rng, self.case
        order = list(Stage)
        reached = order.index(target)
        self.event("开案", f"负责社工 {self.worker[1]}", self.day, "", Stage.INTAKE.value)
        self.tasks(target)
        intake = rec.IntakeData(
            presenting_problem=_NEEDS[self.areas[0]],
            consent_service=not refused,
            consent_data=not refused,
            accepted=not refused,
            reason="超出本站服务范围，已告知其他求助途径" if refused else "符合服务范围",
        )
        self.record("intake", intake, self.day)
        if refused:
            day = self.step(rng.randint(1, 5))
            self._close(
                day, rec.ClosureData("转介", "不予接案，转介相关部门", referral_to="镇民政办")
            )
            return
        if reached >= order.index(Stage.ASSESSMENT):
            self.enter(Stage.INTAKE, Stage.ASSESSMENT, rng.randint(1, 5))
        if reached >= order.index(Stage.PLAN):
            day = self.step(rng.randint(5, 12))
            needs = [rec.Need(a, _NEEDS[a], i + 1) for i, a in enumerate(self.areas)]
            pre = [rec.Measure(a, rng.randint(1, 3), "1-5分，越高越好") for a in self.areas]
            self.record(
                "assessment",
                rec.AssessmentData(
                    needs, "家人愿意配合，社区支持", case["risk_level"], pre_measures=pre
                ),
                day,
            )
            self.enter(Stage.ASSESSMENT, Stage.PLAN, 0)
        goals: list[rec.Goal] = []
        if reached >= order.index(Stage.INTERVENTION):
            day = self.step(rng.randint(3, 10))
            target_day = day + timedelta(days=rng.randint(60, 150))
            goals = [
                rec.Goal(i + 1, f"改善{a}状况", f"{a}评分提升到4分以上", target_day)
                for i, a in enumerate(self.areas)
            ]
            actions = [
                rec.PlanAction("社工", self.worker[1], "定期家访与个案辅导", "每两周一次", 0),
                rec.PlanAction(
                    rng.choice(("志愿者", "社会组织", "慈善资源")),
                    "镇志愿服务队",
                    "链接资源提供支持",
                    "按需",
                    1,
                ),
            ]
            self.record(
                "plan",
                rec.PlanData("提升生活质量与社会功能", goals, actions, agreement=True),
                day,
                due_on=target_day,
            )
            self.enter(Stage.PLAN, Stage.INTERVENTION, 0)
            self._interventions(target)
        if reached >= order.index(Stage.EVALUATION):
            day = self.step(rng.randint(3, 20))
            self.event("阶段推进", "", day, Stage.INTERVENTION.value, Stage.EVALUATION.value)
        if reached >= order.index(Stage.CLOSED):
            day = self.step(rng.randint(3, 10))
            levels = [rng.choice(("完全达成", "完全达成", "部分达成")) for _ in goals]
            post = [rec.Measure(a, rng.randint(3, 5), "1-5分，越高越好") for a in self.areas]
            evaluation = rec.EvaluationData(
                [rec.Attainment(g.no, lv) for g, lv in zip(goals, levels, strict=True)],
                rng.choice(("非常满意", "满意", "满意", "一般")),
                post,
            )
            self.record("evaluation", evaluation, day)
            day = self.step(rng.randint(1, 7))
            reason = (
                ClosureReason.GOALS_MET.value
                if rng.random() < 0.85
                else rng.choice(("转介", "迁出", "服务对象拒绝", "死亡"))
            )
            referral = "县残联" if reason == "转介" else ""
            self._close(
                day,
                rec.ClosureData(
                    reason, "服务目标基本达成，服务对象状况稳定", "一个月后电话回访", referral
                ),
            )
            self._follow_ups(target)
        if rng.random() < 0.12:
            self._referral()

    def _close(self, day: date, closure: rec.ClosureData) -> None:
        self.record("closure", closure, day)
        before = (
            self.case["stage"]
            if self.case["stage"] != Stage.CLOSED.value
            else Stage.EVALUATION.value
        )
        self.event("结案", closure.reason, day, before, Stage.CLOSED.value)
        self.case["closed_on"] = day

    def _interventions(self, target: Stage) -> None:
        rng = self.rng
        open_case = target in (Stage.INTERVENTION, Stage.EVALUATION)
        count = rng.randint(4, 30)
        span_end = self.as_of if open_case else self.day + timedelta(days=rng.randint(60, 160))
        span_end = min(span_end, self.as_of)
        # A few open high-risk cases fall behind (reminders have something to show).
        if open_case and rng.random() < 0.15:
            span_end = max(self.day, span_end - timedelta(days=rng.randint(20, 60)))
        start = self.day
        span = max(1, (span_end - start).days)
        days = sorted(start + timedelta(days=rng.randint(0, span)) for _ in range(count))
        for day in days:
            kind = rng.choice(("个案服务", "个案服务", "探访", "电话回访"))
            self.m.service(
                rng,
                day,
                kind,
                self.worker,
                self.resident,
                rng.choice(_INTERVENTIONS[kind]),
                self.case["id"],
            )
        self.day = max(self.day, days[-1])

    def _follow_ups(self, target: Stage) -> None:
        rng = self.rng
        due = self.case["closed_on"] + timedelta(days=30)
        # Follow-ups long due were made (the case is at 回访); recent closures wait for theirs.
        if due < self.as_of and (
            target == Stage.FOLLOW_UP or due < self.as_of - timedelta(days=45)
        ):
            self.case["stage"] = Stage.FOLLOW_UP.value
            done = min(self.as_of, due + timedelta(days=rng.randint(0, 5)))
            data = rec.FollowUpData(
                "电话",
                "结案后回访",
                rng.choice(("情况稳定", "情况稳定", "需要关注")),
                "服务对象生活正常",
            )
            self.record("follow_up", data, self.case["closed_on"], due_on=due, done_on=done)
            self.m.service(
                rng,
                done,
                "电话回访",
                self.worker,
                self.resident,
                f"结案回访：{data.result}",
                self.case["id"],
            )
            self.event("阶段推进", "完成首次回访", done, Stage.CLOSED.value, Stage.FOLLOW_UP.value)
            if rng.random() < 0.3:
                later = done + timedelta(days=60)
                second_done = later + timedelta(days=2) if later < self.as_of else None
                self.record(
                    "follow_up",
                    rec.FollowUpData(
                        "家访",
                        "巩固成效",
                        "情况稳定" if second_done else "",
                        "生活稳定" if second_done else "",
                    ),
                    self.case["closed_on"],
                    due_on=later,
                    done_on=second_done,
                )
        else:
            self.case["stage"] = Stage.CLOSED.value
            self.record(
                "follow_up",
                rec.FollowUpData("电话", "结案后回访"),
                self.case["closed_on"],
                due_on=due,
            )

    def _referral(self) -> None:
        rng = self.rng
        day = self.case["opened_on"] + timedelta(days=rng.randint(5, 40))
        day = min(day, self.as_of)
        row = self.base(day)
        done = (self.as_of - day).days > 30
        row |= {
            "updated_at": row["created_at"],
            "version": 1,
            "deleted_at": None,
            "deleted_by": None,
            "target_kind": rng.choice(("社会组织", "政府部门", "慈善资源")),
            "target_name": rng.choice(
                ("镇民政办", "县残联", "慈善总会", "心理咨询中心", "镇卫生院")
            ),
            "contact": "",
            "referred_on": day,
            "reason": "需要专业服务或政策支持",
            "status": "已完成" if done else "已转介",
            "feedback": "已接收并提供服务" if done else "",
            "feedback_on": day + timedelta(days=20) if done else None,
        }
        self.m.add(CaseReferral, row)
