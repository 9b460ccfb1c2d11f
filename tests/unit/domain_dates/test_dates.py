from __future__ import annotations

from datetime import date, datetime

import pytest

from wushe_desktop.domain.dates import age_on, parse_date
from wushe_desktop.infra.errors import ValidationError

MARCH_5 = date(2024, 3, 5)


@pytest.mark.parametrize(
    "value",
    [
        "2024-3-5",
        "2024-03-05",
        "2024.3.5",
        "2024/03/05",
        "2024/3/5",
        "2024年3月5日",
        "2024年03月05日",
        "2024 年 3 月 5 日",
        "2024年3月5号",
        "20240305",
        "２０２４－０３－０５",
        "２０２４年３月５日",
        "\u3000 2024-03-05\u00a0",
        "2024-03-05 10:30",
        "2024-03-05T10:30:00",
        MARCH_5,
        datetime(2024, 3, 5, 23, 59),
        45356,  # Excel serial number
        45356.75,  # serial with a time of day
        20240305,  # typed into a number cell
        20240305.0,  # ... and read back by calamine as float
    ],
)
def test_accepted_forms(value: object) -> None:
    assert parse_date(value) == MARCH_5


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2024-13-01", "2024-13-01"),
        ("2023-02-29", "2023-02-29"),
        ("2024-3/5", "2024-3/5"),
        ("3/5/2024", "3/5/2024"),
        ("2024", "2024"),
        ("昨天", "昨天"),
        ("0224-03-05", "0224-03-05"),
        ("20241305", "20241305"),
        (2024, "2024"),  # a bare year is not a serial of 1905
        (5, "5"),
        (-1, "-1"),
        (True, "True"),
    ],
)
def test_refused_with_message(value: object, shown: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(value, field="birth_date")
    assert str(caught.value) == f"日期“{shown}”无法识别，请写成 2024-03-05 这样的格式。"
    assert caught.value.field == "birth_date"


def test_exact_message_from_the_brief() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date("2024-13-01")
    assert str(caught.value) == "日期“2024-13-01”无法识别，请写成 2024-03-05 这样的格式。"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_is_refused(value: object) -> None:
    with pytest.raises(ValidationError, match="日期不能为空"):
        parse_date(value)


def test_serial_boundaries() -> None:
    assert parse_date(3654) == date(1910, 1, 1)
    assert parse_date(73415) == date(2100, 12, 31)
    with pytest.raises(ValidationError):
        parse_date(3653)
    with pytest.raises(ValidationError):
        parse_date(73416)


def test_leap_day() -> None:
    assert parse_date("2024-2-29") == date(2024, 2, 29)


def test_age_on() -> None:
    birth = date(1990, 6, 15)
    assert age_on(birth, date(2024, 6, 14)) == 33
    assert age_on(birth, date(2024, 6, 15)) == 34
    assert age_on(birth, birth) == 0


def test_age_on_leap_day_birthday_counts_from_march_first() -> None:
    birth = date(2000, 2, 29)
    assert age_on(birth, date(2018, 2, 28)) == 17
    assert age_on(birth, date(2018, 3, 1)) == 18
    assert age_on(birth, date(2020, 2, 29)) == 20


def test_age_on_future_birth_is_refused() -> None:
    with pytest.raises(ValidationError, match="晚于"):
        age_on(date(2030, 1, 1), date(2024, 1, 1))
