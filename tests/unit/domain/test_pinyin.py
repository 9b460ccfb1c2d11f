"""Pinyin search keys with surname readings, and search-box classification."""

from __future__ import annotations

import sys

import pytest

import wushe_desktop.domain.pinyin as pinyin_mod
from wushe_desktop.domain.pinyin import (
    COMPOUND_SURNAMES,
    SURNAME_READINGS,
    PinyinKeys,
    digits_query,
    pinyin_keys,
    pinyin_keys_many,
    query_kind,
)


def test_plain_name() -> None:
    assert pinyin_keys("张三") == PinyinKeys("zs", "zhangsan", None, None)


def test_surname_reading_with_pypinyins_reading_as_alternative() -> None:
    assert pinyin_keys("单田芳") == PinyinKeys("stf", "shantianfang", "dtf", "dantianfang")


@pytest.mark.parametrize(
    ("name", "initials", "full"),
    [
        ("曾国藩", "zgf", "zengguofan"),
        ("解放", "xf", "xiefang"),
        ("仇英", "qy", "qiuying"),
        ("查良镛", "zly", "zhaliangyong"),
        ("朴槿惠", "pjh", "piaojinhui"),
        ("区志强", "ozq", "ouzhiqiang"),
        ("盖叫天", "gjt", "gejiaotian"),
        ("秘书华", "bsh", "bishuhua"),
        ("乐嘉", "yj", "yuejia"),
        ("翟志刚", "zzg", "zhaizhigang"),
        ("缪华", "mh", "miaohua"),
        ("覃志", "qz", "qinzhi"),
        ("单于娟", "syj", "shanyujuan"),  # 单 + 于娟, not the Xiongnu title 单于
        ("吕布", "lb", "lvbu"),
    ],
)
def test_polyphonic_surnames(name: str, initials: str, full: str) -> None:
    keys = pinyin_keys(name)
    assert (keys.initials, keys.full) == (initials, full)


@pytest.mark.parametrize(
    ("name", "initials", "full"),
    [
        ("欧阳修", "oyx", "ouyangxiu"),
        ("万俟卨", "mqx", "moqixie"),
        ("尉迟恭", "ycg", "yuchigong"),
        ("长孙无忌", "zswj", "zhangsunwuji"),
        ("澹台灭明", "ttmm", "tantaimieming"),
        ("诸葛亮", "zgl", "zhugeliang"),
        ("司马光", "smg", "simaguang"),
    ],
)
def test_compound_surnames(name: str, initials: str, full: str) -> None:
    keys = pinyin_keys(name)
    assert (keys.initials, keys.full) == (initials, full)


def test_single_surname_that_starts_a_compound_is_read_as_single() -> None:
    assert pinyin_keys("长春").initials == "cc"  # 长 as a surname is chang
    assert pinyin_keys("尉缭").full == "weiliao"


def test_alternatives_only_when_they_differ() -> None:
    keys = pinyin_keys("朴槿惠")  # piao/pu: same initial, different full pinyin
    assert keys.initials_alt is None
    assert keys.full_alt == "pujinhui"
    keys = pinyin_keys("曾国藩")
    assert (keys.initials_alt, keys.full_alt) == ("cgf", "cengguofan")
    assert pinyin_keys("欧阳修").initials_alt is None


def test_surname_tables_really_differ_from_pypinyins_default() -> None:
    from pypinyin import lazy_pinyin

    differing = [s for s, py in SURNAME_READINGS.items() if lazy_pinyin(s) != [py]]
    assert len(differing) >= 25
    assert len(SURNAME_READINGS) + len(COMPOUND_SURNAMES) >= 60
    assert all(len(k) == 2 and len(v) == 2 for k, v in COMPOUND_SURNAMES.items())


def test_middle_dot_names() -> None:
    assert pinyin_keys("买买提·艾力") == PinyinKeys("mmtal", "maimaitiaili", None, None)
    assert pinyin_keys("阿依古丽•吐尔逊").initials == "aygltex"


