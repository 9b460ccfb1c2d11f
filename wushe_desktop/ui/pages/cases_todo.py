"""我的待办 on the 工作台: the case reminders of the signed-in user (cases/reminders.py).

Double-clicking a line opens the case on the 个案 page.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from wushe_desktop.cases.reminders import Todo
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.table import CENTER, Column, ListTableModel
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.widgets.tables import DataTable


def _when(t: Todo) -> str:
    if t.overdue_days > 0:
        return f"逾期 {t.overdue_days} 天"
    if t.overdue_days == 0:
        return "今天"
    return f"{-t.overdue_days} 天后"


TODO_COLUMNS: list[Column[Todo]] = [
    Column("类别", lambda t: t.kind, width=90),
    Column("个案", lambda t: t.case_no, width=100),
    Column("服务对象", lambda t: t.resident_name, width=80),
    Column("负责社工", lambda t: t.worker_name, width=70),
    Column("事项", lambda t: t.title, width=240),
    Column("期限", lambda t: t.due_on.isoformat() if t.due_on else "", width=90),
    Column("状态", _when, CENTER, width=80),
]


class _TodoModel(ListTableModel[Todo]):
    def data(self, index: Any, role: int = 0) -> Any:
        from PySide6.QtCore import Qt

        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            row = self.row_at(index.row())
            if row is not None and row.overdue:
                return QColor("#b3261e")
        return super().data(index, role)


class TodoPanel(QWidget):
    #: Emitted with a case id when the user opens a to-do.
    open_case = Signal(object)
    #: Emitted after the list was read (number of to-dos).
    loaded = Signal(int)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("我的待办"))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.model = _TodoModel(TODO_COLUMNS)
        self.table = DataTable("todos")
        self.table.set_model_with_widths(self.model, [c.width for c in TODO_COLUMNS])
        self.table.setMinimumHeight(180)
        self.table.doubleClicked.connect(self._open)
        layout.addWidget(self.table)
        self.status = QLabel()
        self.status.setStyleSheet("color:#777;")
        layout.addWidget(self.status)

    def refresh(self, today: date | None = None) -> None:
        from wushe_desktop.cases.reminders import my_todos

        actor, day = self.ctx.actor, today or date.today()
        self.status.setText(self.tr("正在读取待办…"))
        self.ctx.executor.query(lambda s: my_todos(s, actor, day), self._on_todos, parent=self)

    def _on_todos(self, result: object) -> None:
        assert isinstance(result, list)
        self.model.set_rows(result)
        overdue = sum(1 for t in result if t.overdue)
        self.status.setText(
            self.tr("共 %d 项，其中逾期 %d 项；双击打开个案。") % (len(result), overdue)
            if result
            else self.tr("暂无待办。")
        )
        emit(self.loaded, len(result))

    def _open(self, index: Any) -> None:
        row = self.model.row_at(index.row())
        if row is not None and isinstance(row.case_id, uuid.UUID):
            emit(self.open_case, row.case_id)
