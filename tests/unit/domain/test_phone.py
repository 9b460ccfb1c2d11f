"""Mobile and landline normalisation."""

from __future__ import annotations

import pytest

from wushe_desktop.domain.phone import normalize_mobile, normalize_phone
from wushe_desktop.infra.errors import ValidationError


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        " 138 1234 5678 ",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "8613812345678",
        "0086 13812345678",
        "013812345678",
        "１３８１２３４５６７８",
        "＋８６　１３８－１２３４－５６７８",
        "(+86) 138 1234 5678",
        "138—1234—5678",
    ],
)
def test_mobile_forms_normalise_to_11_digits(raw: str) -> None:
    assert normalize_mobile(raw) == "13812345678"
    assert normalize_phone(raw) == "13812345678"


@pytest.mark.parametrize("second", "3456789")
def test_every_valid_second_digit(second: str) -> None:
    assert normalize_mobile(f"1{second}012345678") == f"1{second}012345678"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "1381234567",
        "138123456789",
        "12812345678",
        "23812345678",
        "138abcd5678",
        "0517-83612345",
        "+1 13812345678",
        "86 12812345678",
    ],
)
def test_bad_mobiles_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        normalize_mobile(raw)
    assert info.value.field == "phone"
    assert "手机号码" in str(info.value)
    assert "11位" in str(info.value)


def test_mobile_error_names_the_input() -> None:
    with pytest.raises(ValidationError, match="“1381234”"):
        normalize_mobile(" 1381234 ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0517-83612345", "0517-83612345"),
        ("051783612345", "0517-83612345"),
        ("0517 8361 2345", "0517-83612345"),
        ("(0517)83612345", "0517-83612345"),
        ("（0517）83612345", "0517-83612345"),
        ("０５１７－８３６１２３４５", "0517-83612345"),
        ("0517-8361234", "0517-8361234"),
        ("+86 517 83612345", "0517-83612345"),
        ("0086-517-83612345", "0517-83612345"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("021 88889999", "021-88889999"),
        ("025-8888999", "025-8888999"),
        ("0371-66668888", "0371-66668888"),
    ],
)
def test_landlines_get_area_code_and_dash(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "83612345",  # no area code
        "0517-836123",  # 6-digit local number
        "0517-836123456",  # 9-digit local number
        "0517-03612345",  # local numbers never start with 0
        "0217-83612345X",
        "1234567890123",
        "0217",
    ],
)
def test_bad_phones_are_refused_with_the_hint(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        normalize_phone(raw)
    assert info.value.field == "phone"
    assert "固定电话请写区号，如0517-83612345" in str(info.value)


def test_phone_error_message_is_exact() -> None:
    with pytest.raises(ValidationError) as info:
        normalize_phone("8361 2345")
    assert str(info.value) == (
        "电话号码“8361 2345”格式不正确：手机号应为11位，以1开头；"
        "固定电话请写区号，如0517-83612345。"
    )


def test_non_ascii_digits_are_refused() -> None:
    with pytest.raises(ValidationError):
        normalize_phone("١٣٨١٢٣٤٥٦٧٨")