def test_latin_letters_and_full_width() -> None:
    assert pinyin_keys("Mary张") == PinyinKeys("mz", "maryzhang", None, None)
    assert pinyin_keys("李ａ").full == "lia"
    assert pinyin_keys("Müller").full == "muller"


def test_spaces_and_empty() -> None:
    assert pinyin_keys(" 张 三 ") == pinyin_keys("张三")
    assert pinyin_keys("") == PinyinKeys("", "", None, None)
    assert pinyin_keys("   ") == PinyinKeys("", "", None, None)
    assert pinyin_keys("·") == PinyinKeys("", "", None, None)


def test_keys_fit_the_columns() -> None:
    keys = pinyin_keys("张" * 100)
    assert len(keys.initials) == 60
    assert len(keys.full) == 200


def test_keys_are_lower_case_ascii() -> None:
    for name in ["单田芳", "欧阳娜娜", "ABC王", "绿", "女娲"]:
        keys = pinyin_keys(name)
        for key in (keys.initials, keys.full, keys.initials_alt, keys.full_alt):
            assert key is None or (key.isascii() and key == key.lower() and key.isalnum())


def test_many_equals_one_by_one() -> None:
    names = ["张三", "单田芳", "张三", "欧阳修", ""]
    assert pinyin_keys_many(names) == [pinyin_keys(n) for n in names]
    assert pinyin_keys_many(iter(names))[1].initials == "stf"


def test_direct_readings_equal_lazy_pinyin_for_every_character() -> None:
    """The shortcut (each character's default reading) agrees with lazy_pinyin for every
    character pypinyin knows; timing lives in bench/, not here."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PINYIN_DICT

    differ = [
        chr(code)
        for code in PINYIN_DICT
        if pinyin_mod._readings(chr(code)) != lazy_pinyin(chr(code), style=Style.NORMAL)
    ]
    assert differ == []


@pytest.mark.parametrize(
    "name",
    ["王长江", "李重庆", "张三", "曾乐乐", "欧阳修", "阿依古丽·买买提", "王A", "绿绿", "长孙无忌"],
)
def test_names_with_phrases_or_other_text_read_as_lazy_pinyin(name: str) -> None:
    from pypinyin import Style, lazy_pinyin

    assert pinyin_mod._readings(name) == lazy_pinyin(name, style=Style.NORMAL)


def test_a_phrase_inside_a_name_takes_its_phrase_reading() -> None:
    assert pinyin_keys("王长江").full == "wangchangjiang"
    assert pinyin_keys("李重庆").full == "lichongqing"  # 重 alone reads zhong


def test_pypinyin_is_imported_lazily() -> None:
    import subprocess

    code = (
        "import sys, wushe_desktop.domain.pinyin as p\n"
        "assert 'pypinyin' not in sys.modules\n"
        "p.query_kind('zs')\n"
        "assert 'pypinyin' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- search box ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("138", "digits"),
        ("1381234 5678", "digits"),
        ("320812", "digits"),
        ("11010519491231002x", "digits"),
        ("11010519491231002X", "digits"),
        ("+86 138", "digits"),
        ("１３８", "digits"),
        ("0517-8361", "digits"),
        ("E12345678", "digits"),  # passport numbers
        ("zs", "pinyin"),
        ("ZS", "pinyin"),
        ("zhang san", "pinyin"),
        ("xi'an", "pinyin"),
        ("ｚｓ", "pinyin"),
        ("张三", "hanzi"),
        ("张s", "hanzi"),
        ("买买提·艾力", "hanzi"),
        ("1X2", "digits"),
        ("张3", "hanzi"),
    ],
)
def test_query_kind(text: str, kind: str) -> None:
    assert query_kind(text) == kind


def test_digits_query() -> None:
    assert digits_query(" 110105 19491231 002x") == "11010519491231002X"
    assert digits_query("+86 138-1234") == "1381234"
    assert digits_query("0086 138") == "138"
    assert digits_query("１３８") == "138"
