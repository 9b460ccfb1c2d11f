"""Places for the demo data: a township of 淮安市清江浦区, its communities and villages,
addresses, and the 淮安 area codes that residents' ID numbers start with.

The community and village names are invented in the local style; the area codes are real,
including 320802 清河区 and 320811 清浦区, abolished in 2016 but still on older ID cards.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

STATION_NAME = "和平镇社会工作服务站"
TOWNSHIP = "和平镇"
DISTRICT = "淮安市清江浦区"
STATION_CODE = "320812102"


@dataclass(frozen=True, slots=True)
class CommunitySeed:
    name: str
    kind: str  # 社区 | 村


#: Urban-style communities (社区) and villages (村), in the order they are taken.
COMMUNITIES: tuple[CommunitySeed, ...] = tuple(
    CommunitySeed(name, "社区" if name.endswith("社区") else "村")
    for name in (
        "和平社区",
        "王庄村",
        "运河社区",
        "陈圩村",
        "清晏社区",
        "徐杨村",
        "新城社区",
        "高桥村",
        "杨庙村",
        "枚皋社区",
        "沈荡村",
        "朱码村",
        "翔宇社区",
        "三堡村",
        "韩桥村",
        "刘集村",
        "漕运社区",
        "花园村",
        "季桥村",
        "姚湾村",
        "文渠社区",
        "胡庄村",
        "大兴村",
        "新河村",
        "承恩社区",
        "双闸村",
        "蒋湾村",
        "永济村",
        "武圩村",
        "张码村",
    )
)

ESTATES = (
    "和平花园",
    "运河人家",
    "翔宇花园",
    "清江新村",
    "楚秀园小区",
    "水渡口小区",
    "御景湾",
    "金地世家",
    "阳光名邸",
    "幸福里",
    "枫林苑",
    "锦绣华庭",
    "紫金家园",
    "运河湾",
    "清晏园小区",
    "盐河新村",
    "景泰苑",
    "枚乘新村",
    "富春花园",
    "樱花苑",
)
ROADS = (
    "和平路",
    "淮海北路",
    "承德路",
    "健康西路",
    "翔宇大道",
    "枚乘路",
    "解放东路",
    "人民南路",
    "清浦路",
    "水门桥路",
    "大治路",
    "环城路",
    "延安东路",
    "越河街",
    "富春路",
    "樱花园路",
)
_GROUP_NUMERALS = "一二三四五六七八九十"
GRID_NAMES = tuple(f"第{n}网格" for n in "一二三四五六七八")


def village_group(n: int) -> str:
    """村民小组 name: 1 → 一组, 11 → 十一组."""
    if n <= 10:
        return _GROUP_NUMERALS[n - 1] + "组"
    return "十" + _GROUP_NUMERALS[n - 11] + "组"


def urban_address(rng: random.Random) -> str:
    """An apartment address in a residential estate (小区) or on a street."""
    if rng.random() < 0.8:
        building, unit = rng.randint(1, 32), rng.randint(1, 4)
        floor, room = rng.randint(1, 18), rng.randint(1, 4)
        return f"{rng.choice(ESTATES)}{building}幢{unit}单元{floor}0{room}室"
    return f"{rng.choice(ROADS)}{rng.randint(1, 300)}号"


def village_address(rng: random.Random, village: str) -> str:
    """A rural address: village, 村民小组, house number."""
    return f"{village}{village_group(rng.randint(1, 14))}{rng.randint(1, 80)}号"


# 地址码 of 淮安 (GB/T 2260). Weights are rough shares among the township's residents.
LOCAL_OLD = (("320811", 70), ("320802", 30))  # 清浦区 / 清河区, abolished 2016 (清江浦区)
LOCAL_NEW = (("320812", 1),)  # 清江浦区, numbers issued since 2016
ELSEWHERE_HUAIAN_OLD = (
    ("320804", 30),  # 淮阴区
    ("320803", 20),  # 淮安区 (was 楚州区)
    ("320826", 18),  # 涟水县
    ("320829", 10),  # 洪泽县, became 洪泽区 320813 in 2016
    ("320830", 12),  # 盱眙县
    ("320831", 10),  # 金湖县
)
ELSEWHERE_HUAIAN_NEW = (
    ("320804", 30),
    ("320803", 20),
    ("320826", 18),
    ("320813", 10),
    ("320830", 12),
    ("320831", 10),
)
MIGRANT = (
    ("321302", 25),  # 宿迁市宿城区
    ("320902", 20),  # 盐城市亭湖区
    ("320703", 10),  # 连云港市连云区
    ("341324", 15),  # 安徽省泗县
    ("371302", 10),  # 山东省临沂市兰山区
    ("320106", 10),  # 南京市鼓楼区
    ("410526", 10),  # 河南省滑县
)
MERGER_YEAR = 2016


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    cum = list(accumulate(w for _, w in table))
    return table[bisect(cum, rng.random() * cum[-1])][0]


def area_code(rng: random.Random, birth_year: int) -> str:
    """The 地址码 of a resident born in ``birth_year``: mostly local, some from elsewhere."""
    roll = rng.random()
    new = birth_year >= MERGER_YEAR
    if roll < 0.72:
        return _weighted(rng, LOCAL_NEW if new else LOCAL_OLD)
    if roll < 0.94:
        return _weighted(rng, ELSEWHERE_HUAIAN_NEW if new else ELSEWHERE_HUAIAN_OLD)
    return _weighted(rng, MIGRANT)


_MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)


def mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number (1[3-9]…)."""
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
