"""Excel export of any list, and import templates.

``write_table`` streams rows with openpyxl's write-only mode, so memory stays flat for
100,000 rows (PERF-FLOORS 4b). The workbook follows the export rules of DOMAIN-RULES §6
and STYLE pattern 15: Chinese bold headers, frozen header row, dates as date cells, ID
numbers as text, no formulas from user data, masking by default, atomic write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from wushe_desktop.infra.errors import WusheError
from wushe_desktop.infra.excel._xlsx import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    HEADER_FILL,
    MONEY_FORMAT,
    TEXT_FORMAT,
    atomic_file,
    column_converter,
    discard_write_only,
    header_cell,
    install_fast_rows,
    safe_sheet_title,
    styled_cell,
)
from wushe_desktop.infra.excel.columns import REQUIRED_MARK, Column, ColumnKind
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress

__all__ = ["Column", "ColumnKind", "write_table", "write_template"]

PROGRESS_EVERY = 1000
#: Rows of the template that get the column's cell format (the column style covers the rest).
TEMPLATE_ROWS = 2000
INSTRUCTIONS_SHEET = "填写说明"
CHOICES_SHEET = "选项"
#: Excel's row limit per sheet; an export that would exceed it is refused, not truncated.
MAX_SHEET_ROWS = 1_048_576
_INLINE_LIST_LIMIT = 255  # Excel's limit for a literal drop-down list

_TEMPLATE_FORMATS: dict[str, str] = {
    "text": TEXT_FORMAT,
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
    "int": "0",
    "money_fen": MONEY_FORMAT,
}
_KIND_HINTS: dict[str, str] = {
    "date": "日期，如 2024-03-05（也可写 2024/3/5、2024.3.5、2024年3月5日）",
    "datetime": "日期和时间，如 2024-03-05 09:30",
    "int": "整数",
    "money_fen": "金额（元），最多两位小数",
    "bool": "填“是”或“否”",
}
_STANDARD_INSTRUCTIONS = (
    f"列名后带 {REQUIRED_MARK} 的为必填列；表头文字请勿修改，列的先后顺序可以调整，多余的列会被忽略。",
    "身份证号、电话等长数字列已设为文本格式，请勿改成数字格式，否则 Excel 会把身份证号后几位变成 0。",
    "日期可写成 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日。",
    "有下拉箭头的列请从下拉列表中选择。",
)


def _row_getter(columns: Sequence[Column]) -> Callable[[object], list[object]]:
    keys = [column.key for column in columns]

    def get(row: object) -> list[object]:
        if isinstance(row, Mapping):
            lookup = row.get
            return [lookup(key) for key in keys]
        return [getattr(row, key, None) for key in keys]

    return get


def write_table(
    path: Path,
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, object]] | Iterable[Any],
    *,
    sheet_title: str = "数据",
    full: bool = False,
    total: int | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    title_rows: Sequence[str] = (),
) -> int:
    """Export ``rows`` (mappings or objects) to ``path``; return the number of rows written.

    Sensitive columns go through their ``mask`` unless ``full`` is true (the caller checks
    the permission and audits the export). ``title_rows`` are lines above the header (e.g.
    the list name and export time). Raises ``Cancelled`` if ``cancel`` fires; then no file
    is left under ``path``.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    if not columns:
        raise ValueError("write_table needs at least one column")
    path = Path(path)
    workbook = Workbook(write_only=True)
    written = 0
    try:
        ws = workbook.create_sheet(title=safe_sheet_title(sheet_title))
        header_row = len(title_rows) + 1
        for index, column in enumerate(columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        install_fast_rows(ws)

        for index, line in enumerate(title_rows):
            title = styled_cell(ws, line, bold=index == 0, size=14 if index == 0 else None)
            ws.append([title] if line else [])
        ws.append([header_cell(ws, column.header) for column in columns])

        converters = [column_converter(ws, c.kind, None if full else c.mask) for c in columns]
        get = _row_getter(columns)
        room = MAX_SHEET_ROWS - header_row
        progress(0.0, "正在导出…")
        for row in rows:
            if written >= room:
                raise WusheError(
                    f"要导出的行数超过 Excel 单个工作表的上限（{MAX_SHEET_ROWS:,} 行），"
                    "请缩小筛选范围后分批导出。"
                )
            ws.append([convert(value) for convert, value in zip(converters, get(row), strict=True)])
            written += 1
            if written % PROGRESS_EVERY == 0:
                check_cancel(cancel)
                if total:
                    progress(min(written / total, 1.0) * 0.95, f"已导出 {written} / {total} 行")
                else:
                    progress(0.0, f"已导出 {written} 行")
        check_cancel(cancel)

        last_column = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A{header_row}:{last_column}{header_row + written}"
        progress(0.95, "正在保存文件…")
        with atomic_file(path) as tmp:
            workbook.save(tmp)
    except BaseException:
        discard_write_only(workbook)
        raise
    progress(1.0, f"导出完成，共 {written} 行。")
    return written


def _instruction_rows(columns: Sequence[Column]) -> list[list[str]]:
    rows = []
    for column in columns:
        hint = _KIND_HINTS.get(column.kind, "")
        note = "；".join(part for part in (column.note, hint) if part)
        rows.append(
            [
                column.header,
                "必填" if column.required else "选填",
                note,
                "、".join(_choices(column)),
            ]
        )
    return rows


def _choices(column: Column) -> Sequence[str]:
    if column.choices:
        return column.choices
    return ("是", "否") if column.kind == "bool" else ()


def _list_formula(choices: Sequence[str], options_ws: Any, slot: int) -> str:
    """A literal list when short, else a range on the hidden options sheet."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    literal = ",".join(choices)
    if len(literal) + 2 <= _INLINE_LIST_LIMIT and not any('"' in c or "," in c for c in choices):
        return f'"{literal}"'
    letter = get_column_letter(slot)
    for row, choice in enumerate(choices, 1):
        options_ws.cell(row=row, column=slot, value=choice).data_type = "s"
    return f"{quote_sheetname(options_ws.title)}!${letter}$1:${letter}${len(choices)}"


def write_template(
    path: Path,
    columns: Sequence[Column],
    *,
    sheet_title: str,
    instructions: Sequence[str],
    example: Mapping[str, object] | None = None,
) -> None:
    """Write an empty import template: a data sheet and a 填写说明 sheet.

    The data sheet has the headers (required ones marked with "*"), drop-down lists for
    columns with choices, and text format "@" on text columns so typed ID numbers stay
    text. The example row goes on the instructions sheet, not the data sheet, so that it
    can never be imported by accident.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    path = Path(path)
    workbook = Workbook()
    ws = workbook.active
    ws.title = safe_sheet_title(sheet_title)
    info = workbook.create_sheet(INSTRUCTIONS_SHEET)
    options_ws = None
    bold = Font(bold=True)
    required_font = Font(bold=True, color="C00000")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    centered = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=column.header)
        if column.required:
            cell.value = column.header + REQUIRED_MARK
        cell.data_type = "s"
        cell.font = required_font if column.required else bold
        cell.fill = fill
        cell.alignment = centered
        if column.note:
            cell.comment = Comment(column.note, "说明")
        dimension = ws.column_dimensions[letter]
        dimension.width = column.width
        number_format = _TEMPLATE_FORMATS.get(column.kind)
        if number_format:
            dimension.number_format = number_format  # applies to any row typed later
            for row in range(2, TEMPLATE_ROWS + 2):
                ws.cell(row=row, column=index).number_format = number_format
        choices = _choices(column)
        if choices:
            if options_ws is None:
                options_ws = workbook.create_sheet(CHOICES_SHEET)
                options_ws.sheet_state = "hidden"
            validation = DataValidation(
                type="list",
                formula1=_list_formula(choices, options_ws, index),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="输入值无效",
                error=f"“{column.header}”请从下拉列表中选择。",
            )
            validation.add(f"{letter}2:{letter}{MAX_SHEET_ROWS}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"

    _fill_instructions(
        info, data_title=ws.title, columns=columns, instructions=instructions, example=example
    )
    with atomic_file(path) as tmp:
        workbook.save(tmp)


def _fill_instructions(
    info: Any,
    *,
    data_title: str,
    columns: Sequence[Column],
    instructions: Sequence[str],
    example: Mapping[str, object] | None,
) -> None:
    from openpyxl.styles import Font

    for letter, width in zip("ABCD", (18, 10, 60, 40), strict=True):
        info.column_dimensions[letter].width = width
    info.append([INSTRUCTIONS_SHEET])
    info["A1"].font = Font(bold=True, size=14)
    info.append([f"请在“{data_title}”工作表中填写数据，每行一条。"])
    for line in (*instructions, *_STANDARD_INSTRUCTIONS):
        info.append([line])
    info.append([])
    info.append(["列名", "是否必填", "说明", "可选值"])
    _style_header_row(info)
    for row in _instruction_rows(columns):
        info.append(row)
    if example:
        _append_example(info, data_title, columns, example)
    # Keep every instruction cell a plain string, even one that starts with "=" or "-".
    for cells in info.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _style_header_row(info: Any) -> None:
    from openpyxl.styles import Font, PatternFill

    for cell in info[info.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)


def _append_example(
    info: Any, data_title: str, columns: Sequence[Column], example: Mapping[str, object]
) -> None:
    from openpyxl.styles import Font

    info.append([])
    info.append([f"填写示例（仅供参考，请在“{data_title}”工作表中填写）"])
    info.cell(row=info.max_row, column=1).font = Font(bold=True)
    info.append([column.header for column in columns])
    _style_header_row(info)
    row = info.max_row + 1
    for index, column in enumerate(columns, 1):
        value = example.get(column.key)
        cell = info.cell(row=row, column=index, value=_example_value(column, value))
        if column.kind == "money_fen":
            cell.number_format = MONEY_FORMAT
        elif isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        elif isinstance(value, str):
            cell.number_format = TEXT_FORMAT


def _example_value(column: Column, value: object) -> object:
    if isinstance(value, bool):
        return "是" if value else "否"
    if column.kind == "money_fen" and isinstance(value, int):
        return Decimal(value).scaleb(-2)
    return value
