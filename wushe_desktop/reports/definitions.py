"""Every report figure: its code, Chinese label, unit, section and written definition.

These texts are printed on the report's notes page (说明), put in the Excel twin and in
docs/metrics.md; ``metrics.py`` computes exactly what they say. A figure code may carry a
breakdown key after the base code (``services.attendances.个案服务``,
``residents.tag.elderly_alone``, ``cases.open.risk.高``); its definition is the base's.
"""

from __future__ import annotations

from dataclasses import dataclass

from wushe_desktop.domain.tags import TAGS

__all__ = [
    "ALL_KEY_GROUPS",
    "COVERAGE_GROUPS",
    "DEFINITIONS",
    "KEY_GROUPS",
    "SECTIONS",
    "UNAVAILABLE_SECTIONS",
    "FigureDef",
    "KeyGroup",
    "Section",
    "definition_of",
    "label_of",
    "unit_of",
]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    #: Not recorded in this app yet: the report says so instead of printing zeros.
    available: bool = True
    missing_text: str = ""


@dataclass(frozen=True)
class FigureDef:
    code: str
    label: str
    unit: str
    section: str
    definition: str


@dataclass(frozen=True)
class KeyGroup:
    """A key group of the coverage table: residents with any of ``tags`` (sub-tags bring
    their parent, so 独居老人 is counted under 老年人)."""

    key: str
    label: str
    tags: tuple[str, ...]


KEY_GROUPS: tuple[KeyGroup, ...] = (
    KeyGroup("elderly", "老年人", ("elderly",)),
    KeyGroup("child", "儿童", ("child",)),
    KeyGroup("disabled", "残疾人", ("disabled",)),
    KeyGroup("low_income", "低保/特困/低保边缘", ("dibao", "tekun", "dibao_edge")),
)
#: Residents in any of the key groups (each counted once): the coverage ranking uses it.
ALL_KEY_GROUPS = KeyGroup("all", "重点人群合计", tuple(t for g in KEY_GROUPS for t in g.tags))
COVERAGE_GROUPS: tuple[KeyGroup, ...] = (*KEY_GROUPS, ALL_KEY_GROUPS)

SECTIONS: tuple[Section, ...] = (
    Section("residents", "服务对象基本情况"),
    Section("cases", "个案工作"),
    Section("groups", "小组工作"),
    Section("activities", "社区活动"),
    Section("services", "服务总量"),
    Section("keygroups", "重点人群服务覆盖"),
    Section("visits", "走访探访"),
    Section("volunteers", "志愿服务"),
    Section(
        "organizations",
        "社会组织参与",
        available=False,
        missing_text="本系统尚未登记社会组织及其项目，本节暂无统计数据（不是零）。",
    ),
    Section(
        "charity",
        "慈善资源链接",
        available=False,
        missing_text="本系统尚未登记慈善捐赠与分配，本节暂无统计数据（不是零）。",
    ),
    Section(
        "tasks",
        "联动任务与联席会议",
        available=False,
        missing_text="本系统尚未登记联动任务和联席会议，本节暂无统计数据（不是零）。",
    ),
    Section(
        "satisfaction",
        "服务满意度",
        available=False,
        missing_text="本系统尚未登记满意度调查结果，本节暂无统计数据（不是零）。",
    ),
)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}
UNAVAILABLE_SECTIONS: tuple[str, ...] = tuple(s.key for s in SECTIONS if not s.available)

_END = "报告期末"
_IN = "报告期内"

