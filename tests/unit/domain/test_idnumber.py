"""ID numbers (GB 11643) and the other identity documents."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wushe_desktop.domain.idnumber import (
    DocType,
    IdInfo,
    check_digit,
    normalize_doc_type,
    parse_id_number,
    validate_document,
)
from wushe_desktop.infra.errors import ValidationError

TODAY = date(2026, 6, 1)


def make_id(area: str, born: str, seq: str) -> str:
    body = area + born + seq
    return body + check_digit(body)


def reject(raw: str, message: str | None = None) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse_id_number(raw, today=TODAY)
    assert info.value.field == "id_number"
    if message is not None:
        assert str(info.value) == message
    return info.value


# --- check digit -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["11010519491231002X", "440524188001010014", "440308199901101512"]
)
def test_check_digit_matches_the_standards_examples(number: str) -> None:
    assert check_digit(number[:17]) == number[17]


@pytest.mark.parametrize(
    "bad", ["", "1234", "1101051949123100X", "１１０１０５１９４９１２３１００２"]
)
def test_check_digit_refuses_anything_but_17_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


# --- valid numbers -------------------------------------------------------------------------


def test_parses_the_standards_female_example() -> None:
    info = parse_id_number("11010519491231002X", today=TODAY)
    assert info == IdInfo("11010519491231002X", date(1949, 12, 31), "女", "110105", False)


def test_odd_sequence_is_male() -> None:
    info = parse_id_number("440308199901101512", today=TODAY)
    assert (info.gender, info.birth_date, info.area_code) == ("男", date(1999, 1, 10), "440308")


def test_the_standards_1880_example_is_accepted() -> None:
    assert parse_id_number("440524188001010014", today=TODAY).birth_date == date(1880, 1, 1)


def test_lower_case_x_is_normalised() -> None:
    assert parse_id_number("11010519491231002x", today=TODAY).number == "11010519491231002X"


def test_spaces_and_full_width_characters_are_normalised() -> None:
    raw = " １１０１０５ １９４９１２３１ ００２Ｘ\u3000"
    assert parse_id_number(raw, today=TODAY).number == "11010519491231002X"
    assert parse_id_number("110105 19491231 002ｘ", today=TODAY).number == "11010519491231002X"


def test_old_15_digit_number_is_converted() -> None:
    info = parse_id_number("130503670401001", today=TODAY)
    expected = "13050319670401001" + check_digit("13050319670401001")
    assert info.number == expected
    assert info.converted_from_15
    assert info.birth_date == date(1967, 4, 1)
    assert info.gender == "男"


def test_old_15_digit_even_sequence_is_female() -> None:
    assert parse_id_number("320802560101002", today=TODAY).gender == "女"


def test_abolished_area_code_is_accepted() -> None:
    # 320802 清河区 was merged into 清江浦区 in 2016; people keep their numbers.
    number = make_id("320802", "19800515", "123")
    info = parse_id_number(number, today=TODAY)
    assert info.area_code == "320802"
    assert parse_id_number(make_id("320811", "19800515", "124"), today=TODAY).gender == "女"


def test_leap_day_in_a_leap_year_is_valid() -> None:
    assert parse_id_number(make_id("320812", "20000229", "011"), today=TODAY).birth_date == date(
        2000, 2, 29
    )


def test_born_today_is_valid() -> None:
    assert parse_id_number(make_id("320812", "20260601", "011"), today=TODAY).birth_date == TODAY


@settings(database=None, max_examples=300)
@given(
    province=st.sampled_from(["11", "32", "44", "65", "71", "81", "83"]),
    county=st.integers(0, 9999),
    born=st.dates(date(1900, 1, 1), TODAY),
    seq=st.integers(0, 999),
)
def test_round_trip_any_valid_body(province: str, county: int, born: date, seq: int) -> None:
    body = f"{province}{county:04d}{born:%Y%m%d}{seq:03d}"
    number = body + check_digit(body)
    info = parse_id_number(number.lower(), today=TODAY)
    assert info.number == number
    assert info.birth_date == born
    assert info.gender == ("男" if seq % 2 else "女")
    assert not info.converted_from_15


@settings(database=None, max_examples=200)
@given(
    born=st.dates(date(1900, 1, 1), TODAY),
    seq=st.integers(0, 999),
    wrong=st.sampled_from("0123456789X"),
)
def test_any_other_check_character_is_refused(born: date, seq: int, wrong: str) -> None:
    body = f"320812{born:%Y%m%d}{seq:03d}"
    if wrong == check_digit(body):
        return
    with pytest.raises(ValidationError, match="校验位错误"):
        parse_id_number(body + wrong, today=TODAY)


# --- invalid numbers -----------------------------------------------------------------------


def test_empty_is_refused() -> None:
    reject("", "身份证号码不能为空。")
    reject("   ", "身份证号码不能为空。")


@pytest.mark.parametrize("length", [1, 14, 16, 17, 19, 20])
def test_wrong_length_says_the_length(length: int) -> None:
    raw = ("11010519491231002X" * 2)[:length]
    reject(raw, f"身份证号码应为18位（或旧15位），当前为{length}位。")


def test_wrong_check_digit_says_the_expected_one() -> None:
    reject("110105194912310023", "身份证号码校验位错误：最后一位应为“X”，实际为“3”。")
    reject("44030819990110151X", "身份证号码校验位错误：最后一位应为“2”，实际为“X”。")


def test_a_single_wrong_digit_is_caught() -> None:
    reject("440308199901101612")  # 5 → 6 in the sequence


def test_invalid_calendar_date() -> None:
    reject(make_id("320812", "20230230", "011"), "身份证号码中的出生日期 2023-02-30 不是有效日期。")
    reject(make_id("320812", "19991301", "011"), "身份证号码中的出生日期 1999-13-01 不是有效日期。")
    reject(make_id("320812", "19990100", "011"), "身份证号码中的出生日期 1999-01-00 不是有效日期。")


def test_feb_29_outside_a_leap_year_is_refused() -> None:
    reject(make_id("320812", "19000229", "011"), "身份证号码中的出生日期 1900-02-29 不是有效日期。")
    reject(make_id("320812", "20230229", "011"), "身份证号码中的出生日期 2023-02-29 不是有效日期。")


def test_future_birth_date_is_refused() -> None:
    reject(
        make_id("320812", "20260602", "011"), "身份证号码中的出生日期 2026-06-02 晚于今天，请核对。"
    )


def test_implausibly_early_birth_date_is_refused() -> None:
    error = reject(make_id("320812", "18000101", "011"))
    assert "1800-01-01" in str(error)
    assert "早于" in str(error)


def test_old_number_with_bad_date_is_refused() -> None:
    reject("320802560230002", "身份证号码中的出生日期 1956-02-30 不是有效日期。")


def test_old_number_with_a_letter_is_refused() -> None:
    reject("32080256010100X", "旧15位身份证号码只能由数字组成，当前含有“X”。")


def test_x_anywhere_but_last_is_refused() -> None:
    reject("1101051949123100X2", "身份证号码只有最后一位可以是X。")


def test_letters_are_refused() -> None:
    reject("11010519491231A02X", "身份证号码只能由数字组成（最后一位可以是X），当前含有“A”。")


@pytest.mark.parametrize("prefix", ["01", "00", "10", "20", "39", "66", "70", "84", "91", "99"])
def test_unknown_province_is_refused(prefix: str) -> None:
    number = make_id(prefix + "0101", "19800101", "011")
    reject(number, f"身份证号码前两位“{prefix}”不是有效的省级行政区划代码。")


def test_default_today_is_the_real_date() -> None:
    tomorrow = date.fromordinal(date.today().toordinal() + 1)
    with pytest.raises(ValidationError, match="晚于今天"):
        parse_id_number(make_id("320812", f"{tomorrow:%Y%m%d}", "011"))


# --- other documents ---------------------------------------------------------------------


def test_id_card_through_validate_document() -> None:
    number, info = validate_document(DocType.ID_CARD, "11010519491231002x", today=TODAY)
    assert number == "11010519491231002X"
    assert info is not None and info.gender == "女"


def test_doc_type_accepts_plain_strings_and_aliases() -> None:
    assert normalize_doc_type("居民身份证") is DocType.ID_CARD
    assert normalize_doc_type(" 身份证 ") is DocType.ID_CARD
    assert normalize_doc_type("台湾居民居住证") is DocType.RESIDENCE_PERMIT
    assert normalize_doc_type("外国人永久居留证") is DocType.FOREIGN_PR


@pytest.mark.parametrize("doc_type", ["", "驾驶证", "id"])
def test_unknown_doc_type_is_refused(doc_type: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_document(doc_type, "11010519491231002X", today=TODAY)
    assert info.value.field == "doc_type"
    assert "证件类型" in str(info.value)


@pytest.mark.parametrize("prefix", ["81", "82", "83"])
def test_residence_permits(prefix: str) -> None:
    raw = make_id(prefix + "0000", "19900101", "003")
    number, info = validate_document("港澳台居民居住证", raw.lower(), today=TODAY)
    assert number == raw
    assert info is not None
    assert (info.birth_date, info.gender, info.area_code) == (
        date(1990, 1, 1),
        "男",
        prefix + "0000",
    )


def test_residence_permit_must_start_with_81_82_83() -> None:
    with pytest.raises(ValidationError, match="81（香港）、82（澳门）或83（台湾）"):
        validate_document(DocType.RESIDENCE_PERMIT, "11010519491231002X", today=TODAY)


def test_residence_permit_checks_its_checksum_and_date() -> None:
    good = make_id("810000", "19900101", "003")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError, match="居住证号码校验位错误"):
        validate_document(DocType.RESIDENCE_PERMIT, bad, today=TODAY)
    with pytest.raises(ValidationError, match="不是有效日期"):
        validate_document(
            DocType.RESIDENCE_PERMIT, make_id("830000", "19900231", "003"), today=TODAY
        )


def test_foreign_permanent_residence_2017_version() -> None:
    assert validate_document(DocType.FOREIGN_PR, "usa 310085021501", today=TODAY) == (
        "USA310085021501",
        None,
    )


def test_foreign_permanent_residence_2023_version() -> None:
    raw = make_id("911840", "19850315", "012")
    number, info = validate_document(DocType.FOREIGN_PR, raw, today=TODAY)
    assert number == raw
    assert info is not None and info.birth_date == date(1985, 3, 15)
    assert info.gender == "女"


def test_foreign_permanent_residence_2023_bad_checksum() -> None:
    raw = make_id("911840", "19850315", "012")
    bad = raw[:17] + ("1" if raw[17] != "1" else "2")
    with pytest.raises(ValidationError, match="外国人永久居留身份证号码校验位错误"):
        validate_document(DocType.FOREIGN_PR, bad, today=TODAY)


def test_foreign_permanent_residence_2023_without_a_date_is_still_accepted() -> None:
    body = "91184099999999012"
    number, info = validate_document(DocType.FOREIGN_PR, body + check_digit(body), today=TODAY)
    assert number == body + check_digit(body)
    assert info is None


@pytest.mark.parametrize("raw", ["US31008502150", "11010519491231002X", "USA31008502150A"])
def test_foreign_permanent_residence_bad_layout(raw: str) -> None:
    with pytest.raises(ValidationError, match="2017版为3位字母加12位数字"):
        validate_document(DocType.FOREIGN_PR, raw, today=TODAY)


def test_passport_is_upper_cased_and_compacted() -> None:
    assert validate_document("护照", " e 1234 5678 ", today=TODAY) == ("E12345678", None)


@pytest.mark.parametrize("raw", ["E12", "E1234-5678", "A" * 21, "护照123456"])
def test_passport_bad_layout(raw: str) -> None:
    with pytest.raises(ValidationError, match="5～20位字母或数字"):
        validate_document(DocType.PASSPORT, raw, today=TODAY)


def test_other_document_is_kept_as_typed() -> None:
    assert validate_document("其他", "  军官证 第123号 ", today=TODAY) == ("军官证 第123号", None)
    with pytest.raises(ValidationError, match="最长30个字符"):
        validate_document(DocType.OTHER, "x" * 31, today=TODAY)


@pytest.mark.parametrize("doc_type", list(DocType))
def test_empty_number_is_refused_for_every_type(doc_type: DocType) -> None:
    with pytest.raises(ValidationError, match="不能为空") as info:
        validate_document(doc_type, "  ", today=TODAY)
    assert info.value.field == "id_number"


def test_non_ascii_digits_are_refused_cleanly() -> None:
    # Arabic-Indic digits survive NFKC and pass str.isdigit(); they must not reach int().
    reject(
        "٣" + "1010519491231002X"[0:17],
        "身份证号码只能由数字组成（最后一位可以是X），当前含有“٣”。",
    )
    reject("٣" * 15, "旧15位身份证号码只能由数字组成，当前含有“٣”。")
