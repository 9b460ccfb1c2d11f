"""Pinyin search keys for names, with the surname read as a surname.

pypinyin has no surname mode and reads many surnames wrongly (单田芳 → dan, 曾国藩 → ceng;
PERF-FLOORS row 3). We override the surname from a table and keep pypinyin's reading as an
alternative key, so that both "stf" and "dtf" find 单田芳. pypinyin is imported on first use
because its import costs ~125 ms of start-up time.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "COMPOUND_SURNAMES",
    "SURNAME_READINGS",
    "PinyinKeys",
    "digits_query",
    "pinyin_keys",
    "pinyin_keys_many",
    "preload_in_background",
    "query_kind",
]

# Column widths of resident.py_initials / py_full; longer keys are cut, not refused.
MAX_INITIALS = 60
MAX_FULL = 200

#: Single-character surnames whose surname reading differs from pypinyin's default
#: reading of the character (as of pypinyin 0.55). Toneless, ü written as v.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "查": "zha",
    "朴": "piao",
    "区": "ou",
    "盖": "ge",
    "秘": "bi",
    "乐": "yue",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "召": "shao",
    "种": "chong",
    "重": "chong",
    "员": "yun",
    "贠": "yun",
    "都": "du",
    "隗": "wei",
    "折": "she",
    "粘": "nian",
    "祭": "zhai",
    "佴": "nai",
    "能": "nai",
    "句": "gou",
    "藏": "zang",
    "朝": "chao",
    "长": "chang",
    "繁": "po",
    "薄": "bo",
    "阚": "kan",
    "角": "jue",
    "洗": "xian",
    "乜": "nie",
    "莘": "xin",
    "么": "yao",
    "宓": "fu",
    "蔚": "yu",
}

#: Compound surnames (复姓), matched on the first two characters before the single table.
#: 单于 is left out on purpose: today a name starting 单于 is almost always 单 + 于….
COMPOUND_SURNAMES: dict[str, tuple[str, str]] = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
    "乐正": ("yue", "zheng"),
    "欧阳": ("ou", "yang"),
    "上官": ("shang", "guan"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "皇甫": ("huang", "fu"),
    "东方": ("dong", "fang"),
    "夏侯": ("xia", "hou"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "宇文": ("yu", "wen"),
    "令狐": ("ling", "hu"),
    "南宫": ("nan", "gong"),
    "西门": ("xi", "men"),
    "呼延": ("hu", "yan"),
    "轩辕": ("xuan", "yuan"),
    "赫连": ("he", "lian"),
    "拓跋": ("tuo", "ba"),
    "独孤": ("du", "gu"),
    "司徒": ("si", "tu"),
    "司空": ("si", "kong"),
    "端木": ("duan", "mu"),
    "申屠": ("shen", "tu"),
    "公冶": ("gong", "ye"),
    "钟离": ("zhong", "li"),
    "闾丘": ("lv", "qiu"),
    "濮阳": ("pu", "yang"),
    "太史": ("tai", "shi"),
    "闻人": ("wen", "ren"),
    "宗政": ("zong", "zheng"),
    "鲜于": ("xian", "yu"),
    "左丘": ("zuo", "qiu"),
    "东郭": ("dong", "guo"),
    "亓官": ("qi", "guan"),
    "漆雕": ("qi", "diao"),
    "公羊": ("gong", "yang"),
    "第五": ("di", "wu"),
}


@dataclass(frozen=True)
class PinyinKeys:
    """Search keys of one name (lower-case ASCII, no separators)."""

    initials: str  # with the surname reading: 单田芳 -> "stf"
    full: str  # "shantianfang"
    initials_alt: str | None  # pypinyin's default reading when it differs ("dtf")
    full_alt: str | None  # "dantianfang"


_EMPTY = PinyinKeys("", "", None, None)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class _Pypinyin:
    """What the readings come from, loaded on first use."""

    lazy: Callable[[str], list[str]]  # lazy_pinyin(text, Style.NORMAL)
    chars: Mapping[int, str]  # code point -> "zhōng,zhòng" (first = default reading)
    phrases: Container[str]  # words pypinyin reads as a whole (长江, 重庆, …)
    longest: int  # longest phrase
    to_normal: Callable[[str], str]  # "lǜ" -> "lv"


_loaded: _Pypinyin | None = None
_loading = threading.Lock()
_char_readings: dict[str, str] = {}


def preload_in_background() -> None:
    """Start loading pypinyin (≈0.15 s, mostly its phrase dictionary) in a thread, so that
    it overlaps other work such as reading an import file; the first name then waits only
    for what is left of it."""
    if _loaded is None:
        threading.Thread(target=_pypinyin, name="pypinyin-preload", daemon=True).start()


def _pypinyin() -> _Pypinyin:
    global _loaded  # noqa: PLW0603 - a one-time lazy import, see the module docstring
    if _loaded is not None:
        return _loaded
    with _loading:
        if _loaded is None:
            _loaded = _load_pypinyin()
    return _loaded


def _load_pypinyin() -> _Pypinyin:
    from pypinyin import Style, lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    def call(text: str) -> list[str]:
        return lazy_pinyin(text, style=Style.NORMAL)

    longest = max(map(len, PHRASES_DICT), default=1)
    return _Pypinyin(call, PINYIN_DICT, PHRASES_DICT, longest, to_normal)


def _readings(text: str) -> list[str]:
    """``lazy_pinyin(text, Style.NORMAL)``, computed directly for most names.

    lazy_pinyin segments the text against its phrase dictionary before reading it (about
    60 µs a name, most of an import's pinyin time). A name made of known characters none
    of whose runs is a phrase reads as each character's default reading, which is what
    lazy_pinyin gives for it (a unit test checks every character); anything else takes
    the full path.
    """
    p = _pypinyin()
    out: list[str] = []
    for ch in text:
        reading = _char_readings.get(ch)
        if reading is None:
            readings = p.chars.get(ord(ch))
            if readings is None:
                return p.lazy(text)
            reading = _char_readings[ch] = p.to_normal(readings.split(",", 1)[0])
        out.append(reading)
    n = len(text)
    for start in range(n - 1):
        for end in range(start + 2, min(n, start + p.longest) + 1):
            if text[start:end] in p.phrases:
                return p.lazy(text)
    return out


def _words(item: str) -> list[str]:
    """ASCII words of one pypinyin item: a syllable, or a run of non-Chinese text."""
    if item.isascii() and item.isalpha() and item.islower():
        return [item]  # the common case: a pinyin syllable
    folded = unicodedata.normalize("NFKD", item).lower()
    return _WORD.findall(folded.encode("ascii", "ignore").decode("ascii"))


def _keys(words: list[str]) -> tuple[str, str]:
    return "".join(w[0] for w in words)[:MAX_INITIALS], "".join(words)[:MAX_FULL]


def _surname(name: str) -> tuple[str, ...]:
    compound = COMPOUND_SURNAMES.get(name[:2])
    if compound is not None:
        return compound
    single = SURNAME_READINGS.get(name[:1])
    return (single,) if single is not None else ()


@functools.lru_cache(maxsize=65536)
def pinyin_keys(name: str) -> PinyinKeys:
    """Pinyin initials and full pinyin of a person's name, surname read as a surname.

    Cached: rosters and imports repeat common names (a 10,000-row file had 4,829 distinct).
    """
    text = "".join(unicodedata.normalize("NFKC", name or "").split())
    if not text:
        return _EMPTY
    items = _readings(text)
    default = [w for item in items for w in _words(item)]
    surname = _surname(text)
    # Each Chinese character is one pypinyin item, so the surname is items[:len(surname)].
    preferred = [*surname, *(w for item in items[len(surname) :] for w in _words(item))]
    initials, full = _keys(preferred)
    if not surname:
        return PinyinKeys(initials, full, None, None)
    initials_alt, full_alt = _keys(default)
    return PinyinKeys(
        initials,
        full,
        initials_alt if initials_alt != initials else None,
        full_alt if full_alt != full else None,
    )


def pinyin_keys_many(names: Iterable[str]) -> list[PinyinKeys]:
    """``pinyin_keys`` for many names (demo data, imports); repeated names are computed once."""
    seen: dict[str, PinyinKeys] = {}
    out: list[PinyinKeys] = []
    for name in names:
        keys = seen.get(name)
        if keys is None:
            keys = seen[name] = pinyin_keys(name)
        out.append(keys)
    return out


_DIGITS_QUERY = re.compile(r"\+?\d+X?", re.ASCII)
_PINYIN_QUERY = re.compile(r"[a-z']+")


def _query_text(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def query_kind(text: str) -> Literal["digits", "pinyin", "hanzi", "empty"]:
    """Classify a search-box entry: ID/phone digits, pinyin letters, or a name in hanzi.

    Digits (an ID number may end in X/x; spaces, dashes and a leading + are ignored) and
    letter-digit mixes such as passport numbers count as "digits"; letters only as "pinyin".
    """
    compact = _query_text(text)
    if not compact:
        return "empty"
    bare = compact.replace("-", "").upper()
    if _DIGITS_QUERY.fullmatch(bare):
        return "digits"
    lower = compact.lower()
    if _PINYIN_QUERY.fullmatch(lower):
        return "pinyin"
    if bare.isascii() and bare.isalnum() and any(c.isdigit() for c in bare):
        return "digits"
    return "hanzi"


def digits_query(text: str) -> str:
    """The searchable form of a "digits" query: separators and +86 removed, X upper-cased."""
    bare = _query_text(text).replace("-", "").upper()
    for prefix in ("+86", "0086"):
        if bare.startswith(prefix):
            return bare[len(prefix) :]
    return bare.lstrip("+")
