"""Key-group tags: codes, labels, rules between tags, text form for lists and Excel."""

from __future__ import annotations

from datetime import date

import pytest

from wushe_desktop.domain.tags import (
    TAGS,
    TagGroup,
    normalize_disability_detail,
    parse_tags_text,
    tag_code,
    tag_label,
    tags_text,
    validate_tags,
)
from wushe_desktop.infra.errors import ValidationError

TODAY = date(2026, 6, 1)


def refuse(tags: dict[str, str], match: str, **kw: date) -> None:
    with pytest.raises(ValidationError, match=match) as info:
        validate_tags(tags, today=TODAY, **kw)
    assert info.value.field == "tags"


def test_catalogue() -> None:
    assert list(TAGS)[:2] == ["elderly", "elderly_alone"]
    assert {t.code for t in TAGS.values() if t.parent == "elderly"} == {
        "elderly_alone",
        "elderly_empty_nest",
        "elderly_disabled",
        "elderly_advanced",
    }
    assert {t.label for t in TAGS.values() if t.parent == "child"} == {
        "留守儿童",
        "困境儿童",
        "孤儿",
        "事实无人抚养儿童",
    }
    assert [c for c, t in TAGS.items() if t.group is TagGroup.LOW_INCOME] == [
        "dibao",
        "tekun",
        "dibao_edge",
        "rigid_expense",
    ]
    assert [c for c, t in TAGS.items() if t.needs_detail] == ["disabled"]
    assert all(code.isascii() for code in TAGS)
    assert len({t.label for t in TAGS.values()}) == len(TAGS)


def test_labels_and_codes_round_trip() -> None:
    for code, tag in TAGS.items():
        assert tag_label(code) == tag.label
        assert tag_code(tag.label) == code


def test_custom_tags() -> None:
    assert tag_label("custom:志愿骨干") == "志愿骨干"
    assert tag_code("志愿骨干") == "custom:志愿骨干"
    assert tag_code(" 志愿骨干 ") == "custom:志愿骨干"
    assert tag_code("custom:志愿骨干") == "custom:志愿骨干"
    assert tag_label("no_such_code") == "no_such_code"


def test_aliases_for_import() -> None:
    assert tag_code("低保") == "dibao"
    assert tag_code("低保户") == "dibao"
    assert tag_code("特困供养人员") == "tekun"
    assert tag_code("低保边缘") == "dibao_edge"
    assert tag_code("独居") == "elderly_alone"
    assert tag_code("elderly_alone") == "elderly_alone"


@pytest.mark.parametrize(
    ("label", "match"),
    [
        ("", "不能为空"),
        ("   ", "不能为空"),
        ("志" * 21, "最多20个字"),
        ("甲、乙", "不能包含"),
        ("甲（乙）", "不能包含"),
        ("a/b", "不能包含"),
    ],
)
def test_bad_custom_labels(label: str, match: str) -> None:
    with pytest.raises(ValidationError, match=match) as info:
        tag_code(label)
    assert info.value.field == "tags"


def test_sub_tag_brings_its_parent_and_order_is_the_display_order() -> None:
    result = validate_tags({"youfu": "", "child_orphan": "", "custom:志愿骨干": ""})
    assert list(result) == ["child", "child_orphan", "youfu", "custom:志愿骨干"]
    assert validate_tags({"elderly_alone": ""}) == {"elderly": "", "elderly_alone": ""}


def test_custom_code_with_a_builtin_label_is_the_builtin_tag() -> None:
    assert validate_tags({"custom:独居老人": ""}) == {"elderly": "", "elderly_alone": ""}


def test_unknown_code_is_refused() -> None:
    refuse({"orphan": ""}, "未知的重点人群标签“orphan”")


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ("肢体/二级", "肢体/二级"),
        ("肢体残疾/二级", "肢体/二级"),
        ("肢体 2级", "肢体/二级"),
        ("肢体二级", "肢体/二级"),
        ("二级肢体", "肢体/二级"),
        ("视力/1", "视力/一级"),
        ("多重残疾四级", "多重/四级"),
        ("精神／三级", "精神/三级"),
    ],
)
def test_disability_detail_is_normalised(detail: str, expected: str) -> None:
    assert normalize_disability_detail(detail) == expected
    assert validate_tags({"disabled": detail}) == {"disabled": expected}


@pytest.mark.parametrize("detail", ["", "肢体", "二级", "肢体/五级", "腿脚/二级", "肢体/一二级"])
def test_disability_needs_category_and_grade(detail: str) -> None:
    refuse({"disabled": detail}, "残疾类别和等级")


