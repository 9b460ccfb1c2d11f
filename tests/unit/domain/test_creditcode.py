"""Unified social credit code (GB 32100)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wushe_desktop.domain.creditcode import (
    CHARSET,
    credit_check_char,
    credit_code_kind,
    normalize_credit_code,
    org_code_valid,
)
from wushe_desktop.infra.errors import ValidationError

VECTORS = ["91350100M000100Y43", "53640000MJX173680A", "91110000802100433B"]


@pytest.mark.parametrize("code", VECTORS)
def test_published_vectors_pass_both_checks(code: str) -> None:
    assert normalize_credit_code(code) == code
    assert credit_check_char(code[:17]) == code[17]
    assert org_code_valid(code)


def test_normalises_case_spaces_and_full_width() -> None:
    assert normalize_credit_code(" 53640000mjx173680a ") == "53640000MJX173680A"
    assert normalize_credit_code("５３６４００００ ＭＪＸ１７３６８０Ａ") == "53640000MJX173680A"


def reject(raw: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        normalize_credit_code(raw)
    assert info.value.field == "credit_code"
    assert str(info.value) == message


def test_errors_say_what_is_wrong() -> None:
    reject("", "统一社会信用代码不能为空。")
    reject("5364000MJX173680A", "统一社会信用代码应为18位，当前为17位。")
    reject(
        "53640000MJX17368OA",
        "统一社会信用代码含有无效字符“O”（只用数字和除I、O、Z、S、V以外的大写字母）。",
    )
    reject(
        "536400A0MJX173680A",
        "统一社会信用代码第3～8位应为行政区划代码（6位数字），当前为“6400A0”。",
    )
    reject("53640000MJX173680B", "统一社会信用代码校验位错误：最后一位应为“A”，实际为“B”。")


def test_kind_from_the_first_two_characters() -> None:
    assert credit_code_kind("51320800MJ0000000X") == "社会团体"
    assert credit_code_kind("52320800MJ0000000X") == "民办非企业单位"
    assert credit_code_kind("53640000MJX173680A") == "基金会"
    assert credit_code_kind("Y1000000000000000X") is None


def test_org_code_check_is_advisory() -> None:
    body = "52320812" + "123456780"
    code = body[:17] + credit_check_char(body[:17])
    assert normalize_credit_code(code) == code
    assert org_code_valid(code) is False


def test_check_char_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        credit_check_char("I" * 17)


@settings(database=None, max_examples=200)
@given(
    head=st.text(alphabet=CHARSET, min_size=2, max_size=2),
    area=st.integers(0, 999999),
    body=st.text(alphabet=CHARSET, min_size=9, max_size=9),
)
def test_any_body_with_its_check_char_round_trips(head: str, area: int, body: str) -> None:
    first17 = f"{head}{area:06d}{body}"
    code = first17 + credit_check_char(first17)
    assert normalize_credit_code(code.lower()) == code
    wrong = CHARSET[(CHARSET.index(code[17]) + 1) % len(CHARSET)]
    with pytest.raises(ValidationError, match="校验位错误"):
        normalize_credit_code(first17 + wrong)
