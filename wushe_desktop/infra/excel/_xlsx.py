"""openpyxl plumbing shared by the writers: atomic files, styles and fast streaming rows.

openpyxl is imported inside the functions so that importing this package stays cheap at
application start-up (PERF-FLOORS: keep openpyxl out of start-up).
"""

from __future__ import annotations

import errno
import os
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from wushe_desktop.domain.text import needs_formula_escape
from wushe_desktop.infra.errors import WusheError
from wushe_desktop.infra.excel.columns import ColumnKind

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIME_FORMAT = "hh:mm"
MONEY_FORMAT = "#,##0.00"
TEXT_FORMAT = "@"
HEADER_FILL = "DDEBF7"

#: A value converter: turns a Python value into what ``ws.append`` takes (a raw value, a
#: prepared cell, or ``None`` for an empty cell).
Converter = Callable[[object], object]

_BAD_TITLE_CHARS = re.compile(r"[\[\]:*?/\\]")


def safe_sheet_title(title: str, default: str = "数据") -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, not empty."""
    cleaned = _BAD_TITLE_CHARS.sub("", title).strip().strip("'")[:31]
    return cleaned or default


def _write_error(path: Path, exc: OSError) -> WusheError:
    if isinstance(exc, PermissionError):
        reason = "文件正被其他程序（如 Excel、WPS）打开，或没有写入权限。请关闭该文件后重试，或换一个位置保存"
    elif exc.errno == errno.ENOSPC:
        reason = "磁盘空间不足"
    else:
        reason = exc.strerror or str(exc)
    return WusheError(f"无法写入文件“{path}”：{reason}。")


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; replace ``path`` with it only on success.

    On an error (or cancellation) the temporary file is removed and ``path`` is left as it
    was, so a half-written workbook never appears under the real name.
    """
    directory = path.parent
    if not directory.is_dir():
        raise WusheError(f"文件夹“{directory}”不存在，无法保存“{path.name}”。")
    # Not mkstemp: that file would be private (0600) after the rename; this one follows umask.
    tmp = directory / f".~{path.stem}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        _remove_quietly(tmp)
        raise _write_error(path, exc) from exc
    except BaseException:
        _remove_quietly(tmp)
        raise


def _remove_quietly(tmp: Path) -> None:
    # On Windows a half-written file may still be open; never mask the original error.
    with suppress(OSError):
        tmp.unlink(missing_ok=True)


def discard_write_only(workbook: Any) -> None:
    """Close the streamed sheets of an unsaved write-only workbook and delete their temp files."""
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with suppress(Exception):
            ws.close()
        with suppress(Exception):
            writer.cleanup()


def install_fast_rows(ws: Any) -> None:
    """Let ``ws.append`` take prepared cells without openpyxl's exception per cell.

    openpyxl's write-only ``append`` first tries ``cell.value = item`` and only falls back
    to using ``item`` as a cell when that raises, which costs ~20 % of the export time when
    most cells carry a style. This replacement checks the type instead. It is purely an
    optimisation: rows come out the same with or without it.
    """
    if not hasattr(ws, "_values_to_row"):
        return
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell

    def values_to_row(values: Any, row_idx: int) -> Iterator[Any]:
        cell = WriteOnlyCell(ws)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                value.column = col_idx
                value.row = row_idx
                yield value
                continue
            cell.value = value
            cell.column = col_idx
            cell.row = row_idx
            yield cell
            if cell.has_style:
                cell = WriteOnlyCell(ws)

    ws._values_to_row = values_to_row


@cache
def _prototype_class() -> Any:
    from openpyxl.cell.cell import Cell

    class PrototypeCell(Cell):
        """A reusable styled cell whose style index is looked up once, not once per row.

        Its style must be complete before the first row that uses it is written.
        """

        __slots__ = ("_style_index",)
        _style_index: int

        @property
        def style_id(self) -> int:
            try:
                return self._style_index
            except AttributeError:
                self._style_index = int(Cell.style_id.fget(self))
                return self._style_index

    return PrototypeCell


