"""The stage records' fields, their rules, and their JSON form in ``CaseRecord.data``.

Field lists follow common practice for MZ/T 094 forms (DOMAIN-RULES.md §3): intake with
consent and the decision to accept; assessment with needs per problem area, strengths,
risk and pre-measures; plan with measurable goals and who does what by when; evaluation
with attainment per goal, satisfaction and post-measures; closure with reason and summary;
follow-ups scheduled after closure with their results.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from wushe_desktop.cases.constants import PROBLEM_AREAS, ActionBy, ClosureReason, RiskLevel
from wushe_desktop.infra.errors import ValidationError

MAX_TEXT = 5_000
ATTAINMENT_LEVELS: tuple[str, ...] = ("完全达成", "部分达成", "未达成")
SATISFACTION_LEVELS: tuple[str, ...] = ("非常满意", "满意", "一般", "不满意", "非常不满意")
FOLLOW_UP_MODES: tuple[str, ...] = ("电话", "家访", "面谈", "其他")
FOLLOW_UP_RESULTS: tuple[str, ...] = ("情况稳定", "需要关注", "建议重新开案", "未能联系")


def _text(value: str, label: str, field_name: str, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。", field=field_name)
    if len(value) > MAX_TEXT:
        raise ValidationError(f"{label}不能超过 {MAX_TEXT} 字。", field=field_name)
    return value


def _choice(value: str, choices: tuple[str, ...], label: str, field_name: str) -> str:
    if value not in choices:
        raise ValidationError(
            f"{label}“{value}”无效，应为 {'、'.join(choices)} 之一。", field=field_name
        )
    return value


def _date(value: object) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _req_date(value: object) -> date:
    found = _date(value)
    assert found is not None
    return found


@dataclass(frozen=True)
class Measure:
    """A pre- or post-measure: a score per area (e.g. 心理情绪 1–5) or a scale value
    (e.g. SDS 抑郁自评量表 58). The same name before and after shows the change."""

    name: str
    value: float
    scale: str = ""  # what the number means, e.g. "1-5分，越高越好" or "SDS标准分"


def _measures(items: list[Measure], label: str) -> list[Measure]:
    seen: set[str] = set()
    out = []
    for m in items:
        name = m.name.strip()
        if not name:
            raise ValidationError(f"{label}的名称不能为空。", field="measures")
        if name in seen:
            raise ValidationError(f"{label}“{name}”重复了。", field="measures")
        seen.add(name)
        out.append(Measure(name, float(m.value), m.scale.strip()))
    return out


# --------------------------------------------------------------------------- intake


@dataclass(frozen=True)
class IntakeData:
    presenting_problem: str
    consent_service: bool  # 同意接受服务
    consent_data: bool  # 同意个人信息的收集和使用
    accepted: bool  # 是否接案
    reason: str = ""  # 接案或不予接案的理由
    referral_to: str = ""  # 不予接案时的转介去向
    consent_by: str = ""  # who consented: empty for the resident, else the guardian's name
    guardian_relation: str = ""

    def checked(self, *, minor_under_14: bool) -> IntakeData:
        problem = _text(self.presenting_problem, "主要问题", "presenting_problem", required=True)
        reason = _text(self.reason, "理由", "reason", required=not self.accepted)
        if self.accepted and not (self.consent_service and self.consent_data):
            raise ValidationError(
                "接案前须取得服务对象（或监护人）对接受服务和使用个人信息的同意。",
                field="consent_service",
            )
        consent_by = self.consent_by.strip()
        if self.accepted and minor_under_14 and not consent_by:
            raise ValidationError(
                "服务对象未满十四周岁，须由监护人同意，请填写监护人姓名。", field="consent_by"
            )
        return IntakeData(
            problem,
            self.consent_service,
            self.consent_data,
            self.accepted,
            reason,
            _text(self.referral_to, "转介去向", "referral_to"),
            consent_by,
            self.guardian_relation.strip(),
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> IntakeData:
        return cls(**d)


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True)
class Need:
    area: str  # a problem area
    description: str
    priority: int = 1  # 1 = most urgent


@dataclass(frozen=True)
class AssessmentData:
    needs: list[Need]
    strengths: str  # 服务对象能力与环境资源（优势）
    risk_level: str
    risk_notes: str = ""
    causes: str = ""  # 问题的主要表现与成因
    suggestion: str = ""  # 干预建议
    pre_measures: list[Measure] = field(default_factory=list)

    def checked(self) -> AssessmentData:
        if not self.needs:
            raise ValidationError("请至少填写一项需求。", field="needs")
        needs = []
        for n in self.needs:
            _choice(n.area, PROBLEM_AREAS, "问题领域", "needs")
            text = _text(n.description, f"“{n.area}”的需求描述", "needs", required=True)
            if not 1 <= n.priority <= 9:
                raise ValidationError("需求的优先次序应为 1 到 9。", field="needs")
            needs.append(Need(n.area, text, n.priority))
        _choice(self.risk_level, tuple(RiskLevel), "风险等级", "risk_level")
        return AssessmentData(
            needs,
            _text(self.strengths, "优势与资源", "strengths", required=True),
            self.risk_level,
            _text(self.risk_notes, "风险说明", "risk_notes"),
            _text(self.causes, "问题表现与成因", "causes"),
            _text(self.suggestion, "干预建议", "suggestion"),
            _measures(self.pre_measures, "前测指标"),
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AssessmentData:
        d = dict(d)
        d["needs"] = [Need(**n) for n in d.get("needs", [])]
        d["pre_measures"] = [Measure(**m) for m in d.get("pre_measures", [])]
        return cls(**d)


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Goal:
    no: int
    text: str
    indicator: str  # measurable: "每周至少两次外出活动"
    target_date: date


@dataclass(frozen=True)
class PlanAction:
    by: str  # an ActionBy value
    who: str  # the organisation, volunteer team or charity; the worker's name
    what: str
    when: str = ""  # free text: "每周三上午", "3月底前"
    goal_no: int = 0  # which goal it serves (0: all)


@dataclass(frozen=True)
class PlanData:
    overall_goal: str
    goals: list[Goal]
    actions: list[PlanAction]
    agreement: bool = False  # 服务协议已由双方签字
    notes: str = ""

    def checked(self, plan_date: date) -> PlanData:
        overall = _text(self.overall_goal, "总目标", "overall_goal", required=True)
        if not self.goals:
            raise ValidationError("请至少填写一个目标。", field="goals")
        goals = []
        for n, g in enumerate(self.goals, start=1):
            text = _text(g.text, f"目标{n}", "goals", required=True)
            indicator = _text(g.indicator, f"目标{n}的可测量指标", "goals", required=True)
            if g.target_date < plan_date:
                raise ValidationError(f"目标{n}的完成期限早于计划日期，请检查。", field="goals")
            goals.append(Goal(n, text, indicator, g.target_date))
        if not self.actions:
            raise ValidationError("请至少填写一项行动（谁、做什么、何时）。", field="actions")
        actions = []
        for a in self.actions:
            _choice(a.by, tuple(ActionBy), "行动执行方", "actions")
            what = _text(a.what, "行动内容", "actions", required=True)
            if not 0 <= a.goal_no <= len(goals):
                raise ValidationError(f"行动“{what}”对应的目标编号不存在。", field="actions")
            actions.append(PlanAction(a.by, a.who.strip(), what, a.when.strip(), a.goal_no))
        return PlanData(overall, goals, actions, self.agreement, _text(self.notes, "备注", "notes"))

    def earliest_target(self) -> date:
        return min(g.target_date for g in self.goals)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PlanData:
        d = dict(d)
        d["goals"] = [
            Goal(g["no"], g["text"], g["indicator"], _req_date(g["target_date"]))
            for g in d.get("goals", [])
        ]
        d["actions"] = [PlanAction(**a) for a in d.get("actions", [])]
        return cls(**d)


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Attainment:
    goal_no: int
    level: str  # an ATTAINMENT_LEVELS value
    note: str = ""


@dataclass(frozen=True)
class EvaluationData:
    attainments: list[Attainment]
    satisfaction: str
    post_measures: list[Measure] = field(default_factory=list)
    worker_opinion: str = ""
    client_opinion: str = ""

    def checked(self, plan: PlanData | None) -> EvaluationData:
        goal_nos = [g.no for g in plan.goals] if plan else []
        given = [a.goal_no for a in self.attainments]
        missing = [n for n in goal_nos if n not in given]
        if missing:
            raise ValidationError(
                f"请评估每个目标的达成情况（缺目标{'、'.join(str(n) for n in missing)}）。",
                field="attainments",
            )
        extra = [n for n in given if n not in goal_nos]
        if extra:
            raise ValidationError(f"服务计划中没有目标{extra[0]}。", field="attainments")
        attainments = [
            Attainment(
                a.goal_no,
                _choice(a.level, ATTAINMENT_LEVELS, "达成程度", "attainments"),
                _text(a.note, "达成说明", "attainments"),
            )
            for a in sorted(self.attainments, key=lambda a: a.goal_no)
        ]
        return EvaluationData(
            attainments,
            _choice(self.satisfaction, SATISFACTION_LEVELS, "满意度", "satisfaction"),
            _measures(self.post_measures, "后测指标"),
            _text(self.worker_opinion, "社工意见", "worker_opinion"),
            _text(self.client_opinion, "服务对象意见", "client_opinion"),
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EvaluationData:
        d = dict(d)
        d["attainments"] = [Attainment(**a) for a in d.get("attainments", [])]
        d["post_measures"] = [Measure(**m) for m in d.get("post_measures", [])]
        return cls(**d)


# --------------------------------------------------------------------------- closure


@dataclass(frozen=True)
class ClosureData:
    reason: str  # a ClosureReason value
    summary: str  # 服务总结
    follow_up_plan: str = ""  # 跟进计划
    referral_to: str = ""  # when the reason is 转介

    def checked(self) -> ClosureData:
        _choice(self.reason, tuple(ClosureReason), "结案原因", "reason")
        referral = _text(
            self.referral_to,
            "转介去向",
            "referral_to",
            required=self.reason == ClosureReason.REFERRED,
        )
        return ClosureData(
            self.reason,
            _text(self.summary, "服务总结", "summary", required=True),
            _text(self.follow_up_plan, "跟进计划", "follow_up_plan"),
            referral,
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ClosureData:
        return cls(**d)


# --------------------------------------------------------------------------- follow-up


@dataclass(frozen=True)
class FollowUpData:
    mode: str  # a FOLLOW_UP_MODES value
    purpose: str = ""
    result: str = ""  # a FOLLOW_UP_RESULTS value once carried out
    notes: str = ""

    def checked(self, *, done: bool) -> FollowUpData:
        _choice(self.mode, FOLLOW_UP_MODES, "回访方式", "mode")
        result = self.result
        if done:
            _choice(result, FOLLOW_UP_RESULTS, "回访结果", "result")
        elif result:
            raise ValidationError("回访尚未进行，不能填写回访结果。", field="result")
        return FollowUpData(
            self.mode,
            _text(self.purpose, "回访目的", "purpose"),
            result,
            _text(self.notes, "回访情况", "notes", required=done),
        )

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FollowUpData:
        return cls(**d)


RecordData = IntakeData | AssessmentData | PlanData | EvaluationData | ClosureData | FollowUpData

_CLASSES: dict[str, Any] = {
    "intake": IntakeData,
    "assessment": AssessmentData,
    "plan": PlanData,
    "evaluation": EvaluationData,
    "closure": ClosureData,
    "follow_up": FollowUpData,
}


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def dump(data: RecordData) -> str:
    return json.dumps(_plain(asdict(data)), ensure_ascii=False, sort_keys=True)


def load(kind: str, text: str) -> RecordData:
    cls = _CLASSES[kind]
    loaded: RecordData = cls.from_dict(json.loads(text))
    return loaded


def kind_of(data: RecordData) -> str:
    for kind, cls in _CLASSES.items():
        if isinstance(data, cls):
            return kind
    raise TypeError(type(data).__name__)
