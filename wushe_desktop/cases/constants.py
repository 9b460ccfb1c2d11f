"""The vocabulary of casework: stages in order, sources, problem areas, reasons, statuses.

Stages follow MZ/T 094-2017 (接案 → 预估 → 计划 → 介入 → 评估 → 结案) plus 回访, the
follow-up visits after closure (DOMAIN-RULES.md §3).
"""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    INTAKE = "接案"
    ASSESSMENT = "预估"
    PLAN = "计划"
    INTERVENTION = "介入"
    EVALUATION = "评估"
    CLOSED = "结案"
    FOLLOW_UP = "回访"


STAGES: tuple[Stage, ...] = tuple(Stage)
OPEN_STAGES: frozenset[str] = frozenset(
    s.value
    for s in (Stage.INTAKE, Stage.ASSESSMENT, Stage.PLAN, Stage.INTERVENTION, Stage.EVALUATION)
)
CLOSED_STAGES: frozenset[str] = frozenset({Stage.CLOSED.value, Stage.FOLLOW_UP.value})


def stage_index(stage: str) -> int:
    return [s.value for s in STAGES].index(stage)


class CaseSource(StrEnum):
    OUTREACH = "主动发现"
    SELF = "居民求助"
    COMMUNITY = "社区/村转介"
    DEPARTMENT = "部门转介"
    OTHER = "其他"


PROBLEM_AREAS: tuple[str, ...] = (
    "生活照料",
    "经济困难",
    "健康/康复",
    "心理情绪",
    "家庭关系",
    "社会支持",
    "安全保护",
    "教育/就业",
    "其他",
)


class RiskLevel(StrEnum):
    HIGH = "高"
    MEDIUM = "中"
    LOW = "低"


class ClosureReason(StrEnum):
    GOALS_MET = "目标达成"
    REFERRED = "转介"
    REFUSED = "服务对象拒绝"
    MOVED = "迁出"
    DIED = "死亡"
    OTHER = "其他"


class RecordKind(StrEnum):
    """The stage records (个案记录); interventions are service records, not these."""

    INTAKE = "intake"
    ASSESSMENT = "assessment"
    PLAN = "plan"
    EVALUATION = "evaluation"
    CLOSURE = "closure"
    FOLLOW_UP = "follow_up"


RECORD_LABELS: dict[str, str] = {
    RecordKind.INTAKE: "接案登记",
    RecordKind.ASSESSMENT: "预估报告",
    RecordKind.PLAN: "服务计划",
    RecordKind.EVALUATION: "成效评估",
    RecordKind.CLOSURE: "结案报告",
    RecordKind.FOLLOW_UP: "回访记录",
}

#: Records a supervisor reviews when the review setting is on (issue 4).
REVIEWED_KINDS: frozenset[str] = frozenset(
    {RecordKind.ASSESSMENT, RecordKind.PLAN, RecordKind.CLOSURE}
)


class ReviewStatus(StrEnum):
    NONE = ""  # saved while review was off: needs no approval
    PENDING = "待审核"
    APPROVED = "已通过"
    RETURNED = "退回"


class ActionBy(StrEnum):
    """Who carries out a plan action (五社联动: worker, organisation, volunteers, charity)."""

    WORKER = "社工"
    ORGANIZATION = "社会组织"
    VOLUNTEER = "志愿者"
    CHARITY = "慈善资源"
    COMMUNITY = "社区/村"
    FAMILY = "家庭"


class ReferralTarget(StrEnum):
    ORGANIZATION = "社会组织"
    GOVERNMENT = "政府部门"
    CHARITY = "慈善资源"
    OTHER = "其他"


class ReferralStatus(StrEnum):
    SENT = "已转介"
    ACCEPTED = "已接收"
    IN_SERVICE = "服务中"
    DONE = "已完成"
    DECLINED = "未接收"


class AttachmentKind(StrEnum):
    CONSENT = "知情同意书"
    PHOTO = "照片"
    DOCUMENT = "文件"
    OTHER = "其他"


#: Service types an intervention record may have.
INTERVENTION_TYPES: tuple[str, ...] = ("个案服务", "探访", "咨询", "电话回访")

SUPERVISOR_REVIEW_KEY = "cases.supervisor_review"
TEMPLATES_KEY = "cases.templates"
