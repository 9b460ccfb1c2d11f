"""Households of demo residents, built so that every fact agrees with every other.

People are made household by household (an elderly couple, a young family, grandparents
raising left-behind children …), so key-group tags follow from who lives with whom and how
old they are: 独居老人 lives alone, 空巢老人 lives only with a spouse, 留守儿童 lives with
grandparents, and a 最低生活保障 household has every member tagged. Birth dates, gender and
the ID number agree (GB 11643 check digit, odd sequence for men), and the ID's area code
is the county where the number was first issued — for the old 清浦区/清河区 that is an
abolished code. Pure Python, no database: ``generate.py`` turns these into rows.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from wushe_desktop.demo import names, places
from wushe_desktop.domain.idnumber import check_digit

MALE, FEMALE = "男", "女"

# Household types: (code, weight in a 社区, weight in a 村). Tuned so that about a quarter of
# the residents are 60 or older (淮安's rural townships are older than the national 18.7%).
HOUSEHOLD_TYPES: tuple[tuple[str, float, float], ...] = (
    ("alone_old", 8, 10),
    ("old_couple", 10, 13),
    ("old_with_adult", 7, 8),
    ("three_gen", 14, 16),
    ("left_behind", 1, 6),
    ("nuclear", 28, 22),
    ("pair", 14, 10),
    ("single", 12, 7),
    ("single_parent", 3, 2),
)
_TYPE_CODES = tuple(t[0] for t in HOUSEHOLD_TYPES)
_TYPE_CUM = {
    "社区": tuple(accumulate(t[1] for t in HOUSEHOLD_TYPES)),
    "村": tuple(accumulate(t[2] for t in HOUSEHOLD_TYPES)),
}

# 残疾 categories and grades with rough shares (第二次全国残疾人抽样调查: 肢体 most common).
_DISABILITY_CATEGORIES = (
    ("肢体", 48),
    ("听力", 17),
    ("视力", 13),
    ("精神", 8),
    ("智力", 7),
    ("多重", 5),
    ("言语", 2),
)
_DISABILITY_GRADES = (("一级", 12), ("二级", 22), ("三级", 28), ("四级", 38))
_YOUFU_DETAILS = ("退役军人", "在乡复员军人", "带病回乡退伍军人", "伤残军人", "参战退役人员")


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    cum = list(accumulate(w for _, w in table))
    return table[bisect(cum, rng.random() * cum[-1])][0]


@dataclass(slots=True)
class Person:
    """One demo resident before it becomes a row."""

    name: str
    gender: str
    birth_date: date
    age: int
    role: str  # head/spouse/child/grandparent/elder — for guardians and surnames
    doc_type: str = "居民身份证"
    id_number: str | None = None
    phone: str | None = None
    address: str = ""
    notes: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    guardian: tuple[str, str] | None = None  # (name, relation) for a minor


@dataclass(slots=True)
class Household:
    kind: str
    members: list[Person]
    address: str


def _birth(rng: random.Random, age: int, as_of: date) -> date:
    """A birth date that makes the person exactly ``age`` on ``as_of``."""
    try:
        anniversary = as_of.replace(year=as_of.year - age)
    except ValueError:  # 29 February
        anniversary = as_of.replace(year=as_of.year - age, day=28)
    return anniversary - timedelta(days=rng.randint(1, 364))


def _old_age(rng: random.Random, lo: int = 60, hi: int = 99) -> int:
    """An age ≥ ``lo`` with the shape of an ageing population (few 90+)."""
    roll = rng.random()
    if roll < 0.55:
        age = rng.randint(60, 69)
    elif roll < 0.85:
        age = rng.randint(70, 79)
    elif roll < 0.97:
        age = rng.randint(80, 89)
    else:
        age = rng.randint(90, 99)
    return max(lo, min(hi, age))


class PeopleMaker:
    """Makes households for one demo run; remembers ID numbers so none repeats."""

    def __init__(self, rng: random.Random, as_of: date, taken: Iterable[str] = ()) -> None:
        self.rng = rng
        self.as_of = as_of
        self._ids: set[str] = set(taken)  # numbers already in use (e.g. in the database)
        self._makers: dict[str, Callable[[str], list[Person]]] = {
            "alone_old": self._alone_old,
            "old_couple": self._old_couple,
            "old_with_adult": self._old_with_adult,
            "three_gen": self._three_gen,
            "left_behind": self._left_behind,
            "nuclear": self._nuclear,
            "pair": self._pair,
            "single": self._single,
            "single_parent": self._single_parent,
        }

    # --- single facts -------------------------------------------------------------------

    def id_number(self, gender: str, born: date) -> str:
        """A valid, unused 18-digit number for this person."""
        rng = self.rng
        body = born.strftime("%Y%m%d")
        parity = 1 if gender == MALE else 0
        code = places.area_code(rng, born.year)
        while True:
            seq = rng.randrange(0, 500) * 2 + parity
            first17 = f"{code}{body}{seq:03d}"
            number = first17 + check_digit(first17)
            if number not in self._ids:
                self._ids.add(number)
                return number
            code = places.area_code(rng, born.year)

    def person(self, role: str, gender: str, age: int, surname: str | None = None) -> Person:
        born = _birth(self.rng, age, self.as_of)
        name = names.full_name(self.rng, gender, born.year, surname)
        return Person(name=name, gender=gender, birth_date=born, age=age, role=role)

    # --- households ---------------------------------------------------------------------

    def household(self, kind_of_place: str, place_name: str) -> Household:
        rng = self.rng
        kind = _TYPE_CODES[
            bisect(_TYPE_CUM[kind_of_place], rng.random() * _TYPE_CUM[kind_of_place][-1])
        ]
        surname = names.pick_surname(rng)
        members = self._makers[kind](surname)
        if kind_of_place == "村":
            address = places.village_address(rng, place_name)
        else:
            address = places.urban_address(rng)
        return Household(kind, members, address)

    def _couple(self, surname: str, age: int, role: str = "head") -> list[Person]:
        wife_age = max(18, age - rng_gap(self.rng))
        return [
            self.person(role, MALE, age, surname),
            self.person("spouse" if role == "head" else role, FEMALE, wife_age),
        ]

    def _children(self, surname: str, mother_age: int, n: int, max_age: int = 17) -> list[Person]:
        lo, hi = max(0, mother_age - 42), min(max_age, mother_age - 20)
        if hi < lo:
            return []
        kids = []
        for _ in range(n):
            gender = MALE if self.rng.random() < 0.52 else FEMALE
            kid_surname = surname if self.rng.random() < 0.92 else None
            kids.append(self.person("child", gender, self.rng.randint(lo, hi), kid_surname))
        return kids

    def _alone_old(self, surname: str) -> list[Person]:
        gender = FEMALE if self.rng.random() < 0.62 else MALE  # widows outlive widowers
        return [self.person("elder", gender, _old_age(self.rng), surname)]

    def _old_couple(self, surname: str) -> list[Person]:
        return self._couple(surname, _old_age(self.rng, lo=62), role="elder")

    def _old_with_adult(self, surname: str) -> list[Person]:
        rng = self.rng
        old_age = _old_age(rng, lo=65)
        elders = (
            self._couple(surname, old_age, role="elder")
            if rng.random() < 0.5
            else [self.person("elder", rng.choice((MALE, FEMALE)), old_age, surname)]
        )
        child_age = max(30, min(62, old_age - rng.randint(22, 35)))
        adult = [self.person("head", rng.choice((MALE, FEMALE)), child_age, surname)]
        return elders + adult

    def _three_gen(self, surname: str) -> list[Person]:
        rng = self.rng
        father = rng.randint(26, 48)
        parents = self._couple(surname, father)
        kids = self._children(surname, parents[1].age, rng.choice((1, 1, 1, 2, 2)))
        grand_age = min(95, father + rng.randint(22, 32))
        grands = (
            self._couple(surname, grand_age, role="grandparent")
            if rng.random() < 0.6
            else [self.person("grandparent", rng.choice((MALE, FEMALE)), grand_age, surname)]
        )
        return grands + parents + kids

    def _left_behind(self, surname: str) -> list[Person]:
        rng = self.rng
        grand_age = rng.randint(52, 78)
        grands = (
            self._couple(surname, grand_age, role="grandparent")
            if rng.random() < 0.7
            else [self.person("grandparent", rng.choice((MALE, FEMALE)), grand_age, surname)]
        )
        mother_age = min(45, grand_age - rng.randint(22, 30))
        kids = self._children(surname, mother_age, rng.choice((1, 1, 1, 2, 2)), max_age=16)
        return grands + kids

    def _nuclear(self, surname: str) -> list[Person]:
        rng = self.rng
        parents = self._couple(surname, rng.randint(25, 56))
        return parents + self._children(surname, parents[1].age, rng.choice((1, 1, 1, 2, 2)), 25)

    def _pair(self, surname: str) -> list[Person]:
        return self._couple(surname, self.rng.randint(21, 59))

    def _single(self, surname: str) -> list[Person]:
        gender = MALE if self.rng.random() < 0.55 else FEMALE
        return [self.person("head", gender, self.rng.randint(18, 59), surname)]

    def _single_parent(self, surname: str) -> list[Person]:
        rng = self.rng
        gender = FEMALE if rng.random() < 0.7 else MALE
        parent = self.person("head", gender, rng.randint(27, 50), surname)
        mother_age = parent.age if gender == FEMALE else max(20, parent.age - 2)
        return [parent, *self._children(surname, mother_age, rng.choice((1, 1, 2)))]

    # --- facts that follow from the household --------------------------------------------

    def complete(self, hh: Household) -> None:
        """Fill documents, phones, addresses, tags, guardians and notes of a household."""
        rng = self.rng
        members = hh.members
        elders_only = all(p.age >= 60 for p in members)
        adults = [p for p in members if p.age >= 18]
        any_disabled = False
        for p in members:
            p.address = hh.address
            self._document(p)
            self._phone(p)
            self._age_tags(p, hh, elders_only)
            if self._disability(p):
                any_disabled = True
            if p.gender == MALE and p.age >= 65 and rng.random() < 0.03:
                p.tags["youfu"] = rng.choice(_YOUFU_DETAILS)
            elif p.age >= 50 and rng.random() < 0.002:
                p.tags["youfu"] = "烈士遗属"
        self._low_income(hh, any_disabled)
        self._guardians(hh, adults)
        self._shared_phones(members, adults)

    def _document(self, p: Person) -> None:
        roll = self.rng.random()
        if roll < 0.005:
            return  # registered before anyone saw the ID card
        if roll < 0.006:
            p.doc_type = "港澳台居民居住证"
            seq = self.rng.randrange(0, 500) * 2 + (1 if p.gender == MALE else 0)
            first17 = f"830000{p.birth_date:%Y%m%d}{seq:03d}"  # 台湾居民居住证
            number = first17 + check_digit(first17)
            if number not in self._ids:
                self._ids.add(number)
                p.id_number = number
                return
            p.doc_type = "居民身份证"
        p.id_number = self.id_number(p.gender, p.birth_date)

    def _phone(self, p: Person) -> None:
        rng = self.rng
        if p.age >= 80:
            chance = 0.4
        elif p.age >= 16:
            chance = 0.93
        elif p.age >= 12:
            chance = 0.3
        else:
            chance = 0.0
        if rng.random() < chance:
            p.phone = places.mobile(rng)

    def _age_tags(self, p: Person, hh: Household, elders_only: bool) -> None:
        if p.age >= 60:
            self._elderly_tags(p, hh, elders_only)
        elif p.age < 18:
            self._child_tags(p, hh)

    def _elderly_tags(self, p: Person, hh: Household, elders_only: bool) -> None:
        rng = self.rng
        p.tags["elderly"] = ""
        if len(hh.members) == 1:
            p.tags["elderly_alone"] = ""
            if rng.random() < 0.3:
                p.notes = rng.choice(
                    ("子女在外地工作", "每周由网格员电话问候", "老伴已故，独自居住")
                )
        elif elders_only:
            p.tags["elderly_empty_nest"] = ""
            if rng.random() < 0.2:
                p.notes = rng.choice(("子女在苏州务工", "子女在南京工作", "子女在上海定居"))
        if p.age >= 80:
            p.tags["elderly_advanced"] = ""
        disabled_chance = 0.015 if p.age < 70 else 0.05 if p.age < 80 else 0.14
        if rng.random() < disabled_chance:
            p.tags["elderly_disabled"] = rng.choice(("部分失能", "部分失能", "完全失能"))
            if not p.notes:
                p.notes = "行动不便，需上门服务"

    def _child_tags(self, p: Person, hh: Household) -> None:
        """Children living with grandparents only: 留守, or (rarely) orphaned or unsupported."""
        rng = self.rng
        p.tags["child"] = ""
        if hh.kind == "left_behind":
            roll = rng.random()
            if roll < 0.03:
                p.tags["child_orphan"] = ""
            elif roll < 0.08:
                p.tags["child_unsupported"] = ""
            else:
                p.tags["child_left_behind"] = ""
                if rng.random() < 0.3:
                    p.notes = "父母在外务工，由祖辈照料"
        if rng.random() < 0.015:
            p.tags["child_in_difficulty"] = ""

    def _disability(self, p: Person) -> bool:
        rng = self.rng
        chance = 0.02 if p.age < 18 else 0.05 if p.age < 60 else 0.11 if p.age < 80 else 0.18
        if rng.random() >= chance:
            return False
        category = _pick(rng, _DISABILITY_CATEGORIES)
        grade = _pick(rng, _DISABILITY_GRADES)
        p.tags["disabled"] = f"{category}/{grade}"
        if p.age >= 60 and grade in ("一级", "二级") and rng.random() < 0.5:
            p.tags.setdefault("elderly_disabled", "完全失能")
        if p.age < 18:
            p.tags["child_in_difficulty"] = ""
        return True

    def _low_income(self, hh: Household, any_disabled: bool) -> None:
        """One category per household at most; 刚性支出困难家庭 never with the other three."""
        rng = self.rng
        factor = 3.0 if any_disabled else 1.0
        roll = rng.random()
        if len(hh.members) == 1 and (hh.members[0].age >= 60 or any_disabled) and roll < 0.05:
            hh.members[0].tags["tekun"] = ""
            return
        roll = rng.random()
        if roll < 0.03 * factor:
            code = "dibao"
        elif roll < 0.042 * factor:
            code = "dibao_edge"
        elif roll < 0.048 * factor:
            code = "rigid_expense"
        else:
            return
        for p in hh.members:
            p.tags[code] = ""
            if code == "dibao" and p.age < 18 and rng.random() < 0.4:
                p.tags["child_in_difficulty"] = ""

    def _guardians(self, hh: Household, adults: list[Person]) -> None:
        parents = [p for p in adults if p.role in ("head", "spouse")]
        grands = [p for p in adults if p.role == "grandparent"]
        for p in hh.members:
            if p.age >= 18:
                continue
            if parents:
                g = self.rng.choice(parents)
                p.guardian = (g.name, "父亲" if g.gender == MALE else "母亲")
            elif grands:
                g = self.rng.choice(grands)
                p.guardian = (g.name, "祖父" if g.gender == MALE else "祖母")
            elif adults:
                p.guardian = (adults[0].name, "其他监护人")

    def _shared_phones(self, members: list[Person], adults: list[Person]) -> None:
        """Old people and children without a phone are reached through a family member."""
        family = [p.phone for p in adults if p.phone and p.age < 70]
        if not family:
            return
        for p in members:
            if p.phone is None and (p.age >= 70 or 10 <= p.age < 18) and self.rng.random() < 0.5:
                p.phone = self.rng.choice(family)


def rng_gap(rng: random.Random) -> int:
    """Husband minus wife age: mostly 0–4 years, sometimes the wife is older."""
    return rng.choice((-2, -1, 0, 1, 1, 2, 2, 3, 3, 4, 5))