def test_rigid_expense_excludes_the_other_low_income_categories() -> None:
    for other in ("dibao", "tekun", "dibao_edge"):
        refuse(
            {"rigid_expense": "", other: ""},
            "^刚性支出困难家庭不能与最低生活保障对象、特困人员或低保边缘家庭同时标记。$",
        )
    assert validate_tags({"rigid_expense": ""}) == {"rigid_expense": ""}


def test_dibao_edge_excludes_dibao_and_tekun_but_dibao_and_tekun_may_coexist() -> None:
    refuse({"dibao_edge": "", "dibao": ""}, "边缘家庭不能与")
    refuse({"dibao_edge": "", "tekun": ""}, "边缘家庭不能与")
    assert validate_tags({"dibao": "", "tekun": ""}) == {"dibao": "", "tekun": ""}


def test_age_rules() -> None:
    child_born = date(2010, 6, 2)  # 15
    adult_born = date(2008, 6, 1)  # exactly 18 today
    assert validate_tags({"child_left_behind": ""}, birth_date=child_born, today=TODAY)
    assert validate_tags({"child": ""}, birth_date=date(2008, 6, 2), today=TODAY)  # 17
    refuse({"child_left_behind": ""}, "未满18周岁.*已满18周岁", birth_date=adult_born)
    refuse({"elderly_alone": ""}, "年满60周岁.*现年59周岁", birth_date=date(1966, 6, 2))
    assert validate_tags({"elderly_alone": ""}, birth_date=date(1966, 6, 1), today=TODAY)
    refuse(
        {"elderly_advanced": ""}, "高龄老人.*年满80周岁.*现年79周岁", birth_date=date(1946, 7, 1)
    )
    assert validate_tags({"elderly_advanced": ""}, birth_date=date(1946, 6, 1), today=TODAY)


def test_age_rules_do_not_apply_without_birth_date_or_to_other_groups() -> None:
    assert validate_tags({"elderly_advanced": "", "child": ""}) == {
        "elderly": "",
        "elderly_advanced": "",
        "child": "",
    }
    assert validate_tags({"disabled": "肢体/二级", "dibao": ""}, birth_date=date(2000, 1, 1))


def test_detail_length_is_limited() -> None:
    refuse({"youfu": "x" * 101}, "最长100个字")
    assert validate_tags({"youfu": " 烈属 "}) == {"youfu": "烈属"}


def test_tags_text_hides_implied_parents() -> None:
    tags = validate_tags({"elderly_alone": "", "disabled": "肢体/二级"})
    assert tags_text(tags) == "独居老人、残疾人（肢体/二级）"
    assert tags_text({"elderly": ""}) == "老年人"
    assert tags_text({}) == ""
    assert (
        tags_text(validate_tags({"custom:志愿骨干": "", "dibao": ""}))
        == "最低生活保障对象、志愿骨干"
    )


@pytest.mark.parametrize(
    "tags",
    [
        {"elderly_alone": "", "disabled": "肢体/二级"},
        {"elderly": "", "elderly_alone": "", "elderly_disabled": "", "youfu": "烈属"},
        {"child_orphan": "", "child_in_difficulty": "", "custom:志愿骨干": ""},
        {"elderly": "子女在外地"},
        {"rigid_expense": "", "custom:党员": ""},
        {},
    ],
)
def test_parse_tags_text_inverts_tags_text(tags: dict[str, str]) -> None:
    normal = validate_tags(tags)
    assert parse_tags_text(tags_text(normal)) == normal


def test_parse_tags_text_accepts_common_separators_and_brackets() -> None:
    result = parse_tags_text(" 独居老人，残疾人(肢体二级); 低保 ,志愿骨干；空巢老人 ")
    assert result == {
        "elderly": "",
        "elderly_alone": "",
        "elderly_empty_nest": "",
        "disabled": "肢体/二级",
        "dibao": "",
        "custom:志愿骨干": "",
    }


def test_parse_tags_text_keeps_separators_inside_brackets() -> None:
    assert parse_tags_text("优抚对象（烈属、军属）") == {"youfu": "烈属、军属"}


def test_parse_tags_text_applies_the_rules() -> None:
    with pytest.raises(ValidationError, match="刚性支出困难家庭不能"):
        parse_tags_text("低保、刚性支出困难家庭")
    with pytest.raises(ValidationError, match="残疾类别和等级"):
        parse_tags_text("残疾人")
    with pytest.raises(ValidationError, match="括号不配对"):
        parse_tags_text("残疾人（肢体/二级")
