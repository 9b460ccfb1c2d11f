"""Unified social credit code (统一社会信用代码, GB 32100-2015; DOMAIN-RULES §5).

Only the code's own check character is enforced. The inner organisation-code check
(GB 11714, positions 9–17) is offered separately because not every code issued passes it.
"""

from __future__ import annotations

import re
import unicodedata

from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "CHARSET",
    "credit_check_char",
    "credit_code_kind",
    "normalize_credit_code",
    "org_code_valid",
]

#: 31 characters; I O Z S V are never used.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {c: i for i, c in enumerate(CHARSET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_LAYOUT = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")

# (登记管理部门码, 机构类别码) → kind, for the registrations a station deals with.
_KINDS = {
    "11": "机关",
    "12": "事业单位",
    "13": "群众团体",
    "51": "社会团体",
    "52": "民办非企业单位",
    "53": "基金会",
    "59": "其他民政登记组织",
    "91": "企业",
    "92": "个体工商户",
    "93": "农民专业合作社",
}


def credit_check_char(first17: str) -> str:
    """GB 32100 check character (c = 31 − Σ vᵢ·wᵢ mod 31, 31 → 0) for the first 17 chars."""
    if len(first17) != 17 or any(c not in _VALUES for c in first17):
        raise ValueError(f"credit_check_char needs 17 code characters, got {first17!r}")
    total = sum(_VALUES[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    """Upper-case, drop spaces, full-width → ASCII, and check layout and check character."""
    code = "".join(unicodedata.normalize("NFKC", raw or "").split()).upper()
    if not code:
        raise ValidationError("统一社会信用代码不能为空。", field="credit_code")
    if len(code) != 18:
        raise ValidationError(
            f"统一社会信用代码应为18位，当前为{len(code)}位。", field="credit_code"
        )
    bad = next((c for c in code if c not in _VALUES), None)
    if bad is not None:
        raise ValidationError(
            f"统一社会信用代码含有无效字符“{bad}”（只用数字和除I、O、Z、S、V以外的大写字母）。",
            field="credit_code",
        )
    if not _LAYOUT.fullmatch(code):
        raise ValidationError(
            f"统一社会信用代码第3～8位应为行政区划代码（6位数字），当前为“{code[2:8]}”。",
            field="credit_code",
        )
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise ValidationError(
            f"统一社会信用代码校验位错误：最后一位应为“{expected}”，实际为“{code[17]}”。",
            field="credit_code",
        )
    return code


def org_code_valid(code: str) -> bool:
    """Whether positions 9–17 pass the GB 11714 organisation-code check (advisory only)."""
    body = code[8:17]
    if len(body) != 9 or not all("0" <= c <= "9" or "A" <= c <= "Z" for c in body[:8]):
        return False
    total = sum(int(c, 36) * w for c, w in zip(body[:8], _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    expected = {10: "X", 11: "0"}.get(value, str(value))
    return body[8] == expected


def credit_code_kind(code: str) -> str | None:
    """Organisation kind from the first two characters (51 → 社会团体), if known."""
    return _KINDS.get(code[:2])
