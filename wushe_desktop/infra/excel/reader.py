"""Tolerant reading of an import sheet, and the error workbook for rejected rows.

Sheets are read with python-calamine (≈10× openpyxl, PERF-FLOORS 5b). Columns are found
by header name, so their order may vary; values are returned raw (text normalised) and
the caller's validators decide what they mean. An ID number that arrives as a number stays
a number here so that the caller can refuse it (Excel has already lost its last digits).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from wushe_desktop.domain.text import normalize_cell
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.infra.excel._xlsx import (
    TEXT_FORMAT,
    atomic_file,
    discard_write_only,
    header_cell,
    install_fast_rows,
    raw_converter,
    safe_sheet_title,
    styled_cell,
    text_converter,
)
from wushe_desktop.infra.excel.columns import REQUIRED_MARK, Column
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress

__all__ = [
    "ERROR_COLUMN",
    "RowError",
    "SheetData",
    "SheetRow",
    "header_key",
    "read_sheet",
    "write_error_workbook",
]

ERROR_COLUMN = "错误原因"
#: How many non-empty rows at the top may precede the header (titles such as "居民名单").
HEADER_SCAN_ROWS = 20
PROGRESS_EVERY = 1000
_SPACES = re.compile(r"\s+")
# After NFKC, （必填） is (必填) and ＊ is *.
_REQUIRED_MARKS = re.compile(rf"^\{REQUIRED_MARK}+|\{REQUIRED_MARK}+$|\((必填|必选|选填)\)$")


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One non-empty data row."""

    row_number: int  # 1-based Excel row number
    values: dict[str, object]  # key -> value (text normalised; numbers, dates as read)
    raw: tuple[object, ...]  # the row's cells in file order, for the error workbook


@dataclass(frozen=True, slots=True)
class RowError:
    """A rejected cell or row, addressed the way the user sees it in Excel."""

    sheet: str
    row: int
    column: str  # the column's header; "" for a problem with the whole row
    message: str

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}”第{self.row}行"
        if self.column:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


@dataclass
class SheetData:
    """The rows of the sheet that was read, plus where each known column was found."""

    sheet: str
    headers: list[str]  # the header row as written in the file (all columns)
    rows: list[SheetRow]
    header_row: int = 1  # 1-based Excel row number of the header
    column_index: dict[str, int] = field(default_factory=dict)  # key -> position in raw
    text_indexes: frozenset[int] = frozenset()  # positions of text columns

    @property
    def present_keys(self) -> frozenset[str]:
        """Keys whose column exists in the file (absent optional columns read as None)."""
        return frozenset(self.column_index)

    def header_of(self, key: str) -> str:
        """The header text the file uses for ``key`` (for RowError.column)."""
        index = self.column_index.get(key)
        return self.headers[index] if index is not None else key


def header_key(value: object) -> str:
    """The comparable form of a header: normalised, no spaces, no required marks, casefolded.

    So "姓  名", "姓名*", "姓名（必填）" and "＊姓名" all match "姓名".
    """
    if value is None:
        return ""
    text = _SPACES.sub("", normalize_cell(str(value)))
    previous = None
    while previous != text:
        previous = text
        text = _REQUIRED_MARKS.sub("", text)
    return text.casefold()


def _lookup(
    columns: Sequence[Column], aliases: Mapping[str, Sequence[str]] | None
) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in columns:
        lookup.setdefault(header_key(column.header), column)
    for name, others in (aliases or {}).items():
        target = next((c for c in columns if name in (c.key, c.header)), None)
        if target is None:
            raise ValueError(f"alias for unknown column {name!r}")
        for other in others:
            lookup.setdefault(header_key(other), target)
    return lookup


def _unreadable(path: Path, reason: str) -> ValidationError:
    return ValidationError(f"文件“{path.name}”无法作为 Excel 工作簿读取：{reason}。", field="file")


def _open_sheet(path: Path) -> tuple[Any, str, Any]:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    if not path.is_file():
        raise ValidationError(f"文件“{path}”不存在。", field="file")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PermissionError as exc:
        raise _unreadable(path, "文件正被其他程序占用或没有读取权限") from exc
    except PasswordError as exc:
        raise _unreadable(path, "工作簿设置了密码，请先在 Excel 中取消密码") from exc
    except Exception as exc:
        raise _unreadable(
            path, "文件已损坏或不是 Excel 文件（.xlsx/.xls），请用 Excel 打开后另存为 .xlsx 再导入"
        ) from exc
    try:
        sheets = workbook.sheets_metadata
        if not sheets:
            raise _unreadable(path, "工作簿中没有工作表")
        visible = [
            s
            for s in sheets
            if s.typ == SheetTypeEnum.WorkSheet and s.visible == SheetVisibleEnum.Visible
        ]
        name = (visible or sheets)[0].name
        return workbook, name, workbook.get_sheet_by_name(name)
    except ValidationError:
        workbook.close()
        raise
    except Exception as exc:
        workbook.close()
        raise _unreadable(path, f"工作表内容已损坏（{exc}）") from exc


