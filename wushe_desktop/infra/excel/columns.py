"""The column description shared by the exporter, the template writer and the reader."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal["text", "date", "datetime", "int", "money_fen", "bool"]

#: Appended to the header of a required column in templates; the reader strips it again.
REQUIRED_MARK = "*"


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its Chinese header and where its value comes from.

    ``key`` is a key of the row mapping (or an attribute name when rows are objects) and,
    on import, the key of ``SheetRow.values``. ``mask`` hides sensitive values unless the
    export is asked for in full. ``choices``, ``required`` and ``note`` feed the template's
    drop-down lists and its instructions sheet; ``required`` also makes the reader refuse a
    sheet that lacks the column.
    """

    header: str
    key: str
    kind: ColumnKind = "text"
    width: float = 14
    mask: Callable[[str], str] | None = None
    choices: Sequence[str] = ()
    required: bool = False
    note: str = ""
