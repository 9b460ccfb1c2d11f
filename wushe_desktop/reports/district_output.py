"""The district report printed (A4 landscape) and as Excel: stations side by side with the
totals, the stations ranked by key-group coverage, and the communities ranked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wushe_desktop.infra.pdf import (
    PdfDocument,
    chinese_date,
    data_table,
    para,
    section_title,
    signature_block,
)
from wushe_desktop.infra.pdf.styles import FONT_SIZES
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress
from wushe_desktop.reports.content import ReportContent, coverage_text, figure_label, hours
from wushe_desktop.reports.district import DISTRICT_CODES
from wushe_desktop.reports.monthly_pdf import _overview, _View

__all__ = ["render_district_excel", "render_district_pdf"]

STATIONS_PER_TABLE = 6
LOWEST_COMMUNITIES = 30


def _unit(data: dict[str, Any], code: str) -> str:
    from wushe_desktop.reports.content import base_code

    return str(data["definitions"][base_code(data["definitions"], code)][1])


def _show(data: dict[str, Any], code: str, value: Any) -> str:
    if value is None:
        return "未登记"
    return hours(int(value)) if _unit(data, code) == "小时" else f"{int(value):,}"


def _label(data: dict[str, Any], code: str) -> str:
    return "重点人群服务人数" if code == "keygroups.served.all" else figure_label(data, code)


def _station_tables(data: dict[str, Any]) -> list[Any]:
    stations = data["stations"]
    total = data["columns"][0]["values"]
    out = []
    for start in range(0, max(1, len(stations)), STATIONS_PER_TABLE):
        part = stations[start : start + STATIONS_PER_TABLE]
        last = start + STATIONS_PER_TABLE >= len(stations)
        headers = ["指标", "单位", *[s["name"] for s in part], *(["全区合计"] if last else [])]
        rows = [
            [
                _label(data, code),
                _unit(data, code),
                *[_show(data, code, s["values"].get(code)) for s in part],
                *([_show(data, code, total.get(code))] if last else []),
            ]
            for code in DISTRICT_CODES
        ]
        n = len(headers) - 2
        out.append(data_table(headers, rows, col_widths=[0.2, 0.06, *([0.74 / n] * n)]))
    return out


def _station_ranking(data: dict[str, Any]) -> Any:
    ranking = data["station_ranking"]
    per_group = {key: {r["name"]: r for r in rows} for key, rows in ranking.items() if key != "all"}
    rows = []
    for r in ranking["all"]:
        rows.append(
            [
                r["rank"] or "—",
                r["name"],
                f"{r['registered']:,}",
                f"{r['served']:,}",
                coverage_text(r["served"], r["registered"]),
                *[
                    coverage_text(
                        per_group[k][r["name"]]["served"], per_group[k][r["name"]]["registered"]
                    )
                    for k, _ in data["coverage_groups"]
                    if k != "all"
                ],
            ]
        )
    labels = [label for k, label in data["coverage_groups"] if k != "all"]
    return data_table(
        ["排名", "站点", "重点人群在册", "服务人数", "覆盖率", *[f"{x}覆盖率" for x in labels]],
        rows,
        align=["center", "left", "right", "right", "right", *(["right"] * len(labels))],
    )


def _community_ranking(data: dict[str, Any], limit: int | None) -> list[list[Any]]:
    rows = data["community_ranking"]
    chosen = [r for r in rows if r["rank"] is not None]
    if limit is not None:
        chosen = list(reversed(chosen[-limit:]))
    return [
        [
            r["rank"],
            r["name"],
            r["station"],
            f"{r['registered']:,}",
            f"{r['served']:,}",
            coverage_text(r["served"], r["registered"]),
        ]
        for r in chosen
    ]


def render_district_pdf(
    content: ReportContent,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    data = content.data
    period = content.period
    doc = PdfDocument(
        path,
        title=content.title,
        header_left=content.scope.name,
        header_right=f"{period.label}汇总报告",
        author=data.get("generated_by", ""),
        subject="社工站工作汇总报告",
        landscape=True,
        compact=True,
    )
    doc.add(
        section_title(content.title, 0, compact=True),
        para(
            f"（{chinese_date(period.start)}—{chinese_date(period.end)}）", "subtitle", compact=True
        ),
        para(
            f"本报告汇总本库已导入的 {len(data['stations'])} 个社工站的数据，"
            "各站点列与该站自己生成的报告口径相同。" + _overview(_View(content)),
            "body_small",
            compact=True,
        ),
        section_title("一、各站点主要指标", 1, compact=True),
        *_station_tables(data),
        section_title("二、站点重点人群服务覆盖率排名", 1, compact=True),
        _station_ranking(data),
        section_title(
            f"三、重点人群覆盖率较低的社区（村）（最低 {LOWEST_COMMUNITIES} 个）", 1, compact=True
        ),
        data_table(
            ["排名", "社区（村）", "所属站点", "重点人群在册", "服务人数", "覆盖率"],
            _community_ranking(data, LOWEST_COMMUNITIES),
            align=["center", "left", "left", "right", "right", "right"],
        ),
        para(
            "注：全部社区（村）的排名见 Excel 版“社区排名”工作表；覆盖率＝服务人数÷在册人数。",
            "note",
        ),
        signature_block(values={"编制人": data.get("generated_by", "")}, org=""),
    )
    doc.page_break()
    rows = [
        [label, unit, definition] for label, unit, _s, definition in data["definitions"].values()
    ]
    doc.add(
        section_title("附：指标说明", 1, compact=True),
        data_table(
            ["指标", "单位", "统计口径"],
            rows,
            col_widths=[0.18, 0.06, 0.76],
            font_size=FONT_SIZES["小五"],
        ),
    )
    check_cancel(cancel)
    return doc.build(progress=progress, cancel=cancel)


def render_district_excel(
    content: ReportContent,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    from wushe_desktop.reports.monthly_excel import _Book, cell_value

    data = content.data
    book = _Book(content)
    total = data["columns"][0]["values"]
    stations = data["stations"]
    book.sheet(
        "各站对比",
        ["代码", "指标", "单位", *[s["name"] for s in stations], "全区合计"],
        [
            [
                code,
                _label(data, code),
                _unit(data, code),
                *[cell_value(_unit(data, code), s["values"].get(code)) for s in stations],
                cell_value(_unit(data, code), total.get(code)),
            ]
            for code in DISTRICT_CODES
        ],
        [30, 22, 8, *([14] * len(stations)), 14],
        landscape=True,
    )
    check_cancel(cancel)
    groups = [(k, label) for k, label in data["coverage_groups"]]
    book.sheet(
        "站点排名",
        ["排名", "站点", "重点人群在册", "服务人数", "覆盖率（%）"],
        [
            [
                r["rank"],
                r["name"],
                r["registered"],
                r["served"],
                float(r["coverage"]) if r["coverage"] else None,
            ]
            for r in data["station_ranking"]["all"]
        ],
        [8, 24, 14, 12, 12],
    )
    for key, label in groups:
        if key == "all":
            continue
        book.sheet(
            f"站点排名（{label.split('/')[0]}）",
            ["排名", "站点", f"{label}在册", "服务人数", "覆盖率（%）"],
            [
                [
                    r["rank"],
                    r["name"],
                    r["registered"],
                    r["served"],
                    float(r["coverage"]) if r["coverage"] else None,
                ]
                for r in data["station_ranking"][key]
            ],
            [8, 24, 14, 12, 12],
        )
    book.sheet(
        "社区排名",
        ["排名", "社区（村）", "所属站点", "重点人群在册", "服务人数", "覆盖率（%）"],
        [
            [
                r["rank"],
                r["name"],
                r["station"],
                r["registered"],
                r["served"],
                float(r["coverage"]) if r["coverage"] else None,
            ]
            for r in data["community_ranking"]
        ],
        [8, 20, 24, 14, 12, 12],
    )
    rows = [
        [label, unit, definition] for label, unit, _s, definition in data["definitions"].values()
    ]
    book.sheet("指标说明", ["指标", "单位", "统计口径"], rows, [24, 8, 80])
    from wushe_desktop.infra.excel._xlsx import atomic_file

    with atomic_file(Path(path)) as tmp:
        book.wb.save(tmp)
    progress(1.0, "Excel 已生成")
    return len(book.wb.worksheets)
