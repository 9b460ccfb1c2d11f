"""Cleaning of text typed by people into spreadsheets and forms.

Rosters come from many hands: full-width digits (１２３), ideographic spaces around a
name, non-breaking spaces pasted from web pages. Normalising once at the boundary keeps
matching (ID numbers, phone numbers, names) exact everywhere else.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from wushe_desktop.infra.errors import ValidationError

# Stripped from both ends: Unicode whitespace (\s covers U+3000 and NBSP) plus the
# zero-width characters and BOM that copy-paste and Notepad leave behind.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_EDGES = re.compile(f"^[\\s{_INVISIBLE}]+|[\\s{_INVISIBLE}]+$")
_LEADING = re.compile(f"^[\\s{_INVISIBLE}]+")

#: First characters that make Excel (or LibreOffice, WPS) treat typed text as a formula.
FORMULA_TRIGGERS = frozenset("=+-@")
_CONTROL_TRIGGERS = frozenset("\t\r")

_YES = frozenset({"是", "有", "y", "yes", "true", "1", "√", "✓", "对"})
_NO = frozenset({"否", "无", "没有", "n", "no", "false", "0", "×", "✗", "x", "不是"})


def normalize_cell(value: str) -> str:
    """Strip surrounding (also full-width and invisible) spaces and apply NFKC.

    NFKC turns full-width digits and letters into ASCII (１２３ → 123, ＡＢ → AB) and the
    ideographic space into a plain space; Chinese characters stay as they are.
    """
    text = value.strip()  # Unicode whitespace, including U+3000 and NBSP
    if value.isascii():
        return text
    if text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
        text = _EDGES.sub("", text)
    # NFKC can turn an edge character into a space (e.g. ¨ → " ̈"), hence strip again.
    return unicodedata.normalize("NFKC", text).strip()


def needs_formula_escape(value: str) -> bool:
    """True when a spreadsheet would read ``value`` as a formula (CSV/formula injection).

    That is: it starts with = + - @ (also after leading spaces), or with a tab or CR.
    """
    if not value:
        return False
    if value[0] in FORMULA_TRIGGERS or value[0] in _CONTROL_TRIGGERS:
        return True
    stripped = _LEADING.sub("", value)
    return bool(stripped) and stripped[0] in FORMULA_TRIGGERS


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: ``None`` → "", 13800001111.0 → "13800001111", dates ISO.

    For columns that are text by nature (phone, house number) but that Excel may have
    turned into numbers. Callers refuse ID numbers that arrive as numbers instead, because
    Excel has already lost their last digits.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return normalize_cell(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return normalize_cell(str(value))


def parse_yes_no(value: object, *, field: str = "yes_no") -> bool | None:
    """Read 是/否 (also Y/N, true/false, 1/0, √/×) from a cell; empty → ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = cell_text(value)
    if not text:
        return None
    key = text.casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValidationError(f"“{text}”不是有效的是/否值，请填写“是”或“否”。", field=field)
