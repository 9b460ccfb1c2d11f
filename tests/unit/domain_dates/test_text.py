from __future__ import annotations

from datetime import date, datetime

import pytest

from wushe_desktop.domain.text import cell_text, needs_formula_escape, normalize_cell, parse_yes_no
from wushe_desktop.infra.errors import ValidationError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  张三 ", "张三"),
        ("\u3000张三\u3000", "张三"),
        ("\u00a0张三\u00a0", "张三"),
        ("\u200b\ufeff 张三", "张三"),
        ("３２０８０２１９９００１０１１２３Ｘ", "32080219900101123X"),
        ("ＡＢｃ", "ABc"),
        ("淮安市清江浦区", "淮安市清江浦区"),
        ("张\u3000三", "张 三"),  # inner ideographic space becomes a plain space, kept
        (" plain ascii ", "plain ascii"),
        ("", ""),
        ("\u3000", ""),
    ],
)
def test_normalize_cell(raw: str, expected: str) -> None:
    assert normalize_cell(raw) == expected


@pytest.mark.parametrize(
    "value", ["=1+1", "+8613800001111", "-5", "@SUM(A1)", "  =cmd", "\u3000+1", "\t1", "\r1"]
)
def test_formula_like(value: str) -> None:
    assert needs_formula_escape(value)


@pytest.mark.parametrize("value", ["", "张三", "1-2", "a=b", "13800001111", "  ", "#N/A"])
def test_not_formula_like(value: str) -> None:
    assert not needs_formula_escape(value)


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(13800001111.0) == "13800001111"
    assert cell_text(12) == "12"
    assert cell_text(1.5) == "1.5"
    assert cell_text(" ０１２ ") == "012"
    assert cell_text(date(2024, 3, 5)) == "2024-03-05"
    assert cell_text(datetime(2024, 3, 5, 9, 30)) == "2024-03-05 09:30"
    assert cell_text(True) == "是"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("no", False),
        (1.0, True),
        (0, False),
        (True, True),
        ("√", True),
        ("", None),
        (None, None),
        ("　", None),
    ],
)
def test_parse_yes_no(value: object, expected: bool | None) -> None:
    assert parse_yes_no(value) is expected


def test_parse_yes_no_refuses_other_text() -> None:
    with pytest.raises(ValidationError, match="“也许”不是有效的是/否值") as caught:
        parse_yes_no("也许", field="lives_alone")
    assert caught.value.field == "lives_alone"
