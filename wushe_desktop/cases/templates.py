"""Case templates per problem type: the to-dos a new case starts with (day offsets).

The defaults follow common practice (first contact within days, the assessment within two
weeks, DOMAIN-RULES.md §3); a station may replace them through the ``cases.templates``
setting (a JSON list of {"key", "label", "steps": [[title, days], …]}).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cases.constants import TEMPLATES_KEY
from wushe_desktop.cases.models import Case, CaseTask
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.stations.settings import get_setting


@dataclass(frozen=True)
class CaseTemplate:
    key: str
    label: str
    steps: tuple[tuple[str, int], ...]  # (to-do, days after intake)


DEFAULT_TEMPLATES: tuple[CaseTemplate, ...] = (
    CaseTemplate(
        "general",
        "通用个案",
        (("首次家访", 3), ("完成预估", 14), ("制定服务计划", 21), ("首次介入服务", 28)),
    ),
    CaseTemplate(
        "elderly_care",
        "生活照料（老年人）",
        (
            ("首次家访", 3),
            ("居家安全检查", 7),
            ("完成预估", 14),
            ("链接助餐/照护资源", 21),
            ("制定服务计划", 21),
        ),
    ),
    CaseTemplate(
        "economic",
        "经济困难",
        (("首次家访", 3), ("核实救助政策与家庭收支", 7), ("完成预估", 14), ("协助申请救助", 21)),
    ),
    CaseTemplate(
        "psych",
        "心理情绪",
        (("首次面谈", 2), ("风险评估", 3), ("完成预估", 14), ("制定服务计划", 21)),
    ),
    CaseTemplate(
        "family",
        "家庭关系",
        (("首次家访", 3), ("家庭会谈", 10), ("完成预估", 14), ("制定服务计划", 21)),
    ),
    CaseTemplate(
        "child_protection",
        "未成年人保护",
        (
            ("首次接触并确认安全", 1),
            ("安全评估", 3),
            ("联络监护人及相关部门", 3),
            ("完成预估", 10),
            ("制定服务计划", 14),
        ),
    ),
)


def templates(session: Session, actor: Actor) -> list[CaseTemplate]:
    """The station's templates (its setting, or the defaults)."""
    custom = get_setting(session, actor, TEMPLATES_KEY, None)
    if not isinstance(custom, list) or not custom:
        return list(DEFAULT_TEMPLATES)
    found = []
    for item in custom:
        steps = tuple((str(t), int(d)) for t, d in item.get("steps", []))
        found.append(CaseTemplate(str(item["key"]), str(item["label"]), steps))
    return found


def template_by_key(session: Session, actor: Actor, key: str) -> CaseTemplate:
    for t in templates(session, actor):
        if t.key == key:
            return t
    raise ValidationError(f"个案模板“{key}”不存在，请重新选择。", field="template_key")


def add_template_tasks(session: Session, case: Case, template: CaseTemplate, start: date) -> int:
    """The template's to-dos for a new case, due ``days`` after ``start``."""
    for title, days in template.steps:
        session.add(
            CaseTask(
                station_id=case.station_id,
                case_id=case.id,
                title=title,
                due_on=start + timedelta(days=days),
                from_template=template.key,
            )
        )
    return len(template.steps)
