"""Dates as people write them in rosters, and ages.

Spreadsheets deliver a date as a real date, as an Excel serial number (a date cell that
lost its format), as 20240305 typed into a number cell, or as text in one of the common
Chinese spellings. ``parse_date`` accepts all of them and refuses everything else with a
message that shows the expected form.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from wushe_desktop.domain.text import normalize_cell
from wushe_desktop.infra.errors import ValidationError

#: Dates outside this range are typing mistakes in this domain (0224-03-05, 3024-03-05).
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)

# Excel serials accepted: 1910-01-01 .. 2100-12-31. The lower bound refuses small numbers
# that are not dates at all, such as a bare year (2024 would become 1905-07-16).
_MIN_SERIAL = 3654
_MAX_SERIAL = 73415
_EXCEL_EPOCH = date(1899, 12, 30)  # serials >= 61; Excel's fictitious 1900-02-29 is 60

_TIME_TAIL = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_SEPARATED = re.compile(r"(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})" + _TIME_TAIL)
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?" + _TIME_TAIL)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _invalid(shown: str, field: str) -> ValidationError:
    return ValidationError(f"日期“{shown}”无法识别，请写成 2024-03-05 这样的格式。", field=field)


def _checked(year: int, month: int, day: int) -> date | None:
    try:
        result = date(year, month, day)
    except ValueError:
        return None
    return result if MIN_DATE <= result <= MAX_DATE else None


def _from_number(number: float) -> date | None:
    if number.is_integer() and 19000101 <= number <= 21001231:
        whole = int(number)  # 20240305 typed into a General/number cell
        return _checked(whole // 10000, whole // 100 % 100, whole % 100)
    if _MIN_SERIAL <= number < _MAX_SERIAL + 1:
        return _EXCEL_EPOCH + timedelta(days=int(number))  # a time of day is dropped
    return None


def _from_text(text: str) -> date | None:
    for pattern in (_SEPARATED, _CHINESE):
        match = pattern.fullmatch(text)
        if match:
            year, month, day = match.group(1), match.groups()[-2], match.groups()[-1]
            return _checked(int(year), int(month), int(day))
    match = _COMPACT.fullmatch(text)
    if match:
        return _checked(*(int(part) for part in match.groups()))
    return None


def parse_date(value: object, *, field: str = "date") -> date:
    """Read a date from a cell or form value.

    Accepts ``date``/``datetime``, an Excel serial number, 20240305 as a number or text, and
    text such as 2024-3-5, 2024.3.5, 2024/03/05, 2024年3月5日 (full-width digits too).
    Raises ``ValidationError`` (with ``field``) for anything else, including impossible
    dates such as 2024-02-30.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise _invalid(str(value), field)
    if isinstance(value, int | float):
        result = _from_number(float(value))
        if result is None:
            shown = str(int(value)) if float(value).is_integer() else str(value)
            raise _invalid(shown, field)
        return result
    if isinstance(value, str):
        text = normalize_cell(value)
        if not text:
            raise ValidationError("日期不能为空，请写成 2024-03-05 这样的格式。", field=field)
        result = _from_text(text)
        if result is None:
            raise _invalid(text, field)
        return result
    if value is None:
        raise ValidationError("日期不能为空，请写成 2024-03-05 这样的格式。", field=field)
    raise _invalid(str(value), field)


def age_on(birth: date, today: date) -> int:
    """Age in completed years on ``today`` (a 29 February birthday counts from 1 March)."""
    if birth > today:
        raise ValidationError(
            f"出生日期 {birth.isoformat()} 晚于 {today.isoformat()}，请检查。", field="birth_date"
        )
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def is_minor(birth: date | None, today: date) -> bool:
    """Under 18 on ``today`` (PIPL art. 31 and the minors' protection rules); unknown: no."""
    return birth is not None and birth <= today and age_on(birth, today) < 18
