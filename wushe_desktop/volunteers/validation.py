"""Turning what a user typed (form, import row) into a volunteer ready to store.

Pure: no session. The edit dialog, the Excel importer and the demo generator all call
``clean_volunteer``, so one rule set decides what a valid volunteer is. The age rules come
from the station's settings (``VolunteerRules``): too young is refused, a minor needs a
guardian's consent (PIPL Art.31, 2020 办法 Art.6).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date

from wushe_desktop.domain.dates import age_on
from wushe_desktop.domain.idnumber import DocType, normalize_doc_type, validate_document
from wushe_desktop.domain.phone import normalize_phone
from wushe_desktop.domain.pinyin import PinyinKeys, pinyin_keys
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.residents.validation import clean_name
from wushe_desktop.volunteers.availability import ALL_SLOTS
from wushe_desktop.volunteers.constants import (
    EDUCATION,
    POLITICAL_STATUSES,
    VolunteerStatus,
)
from wushe_desktop.volunteers.settings import VolunteerRules

__all__ = [
    "CleanVolunteer",
    "VolunteerInput",
    "clean_skills",
    "clean_volunteer",
    "parse_skills",
    "skills_text",
]

SKILL_MAX = 20
_SKILL_SPLIT = re.compile(r"[、，,；;/\s]+")
_GENDERS = {"男": "男", "男性": "男", "女": "女", "女性": "女"}


@dataclass
class VolunteerInput:
    """A volunteer as typed: strings still raw (spaces, x, +86 …)."""

    name: str
    id_number: str
    phone: str
    doc_type: str = DocType.ID_CARD.value
    gender: str = ""
    birth_date: date | None = None
    community_id: uuid.UUID | None = None
    resident_id: uuid.UUID | None = None
    national_no: str = ""
    political_status: str = ""
    education: str = ""
    occupation: str = ""
    skills: list[str] = field(default_factory=list)
    languages: str = ""
    availability: int = ALL_SLOTS
    registered_on: date | None = None
    status: str = VolunteerStatus.ACTIVE.value
    status_reason: str = ""
    emergency_name: str = ""
    emergency_relation: str = ""
    emergency_phone: str = ""
    insurer: str = ""
    insurance_policy: str = ""
    insurance_until: date | None = None
    consent_on: date | None = None
    consent_by: str = ""
    guardian_relation: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CleanVolunteer:
    """Normalised values ready to store."""

    name: str
    doc_type: str
    id_number: str
    phone: str
    gender: str | None
    birth_date: date | None
    community_id: uuid.UUID | None
    resident_id: uuid.UUID | None
    national_no: str
    political_status: str
    education: str
    occupation: str
    skills: tuple[str, ...]
    languages: str
    availability: int
    registered_on: date
    status: str
    status_reason: str
    emergency_name: str
    emergency_relation: str
    emergency_phone: str
    insurer: str
    insurance_policy: str
    insurance_until: date | None
    consent_on: date | None
    consent_by: str
    guardian_relation: str
    notes: str
    py: PinyinKeys
    age: int | None
    needs_accompany: bool


def _text(value: str | None, limit: int, label: str, field_name: str) -> str:
    text = unicodedata.normalize("NFKC", value or "").strip()
    if len(text) > limit:
        raise ValidationError(f"{label}最长{limit}个字，当前为{len(text)}个字。", field=field_name)
    return text


def clean_skills(skills: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Trimmed, de-duplicated skill tags in the given order (each at most 20 characters)."""
    seen: list[str] = []
    for raw in skills:
        skill = unicodedata.normalize("NFKC", raw or "").strip()
        if not skill:
            continue
        if len(skill) > SKILL_MAX:
            raise ValidationError(
                f"技能“{skill}”过长：每项技能最多{SKILL_MAX}个字。", field="skills"
            )
        if skill not in seen:
            seen.append(skill)
    return tuple(seen)


def parse_skills(text: str | None) -> tuple[str, ...]:
    """``医疗护理、驾驶`` → (医疗护理, 驾驶); separators 、，,；/ and spaces."""
    return clean_skills(_SKILL_SPLIT.split(unicodedata.normalize("NFKC", text or "")))


def skills_text(skills: list[str] | tuple[str, ...]) -> str:
    return "、".join(skills)


def _document(doc_type: str, number: str, today: date) -> tuple[str, str, str | None, date | None]:
    kind = normalize_doc_type(doc_type or DocType.ID_CARD.value)
    if not (number or "").strip():
        raise ValidationError(
            "证件号码不能为空：志愿者实行实名登记，导入时也按证件号码识别同一人。",
            field="id_number",
        )
    clean, info = validate_document(kind.value, number, today=today)
    if info is None:
        return kind.value, clean, None, None
    return kind.value, clean, info.gender, info.birth_date


def _gender(raw: str, from_doc: str | None) -> str | None:
    text = (raw or "").strip()
    typed = _GENDERS.get(text) if text else None
    if text and typed is None:
        raise ValidationError(f"性别“{text}”无法识别，应为“男”或“女”。", field="gender")
    if from_doc is not None and typed is not None and typed != from_doc:
        raise ValidationError(
            f"填写的性别“{typed}”与证件号码显示的性别“{from_doc}”不一致，请核对。",
            field="gender",
        )
    return from_doc or typed


