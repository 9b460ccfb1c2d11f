"""Shared widgets: the data table's keyboard behaviour."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.gui


def test_enter_on_a_data_table_opens_the_row_like_a_double_click(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    from wushe_desktop.ui.models.table import Column, ListTableModel
    from wushe_desktop.ui.widgets.tables import DataTable

    model: ListTableModel[str] = ListTableModel([Column("姓名", lambda r: r)])
    model.set_rows(["张三", "李四"])
    table = DataTable("test_table")
    table.set_model_with_widths(model, [100])
    qtbot.addWidget(table)
    table.show()
    opened: list[int] = []
    table.doubleClicked.connect(lambda index: opened.append(index.row()))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # nothing chosen yet: nothing opens
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    qtbot.keyClick(table, Qt.Key.Key_Down)  # other keys keep their meaning
    assert opened == [1]
