"""A QTableView set up the same way everywhere (row selection, sorting, remembered widths)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings


class DataTable(QTableView):
    """Row-selecting table whose column widths and order are saved under ``name``."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def set_model_with_widths(self, model: QAbstractItemModel, widths: Sequence[int]) -> None:
        self.setModel(model)
        for i, width in enumerate(widths):
            self.setColumnWidth(i, width)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens the current row as a double-click does (every list's "open")."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            emit(self.doubleClicked, self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def current_row(self) -> int:
        index = self.currentIndex()
        selected = self.selectionModel().selectedRows() if self.selectionModel() else []
        if selected:
            return selected[0].row()
        return index.row() if index.isValid() else -1

    def save_state(self, settings: UiSettings) -> None:
        settings.save_header(self.name, self.horizontalHeader())

    def restore_state(self, settings: UiSettings) -> None:
        settings.restore_header(self.name, self.horizontalHeader())
