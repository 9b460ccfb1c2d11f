"""Resident ID numbers (GB 11643-1999) and the other identity documents.

Normalises what people actually type (spaces, full-width digits, a lower-case x, old
15-digit numbers) and rejects a wrong number with a message that says exactly what is
wrong. An abolished area code is accepted: people keep their numbers after district
mergers (DOMAIN-RULES §6).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "DocType",
    "IdInfo",
    "check_digit",
    "normalize_doc_type",
    "parse_id_number",
    "validate_document",
]


class DocType(StrEnum):
    """证件类型 as stored in ``resident.doc_type``."""

    ID_CARD = "居民身份证"
    RESIDENCE_PERMIT = "港澳台居民居住证"
    PASSPORT = "护照"
    FOREIGN_PR = "外国人永久居留身份证"
    OTHER = "其他"


@dataclass(frozen=True)
class IdInfo:
    """What an 18-character number tells about its holder."""

    number: str  # normalised 18 chars, upper-case X
    birth_date: date
    gender: str  # "男" | "女" (odd sequence = male)
    area_code: str
    converted_from_15: bool


_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# First two digits of GB/T 2260 provinces, plus 71 台湾 and 81/82/83 (港/澳/台 residence permits).
_PROVINCES = frozenset(
    {
        *(11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46),
        *(50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83),
    }
)
_PERMIT_PREFIXES = {"81": "香港", "82": "澳门", "83": "台湾"}
# Numbers were first issued in 1984; nobody alive then was born before ~1870. The floor is
# kept low so that the standard's own test vector 440524188001010014 still passes.
_MIN_BIRTH = date(1860, 1, 1)

_RE_FOREIGN_2017 = re.compile(r"[A-Z]{3}\d{12}")
_RE_PASSPORT = re.compile(r"[A-Z0-9]{5,20}")

_DOC_ALIASES: dict[str, DocType] = {
    "身份证": DocType.ID_CARD,
    "居民身份证": DocType.ID_CARD,
    "二代身份证": DocType.ID_CARD,
    "港澳台居民居住证": DocType.RESIDENCE_PERMIT,
    "港澳居民居住证": DocType.RESIDENCE_PERMIT,
    "台湾居民居住证": DocType.RESIDENCE_PERMIT,
    "居住证": DocType.RESIDENCE_PERMIT,
    "护照": DocType.PASSPORT,
    "外国人永久居留身份证": DocType.FOREIGN_PR,
    "外国人永久居留证": DocType.FOREIGN_PR,
    "永久居留证": DocType.FOREIGN_PR,
    "其他": DocType.OTHER,
    "其它": DocType.OTHER,
}


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"check_digit needs 17 ASCII digits, got {first17!r}")
    total = sum(map(operator.mul, map(int, first17), _WEIGHTS))
    return _CHECK_CHARS[total % 11]


_SHAPE_18 = re.compile(r"[0-9]{17}[0-9X]")


def _is_digit(c: str) -> bool:
    """ASCII 0-9 only: str.isdigit() also accepts e.g. Arabic-Indic digits."""
    return "0" <= c <= "9"


def _clean(raw: str) -> str:
    """NFKC (full-width → ASCII), drop all whitespace, upper-case."""
    text = unicodedata.normalize("NFKC", raw)
    return "".join(text.split()).upper()


def _birth_date(number: str, label: str, today: date) -> date:
    y, m, d = number[6:10], number[10:12], number[12:14]
    shown = f"{y}-{m}-{d}"
    try:
        born = date(int(y), int(m), int(d))
    except ValueError:
        raise ValidationError(
            f"{label}中的出生日期 {shown} 不是有效日期。", field="id_number"
        ) from None
    if born > today:
        raise ValidationError(f"{label}中的出生日期 {shown} 晚于今天，请核对。", field="id_number")
    if born < _MIN_BIRTH:
        raise ValidationError(
            f"{label}中的出生日期 {shown} 早于{_MIN_BIRTH.year}年，请核对。", field="id_number"
        )
    return born


def _check_18(number: str, label: str, today: date, *, converted: bool = False) -> IdInfo:
    """Validate an already cleaned 18-character number laid out as GB 11643."""
    bad = None
    if not _SHAPE_18.fullmatch(number):  # find the offending character for the message
        bad = next((c for c in number[:17] if not _is_digit(c)), None)
        if bad is None and not (_is_digit(number[17]) or number[17] == "X"):
            bad = number[17]
    if bad is not None:
        if bad == "X":
            raise ValidationError(f"{label}只有最后一位可以是X。", field="id_number")
        raise ValidationError(
            f"{label}只能由数字组成（最后一位可以是X），当前含有“{bad}”。", field="id_number"
        )
    if number[0] == "0" or int(number[:2]) not in _PROVINCES:
        raise ValidationError(
            f"{label}前两位“{number[:2]}”不是有效的省级行政区划代码。", field="id_number"
        )
    born = _birth_date(number, label, today)
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            f"{label}校验位错误：最后一位应为“{expected}”，实际为“{number[17]}”。",
            field="id_number",
        )
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return IdInfo(number, born, gender, number[:6], converted)


def parse_id_number(raw: str, *, today: date | None = None) -> IdInfo:
    """Validate a 居民身份证 number (18 digits, or an old 15-digit one) and read its facts."""
    label = "身份证号码"
    today = today or date.today()
    number = _clean(raw or "")
    if not number:
        raise ValidationError("身份证号码不能为空。", field="id_number")
    if len(number) == 15:
        bad = next((c for c in number if not _is_digit(c)), None)
        if bad is not None:
            raise ValidationError(
                f"旧15位身份证号码只能由数字组成，当前含有“{bad}”。", field="id_number"
            )
        body = number[:6] + "19" + number[6:]
        return _check_18(body + check_digit(body), label, today, converted=True)
    if len(number) != 18:
        raise ValidationError(
            f"身份证号码应为18位（或旧15位），当前为{len(number)}位。", field="id_number"
        )
    return _check_18(number, label, today)


def normalize_doc_type(text: str) -> DocType:
    """Map a 证件类型 as typed or imported (also common short names) to a ``DocType``."""
    key = _clean(text or "")
    found = _DOC_ALIASES.get(key)
    if found is None:
        choices = "、".join(t.value for t in DocType)
        shown = (text or "").strip() or "（空）"
        raise ValidationError(f"证件类型“{shown}”无法识别，应为{choices}之一。", field="doc_type")
    return found


def _residence_permit(number: str, today: date) -> IdInfo:
    label = "居住证号码"
    if len(number) != 18 or number[:2] not in _PERMIT_PREFIXES:
        raise ValidationError(
            f"港澳台居民居住证号码应为18位，以81（香港）、82（澳门）或83（台湾）开头，"
            f"当前为“{number}”。",
            field="id_number",
        )
    return _check_18(number, label, today)


def _foreign_pr(number: str, today: date) -> IdInfo | None:
    if _RE_FOREIGN_2017.fullmatch(number):
        return None  # 2017 version: no published checksum, nothing more to read [NV]
    if len(number) == 18 and number[0] == "9" and all(_is_digit(c) for c in number[:17]):
        expected = check_digit(number[:17])
        if number[17] != expected:
            raise ValidationError(
                f"外国人永久居留身份证号码校验位错误：最后一位应为“{expected}”，"
                f"实际为“{number[17]}”。",
                field="id_number",
            )
        # The 2023 version lays out birth date and sequence like GB 11643 [NV]; read them
        # when they make sense, but never reject a number with a correct checksum over it.
        try:
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            return None
        if not _MIN_BIRTH <= born <= today:
            return None
        gender = "男" if int(number[16]) % 2 == 1 else "女"
        return IdInfo(number, born, gender, number[:6], False)
    raise ValidationError(
        f"外国人永久居留身份证号码“{number}”格式不正确：2017版为3位字母加12位数字，"
        "2023版为以9开头的18位数字。",
        field="id_number",
    )


def validate_document(
    doc_type: str, raw: str, *, today: date | None = None
) -> tuple[str, IdInfo | None]:
    """Validate a document number by its type; return (normalised number, facts if known)."""
    kind = normalize_doc_type(doc_type)
    today = today or date.today()
    if kind is DocType.ID_CARD:
        info = parse_id_number(raw, today=today)
        return info.number, info
    if kind is DocType.OTHER:
        text = unicodedata.normalize("NFKC", raw or "").strip()
        if not text:
            raise ValidationError("证件号码不能为空。", field="id_number")
        if len(text) > 30:
            raise ValidationError(f"证件号码最长30个字符，当前为{len(text)}个。", field="id_number")
        return text, None
    number = _clean(raw or "")
    if not number:
        raise ValidationError(f"{kind.value}号码不能为空。", field="id_number")
    if kind is DocType.RESIDENCE_PERMIT:
        info = _residence_permit(number, today)
        return info.number, info
    if kind is DocType.FOREIGN_PR:
        return number, _foreign_pr(number, today)
    # PASSPORT
    if not _RE_PASSPORT.fullmatch(number):
        raise ValidationError(
            f"护照号码“{number}”格式不正确：应为5～20位字母或数字。", field="id_number"
        )
    return number, None