def _is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _row_values(
    row: Sequence[object], present: Sequence[tuple[str, int]]
) -> dict[str, object] | None:
    """The known columns of one row, or ``None`` when all of them are empty.

    Text is normalised (blank text becomes ``None``); integral floats become ``int``
    because calamine returns every number as a float. This loop runs for every cell of an
    import, so it is written for speed.
    """
    width = len(row)
    values: dict[str, object] = {}
    filled = False
    value: Any
    for key, index in present:
        value = row[index] if index < width else None
        kind = type(value)
        if kind is str:
            value = normalize_cell(value) or None if value else None
        elif kind is float and value.is_integer():
            value = int(value)
        if value is not None:
            filled = True
        values[key] = value
    return values if filled else None


def _find_header(
    rows: Iterator[list[object]], lookup: Mapping[str, Column]
) -> tuple[int, list[object], list[tuple[int, list[object]]], int]:
    """Find the header row near the top of the sheet.

    Returns (header index, header cells, rows already read past the header, index of the
    next row the iterator will give). The header is the first row containing a known
    header; failing that, the first non-empty row (and the header check then explains).
    """
    seen: list[tuple[int, list[object]]] = []
    filled = 0
    for index, row in enumerate(rows):
        if all(_is_blank(value) for value in row):
            seen.append((index, row))
            continue
        if any(header_key(value) in lookup for value in row):
            return index, row, [], index + 1
        seen.append((index, row))
        filled += 1
        if filled >= HEADER_SCAN_ROWS:
            break
    for position, (index, row) in enumerate(seen):
        if not all(_is_blank(value) for value in row):
            return index, row, seen[position + 1 :], seen[-1][0] + 1
    raise ValueError("empty sheet")


