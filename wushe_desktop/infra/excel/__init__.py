"""The Excel layer every list export and every import uses.

- ``write_table``: export rows (masked unless ``full``) as a proper workbook;
- ``write_template``: an import template with drop-downs and an instructions sheet;
- ``read_sheet``: read an import sheet by header names (python-calamine);
- ``write_error_workbook``: the rejected rows plus 错误原因, ready to fix and re-import.

openpyxl and python-calamine are imported only when a function runs.
"""

from wushe_desktop.infra.excel.columns import REQUIRED_MARK, Column, ColumnKind
from wushe_desktop.infra.excel.reader import (
    ERROR_COLUMN,
    RowError,
    SheetData,
    SheetRow,
    header_key,
    read_sheet,
    write_error_workbook,
)
from wushe_desktop.infra.excel.writer import write_table, write_template

__all__ = [
    "ERROR_COLUMN",
    "REQUIRED_MARK",
    "Column",
    "ColumnKind",
    "RowError",
    "SheetData",
    "SheetRow",
    "header_key",
    "read_sheet",
    "write_error_workbook",
    "write_table",
    "write_template",
]