def styled_cell(
    ws: Any,
    value: object = None,
    *,
    number_format: str | None = None,
    bold: bool = False,
    size: float | None = None,
    color: str | None = None,
    fill: str | None = None,
    center: bool = False,
    wrap: bool = False,
) -> Any:
    """A write-only cell with the given look (used for headers, titles and prototypes).

    Converters reuse one such cell per column for every row: the row writer consumes each
    cell before the next row is built, so setting a new value is enough.
    """
    from openpyxl.styles import Alignment, Font, PatternFill

    cell = _prototype_class()(ws, row=1, column=1, value=value)
    if number_format:
        cell.number_format = number_format
    if bold or size or color:
        cell.font = Font(bold=bold, size=size, color=color)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    if center or wrap:
        cell.alignment = Alignment(
            horizontal="center" if center else None, vertical="center", wrap_text=wrap
        )
    return cell


def header_cell(ws: Any, text: str) -> Any:
    return styled_cell(ws, text, bold=True, fill=HEADER_FILL, center=True, wrap=True)


def text_converter(ws: Any, mask: Callable[[str], str] | None = None) -> Converter:
    """Text as a real string cell with format "@", never as a formula.

    openpyxl turns any string starting with "=" into a formula; forcing the cell type back
    to string stops that, and ``quotePrefix`` (Excel's leading apostrophe) keeps the value
    text when someone edits the cell later. "@" keeps long digit strings such as ID
    numbers as text when they are retyped.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    plain = styled_cell(ws, number_format=TEXT_FORMAT)
    quoted = styled_cell(ws, number_format=TEXT_FORMAT)
    quoted.quotePrefix = True

    def convert(value: object) -> object:
        if value is None:
            return None
        text = value if isinstance(value, str) else str(value)
        if mask is not None:
            text = mask(text)
        if not text:
            return None
        # isalnum() first: a cheap test that rules out most text (CJK and digits included).
        cell = quoted if not text[0].isalnum() and needs_formula_escape(text) else plain
        try:
            cell.value = text
        except IllegalCharacterError:
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
        cell.data_type = "s"
        return cell

    return convert


def _local_naive(value: datetime) -> datetime:
    """Excel has no time zones: show an aware time (stored as UTC) in local time."""
    return value if value.tzinfo is None else value.astimezone().replace(tzinfo=None)


def column_converter(
    ws: Any, kind: ColumnKind, mask: Callable[[str], str] | None = None
) -> Converter:
    """The converter for one column; each column gets its own prototype cells."""
    text = text_converter(ws, mask)
    if mask is not None:
        return lambda value: text(_as_plain_text(value))
    if kind == "text":
        return text
    if kind in ("date", "datetime"):
        proto = styled_cell(ws, number_format=DATE_FORMAT if kind == "date" else DATETIME_FORMAT)
        as_date = kind == "date"

        def convert_date(value: object) -> object:
            if isinstance(value, datetime):
                value = _local_naive(value)
                if as_date:
                    value = value.date()
            elif not isinstance(value, date):
                return text(value)
            proto.value = value
            return proto

        return convert_date
    if kind == "money_fen":
        proto = styled_cell(ws, number_format=MONEY_FORMAT)

        def convert_money(value: object) -> object:
            if isinstance(value, int) and not isinstance(value, bool):
                proto.value = Decimal(value).scaleb(-2)
                return proto
            return text(value)

        return convert_money
    if kind == "int":

        def convert_int(value: object) -> object:
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, int | float | Decimal):
                return value
            return text(value)

        return convert_int
    if kind == "bool":

        def convert_bool(value: object) -> object:
            if isinstance(value, bool):
                return "是" if value else "否"
            return text(value)

        return convert_bool
    raise ValueError(f"unknown column kind {kind!r}")


def _as_plain_text(value: object) -> object:
    if isinstance(value, datetime):
        return _local_naive(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def raw_converter(ws: Any) -> Converter:
    """For values read from a sheet (error workbook): keep each value's own type."""
    text = text_converter(ws)
    protos = {
        date: styled_cell(ws, number_format=DATE_FORMAT),
        datetime: styled_cell(ws, number_format=DATETIME_FORMAT),
        time: styled_cell(ws, number_format=TIME_FORMAT),
    }

    def convert(value: object) -> object:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return text(value)
        proto = protos.get(type(value))
        if proto is not None:
            proto.value = _local_naive(value) if isinstance(value, datetime) else value
            return proto
        if isinstance(value, bool | int | float | Decimal):
            return value
        return text(value)

    return convert