def read_sheet(
    path: Path,
    columns: Sequence[Column],
    *,
    aliases: Mapping[str, Sequence[str]] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> SheetData:
    """Read the first visible sheet of ``path`` into rows keyed by ``Column.key``.

    ``aliases`` maps a column's key (or header) to other accepted header texts, e.g.
    ``{"id_number": ["身份证号码", "证件号码"]}``. The header is the first row near the top
    that contains a known header (so exported files with title rows re-import). Rows whose
    known columns are all empty are skipped; unknown columns are ignored (but kept in
    ``SheetRow.raw``). Raises ``ValidationError`` for an unreadable file, an empty sheet,
    a duplicated header or missing required columns.
    """
    path = Path(path)
    lookup = _lookup(columns, aliases)
    workbook, sheet_name, sheet = _open_sheet(path)
    try:
        total = max(int(getattr(sheet, "height", 0) or 0), 1)
        rows = iter(sheet.iter_rows())
        try:
            header_index, header_cells, pending, next_index = _find_header(rows, lookup)
        except ValueError:
            raise ValidationError(
                f"工作表“{sheet_name}”是空的，没有表头和数据。", field="file"
            ) from None

        headers = ["" if _is_blank(v) else normalize_cell(str(v)) for v in header_cells]
        column_index = _match_headers(sheet_name, header_index + 1, header_cells, lookup)
        _check_required(sheet_name, header_index + 1, columns, column_index)
        text_indexes = frozenset(
            index for key, index in column_index.items() if _kind(columns, key) == "text"
        )
        keys = [column.key for column in columns]
        present = [(key, column_index[key]) for key in keys if key in column_index]
        absent = dict.fromkeys(key for key in keys if key not in column_index)

        data_rows: list[SheetRow] = []
        progress(0.0, "正在读取工作表…")
        for count, (index, row) in enumerate(chain(pending, enumerate(rows, next_index)), 1):
            if count % PROGRESS_EVERY == 0:
                check_cancel(cancel)
                progress(min(index / total, 1.0), f"已读取 {count} 行")
            values = _row_values(row, present)
            if values is not None:
                data_rows.append(SheetRow(index + 1, values | absent, tuple(row)))
        check_cancel(cancel)
    finally:
        workbook.close()
    progress(1.0, f"读取完成，共 {len(data_rows)} 行。")
    return SheetData(
        sheet=sheet_name,
        headers=headers,
        rows=data_rows,
        header_row=header_index + 1,
        column_index=column_index,
        text_indexes=text_indexes,
    )


def _kind(columns: Sequence[Column], key: str) -> str:
    return next(column.kind for column in columns if column.key == key)


def _match_headers(
    sheet: str, header_row: int, cells: Sequence[object], lookup: Mapping[str, Column]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, value in enumerate(cells):
        column = lookup.get(header_key(value))
        if column is None:
            continue
        if column.key in found:
            # Imported here: openpyxl costs ~0.15 s to import, and reading never needs it.
            from openpyxl.utils import get_column_letter

            first = get_column_letter(found[column.key] + 1)
            second = get_column_letter(index + 1)
            raise ValidationError(
                f"工作表“{sheet}”第{header_row}行有两列都是“{column.header}”"
                f"（{first}列和{second}列），请删除其中一列后再导入。",
                field="file",
            )
        found[column.key] = index
    return found


def _check_required(
    sheet: str, header_row: int, columns: Sequence[Column], found: Mapping[str, int]
) -> None:
    missing = [c.header for c in columns if c.required and c.key not in found]
    if missing:
        names = "、".join(f"“{name}”" for name in missing)
        raise ValidationError(
            f"工作表“{sheet}”缺少必填列{names}（表头应在第{header_row}行）。"
            "请使用导入模板，或检查表头文字是否写错。",
            field="file",
        )
    if not found:
        expected = "、".join(f"“{c.header}”" for c in columns)
        raise ValidationError(
            f"工作表“{sheet}”第{header_row}行中没有可识别的列名，应包含{expected}等列。",
            field="file",
        )


def _reasons(errors: Sequence[RowError]) -> dict[int, str]:
    by_row: dict[int, list[str]] = {}
    for error in errors:
        text = f"{error.column}：{error.message}" if error.column else error.message
        text = text.rstrip("。；; ")
        messages = by_row.setdefault(error.row, [])
        if text not in messages:
            messages.append(text)
    return {row: "；".join(messages) + "。" for row, messages in by_row.items()}


def write_error_workbook(path: Path, data: SheetData, errors: Sequence[RowError]) -> None:
    """Write the rejected rows as they were, plus a last column 错误原因, to ``path``.

    One row per rejected source row, in file order, under the original header, so the user
    can correct the rows and import this file again (the extra column is ignored then).
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    path = Path(path)
    reasons = _reasons(errors)
    rejected = [row for row in data.rows if row.row_number in reasons]
    width = max([len(data.headers), *(len(row.raw) for row in rejected)])
    headers = [*data.headers, *[""] * (width - len(data.headers))]
    # Re-importing an error workbook brings its old 错误原因 along: replace, don't pile up.
    old_reason = header_key(ERROR_COLUMN)
    keep = [i for i in range(width) if header_key(headers[i]) != old_reason]
    workbook = Workbook(write_only=True)
    try:
        ws = workbook.create_sheet(title=safe_sheet_title(data.sheet))
        for position in range(1, len(keep) + 1):
            ws.column_dimensions[get_column_letter(position)].width = 16
        ws.column_dimensions[get_column_letter(len(keep) + 1)].width = 60
        ws.freeze_panes = "A2"
        install_fast_rows(ws)
        error_header = styled_cell(ws, ERROR_COLUMN, bold=True, color="C00000", fill="FCE4D6")
        ws.append([*(header_cell(ws, headers[i]) for i in keep), error_header])

        converters = [
            (i, _text_column_converter(ws) if i in data.text_indexes else raw_converter(ws))
            for i in keep
        ]
        reason_cell = text_converter(ws)
        for row in rejected:
            raw = row.raw
            cells = [convert(raw[i] if i < len(raw) else None) for i, convert in converters]
            ws.append([*cells, reason_cell(reasons[row.row_number])])
        ws.auto_filter.ref = f"A1:{get_column_letter(len(keep) + 1)}{len(rejected) + 1}"
        with atomic_file(path) as tmp:
            workbook.save(tmp)
    except BaseException:
        discard_write_only(workbook)
        raise


def _text_column_converter(ws: Any) -> Any:
    """Cells of a text column keep format "@" even when empty or numeric.

    So an ID number that arrived as a number (and was rejected) stays visible as it was,
    and the value the user retypes into the cell is stored as text.
    """
    text = text_converter(ws)
    other = raw_converter(ws)
    blank = styled_cell(ws, number_format=TEXT_FORMAT)
    number = styled_cell(ws, number_format=TEXT_FORMAT)

    def convert(value: object) -> object:
        if value is None or value == "":
            return blank
        if isinstance(value, str):
            return text(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            number.value = value
            return number
        return other(value)

    return convert
