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


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER_RUN = re.compile(r"[0-9]+|[零〇一二两三四五六七八九十百千]+")


def _cn_number(run: str) -> int:
    """十二 → 12, 二十 → 20, 一百零五 → 105 (numbers as grids and groups are named)."""
    total, digit = 0, 0
    for ch in run:
        if ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:
            digit = _CN_DIGITS[ch]
    return total + digit


def natural_key(text: str) -> tuple[tuple[int, object], ...]:
    """Sort key that puts 第二网格 before 第十网格 and 2号 before 10号.

    Plain string order puts 第一、第七、第三、第二… together by code point; people expect the
    numbers in order. Numbers (ASCII or Chinese numerals) compare as numbers, the rest as text.
    """
    key: list[tuple[int, object]] = []
    position = 0
    for match in _NUMBER_RUN.finditer(text):
        if match.start() > position:
            key.append((1, text[position : match.start()]))
        run = match.group()
        key.append((0, int(run) if run.isdigit() else _cn_number(run)))
        position = match.end()
    if position < len(text):
        key.append((1, text[position:]))
    return tuple(key)
