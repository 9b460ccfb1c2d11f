"""The printed report (月度/季度/年度工作报告) drawn from a ``ReportContent``.

A4 through the shared PDF layer (GB/T 9704 geometry and type scale, embedded fonts,
header with the station and period, "第 X 页 共 Y 页"). Everything printed comes from the
content's data, so a locked report prints again exactly as it was signed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from wushe_desktop.infra.pdf import (
    PdfDocument,
    bar_chart,
    chinese_date,
    chinese_numeral,
    data_table,
    kv_table,
    line_chart,
    para,
    section_title,
    signature_block,
    text_block,
)
from wushe_desktop.infra.pdf.styles import FONT_SIZES
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress, sub_progress
from wushe_desktop.reports.content import (
    COMMUNITY_CODES,
    SUMMARY_CODES,
    ReportContent,
    coverage_text,
    hours,
    hours_value,
)
from wushe_desktop.reports.definitions import SECTIONS
from wushe_desktop.reports.periods import Period, PeriodKind

__all__ = ["render_pdf"]

RISKS = ("高", "中", "低")
OPEN_STAGES = ("接案", "预估", "计划", "介入", "评估")


class _View:
    """Read access to a content's data with the content's own definitions and units."""

    def __init__(self, content: ReportContent) -> None:
        self.data = content.data
        self.defs: dict[str, list[str]] = self.data["definitions"]
        self.period = content.period
        self.values = content.values
        self.month = self.period.kind is PeriodKind.MONTH

    def base(self, code: str) -> str:
        while code not in self.defs and "." in code:
            code = code.rsplit(".", 1)[0]
        return code

    def label(self, code: str) -> str:
        return self.defs[self.base(code)][0]

    def unit(self, code: str) -> str:
        return self.defs[self.base(code)][1]

    def show(self, code: str, value: Any) -> str:
        if value is None:
            return "未登记"
        if self.unit(code) == "小时":
            return hours(int(value))
        return f"{int(value):,}"

    def v(self, code: str) -> int:
        return int(self.values.get(code) or 0)

    def text(self, code: str) -> str:
        return self.show(code, self.values.get(code))


def _change(now: Any, before: Any) -> str:
    if now is None or before is None or not before:
        return "—"
    pct = (Decimal(now) - Decimal(before)) * 100 / Decimal(before)
    sign = "+" if pct > 0 else ""
    return f"{sign}{pct.quantize(Decimal('0.1'))}%"


def _headings() -> Iterator[str]:
    n = 0
    while True:
        n += 1
        yield f"{chinese_numeral(n)}、"


def _overview(v: _View) -> str:
    word = "本月" if v.month else "本期"
    parts = [
        f"{word}共提供各类服务{v.text('services.records')}次、{v.text('services.attendances')}人次，"
        f"服务居民{v.text('services.people')}人，服务时长{v.text('services.minutes')}小时。",
        f"新接个案{v.text('cases.new')}件，结案{v.text('cases.closed')}件，"
        f"期末在案{v.text('cases.open')}件；",
        f"开展小组活动{v.text('groups.sessions')}节、社区活动{v.text('activities.count')}场，"
        f"探访{v.text('visits.count')}次；",
        f"重点人群中有{v.text('keygroups.served.all')}人接受了服务，覆盖率"
        f"{coverage_text(v.v('keygroups.served.all'), v.v('keygroups.registered.all'))}；",
        f"志愿者{v.text('volunteers.active')}人参与服务{v.text('volunteers.services')}人次，"
        f"服务时长{v.text('volunteers.minutes')}小时。",
    ]
    counted = v.v("services.counted_only")
    if counted:
        parts.append(f"（服务人次中另有未登记姓名的活动参与者{counted:,}人次，未计入服务人数。）")
    return "".join(parts)


def _summary_table(v: _View) -> Any:
    columns = v.data["columns"]
    headers = ["指标", "单位", *[c["heading"] for c in columns], "环比"]
    rows = []
    for code in SUMMARY_CODES:
        values = [c["values"].get(code) for c in columns]
        rows.append(
            [
                v.label(code) if code != "keygroups.served.all" else "重点人群服务人数",
                v.unit(code),
                *[v.show(code, x) for x in values],
                _change(values[0], values[1]),
            ]
        )
    n = len(columns)
    widths = [0.27, 0.08, *([0.5 / n] * n), 0.15]
    return data_table(
        headers, rows, col_widths=widths, align=["left", "center"] + ["right"] * (n + 1)
    )


def _community_tables(v: _View) -> list[Any]:
    rows = v.data["communities"]
    if not rows:
        return []

    def total(code: str) -> int:
        return sum(int(r["values"].get(code) or 0) for r in rows)

    first = [
        [
            r["name"],
            v.show("residents.total", r["values"]["residents.total"]),
            v.show("keygroups.registered.all", r["values"]["keygroups.registered.all"]),
            v.show("keygroups.served.all", r["values"]["keygroups.served.all"]),
            coverage_text(
                r["values"]["keygroups.served.all"], r["values"]["keygroups.registered.all"]
            ),
            v.show("services.attendances", r["values"]["services.attendances"]),
            v.show("services.people", r["values"]["services.people"]),
        ]
        for r in rows
    ]
    second = [
        [
            r["name"],
            *[v.show(c, r["values"][c]) for c in COMMUNITY_CODES[6:]],
            v.show("cases.open", r["values"]["cases.open"]),
        ]
        for r in rows
    ]
    t1 = data_table(
        [
            "社区（村）",
            "登记居民",
            "重点人群",
            "重点人群\n服务人数",
            "覆盖率",
            "服务人次",
            "服务人数",
        ],
        first,
        col_widths=[0.22, 0.13, 0.13, 0.13, 0.13, 0.13, 0.13],
        total=[
            "合计",
            f"{total('residents.total'):,}",
            f"{total('keygroups.registered.all'):,}",
            f"{total('keygroups.served.all'):,}",
            coverage_text(total("keygroups.served.all"), total("keygroups.registered.all")),
            f"{total('services.attendances'):,}",
            "—",
        ],
    )
    t2 = data_table(
        ["社区（村）", "社区活动场次", "探访次数", "逾期未探访", "在册志愿者", "期末在案个案"],
        second,
        col_widths=[0.22, 0.156, 0.156, 0.156, 0.156, 0.156],
        total=[
            "合计",
            *[f"{total(c):,}" for c in COMMUNITY_CODES[6:]],
            f"{total('cases.open'):,}",
        ],
    )
    note = para(
        "注：服务人数按社区分别去重，一人在两个社区接受服务时两处各计一次，故不合计；"
        "重点人群按居民档案所属社区计，活动和服务记录按其登记的社区计。",
        "note",
    )
    return [t1, t2, note]


def _labels(months: list[str]) -> list[str]:
    out = []
    for index, text in enumerate(months):
        d = date.fromisoformat(text)
        out.append(f"{d.year}年{d.month}月" if index == 0 or d.month == 1 else f"{d.month}月")
    return out


def _charts(v: _View) -> list[Any]:
    series = v.data["series"]
    labels = _labels(series["months"])
    attendances = series["values"]["services.attendances"]
    minutes = series["values"]["volunteers.minutes"]
    return [
        bar_chart(
            labels, {"服务人次": attendances}, title=f"近{len(labels)}个月服务人次", unit="人次"
        ),
        line_chart(
            labels,
            {"志愿服务时长": [float(hours_value(m)) for m in minutes]},
            title=f"近{len(labels)}个月志愿服务时长",
            unit="小时",
        ),
    ]


def _coverage_table(v: _View) -> Any:
    rows = []
    for key, label in v.data["coverage_groups"]:
        registered = v.values.get(f"keygroups.registered.{key}")
        served = v.values.get(f"keygroups.served.{key}")
        rows.append(
            [
                label,
                v.show("keygroups.registered", registered),
                v.show("keygroups.served", served),
                v.show("keygroups.attendances", v.values.get(f"keygroups.attendances.{key}")),
                coverage_text(served, registered),
            ]
        )
    return data_table(
        ["重点人群", "在册人数", "服务人数", "服务人次", "覆盖率"],
        rows,
        col_widths=[0.32, 0.17, 0.17, 0.17, 0.17],
    )


def _cases(v: _View) -> list[Any]:
    risk_rows = [
        [f"{r}风险", v.text(f"cases.new.risk.{r}"), v.text(f"cases.open.risk.{r}")] for r in RISKS
    ]
    stages = [s for s in OPEN_STAGES] + sorted(
        c.rsplit(".", 1)[1]
        for c in v.values
        if c.startswith("cases.open.stage.") and c.rsplit(".", 1)[1] not in OPEN_STAGES
    )
    return [
        _kv(v, ("cases.new", "cases.closed", "cases.open", "cases.services", "cases.referrals")),
        data_table(
            ["风险等级", "新接案", "期末在案"],
            risk_rows,
            col_widths=[0.4, 0.3, 0.3],
            total=["合计", v.text("cases.new"), v.text("cases.open")],
        ),
        data_table(
            ["期末所处阶段", *stages],
            [["在案个案（件）", *[v.text(f"cases.open.stage.{s}") for s in stages]]],
        ),
    ]


def _kv(v: _View, codes: tuple[str, ...]) -> Any:
    def shown(code: str) -> str:
        text = v.text(code)
        return text if v.values.get(code) is None else f"{text} {v.unit(code)}"

    return kv_table({v.label(c): shown(c) for c in codes}, cols=2)


def _services_table(v: _View) -> Any:
    kinds = sorted(
        {c.split(".", 2)[2] for c in v.values if c.startswith("services.records.")},
        key=lambda k: list(v.values).index(f"services.records.{k}"),
    )
    rows = [
        [
            k,
            v.text(f"services.records.{k}"),
            v.text(f"services.attendances.{k}"),
            v.text(f"services.people.{k}"),
            v.text(f"services.minutes.{k}"),
        ]
        for k in kinds
        if v.v(f"services.records.{k}")
    ]
    return data_table(
        ["服务类型", "服务次数", "服务人次", "服务人数", "服务时长（小时）"],
        rows,
        col_widths=[0.24, 0.19, 0.19, 0.19, 0.19],
        total=[
            "合计",
            v.text("services.records"),
            v.text("services.attendances"),
            v.text("services.people"),
            v.text("services.minutes"),
        ],
    )


def _highlights(v: _View) -> list[Any]:
    items = v.data["highlights"]
    if not items:
        return [para("本期没有标记为亮点的服务记录。")]
    out = []
    for index, h in enumerate(items, 1):
        d = date.fromisoformat(h["date"])
        head = "，".join(
            x
            for x in (f"{d.month}月{d.day}日", h["community"], h["about"] or h["type"], h["who"])
            if x
        )
        out.append(para(f"{index}. {head}：{h['text'] or '（无文字记录）'}"))
    return out


def _notes(v: _View) -> list[Any]:
    rows = []
    for key, (label, unit, _section, definition) in v.defs.items():
        del key
        rows.append([label, unit, definition])
    return [
        section_title("附：指标说明", 1),
        para(
            "本报告所有数字由系统按以下口径从业务记录自动统计；“未登记”表示本系统尚未登记该类数据，"
            "不是零。日期均含首尾两日。",
            "body_small",
        ),
        data_table(
            ["指标", "单位", "统计口径"],
            rows,
            col_widths=[0.2, 0.08, 0.72],
            font_size=FONT_SIZES["小五"],
            zebra=False,
        ),
    ]


def render_pdf(
    content: ReportContent,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the report PDF at ``path`` (atomically); returns the page count."""
    if content.data.get("kind") == "district":
        from wushe_desktop.reports.district_output import render_district_pdf

        return render_district_pdf(content, path, progress=progress, cancel=cancel)
    from reportlab.platypus import KeepTogether

    v = _View(content)
    period: Period = v.period
    scope = content.scope
    station = scope.station_name or scope.name
    word = "本月" if v.month else "本期"
    nxt = "下月" if v.month else "下阶段"
    locked = v.data.get("locked")
    doc = PdfDocument(
        path,
        title=content.title,
        header_left=scope.name,
        header_right=f"{period.label}{period.report_title}",
        author=v.data.get("generated_by", ""),
        subject=f"社工站{period.report_title}",
        keywords=("工作报告", "五社联动", period.key),
    )
    h = _headings()
    subtitle = f"（{chinese_date(period.start)}—{chinese_date(period.end)}）"
    doc.add(section_title(content.title, 0), para(subtitle, "subtitle"))
    if locked:
        doc.add(
            para(
                f"本报告已于{chinese_date(date.fromisoformat(locked['at'][:10]))}由{locked['by']}定稿，"
                f"以下数字为定稿时的统计结果（校验码 {locked['digest'][:16]}）。",
                "note",
            )
        )
    doc.add(
        section_title(f"{next(h)}总体情况", 1),
        para(_overview(v)),
        _summary_table(v),
        para("注：“环比”为本期与上期相比的增减幅度；服务时长以小时计，保留一位小数。", "note"),
    )
    if v.data["communities"]:
        doc.add(
            section_title(f"{next(h)}各社区（村）情况", 1),
            # A line of text after the heading: the heading keeps with it, and the long
            # table below may then start on the same page and break across pages.
            para(
                f"本期各社区（村）的主要数据如下（共 {len(v.data['communities'])} 行）：",
                "body_small",
            ),
            *_community_tables(v),
        )
    doc.add(section_title(f"{next(h)}服务趋势", 1), *_charts(v))
    doc.add(
        section_title(f"{next(h)}重点人群服务覆盖", 1),
        _coverage_table(v),
        para(f"注：覆盖率＝{word}接受过服务的重点人群人数÷期末在册的重点人群人数。", "note"),
    )
    doc.add(section_title(f"{next(h)}个案工作", 1), *_cases(v))
    doc.add(
        section_title(f"{next(h)}小组工作与社区活动", 1),
        _kv(
            v,
            (
                "groups.count",
                "groups.new",
                "groups.sessions",
                "groups.attendances",
                "groups.people",
                "activities.count",
                "activities.participants",
                "activities.volunteers",
                "activities.org_led",
            ),
        ),
    )
    doc.add(
        section_title(f"{next(h)}走访探访", 1),
        _kv(
            v,
            (
                "visits.count",
                "visits.people",
                "visits.home",
                "visits.risk",
                "visits.scheduled",
                "visits.overdue",
                "visits.never",
            ),
        ),
    )
    doc.add(
        section_title(f"{next(h)}志愿服务", 1),
        _kv(
            v,
            (
                "volunteers.registered",
                "volunteers.new",
                "volunteers.active",
                "volunteers.services",
                "volunteers.minutes",
                "volunteers.pending_minutes",
                "volunteers.shifts",
                "volunteers.stars",
            ),
        ),
    )
    doc.add(section_title(f"{next(h)}服务分类统计", 1), _services_table(v))
    doc.add(section_title(f"{next(h)}资源链接、联动任务与服务评价", 1))
    sub = 0
    for section in SECTIONS:
        if section.available:
            continue
        sub += 1
        doc.add(
            section_title(f"（{chinese_numeral(sub)}）{section.title}", 2),
            para(section.missing_text),
        )
    doc.add(section_title(f"{next(h)}工作亮点", 1), *_highlights(v))
    values: dict[str, object] = {"编制人": v.data.get("generated_by", "")}
    if locked:
        values["审核人"] = locked["by"]
        values["日期"] = date.fromisoformat(locked["at"][:10])
    plan = text_block(v.data.get("plan") or "") or [para("（未填写）")]
    doc.add(
        section_title(f"{next(h)}存在问题与{nxt}工作计划", 1),
        section_title("（一）存在问题", 2),
        *(text_block(v.data.get("problems") or "") or [para("（未填写）")]),
        section_title(f"（二）{nxt}工作计划", 2),
        *plan[:-1],
        # The signature never stands alone on a page: it keeps the plan's last line.
        KeepTogether([plan[-1], signature_block(values=values, org=station)]),
    )
    doc.page_break()
    doc.add(*_notes(v))
    return doc.build(progress=sub_progress(progress, 0.0, 1.0), cancel=cancel)
