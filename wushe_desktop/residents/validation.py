"""Turning what a user typed (form, import row) into a resident ready to store.

Pure: no session. The GUI form, the Excel importer and the demo generator all go through
``clean_resident`` so that one rule set decides what a valid resident is.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum

from wushe_desktop.domain.idnumber import DocType, IdInfo, normalize_doc_type, validate_document
from wushe_desktop.domain.phone import normalize_phone
from wushe_desktop.domain.pinyin import PinyinKeys, pinyin_keys
from wushe_desktop.domain.tags import validate_tags
from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "KEEP",
    "CleanResident",
    "Keep",
    "ResidentInput",
    "clean_name",
    "clean_resident",
    "resolve_kept",
]

NAME_MAX = 50
ADDRESS_MAX = 200
NOTES_MAX = 2000
_SPACES = re.compile(r"\s+")
_GENDERS = {"男": "男", "男性": "男", "女": "女", "女性": "女"}
_EARLIEST_BIRTH = date(1900, 1, 1)


class Keep(Enum):
    """Type of ``KEEP``."""

    KEEP = "keep"


#: "Leave the stored value as it is" for ``id_number``/``phone``: a user who may not see the
#: full values (no 查看敏感信息) can still edit the rest of the resident.
KEEP = Keep.KEEP


@dataclass
class ResidentInput:
    """A resident as typed: every value still raw (strings may carry spaces, x, +86 …).

    ``id_number``/``phone`` may be ``KEEP``; ``resolve_kept`` fills in the stored values
    before validation, so derived facts and the duplicate check still see the real number.
    """

    name: str
    community_id: uuid.UUID
    doc_type: str = DocType.ID_CARD.value
    id_number: str | Keep = ""
    phone: str | Keep = ""
    gender: str = ""
    birth_date: date | None = None
    address: str = ""
    grid_id: uuid.UUID | None = None
    notes: str = ""
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CleanResident:
    """Normalised values ready to store (``id_number``/``phone`` None when not given)."""

    name: str
    doc_type: str
    id_number: str | None
    phone: str | None
    gender: str | None
    birth_date: date | None
    address: str
    community_id: uuid.UUID
    grid_id: uuid.UUID | None
    notes: str
    tags: dict[str, str]
    py: PinyinKeys


def clean_name(raw: str) -> str:
    """Trim and collapse whitespace (full-width spaces too); 1–50 characters."""
    name = _SPACES.sub(" ", (raw or "").replace("\u3000", " ")).strip()
    if not name:
        raise ValidationError("姓名不能为空。", field="name")
    if len(name) > NAME_MAX:
        raise ValidationError(f"姓名最长{NAME_MAX}个字，当前为{len(name)}个字。", field="name")
    return name


def _clean_gender(raw: str) -> str | None:
    text = (raw or "").strip()
    if not text:
        return None
    gender = _GENDERS.get(text)
    if gender is None:
        raise ValidationError(f"性别“{text}”无法识别，应为“男”或“女”。", field="gender")
    return gender


def _clean_birth(birth: date | None, today: date) -> date | None:
    if birth is None:
        return None
    if birth > today:
        raise ValidationError(
            f"出生日期 {birth.isoformat()} 晚于今天，请核对。", field="birth_date"
        )
    if birth < _EARLIEST_BIRTH:
        raise ValidationError(
            f"出生日期 {birth.isoformat()} 早于1900年，请核对。", field="birth_date"
        )
    return birth


def _document(doc_type: str, raw_number: str, today: date) -> tuple[str, str | None, IdInfo | None]:
    """(doc type, number or None, facts). A missing number is allowed: residents are often
    registered before anyone has seen their ID card; duplicates then cannot be detected."""
    kind = normalize_doc_type(doc_type or DocType.ID_CARD.value)
    if not (raw_number or "").strip():
        return kind.value, None, None
    number, info = validate_document(kind.value, raw_number, today=today)
    return kind.value, number, info


def _merge_facts(
    info: IdInfo | None, gender: str | None, birth: date | None, label: str
) -> tuple[str | None, date | None]:
    """The document wins; a typed value that contradicts it is an error naming both."""
    if info is None:
        return gender, birth
    if gender is not None and gender != info.gender:
        raise ValidationError(
            f"填写的性别“{gender}”与{label}显示的性别“{info.gender}”不一致，请核对。",
            field="gender",
        )
    if birth is not None and birth != info.birth_date:
        raise ValidationError(
            f"填写的出生日期 {birth.isoformat()} 与{label}中的出生日期 "
            f"{info.birth_date.isoformat()} 不一致，请核对。",
            field="birth_date",
        )
    return info.gender, info.birth_date


def _limited(text: str, limit: int, label: str, field_name: str) -> str:
    value = (text or "").strip()
    if len(value) > limit:
        raise ValidationError(f"{label}最长{limit}个字，当前为{len(value)}个字。", field=field_name)
    return value


def _truncate_keys(py: PinyinKeys) -> PinyinKeys:
    """Keep the keys within their columns (a 50-character name can exceed 200 letters)."""

    def cut(value: str | None, n: int) -> str | None:
        return value[:n] if value is not None else None

    return PinyinKeys(
        initials=py.initials[:60],
        full=py.full[:200],
        initials_alt=cut(py.initials_alt, 60),
        full_alt=cut(py.full_alt, 200),
    )


def resolve_kept(
    data: ResidentInput, *, doc_type: str, id_number: str | None, phone: str | None
) -> ResidentInput:
    """``data`` with ``KEEP`` replaced by the stored values (for a new resident: none).

    The document type cannot change under a kept number: the stored number was checked
    against the stored type, and the user (who may not see it) must type the new one.
    """
    kind = normalize_doc_type(data.doc_type or DocType.ID_CARD.value).value
    if data.id_number is KEEP and id_number and kind != doc_type:
        raise ValidationError("更换证件类型时，请同时填写新的证件号码。", field="id_number")
    return replace(
        data,
        id_number=(id_number or "") if data.id_number is KEEP else data.id_number,
        phone=(phone or "") if data.phone is KEEP else data.phone,
    )


def clean_resident(data: ResidentInput, *, today: date | None = None) -> CleanResident:
    """Validate and normalise one resident; raise ``ValidationError`` naming the field.

    ``KEEP`` must have been resolved (``resolve_kept``): validating it as "no number" would
    erase the stored one.
    """
    if isinstance(data.id_number, Keep) or isinstance(data.phone, Keep):
        raise TypeError("clean_resident: resolve KEEP with resolve_kept() first")
    today = today or date.today()
    name = clean_name(data.name)
    doc_type, number, info = _document(data.doc_type, data.id_number, today)
    label = "身份证号码" if doc_type == DocType.ID_CARD.value else f"{doc_type}号码"
    gender, birth = _merge_facts(
        info, _clean_gender(data.gender), _clean_birth(data.birth_date, today), label
    )
    phone = normalize_phone(data.phone) if (data.phone or "").strip() else None
    tags: Mapping[str, str] = data.tags or {}
    return CleanResident(
        name=name,
        doc_type=doc_type,
        id_number=number,
        phone=phone,
        gender=gender,
        birth_date=birth,
        address=_limited(data.address, ADDRESS_MAX, "住址", "address"),
        community_id=data.community_id,
        grid_id=data.grid_id,
        notes=_limited(data.notes, NOTES_MAX, "备注", "notes"),
        tags=validate_tags(tags, birth_date=birth, today=today),
        py=_truncate_keys(pinyin_keys(name)),
    )
