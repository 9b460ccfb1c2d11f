"""clean_resident: the one rule set for a valid resident (forms, imports, demo data)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from wushe_desktop.domain.idnumber import check_digit
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.residents.validation import ResidentInput, clean_resident

TODAY = date(2026, 11, 25)
COMMUNITY = uuid.uuid4()


def make_id(birth: date, seq: int = 123, area: str = "320812") -> str:
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + check_digit(body)


def data(**kw: object) -> ResidentInput:
    values: dict[str, object] = {"name": "张三", "community_id": COMMUNITY}
    values.update(kw)
    return ResidentInput(**values)  # type: ignore[arg-type]


def test_gender_and_birth_date_come_from_the_id_number() -> None:
    number = make_id(date(1950, 3, 5), seq=124)  # even: a woman
    clean = clean_resident(data(id_number=f" {number[:6]} {number[6:]} "), today=TODAY)
    assert clean.id_number == number
    assert clean.gender == "女"
    assert clean.birth_date == date(1950, 3, 5)
    assert clean.doc_type == "居民身份证"


def test_lower_case_x_and_old_15_digit_numbers_are_normalised() -> None:
    with_x = "11010519491231002X"
    assert clean_resident(data(id_number=with_x.lower()), today=TODAY).id_number == with_x
    old = clean_resident(data(id_number="320812500305123"), today=TODAY)
    assert old.id_number is not None and old.id_number.startswith("32081219500305123")
    assert old.gender == "男" and old.birth_date == date(1950, 3, 5)


def test_a_typed_gender_that_contradicts_the_id_names_both() -> None:
    number = make_id(date(1950, 3, 5), seq=123)  # odd: a man
    with pytest.raises(ValidationError) as err:
        clean_resident(data(id_number=number, gender="女"), today=TODAY)
    assert err.value.field == "gender"
    assert "“女”" in err.value.message and "“男”" in err.value.message


def test_a_typed_birth_date_that_contradicts_the_id_names_both() -> None:
    number = make_id(date(1950, 3, 5))
    with pytest.raises(ValidationError) as err:
        clean_resident(data(id_number=number, birth_date=date(1950, 3, 6)), today=TODAY)
    assert err.value.field == "birth_date"
    assert "1950-03-06" in err.value.message and "1950-03-05" in err.value.message


def test_matching_typed_values_are_accepted() -> None:
    number = make_id(date(1950, 3, 5), seq=123)
    clean = clean_resident(
        data(id_number=number, gender="男性", birth_date=date(1950, 3, 5)), today=TODAY
    )
    assert clean.gender == "男"


def test_a_resident_may_be_registered_before_the_id_card_is_seen() -> None:
    clean = clean_resident(data(gender="女", birth_date=date(1940, 1, 2)), today=TODAY)
    assert clean.id_number is None
    assert clean.gender == "女" and clean.birth_date == date(1940, 1, 2)


def test_wrong_check_digit_is_refused_on_the_id_field() -> None:
    number = make_id(date(1950, 3, 5))
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        clean_resident(data(id_number=wrong), today=TODAY)
    assert err.value.field == "id_number"


def test_other_documents_carry_no_derived_facts() -> None:
    clean = clean_resident(data(doc_type="护照", id_number="e1234567", gender="男"), today=TODAY)
    assert clean.doc_type == "护照" and clean.id_number == "E1234567"
    assert clean.gender == "男" and clean.birth_date is None


def test_doc_type_aliases_and_unknown_types() -> None:
    number = make_id(date(1980, 1, 1))
    assert clean_resident(data(doc_type="身份证", id_number=number)).doc_type == "居民身份证"
    with pytest.raises(ValidationError) as err:
        clean_resident(data(doc_type="驾驶证", id_number="123"), today=TODAY)
    assert err.value.field == "doc_type"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("张三", "张三"), ("  张\u3000三 ", "张 三"), ("John   Smith", "John Smith")],
)
def test_name_spaces_are_normalised(raw: str, expected: str) -> None:
    assert clean_resident(data(name=raw), today=TODAY).name == expected


@pytest.mark.parametrize("raw", ["", "   ", "张" * 51])
def test_bad_names_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        clean_resident(data(name=raw), today=TODAY)
    assert err.value.field == "name"


def test_phone_is_normalised_and_checked() -> None:
    assert clean_resident(data(phone="+86 138-1234-5678"), today=TODAY).phone == "13812345678"
    assert clean_resident(data(phone="(0517) 8361 2345"), today=TODAY).phone == "0517-83612345"
    assert clean_resident(data(phone=""), today=TODAY).phone is None
    with pytest.raises(ValidationError) as err:
        clean_resident(data(phone="12345"), today=TODAY)
    assert err.value.field == "phone"


def test_birth_date_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        clean_resident(data(birth_date=date(2030, 1, 1)), today=TODAY)
    assert err.value.field == "birth_date"


def test_unknown_gender_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        clean_resident(data(gender="M"), today=TODAY)
    assert err.value.field == "gender"


def test_tags_are_checked_against_the_birth_date_from_the_id() -> None:
    adult = make_id(date(1990, 1, 1))
    with pytest.raises(ValidationError) as err:
        clean_resident(data(id_number=adult, tags={"child_left_behind": ""}), today=TODAY)
    assert err.value.field == "tags"
    elder = make_id(date(1940, 1, 1))
    clean = clean_resident(data(id_number=elder, tags={"elderly_alone": ""}), today=TODAY)
    assert clean.tags == {"elderly": "", "elderly_alone": ""}


def test_pinyin_keys_include_the_surname_reading() -> None:
    clean = clean_resident(data(name="单田芳"), today=TODAY)
    assert clean.py.initials == "stf" and clean.py.full == "shantianfang"
    assert clean.py.initials_alt == "dtf"
    assert clean_resident(data(name="张三"), today=TODAY).py.initials == "zs"


def test_address_and_notes_are_trimmed_and_limited() -> None:
    clean = clean_resident(data(address="  淮海路1号 ", notes=" 行动不便 "), today=TODAY)
    assert clean.address == "淮海路1号" and clean.notes == "行动不便"
    with pytest.raises(ValidationError) as err:
        clean_resident(data(address="路" * 201), today=TODAY)
    assert err.value.field == "address"


# ------------------------------------------------------------------------------ KEEP


def test_keep_takes_the_stored_number_and_phone_with_their_derived_facts() -> None:
    from wushe_desktop.residents.validation import KEEP, resolve_kept

    number = make_id(date(1950, 3, 5), seq=124)
    kept = data(id_number=KEEP, phone=KEEP, notes="新备注")
    resolved = resolve_kept(kept, doc_type="居民身份证", id_number=number, phone="13812345678")
    clean = clean_resident(resolved, today=TODAY)
    assert clean.id_number == number and clean.phone == "13812345678"
    assert clean.gender == "女" and clean.birth_date == date(1950, 3, 5)
    assert clean.notes == "新备注"


def test_keep_checks_typed_facts_against_the_stored_number() -> None:
    from wushe_desktop.residents.validation import KEEP, resolve_kept

    number = make_id(date(1950, 3, 5), seq=124)  # a woman
    kept = data(id_number=KEEP, gender="男")
    resolved = resolve_kept(kept, doc_type="居民身份证", id_number=number, phone=None)
    with pytest.raises(ValidationError, match="性别") as err:
        clean_resident(resolved, today=TODAY)
    assert err.value.field == "gender"


def test_keep_without_a_stored_value_means_none_and_a_new_value_replaces() -> None:
    from wushe_desktop.residents.validation import KEEP, resolve_kept

    number = make_id(date(1950, 3, 5))
    kept = data(id_number=KEEP, phone="139 0000 1111")
    resolved = resolve_kept(kept, doc_type="居民身份证", id_number=None, phone="13812345678")
    clean = clean_resident(resolved, today=TODAY)
    assert clean.id_number is None and clean.phone == "13900001111"
    replaced = resolve_kept(
        data(id_number=number), doc_type="居民身份证", id_number="x", phone=None
    )
    assert clean_resident(replaced, today=TODAY).id_number == number


def test_a_new_document_type_needs_a_new_number() -> None:
    from wushe_desktop.residents.validation import KEEP, resolve_kept

    kept = data(doc_type="护照", id_number=KEEP)
    with pytest.raises(ValidationError, match="更换证件类型") as err:
        resolve_kept(kept, doc_type="居民身份证", id_number=make_id(date(1950, 3, 5)), phone=None)
    assert err.value.field == "id_number"
    same = resolve_kept(
        data(doc_type="身份证", id_number=KEEP), doc_type="居民身份证", id_number="1", phone=None
    )
    assert same.id_number == "1"


def test_unresolved_keep_is_a_programming_error_not_an_erased_number() -> None:
    from wushe_desktop.residents.validation import KEEP

    with pytest.raises(TypeError):
        clean_resident(data(id_number=KEEP), today=TODAY)
    with pytest.raises(TypeError):
        clean_resident(data(phone=KEEP), today=TODAY)
