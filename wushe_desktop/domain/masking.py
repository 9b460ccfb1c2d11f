"""Masking of personal data in lists, exports, printouts and the audit log (PIPL).

Default patterns: ID keeps the first 6 and last 4 (320802********1234), a mobile keeps
3 + 4 (138****5678), a name keeps the surname (张*).
"""

from __future__ import annotations


def mask_id_number(value: str | None, keep_head: int = 6, keep_tail: int = 4) -> str:
    if not value:
        return ""
    if len(value) <= keep_head + keep_tail:
        return value[:1] + "*" * (len(value) - 1)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    if not value:
        return ""
    return value[:1] + "*" * max(1, len(value) - 1)


def mask_text(value: str | None) -> str:
    """Hide a free-text sensitive value entirely (e.g. a disability grade in the audit log)."""
    return "" if not value else "***"
