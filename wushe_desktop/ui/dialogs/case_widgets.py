"""Small editors the case dialogs share: a table of rows with typed cells, dates, checks.

``RowsEditor`` edits a list of records (needs, goals, actions, measures): each column is
text, a number or a choice (a combo box in the cell); 添加/删除 buttons manage rows and
every change emits ``changed`` so the dialog re-checks as the user types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.ui.qtcompat import emit


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = value or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def date_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"  # text | choice
    choices: Sequence[str] = ()
    width: int = 120


class RowsEditor(QWidget):
    """A table of editable rows with 添加/删除 buttons."""

    changed = Signal()

    def __init__(self, columns: Sequence[Col], *, add_text: str = "添加一行") -> None:
        super().__init__()
        self.cols = list(columns)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(self.cols))
        self.table.setHorizontalHeaderLabels([c.header for c in self.cols])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, c in enumerate(self.cols):
            self.table.setColumnWidth(i, c.width)
        self.table.setMinimumHeight(120)
        self.table.itemChanged.connect(lambda _item: emit(self.changed))
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("删除所选行")
        self.add_button.clicked.connect(self._add_empty)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _add_empty(self) -> None:
        self.add_row()

    def add_row(self, values: Sequence[object] = ()) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for i, c in enumerate(self.cols):
            value = "" if i >= len(values) or values[i] is None else str(values[i])
            if c.kind == "choice":
                combo = QComboBox()
                combo.addItems(list(c.choices))
                if value in c.choices:
                    combo.setCurrentText(value)
                combo.currentIndexChanged.connect(lambda _i: emit(self.changed))
                self.table.setCellWidget(row, i, combo)
            else:
                self.table.setItem(row, i, QTableWidgetItem(value))
        self.table.blockSignals(False)
        emit(self.changed)
        return row

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.rowCount():
            rows = [self.table.rowCount() - 1]
        for row in rows:
            self.table.removeRow(row)
        emit(self.changed)

    def set_rows(self, rows: Sequence[Sequence[object]]) -> None:
        self.table.setRowCount(0)
        for values in rows:
            self.add_row(values)

    def set_cell(self, row: int, column: int, value: str) -> None:
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            widget.setCurrentText(value)
        else:
            item = self.table.item(row, column)
            if item is None:
                self.table.setItem(row, column, QTableWidgetItem(value))
            else:
                item.setText(value)

    def values(self) -> list[list[str]]:
        """Every row's cell texts (trimmed); rows left entirely empty are skipped."""
        out = []
        for row in range(self.table.rowCount()):
            cells = []
            for i in range(len(self.cols)):
                widget = self.table.cellWidget(row, i)
                if isinstance(widget, QComboBox):
                    cells.append(widget.currentText())
                else:
                    item = self.table.item(row, i)
                    cells.append(item.text().strip() if item else "")
            texts = [c for i, c in enumerate(cells) if self.cols[i].kind != "choice"]
            if any(texts):
                out.append(cells)
        return out
