"""Case templates per problem type: the to-dos a new case starts with (day offsets).

The defaults follow common practice (first contact within days, the assessment within two
weeks, DOMAIN-RULES.md §3); a station may replace them through the ``cases.templates``
setting (a JSON list of {"key", "label", "steps": [[title, days], …]}).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.cases.constants import TEMPLATES_KEY
from wushe_desktop.cases.models import Case, CaseTask
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.stations.settings import get_setting, set_setting

LABEL_MAX = 30
STEP_TITLE_MAX = 50  # CaseTask.title is longer; a to-do reads best short
MAX_STEPS = 20
MAX_DAYS = 365


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


def clean_templates(items: Sequence[CaseTemplate]) -> list[CaseTemplate]:
    """Check templates as a director typed them; new ones (empty key) get a fresh key.

    Keys stay as they were: to-dos made from a template remember its key.
    """
    if not items:
        raise ValidationError("至少保留一个个案模板；如要恢复默认模板，请点“恢复默认”。")
    labels: set[str] = set()
    keys = {t.key for t in items if t.key}
    out: list[CaseTemplate] = []
    serial = 1
    for number, t in enumerate(items, 1):
        label = t.label.strip()
        where = f"第{number}个模板"
        if not label:
            raise ValidationError(f"{where}没有名称，请填写。", field="label")
        if len(label) > LABEL_MAX:
            raise ValidationError(f"模板“{label}”的名称最长{LABEL_MAX}个字。", field="label")
        if label in labels:
            raise ValidationError(f"有两个模板都叫“{label}”，请改一个名称。", field="label")
        labels.add(label)
        if not t.steps:
            raise ValidationError(f"模板“{label}”没有待办事项，请至少添加一项。", field="steps")
        if len(t.steps) > MAX_STEPS:
            raise ValidationError(f"模板“{label}”最多{MAX_STEPS}项待办。", field="steps")
        steps = [_step(label, index, title, days) for index, (title, days) in enumerate(t.steps, 1)]
        key = t.key
        while not key:
            candidate = f"custom{serial}"
            serial += 1
            if candidate not in keys:
                key = candidate
                keys.add(key)
        out.append(CaseTemplate(key, label, tuple(steps)))
    return out


def _step(label: str, index: int, title: str, days: int) -> tuple[str, int]:
    text = title.strip()
    if not text:
        raise ValidationError(f"模板“{label}”第{index}项待办没有内容。", field="steps")
    if len(text) > STEP_TITLE_MAX:
        raise ValidationError(
            f"模板“{label}”第{index}项待办最长{STEP_TITLE_MAX}个字。", field="steps"
        )
    if not 0 <= days <= MAX_DAYS:
        raise ValidationError(
            f"模板“{label}”第{index}项的天数应在 0 到 {MAX_DAYS} 之间（接案后第几天）。",
            field="steps",
        )
    return text, days


def save_templates(
    session: Session, actor: Actor, items: Sequence[CaseTemplate]
) -> list[CaseTemplate]:
    """Store the station's templates (the director; audited as a station setting)."""
    actor.require(Resource.STATION, Action.UPDATE)
    cleaned = clean_templates(items)
    value = [
        {"key": t.key, "label": t.label, "steps": [[title, days] for title, days in t.steps]}
        for t in cleaned
    ]
    set_setting(session, actor, TEMPLATES_KEY, value)
    return cleaned


def reset_templates(session: Session, actor: Actor) -> list[CaseTemplate]:
    """Go back to the built-in templates."""
    actor.require(Resource.STATION, Action.UPDATE)
    set_setting(session, actor, TEMPLATES_KEY, None)
    return list(DEFAULT_TEMPLATES)
