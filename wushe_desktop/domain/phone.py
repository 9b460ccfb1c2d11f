"""Mobile and landline numbers, normalised to one stored form (DOMAIN-RULES §6).

Mobiles are stored as 11 digits (13812345678) so that a prefix search finds them;
landlines as ``0517-83612345``. People type spaces, dashes, brackets, full-width digits
and country prefixes; all of that is accepted and removed.
"""

from __future__ import annotations

import re
import unicodedata

from wushe_desktop.infra.errors import ValidationError

__all__ = ["normalize_mobile", "normalize_phone"]

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―()（）.]")
_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
# 010 and 02x are the only 3-digit area codes; all others are 0 + 3 digits. Local numbers
# never start with 0 or 1.
_LANDLINE = re.compile(r"(010|02\d|0[3-9]\d{2})([2-9]\d{6,7})", re.ASCII)


def _digits(raw: str) -> str:
    """NFKC (full-width → ASCII) and drop separators; a leading + survives."""
    text = unicodedata.normalize("NFKC", raw or "")
    return _SEPARATORS.sub("", text)


def _strip_country(text: str) -> tuple[str, bool]:
    """Remove +86 / 0086 (returns True when one was removed; 86 alone is ambiguous)."""
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            return text[len(prefix) :], True
    return text, False


def _as_mobile(text: str) -> str | None:
    text, _ = _strip_country(text)
    if len(text) == 13 and text.startswith("86"):
        text = text[2:]
    elif len(text) == 12 and text.startswith("0"):  # 0 dialled before a mobile from a landline
        text = text[1:]
    return text if _MOBILE.fullmatch(text) else None


def normalize_mobile(raw: str) -> str:
    """Return the 11-digit mobile number or raise ``ValidationError(field="phone")``."""
    text = _digits(raw)
    mobile = _as_mobile(text)
    if mobile is None:
        shown = (raw or "").strip() or "（空）"
        raise ValidationError(
            f"手机号码“{shown}”格式不正确：应为11位数字，以1开头，第二位为3～9。",
            field="phone",
        )
    return mobile


def normalize_phone(raw: str) -> str:
    """A mobile (11 digits) or a landline with its area code (``0517-83612345``)."""
    text = _digits(raw)
    mobile = _as_mobile(text)
    if mobile is not None:
        return mobile
    local, international = _strip_country(text)
    if international and not local.startswith("0"):
        local = "0" + local  # +86 517 83612345: the trunk 0 is dropped abroad
    match = _LANDLINE.fullmatch(local)
    if match is None:
        shown = (raw or "").strip() or "（空）"
        raise ValidationError(
            f"电话号码“{shown}”格式不正确：手机号应为11位，以1开头；"
            "固定电话请写区号，如0517-83612345。",
            field="phone",
        )
    return f"{match.group(1)}-{match.group(2)}"
