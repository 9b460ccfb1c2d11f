"""推荐志愿者: the ranked candidates of a shift with their reasons and conflicts; assign the
chosen ones or fill the open places with the best conflict-free candidates in one step."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.assign_flow import AskReason, assign_volunteer
from wushe_desktop.ui.models.table import ListTableModel, RowRole
from wushe_desktop.ui.models.volunteers_model import SUGGESTION_COLUMNS
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.widgets.tables import DataTable

#: Candidates listed (every volunteer is ranked; reasons are written for these).
LIMIT = 200


class _SuggestionModel(ListTableModel[Any]):
    """Conflicted candidates in grey."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            row = self.row_at(index.row())
            if row is not None and row.conflicts:
                return QColor("#888888")
        return super().data(index, role)


class SuggestDialog(QDialog):
    #: Emitted after volunteers were assigned.
    changed = Signal()
    #: Emitted when the candidates are shown (count).
    loaded = Signal(int)

    def __init__(self, ctx: AppContext, shift: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.shift = shift
        self.reason_asker: AskReason | None = None
        self.setWindowTitle(
            self.tr("推荐志愿者 — %s %s %s") % (shift.activity_title, shift.day, shift.time_text)
        )
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.info = QLabel()
        layout.addWidget(self.info)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("按姓名筛选"))
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.model = _SuggestionModel(SUGGESTION_COLUMNS)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(0)
        self.table = DataTable("volunteer_suggestions")
        self.table.set_model_with_widths(self.proxy, [c.width for c in SUGGESTION_COLUMNS])
        self.table.setSelectionMode(DataTable.SelectionMode.ExtendedSelection)
        layout.addWidget(self.table, 1)
        self.message = ErrorLabel()
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.assign_button = QPushButton(self.tr("安排所选"))
        self.fill_button = QPushButton(self.tr("一键补满"))
        close = QPushButton(self.tr("关闭"))
        buttons.addWidget(self.assign_button)
        buttons.addWidget(self.fill_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        can_assign = ctx.can(Resource.SHIFT, Action.ASSIGN)
        self.assign_button.setEnabled(can_assign)
        self.fill_button.setEnabled(can_assign)
        self.assign_button.clicked.connect(self.assign_selected)
        self.fill_button.clicked.connect(self.fill)
        close.clicked.connect(self.accept)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.doubleClicked.connect(lambda _i: self.assign_selected())
        self.refresh()

    def refresh(self) -> None:
        from wushe_desktop.scheduling.shifts import get_shift
        from wushe_desktop.scheduling.suggest import suggest

        actor, shift_id = self.ctx.actor, self.shift.id

        def load(session: Session) -> tuple[Any, list[Any]]:
            return get_shift(session, actor, shift_id), suggest(
                session, actor, shift_id, limit=LIMIT
            )

        def done(result: object) -> None:
            assert isinstance(result, tuple)
            self.shift, rows = result
            self.model.set_rows(rows)
            ok = sum(1 for r in rows if r.ok)
            self.info.setText(
                self.tr(
                    "需要 %d 人，已排 %d 人，还差 %d 人。无冲突的候选 %d 人（灰色为有冲突，需协调员填写原因后才能安排）。"
                )
                % (self.shift.needed, self.shift.filled, self.shift.open_places, ok)
            )
            emit(self.loaded, len(rows))

        self.ctx.executor.query(load, done, parent=self)

    def selected(self) -> list[Any]:
        rows = []
        for index in self.table.selectionModel().selectedRows():
            row = self.proxy.data(index, RowRole)
            if row is not None:
                rows.append(row)
        return rows

    def assign_selected(self) -> None:
        for row in self.selected():
            assign_volunteer(
                self.ctx,
                self,
                self.shift.id,
                row.volunteer_id,
                via="推荐",
                on_done=self._assigned,
                reason_asker=self.reason_asker,
            )

    def _assigned(self, text: str) -> None:
        self.message.show_ok(text)
        emit(self.changed)
        self.refresh()

    def fill(self) -> None:
        from wushe_desktop.scheduling.suggest import fill_shift

        actor, shift_id = self.ctx.actor, self.shift.id

        def done(result: object) -> None:
            assert isinstance(result, list)
            if not result:
                msgbox.information(self, self.tr("没有空缺，或没有无冲突的候选志愿者。"))
                return
            names = "、".join(name for name, _r in result)
            self.message.show_ok(self.tr("已安排 %d 人：%s") % (len(result), names))
            emit(self.changed)
            self.refresh()

        self.ctx.executor.query(lambda s: fill_shift(s, actor, shift_id), done, parent=self)
