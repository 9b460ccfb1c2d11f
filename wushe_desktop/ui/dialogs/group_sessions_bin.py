"""A group's deleted sessions (节次回收站): see them and bring one back.

Deleting a session moves it and its attendees' service records to the recycle bin; this
dialog is the way back (``groups.sessions.restore_session``, which refuses when another
session has taken the number meanwhile and says so).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.ui import errors
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.community_work import SESSION_COLUMNS
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.widgets.tables import DataTable

__all__ = ["DeletedSessionsDialog"]


class DeletedSessionsDialog(QDialog):
    def __init__(
        self, ctx: AppContext, group_id: uuid.UUID, group_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group_id = group_id
        self.restored = 0
        self.setWindowTitle(self.tr("“%s”已删除的节次") % group_name)
        self.resize(760, 360)
        layout = QVBoxLayout(self)
        self.hint = QLabel(
            self.tr("恢复一节时，出席组员的服务记录随之恢复。节次编号已被其他节次占用时不能恢复。")
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.model: ListTableModel[Any] = ListTableModel(SESSION_COLUMNS)
        self.table = DataTable("group_sessions_bin")
        self.table.set_model_with_widths(self.model, [c.width for c in SESSION_COLUMNS])
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton(self.tr("恢复所选节次"))
        self.restore_button.setEnabled(False)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.restore_button.clicked.connect(self.restore)
        self.table.doubleClicked.connect(lambda _i: self.restore())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.refresh()

    def _selected(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def _update(self) -> None:
        allowed = self.ctx.can(Resource.SERVICE, Action.RESTORE)
        self.restore_button.setEnabled(allowed and self._selected() is not None)

    def refresh(self) -> None:
        from wushe_desktop.groups.sessions import list_sessions

        actor, gid = self.ctx.actor, self.group_id

        def done(rows: object) -> None:
            assert isinstance(rows, list)
            self.model.set_rows(rows)
            if not rows:
                self.hint.setText(self.tr("这个小组没有已删除的节次。"))
            self._update()

        self.ctx.executor.query(
            lambda s: list_sessions(s, actor, gid, deleted=True),
            done,
            lambda exc: errors.show_error(self, exc),
            parent=self,
        )

    def restore(self) -> None:
        from wushe_desktop.groups.sessions import restore_session

        found = self._selected()
        if found is None or not self.restore_button.isEnabled():
            return
        actor = self.ctx.actor

        def done(_r: object) -> None:
            self.restored += 1
            self.refresh()

        self.ctx.executor.query(
            lambda s: restore_session(s, actor, found.id),
            done,
            lambda exc: errors.show_error(self, exc),
            parent=self,
        )

    @classmethod
    def show_for(
        cls, ctx: AppContext, group_id: uuid.UUID, group_name: str, parent: QWidget | None
    ) -> int:
        """Show the dialog; the number of sessions restored."""
        dialog = cls(ctx, group_id, group_name, parent)
        dialog.exec()
        return dialog.restored