def _choice(value: str, choices: tuple[str, ...], label: str, field_name: str) -> str:
    text = unicodedata.normalize("NFKC", value or "").strip()
    if text and text not in choices:
        raise ValidationError(
            f"{label}“{text}”不在可选范围内（{'、'.join(choices)}）。", field=field_name
        )
    return text


def _age_rules(
    data: VolunteerInput, name: str, birth: date | None, rules: VolunteerRules, today: date
) -> tuple[int | None, str, str]:
    """The age, consenting person and relation, after the station's age limits."""
    consent_by = _text(data.consent_by, 50, "同意人", "consent_by")
    relation = _text(data.guardian_relation, 20, "监护人关系", "guardian_relation")
    if birth is None:
        return None, consent_by or (name if data.consent_on else ""), relation
    age = age_on(birth, today)
    if age < rules.min_age:
        raise ValidationError(
            f"{name}现年{age}岁，低于本站志愿者最低登记年龄{rules.min_age}岁，不能登记。",
            field="birth_date",
        )
    if age < rules.guardian_under:
        if not (data.consent_on and consent_by and relation) or consent_by == name:
            raise ValidationError(
                f"{name}现年{age}岁，未满{rules.guardian_under}岁，须由监护人同意登记："
                "请填写监护人姓名、与志愿者的关系和同意日期。",
                field="consent_by",
            )
        return age, consent_by, relation
    if relation and not consent_by:
        raise ValidationError("填写了监护人关系，请同时填写同意人姓名。", field="consent_by")
    return age, consent_by or (name if data.consent_on else ""), relation


def clean_volunteer(
    data: VolunteerInput, rules: VolunteerRules, *, today: date | None = None
) -> CleanVolunteer:
    """Validate and normalise one volunteer; raise ``ValidationError`` naming the field."""
    today = today or date.today()
    name = clean_name(data.name)
    doc_type, number, doc_gender, doc_birth = _document(data.doc_type, data.id_number, today)
    if doc_birth is not None and data.birth_date is not None and data.birth_date != doc_birth:
        raise ValidationError(
            f"填写的出生日期 {data.birth_date.isoformat()} 与证件号码中的出生日期 "
            f"{doc_birth.isoformat()} 不一致，请核对。",
            field="birth_date",
        )
    birth = doc_birth or data.birth_date
    if birth is not None and birth > today:
        raise ValidationError(
            f"出生日期 {birth.isoformat()} 晚于今天，请核对。", field="birth_date"
        )
    if not (data.phone or "").strip():
        raise ValidationError("联系电话不能为空：排班通知和签到都要用到。", field="phone")
    phone = normalize_phone(data.phone)
    registered = data.registered_on or today
    if registered > today:
        raise ValidationError(
            f"登记日期 {registered.isoformat()} 晚于今天，请核对。", field="registered_on"
        )
    status = (data.status or VolunteerStatus.ACTIVE.value).strip()
    if status not in {s.value for s in VolunteerStatus}:
        raise ValidationError(f"状态“{status}”无效，应为“在册”“暂停”或“退出”。", field="status")
    reason = _text(data.status_reason, 200, "状态原因", "status_reason")
    if status != VolunteerStatus.ACTIVE.value and not reason:
        raise ValidationError(f"状态为“{status}”时请填写原因。", field="status_reason")
    if data.consent_on is not None and data.consent_on > today:
        raise ValidationError("同意日期晚于今天，请核对。", field="consent_on")
    age, consent_by, relation = _age_rules(data, name, birth, rules, today)
    emergency_phone = ""
    if (data.emergency_phone or "").strip():
        try:
            emergency_phone = normalize_phone(data.emergency_phone)
        except ValidationError as exc:
            raise ValidationError("紧急联系人" + exc.message, field="emergency_phone") from None
    if not 0 <= data.availability <= ALL_SLOTS:
        raise ValidationError("可服务时段无效。", field="availability")
    return CleanVolunteer(
        name=name,
        doc_type=doc_type,
        id_number=number,
        phone=phone,
        gender=_gender(data.gender, doc_gender),
        birth_date=birth,
        community_id=data.community_id,
        resident_id=data.resident_id,
        national_no=_text(data.national_no, 40, "全国志愿者编号", "national_no"),
        political_status=_choice(
            data.political_status, POLITICAL_STATUSES, "政治面貌", "political_status"
        ),
        education=_choice(data.education, EDUCATION, "文化程度", "education"),
        occupation=_text(data.occupation, 50, "职业", "occupation"),
        skills=clean_skills(data.skills),
        languages=_text(data.languages, 100, "语言", "languages"),
        availability=data.availability,
        registered_on=registered,
        status=status,
        status_reason=reason,
        emergency_name=_text(data.emergency_name, 50, "紧急联系人", "emergency_name"),
        emergency_relation=_text(data.emergency_relation, 20, "紧急联系人关系", "emergency"),
        emergency_phone=emergency_phone,
        insurer=_text(data.insurer, 100, "保险公司", "insurer"),
        insurance_policy=_text(data.insurance_policy, 60, "保单号", "insurance_policy"),
        insurance_until=data.insurance_until,
        consent_on=data.consent_on,
        consent_by=consent_by,
        guardian_relation=relation,
        notes=_text(data.notes, 2000, "备注", "notes"),
        py=pinyin_keys(name),
        age=age,
        needs_accompany=age is not None and age < rules.accompany_under,
    )
