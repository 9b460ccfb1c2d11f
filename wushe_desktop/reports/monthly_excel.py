"""The report's Excel twin: the same ``ReportContent`` as the PDF, one sheet per section.

Every sheet prints on A4 (fit to the page width, header rows repeated, page numbers in the
footer), numbers are numbers (hours with one decimal), and the 全部指标 sheet lists every
figure of the period by code, so other offices can consolidate the workbook by formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wushe_desktop.infra.excel._xlsx import atomic_file, safe_sheet_title
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress
from wushe_desktop.reports.content import (
    COMMUNITY_CODES,
    SUMMARY_CODES,
    ReportContent,
    base_code,
    coverage_ratio,
    figure_label,
    hours_value,
)
from wushe_desktop.reports.definitions import SECTIONS

__all__ = ["ALL_FIGURES_SHEET", "cell_value", "render_excel"]

ALL_FIGURES_SHEET = "全部指标"
HEADER_FILL = "DDEBF7"
TITLE_ROWS = 2  # report title and period, above each sheet's table


def cell_value(unit: str, value: Any) -> Any:
    """A figure as an Excel cell value: hours as a 1-decimal number, None as 未登记."""
    if value is None:
        return "未登记"
    if unit == "小时":
        return float(hours_value(int(value)))
    return int(value)


class _Book:
    def __init__(self, content: ReportContent) -> None:
        from openpyxl import Workbook

        self.content = content
        self.data = content.data
        self.defs: dict[str, list[str]] = self.data["definitions"]
        self.wb = Workbook()
        self.wb.remove(self.wb.active)

    def base(self, code: str) -> str:
        return base_code(self.defs, code)

    def label(self, code: str) -> str:
        return figure_label(self.data, code)

    def unit(self, code: str) -> str:
        return self.defs[self.base(code)][1]

    def value(self, code: str, values: dict[str, Any]) -> Any:
        return cell_value(self.unit(code), values.get(code))

    def sheet(
        self,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        *,
        landscape: bool = False,
        total: Sequence[Any] | None = None,
    ) -> Any:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(safe_sheet_title(title))
        thin = Side(style="thin", color="808080")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        ws.append([f"{self.content.title}——{title}"])
        ws["A1"].font = Font(bold=True, size=14)
        period = self.content.period
        ws.append(
            [f"统计期间：{period.start.isoformat()} 至 {period.end.isoformat()}（{period.label}）"]
        )
        header_row = TITLE_ROWS + 1
        ws.append(list(headers))
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = border
        for row in rows:
            ws.append(list(row))
        if total is not None:
            ws.append(list(total))
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row):
            for cell in row:
                cell.border = border
                if isinstance(cell.value, float):
                    cell.number_format = "#,##0.0"
                elif isinstance(cell.value, int):
                    cell.number_format = "#,##0"
                else:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.oddHeader.center.text = self.content.scope.name
        ws.oddFooter.center.text = "第 &P 页 共 &N 页"
        return ws

    def figure_rows(self, codes: Sequence[str]) -> list[list[Any]]:
        values = self.content.values
        return [[self.label(c), self.unit(c), self.value(c, values)] for c in codes]


def _summary(book: _Book) -> None:
    columns = book.data["columns"]
    rows = []
    for code in SUMMARY_CODES:
        rows.append(
            [
                "重点人群服务人数" if code == "keygroups.served.all" else book.label(code),
                book.unit(code),
                *[book.value(code, c["values"]) for c in columns],
            ]
        )
    book.sheet(
        "总体情况",
        ["指标", "单位", *[f"{c['heading']}\n{c['period']['label']}" for c in columns]],
        rows,
        [24, 8, *([16] * len(columns))],
    )


def _communities(book: _Book) -> None:
    rows = book.data["communities"]
    if not rows:
        return
    codes = list(COMMUNITY_CODES)
    body = []
    for r in rows:
        values = r["values"]
        ratio = coverage_ratio(values["keygroups.served.all"], values["keygroups.registered.all"])
        body.append(
            [r["name"], *[book.value(c, values) for c in codes], float(ratio) if ratio else None]
        )
    book.sheet(
        "各社区",
        ["社区（村）", *[book.label(c) for c in codes], "重点人群覆盖率（%）"],
        body,
        [18, *([12] * len(codes)), 12],
        landscape=True,
    )


def _series(book: _Book) -> None:
    series = book.data["series"]
    rows = [
        [month[:7], attendances, float(hours_value(minutes))]
        for month, attendances, minutes in zip(
            series["months"],
            series["values"]["services.attendances"],
            series["values"]["volunteers.minutes"],
            strict=True,
        )
    ]
    book.sheet("服务趋势", ["月份", "服务人次", "志愿服务时长（小时）"], rows, [12, 14, 20])


def _coverage(book: _Book) -> None:
    values = book.content.values
    rows = []
    for key, label in book.data["coverage_groups"]:
        registered = values.get(f"keygroups.registered.{key}")
        served = values.get(f"keygroups.served.{key}")
        ratio = coverage_ratio(served, registered)
        rows.append(
            [
                label,
                registered,
                served,
                values.get(f"keygroups.attendances.{key}"),
                float(ratio) if ratio is not None else None,
            ]
        )
    book.sheet(
        "重点人群覆盖",
        ["重点人群", "在册人数", "服务人数", "服务人次", "覆盖率（%）"],
        rows,
        [22, 12, 12, 12, 14],
    )


def _section_sheet(book: _Book, title: str, prefixes: tuple[str, ...]) -> None:
    codes = [c for c in book.content.values if c.startswith(prefixes)]
    book.sheet(title, ["指标", "单位", "数值"], book.figure_rows(codes), [30, 8, 14])


def _services(book: _Book) -> None:
    values = book.content.values
    kinds = [c.split(".", 2)[2] for c in values if c.startswith("services.records.")]
    rows = [
        [
            k,
            *[
                book.value(f"services.{m}.{k}", values)
                for m in ("records", "attendances", "people", "minutes")
            ],
        ]
        for k in kinds
    ]
    book.sheet(
        "服务分类",
        ["服务类型", "服务次数", "服务人次", "服务人数", "服务时长（小时）"],
        rows,
        [14, 12, 12, 12, 16],
        total=[
            "合计",
            *[
                book.value(f"services.{m}", values)
                for m in ("records", "attendances", "people", "minutes")
            ],
        ],
    )


def _unavailable(book: _Book) -> None:
    rows = [[s.title, s.missing_text] for s in SECTIONS if not s.available]
    book.sheet("资源与任务", ["内容", "说明"], rows, [20, 70])


def _highlights(book: _Book) -> None:
    rows = [
        [h["date"], h["community"], h["type"], h["about"], h["who"], h["text"]]
        for h in book.data["highlights"]
    ]
    book.sheet(
        "工作亮点",
        ["日期", "社区（村）", "服务类型", "关联活动", "服务对象", "内容"],
        rows,
        [12, 14, 10, 24, 10, 50],
        landscape=True,
    )


def _texts(book: _Book) -> None:
    nxt = "下月工作计划" if book.content.period.kind.value == "month" else "下阶段工作计划"
    rows = [["存在问题", book.data.get("problems") or ""], [nxt, book.data.get("plan") or ""]]
    book.sheet("问题与计划", ["项目", "内容"], rows, [16, 80])


def _all_figures(book: _Book) -> None:
    values = book.content.values
    rows = [[code, book.label(code), book.unit(code), book.value(code, values)] for code in values]
    book.sheet(ALL_FIGURES_SHEET, ["代码", "指标", "单位", "数值"], rows, [34, 26, 8, 14])


def _definitions(book: _Book) -> None:
    rows = [[label, unit, definition] for label, unit, _s, definition in book.defs.values()]
    book.sheet("指标说明", ["指标", "单位", "统计口径"], rows, [24, 8, 80])


def render_excel(
    content: ReportContent,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the Excel twin at ``path`` (atomically); returns the number of sheets."""
    if content.data.get("kind") == "district":
        from wushe_desktop.reports.district_output import render_district_excel

        return render_district_excel(content, path, progress=progress, cancel=cancel)
    book = _Book(content)
    steps = [
        _summary,
        _communities,
        _series,
        _coverage,
        lambda b: _section_sheet(b, "个案工作", ("cases.",)),
        lambda b: _section_sheet(b, "小组与活动", ("groups.", "activities.")),
        lambda b: _section_sheet(b, "走访探访", ("visits.",)),
        lambda b: _section_sheet(b, "志愿服务", ("volunteers.",)),
        _services,
        _unavailable,
        _highlights,
        _texts,
        _all_figures,
        _definitions,
    ]
    for index, step in enumerate(steps):
        check_cancel(cancel)
        progress(index / len(steps) * 0.9, "正在生成 Excel……")
        step(book)
    with atomic_file(Path(path)) as tmp:
        book.wb.save(tmp)
    progress(1.0, "Excel 已生成")
    return len(book.wb.worksheets)