_ROWS: tuple[tuple[str, str, str, str, str], ...] = (
    # code, label, unit, section, definition
    (
        "residents.total",
        "登记服务对象",
        "人",
        "residents",
        f"{_END}在册的居民（服务对象）人数：建档时间在期末之前，且期末时未被删除（未进回收站）。",
    ),
    (
        "residents.new",
        "新建档服务对象",
        "人",
        "residents",
        f"建档时间在{_IN}的居民人数（期末时未被删除）。",
    ),
    (
        "residents.group",
        "重点人群",
        "人",
        "residents",
        f"{_END}在册、带有该重点人群标签的居民人数。标签按生成报表时的居民档案计"
        "（标签不记历史）；子类标签计入其大类（如独居老人计入老年人）；"
        "“低保/特困/低保边缘”为带有其中任一标签的人数，“重点人群合计”为属于以上任一人群的人数，"
        "每人只计一次。",
    ),
    (
        "residents.tag",
        "重点人群标签",
        "人",
        "residents",
        f"{_END}在册、带有该标签的居民人数（标签按生成报表时的居民档案计）。",
    ),
    (
        "cases.new",
        "新接案",
        "件",
        "cases",
        f"开案日期在{_IN}的个案数（不含已删除的个案）。",
    ),
    (
        "cases.open",
        "期末在案",
        "件",
        "cases",
        "开案日期不晚于期末、且期末时尚未结案（无结案日期或结案日期在期末之后）的个案数。"
        "重新开案的个案按当前的结案日期计。",
    ),
    (
        "cases.closed",
        "结案",
        "件",
        "cases",
        f"结案日期在{_IN}的个案数。",
    ),
    (
        "cases.services",
        "个案服务次数",
        "次",
        "cases",
        f"{_IN}由个案产生的服务记录条数（每次面谈、探访、电话等介入记一次）。",
    ),
    (
        "cases.referrals",
        "转介",
        "次",
        "cases",
        f"转介日期在{_IN}的个案转介次数。",
    ),
    (
        "cases.new.risk",
        "新接案（按风险等级）",
        "件",
        "cases",
        f"{_IN}新接个案按当前风险等级（高/中/低）分列。",
    ),
    (
        "cases.open.risk",
        "期末在案（按风险等级）",
        "件",
        "cases",
        "期末在案个案按当前风险等级（高/中/低）分列。",
    ),
    (
        "cases.open.stage",
        "期末在案（按阶段）",
        "件",
        "cases",
        "期末在案个案按期末时所处阶段（接案、预估、计划、介入、评估）分列；"
        "阶段取期末前最后一次阶段变更记录。",
    ),
    (
        "groups.count",
        "开展小组",
        "个",
        "groups",
        f"{_IN}至少开展了一节活动的小组个数。",
    ),
    (
        "groups.new",
        "新建小组",
        "个",
        "groups",
        f"开始日期在{_IN}的小组个数。",
    ),
    (
        "groups.sessions",
        "小组节数",
        "节",
        "groups",
        f"{_IN}开展的小组活动节数（每节计一次，不含已删除的节次）。",
    ),
    (
        "groups.attendances",
        "小组服务人次",
        "人次",
        "groups",
        f"{_IN}各节小组活动的出席人数之和（一人出席两节计 2 人次）。",
    ),
    (
        "groups.people",
        "小组服务人数",
        "人",
        "groups",
        f"{_IN}至少出席一节小组活动的不同居民人数。",
    ),
    (
        "activities.count",
        "社区活动场次",
        "场",
        "activities",
        f"活动日期在{_IN}的社区活动场次（不含已删除的活动）。",
    ),
    (
        "activities.participants",
        "社区活动参与人次",
        "人次",
        "activities",
        f"{_IN}各场社区活动签到参与人数之和（含未登记姓名的参与者）。",
    ),
    (
        "activities.volunteers",
        "活动志愿者参与人次",
        "人次",
        "activities",
        f"{_IN}各场社区活动登记的参与志愿者人数之和。",
    ),
    (
        "activities.org_led",
        "社会组织承办的活动",
        "场",
        "activities",
        f"{_IN}主办方为社会组织的社区活动场次。",
    ),
    (
        "services.records",
        "服务次数",
        "次",
        "services",
        f"{_IN}的服务记录条数（个案、小组、社区活动、探访、咨询、电话回访等，不含已删除记录）。",
    ),
    (
        "services.attendances",
        "服务人次",
        "人次",
        "services",
        "服务记录的人次之和：一条具名居民的记录计 1 人次，一条仅计人数的活动记录计其参与人数；"
        "同一人服务两次计 2 人次。",
    ),
    (
        "services.people",
        "服务人数",
        "人",
        "services",
        "服务记录中不同的具名居民人数；只登记人数、未登记姓名的参与者无法去重，不计入服务人数。",
    ),
    (
        "services.minutes",
        "服务时长",
        "小时",
        "services",
        "服务记录登记的时长之和（小组每条出席记录计该节时长），以小时列示、保留一位小数。",
    ),
    (
        "services.counted_only",
        "未登记姓名的参与人次",
        "人次",
        "services",
        "服务人次中来自仅计人数（未登记姓名）的活动参与者的部分。",
    ),
    (
        "keygroups.registered",
        "重点人群在册",
        "人",
        "keygroups",
        "同“重点人群”：期末在册、带有该重点人群标签的居民人数。",
    ),
    (
        "keygroups.served",
        "重点人群服务人数",
        "人",
        "keygroups",
        f"{_IN}至少有一条服务记录、且带有该重点人群标签的不同具名居民人数。",
    ),
    (
        "keygroups.attendances",
        "重点人群服务人次",
        "人次",
        "keygroups",
        f"{_IN}带有该重点人群标签的具名居民的服务人次之和。",
    ),
    (
        "keygroups.coverage",
        "覆盖率",
        "%",
        "keygroups",
        "重点人群服务人数 ÷ 重点人群在册人数，以百分比列示、保留一位小数；在册为 0 时不计算。"
        "按社区排名时，居民按其档案所属社区计。",
    ),
    (
        "visits.count",
        "探访次数",
        "次",
        "visits",
        f"探访日期在{_IN}的探访记录数（入户、电话、视频等，不含已删除记录）。",
    ),
    (
        "visits.people",
        "探访人数",
        "人",
        "visits",
        f"{_IN}被探访的不同居民人数（本系统不登记户，以人数代替户数）。",
    ),
    (
        "visits.home",
        "入户探访次数",
        "次",
        "visits",
        f"{_IN}方式为“入户”的探访记录数。",
    ),
    (
        "visits.risk",
        "探访发现风险",
        "次",
        "visits",
        f"{_IN}记录了“发现风险”的探访次数。",
    ),
    (
        "visits.scheduled",
        "应定期探访人数",
        "人",
        "visits",
        f"{_END}在册、按站点探访频次设置需定期探访的重点人群居民人数。",
    ),
    (
        "visits.overdue",
        "期末逾期未探访",
        "人",
        "visits",
        "应定期探访的居民中，截至期末最后一次探访距期末已超过其探访周期的人数"
        "（只计期末及以前的探访；周期取其标签中最短的一个）。",
    ),
    (
        "visits.never",
        "从未探访",
        "人",
        "visits",
        "应定期探访的居民中，截至期末从未有探访记录的人数。",
    ),
    (
        "volunteers.registered",
        "在册志愿者",
        "人",
        "volunteers",
        f"{_END}在册的注册志愿者人数：注册日期不晚于期末、未删除，且期末时未退出。",
    ),
    (
        "volunteers.new",
        "新注册志愿者",
        "人",
        "volunteers",
        f"注册日期在{_IN}的志愿者人数。",
    ),
    (
        "volunteers.active",
        "参与服务的志愿者",
        "人",
        "volunteers",
        f"{_IN}至少有一条已审核服务时长记录的不同志愿者人数。",
    ),
    (
        "volunteers.services",
        "志愿服务人次",
        "人次",
        "volunteers",
        f"{_IN}已审核的志愿服务时长记录条数（一人参加一次服务计 1 人次）。",
    ),
    (
        "volunteers.minutes",
        "志愿服务时长",
        "小时",
        "volunteers",
        f"{_IN}已审核的志愿服务时长之和（按站点取整规则记入的时长），以小时列示、保留一位小数；"
        "待审核、已作废的不计。",
    ),
    (
        "volunteers.pending_minutes",
        "待审核志愿服务时长",
        "小时",
        "volunteers",
        f"{_IN}尚待审核的志愿服务时长之和（审核通过后计入志愿服务时长）。",
    ),
    (
        "volunteers.shifts",
        "志愿服务班次",
        "个",
        "volunteers",
        f"日期在{_IN}、未取消的志愿服务班次数。",
    ),
    (
        "volunteers.stars",
        "星级评定",
        "人次",
        "volunteers",
        f"评定日期在{_IN}的星级志愿者评定记录数。",
    ),
    (
        "organizations.engaged",
        "参与的社会组织",
        "家",
        "organizations",
        f"{_IN}参与服务或承接项目的社会组织数（尚未登记）。",
    ),
    (
        "organizations.projects",
        "在实施项目",
        "个",
        "organizations",
        f"{_IN}在实施的社会组织服务项目数（尚未登记）。",
    ),
    (
        "charity.money_in",
        "接收慈善资金",
        "元",
        "charity",
        f"{_IN}接收的捐赠资金（尚未登记）。",
    ),
    (
        "charity.goods_in",
        "接收物资折价",
        "元",
        "charity",
        f"{_IN}接收的捐赠物资折价（尚未登记）。",
    ),
    (
        "charity.allocated",
        "分配款物",
        "元",
        "charity",
        f"{_IN}分配给居民、个案、项目或社区的款物折价（尚未登记）。",
    ),
    (
        "charity.donors",
        "捐赠方",
        "个",
        "charity",
        f"{_IN}有捐赠的不同捐赠方数（尚未登记）。",
    ),
    (
        "tasks.meetings",
        "联席会议",
        "次",
        "tasks",
        f"{_IN}召开的联席会议次数（尚未登记）。",
    ),
    (
        "tasks.done_on_time",
        "按期完成的联动任务",
        "项",
        "tasks",
        f"{_IN}到期的联动任务中按期完成的项数（尚未登记）。",
    ),
    (
        "satisfaction.rate",
        "服务对象满意度",
        "%",
        "satisfaction",
        f"{_IN}满意度调查中表示满意的比例（尚未登记）。",
    ),
)

