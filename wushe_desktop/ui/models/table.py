"""A small list-backed table model for short lists (communities, grids, users, audit).

Short lists (hundreds of rows) are loaded whole; the residents list has its own lazy model.
Columns are declared once (STYLE.md pattern 9): header, how to show a row, alignment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from wushe_desktop.ui.qtcompat import emit

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

#: Custom role returning the row object itself.
RowRole = Qt.ItemDataRole.UserRole + 1
#: Custom role returning the value to sort by.
SortRole = Qt.ItemDataRole.UserRole + 2

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    align: Qt.AlignmentFlag = LEFT
    sort_key: Callable[[T], Any] | None = None
    width: int = 120
    tooltip: Callable[[T], str] | None = None


class ListTableModel(QAbstractTableModel, Generic[T]):
    """Rows of one dataclass type shown through ``Column`` definitions."""

    def __init__(self, columns: Sequence[Column[T]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> T | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(col.align)
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return col.tooltip(row)
        if role == RowRole:
            return row
        if role == SortRole:
            return col.sort_key(row) if col.sort_key else col.text(row)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(self.columns[section].align)
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(self.columns)):
            return
        col = self.columns[column]
        key = col.sort_key or col.text
        emit(self.layoutAboutToBeChanged)
        old = self.persistentIndexList()
        order_ids = sorted(
            range(len(self.rows)),
            key=lambda i: key(self.rows[i]),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        new_pos = {old_row: new_row for new_row, old_row in enumerate(order_ids)}
        self.rows = [self.rows[i] for i in order_ids]
        self.changePersistentIndexList(old, [self.index(new_pos[i.row()], i.column()) for i in old])
        emit(self.layoutChanged)
