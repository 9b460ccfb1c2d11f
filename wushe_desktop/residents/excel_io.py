"""Residents ⇄ Excel: the template, the export and the import (one import for GUI and CLI).

The work lives in ``excel_columns`` (columns, aliases, template), ``exporter``,
``import_check`` (row checks) and ``importer``; this module is the entry point.
"""

from __future__ import annotations

from wushe_desktop.residents.excel_columns import resident_columns, write_resident_template
from wushe_desktop.residents.exporter import export_residents
from wushe_desktop.residents.importer import (
    ImportReport,
    default_error_path,
    import_residents,
    preview_rows,
)

__all__ = [
    "ImportReport",
    "default_error_path",
    "export_residents",
    "import_residents",
    "preview_rows",
    "resident_columns",
    "write_resident_template",
]