DEFINITIONS: dict[str, FigureDef] = {r[0]: FigureDef(*r) for r in _ROWS}

#: Breakdown bases: code prefix → how the key after it is shown.
_BREAKDOWNS = (
    "residents.group",
    "residents.tag",
    "cases.new.risk",
    "cases.open.risk",
    "cases.open.stage",
    "keygroups.registered",
    "keygroups.served",
    "keygroups.attendances",
    "services.records",
    "services.attendances",
    "services.people",
    "services.minutes",
)
_GROUP_LABELS = {g.key: g.label for g in COVERAGE_GROUPS}


def _split(code: str) -> tuple[str, str]:
    if code in DEFINITIONS:
        return code, ""
    for base in sorted(_BREAKDOWNS, key=len, reverse=True):
        if code.startswith(base + "."):
            return base, code[len(base) + 1 :]
    raise KeyError(code)


def _key_label(base: str, key: str) -> str:
    if base == "residents.tag":
        tag = TAGS.get(key)
        return tag.label if tag else key
    if base.startswith(("residents.group", "keygroups.")):
        return _GROUP_LABELS.get(key, key)
    if base.endswith(".risk"):
        return f"{key}风险"
    return key


def definition_of(code: str) -> FigureDef:
    """The definition of a figure code (a breakdown code gets its base's definition)."""
    return DEFINITIONS[_split(code)[0]]


def label_of(code: str) -> str:
    """A figure's label: 服务人次, or for a breakdown 服务人次（个案服务）."""
    base, key = _split(code)
    label = DEFINITIONS[base].label
    if not key:
        return label
    if base in ("residents.group", "residents.tag"):
        return _key_label(base, key)
    return f"{label}（{_key_label(base, key)}）"


def unit_of(code: str) -> str:
    return definition_of(code).unit
