"""Key-group tags (重点人群标签) of a resident and the rules between them.

Codes are stable ASCII (stored in ``resident_tag.tag``); labels are what people see and
type in Excel. Rules (DOMAIN-RULES §4): 老年人 60+ (高龄 80+), 儿童 under 18, 残疾人 with
category and grade, and 刚性支出困难家庭 excludes 低保/特困/低保边缘.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "CUSTOM_PREFIX",
    "DISABILITY_CATEGORIES",
    "DISABILITY_GRADES",
    "TAGS",
    "TagDef",
    "TagGroup",
    "normalize_disability_detail",
    "parse_tags_text",
    "tag_code",
    "tag_label",
    "tags_text",
    "validate_tags",
]

CUSTOM_PREFIX = "custom:"
MAX_CUSTOM_LABEL = 20
MAX_DETAIL = 100  # resident_tag.detail


class TagGroup(StrEnum):
    ELDERLY = "老年人"
    CHILD = "儿童"
    DISABLED = "残疾人"
    LOW_INCOME = "低收入"
    YOUFU = "优抚对象"
    CUSTOM = "自定义"


@dataclass(frozen=True)
class TagDef:
    code: str
    label: str
    group: TagGroup
    parent: str | None
    needs_detail: bool


def _defs() -> dict[str, TagDef]:
    g = TagGroup
    rows = [
        ("elderly", "老年人", g.ELDERLY, None, False),
        ("elderly_alone", "独居老人", g.ELDERLY, "elderly", False),
        ("elderly_empty_nest", "空巢老人", g.ELDERLY, "elderly", False),
        ("elderly_disabled", "失能老人", g.ELDERLY, "elderly", False),
        ("elderly_advanced", "高龄老人", g.ELDERLY, "elderly", False),
        ("child", "儿童", g.CHILD, None, False),
        ("child_left_behind", "留守儿童", g.CHILD, "child", False),
        ("child_in_difficulty", "困境儿童", g.CHILD, "child", False),
        ("child_orphan", "孤儿", g.CHILD, "child", False),
        ("child_unsupported", "事实无人抚养儿童", g.CHILD, "child", False),
        ("disabled", "残疾人", g.DISABLED, None, True),
        ("dibao", "最低生活保障对象", g.LOW_INCOME, None, False),
        ("tekun", "特困人员", g.LOW_INCOME, None, False),
        ("dibao_edge", "最低生活保障边缘家庭", g.LOW_INCOME, None, False),
        ("rigid_expense", "刚性支出困难家庭", g.LOW_INCOME, None, False),
        ("youfu", "优抚对象", g.YOUFU, None, False),
    ]
    return {r[0]: TagDef(*r) for r in rows}


#: Built-in tags in display order. User-defined tags are ``custom:<label>``.
TAGS: dict[str, TagDef] = _defs()

DISABILITY_CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
DISABILITY_GRADES = ("一级", "二级", "三级", "四级")

_BY_LABEL: dict[str, str] = {t.label: t.code for t in TAGS.values()}
# Short and official alternative names seen in registers and Excel sheets.
_ALIASES: dict[str, str] = {
    "老人": "elderly",
    "独居": "elderly_alone",
    "空巢": "elderly_empty_nest",
    "失能": "elderly_disabled",
    "高龄": "elderly_advanced",
    "留守": "child_left_behind",
    "困境": "child_in_difficulty",
    "事实无人抚养": "child_unsupported",
    "残疾": "disabled",
    "低保": "dibao",
    "低保对象": "dibao",
    "低保户": "dibao",
    "特困": "tekun",
    "特困供养人员": "tekun",
    "特困供养": "tekun",
    "低保边缘": "dibao_edge",
    "低保边缘家庭": "dibao_edge",
    "刚性支出困难": "rigid_expense",
    "优抚": "youfu",
}
_LOW_INCOME_OTHERS = ("dibao", "tekun", "dibao_edge")
_FORBIDDEN_IN_LABEL = re.compile(r"[、，,;；()（）:：/]")
_SEPARATORS = "、，,;；"
_GRADE_WORDS = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}
_GRADE_WORDS.update({g[0]: g for g in DISABILITY_GRADES})


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def tag_label(code: str) -> str:
    """Display label of a tag code; an unknown code is shown as is rather than hidden."""
    if code.startswith(CUSTOM_PREFIX):
        return code[len(CUSTOM_PREFIX) :]
    tag = TAGS.get(code)
    return tag.label if tag else code


def _custom_label(label: str) -> str:
    if not label:
        raise ValidationError("标签名称不能为空。", field="tags")
    if len(label) > MAX_CUSTOM_LABEL:
        raise ValidationError(
            f"自定义标签“{label}”过长：最多{MAX_CUSTOM_LABEL}个字，当前为{len(label)}个。",
            field="tags",
        )
    if _FORBIDDEN_IN_LABEL.search(label):
        raise ValidationError(
            f"自定义标签“{label}”不能包含顿号、逗号、分号、冒号、斜杠或括号。", field="tags"
        )
    return label


def tag_code(label: str) -> str:
    """Code of a label as typed or imported; an unknown label becomes ``custom:<label>``."""
    text = _nfkc(label)
    if text.startswith(CUSTOM_PREFIX):
        text = text[len(CUSTOM_PREFIX) :].strip()
    code = _BY_LABEL.get(text) or _ALIASES.get(text)
    if code is not None:
        return code
    if text in TAGS:
        return text
    return CUSTOM_PREFIX + _custom_label(text)


def normalize_disability_detail(detail: str) -> str:
    """Return "类别/等级" (e.g. "肢体/二级") from what people write, or raise."""
    text = _nfkc(detail).replace("残疾", "")
    category = next((c for c in DISABILITY_CATEGORIES if c in text), None)
    rest = text.replace(category, "", 1) if category else text
    rest = re.sub(r"[\s/、，,;；-]", "", rest)
    grade_key = rest.removesuffix("级")
    grade = _GRADE_WORDS.get(grade_key) if len(grade_key) == 1 else None
    if category is None or grade is None:
        shown = _nfkc(detail) or "（空）"
        raise ValidationError(
            f"残疾人标签的“{shown}”不是有效的残疾类别和等级，应写成“肢体/二级”这样："
            f"类别为{'、'.join(DISABILITY_CATEGORIES)}之一，等级为一级至四级。",
            field="tags",
        )
    return f"{category}/{grade}"


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _canonical_code(code: str) -> str:
    code = _nfkc(code)
    if code in TAGS:
        return code
    if code.startswith(CUSTOM_PREFIX):
        # custom:独居老人 is the built-in tag, not a second one.
        return tag_code(code[len(CUSTOM_PREFIX) :].strip())
    raise ValidationError(f"未知的重点人群标签“{code}”。", field="tags")


def _labels_in(result: Mapping[str, str], group: TagGroup) -> str:
    return "、".join(t.label for c, t in TAGS.items() if c in result and t.group is group)


def _check_age(result: Mapping[str, str], born: date, today: date) -> None:
    age = _age(born, today)
    if "child" in result and age >= 18:
        raise ValidationError(
            f"“{_labels_in(result, TagGroup.CHILD)}”只适用于未满18周岁的居民，"
            f"该居民已满{age}周岁。",
            field="tags",
        )
    if "elderly" in result and age < 60:
        raise ValidationError(
            f"“{_labels_in(result, TagGroup.ELDERLY)}”只适用于年满60周岁的居民，"
            f"该居民现年{age}周岁。",
            field="tags",
        )
    if "elderly_advanced" in result and age < 80:
        raise ValidationError(
            f"“高龄老人”只适用于年满80周岁的居民，该居民现年{age}周岁。", field="tags"
        )


def validate_tags(
    tags: Mapping[str, str], *, birth_date: date | None = None, today: date | None = None
) -> dict[str, str]:
    """Check a resident's tags (code → detail) and return them normalised, in display order.

    A sub-tag brings its parent (独居老人 → 老年人); 残疾人 needs "类别/等级"; with a birth
    date, age limits are checked.
    """
    given: dict[str, str] = {}
    for raw_code, raw_detail in tags.items():
        code = _canonical_code(raw_code)
        detail = _nfkc(raw_detail)
        if len(detail) > MAX_DETAIL:
            raise ValidationError(
                f"标签“{tag_label(code)}”的说明最长{MAX_DETAIL}个字，当前为{len(detail)}个。",
                field="tags",
            )
        if TAGS.get(code) is not None and TAGS[code].needs_detail:
            detail = normalize_disability_detail(detail)
        given[code] = detail or given.get(code, "")
    for code in list(given):
        tag = TAGS.get(code)
        if tag is not None and tag.parent is not None:
            given.setdefault(tag.parent, "")

    if "rigid_expense" in given and any(c in given for c in _LOW_INCOME_OTHERS):
        raise ValidationError(
            "刚性支出困难家庭不能与最低生活保障对象、特困人员或低保边缘家庭同时标记。",
            field="tags",
        )
    # A 低保边缘家庭 is by definition one that does not qualify for 低保 or 特困 support.
    if "dibao_edge" in given and ("dibao" in given or "tekun" in given):
        raise ValidationError(
            "最低生活保障边缘家庭不能与最低生活保障对象或特困人员同时标记。", field="tags"
        )
    if birth_date is not None:
        _check_age(given, birth_date, today or date.today())

    ordered = {code: given[code] for code in TAGS if code in given}
    ordered.update({c: d for c, d in given.items() if c not in TAGS})
    return ordered


def tags_text(tags: Mapping[str, str]) -> str:
    """One-line text for lists and Excel: "独居老人、残疾人（肢体/二级）".

    A parent tag is left out when one of its sub-tags is shown (独居老人 implies 老年人).
    """
    shown_parents = {TAGS[c].parent for c in tags if c in TAGS and TAGS[c].parent}
    parts = []
    ordered = [c for c in TAGS if c in tags] + [c for c in tags if c not in TAGS]
    for code in ordered:
        detail = tags[code]
        if code in shown_parents and not detail:
            continue
        label = tag_label(code)
        parts.append(f"{label}（{detail}）" if detail else label)
    return "、".join(parts)


def _split_items(text: str) -> list[str]:
    """Split on 、，,;； outside brackets (a detail may contain any of them)."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
        if ch in _SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return [i.strip() for i in items if i.strip()]


_ITEM = re.compile(r"(?P<label>[^(（]+?)\s*(?:[(（](?P<detail>.*)[)）])?")


def parse_tags_text(text: str) -> dict[str, str]:
    """Inverse of ``tags_text`` for imports: labels separated by 、，,; with （detail）.

    Rosters repeat the same few tag texts thousands of times, so parses are cached (a
    ValidationError is raised again each time, it is not cached)."""
    return dict(_parse_tags_text(text))


@functools.lru_cache(maxsize=4096)
def _parse_tags_text(text: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in _split_items(_nfkc(text).replace("(", "（").replace(")", "）")):
        match = _ITEM.fullmatch(item)
        if match is None:
            raise ValidationError(f"无法识别标签“{item}”，括号不配对。", field="tags")
        code = tag_code(match.group("label"))
        detail = (match.group("detail") or "").strip()
        result[code] = detail or result.get(code, "")
    return validate_tags(result)
