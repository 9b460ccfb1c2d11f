"""用户管理 (director): accounts of the station — create, rename, role, disable, reset, unlock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.table import Column, ListTableModel
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.tables import DataTable


def _locked(row: Any) -> bool:
    return row.locked_until is not None and row.locked_until > datetime.now(UTC)


def _state(row: Any) -> str:
    if not row.active:
        return "已停用"
    if _locked(row):
        return f"锁定至 {row.locked_until.astimezone():%H:%M}"
    return "正常"


COLUMNS: list[Column[Any]] = [
    Column("用户名", lambda u: u.username, width=110),
    Column("姓名", lambda u: u.display_name, width=90),
    Column("角色", lambda u: u.role.value, width=80),
    Column("状态", _state, width=110),
    Column(
        "最后登录",
        lambda u: (
            u.last_login_at.astimezone().strftime("%Y-%m-%d %H:%M")
            if u.last_login_at
            else "从未登录"
        ),
        width=130,
    ),
]


class UsersPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增用户"))
        self.edit_button = QPushButton(self.tr("修改姓名/角色"))
        self.toggle_button = QPushButton(self.tr("停用"))
        self.reset_button = QPushButton(self.tr("重置密码"))
        self.unlock_button = QPushButton(self.tr("解锁"))
        for b in (
            self.add_button,
            self.edit_button,
            self.toggle_button,
            self.reset_button,
            self.unlock_button,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.model: ListTableModel[Any] = ListTableModel(COLUMNS)
        self.table = DataTable("users")
        self.table.set_model_with_widths(self.model, [c.width for c in COLUMNS])
        self.table.restore_state(ctx.settings)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self.tr("连续输错 5 次密码的账户会锁定 15 分钟；站长可以提前解锁。"))
        self.status.setStyleSheet("color: #666;")
        layout.addWidget(self.status)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset)
        self.unlock_button.clicked.connect(self.unlock)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        from wushe_desktop.accounts.service import list_users

        actor = self.ctx.actor
        self.ctx.executor.query(lambda s: list_users(s, actor), self._on_loaded, parent=self)

    def _on_loaded(self, rows: object) -> None:
        assert isinstance(rows, list)
        current = self.current()
        self.model.set_rows(rows)
        for i, r in enumerate(rows):
            if current is not None and r.id == current.id:
                self.table.selectRow(i)
        self._update_buttons()

    def current(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def _update_buttons(self) -> None:
        row = self.current()
        has = row is not None
        self.edit_button.setEnabled(has)
        self.reset_button.setEnabled(has)
        self.toggle_button.setEnabled(has and row.id != self.ctx.actor.user_id)
        self.toggle_button.setText(self.tr("启用") if has and not row.active else self.tr("停用"))
        self.unlock_button.setEnabled(has and _locked(row))

    def add(self) -> None:
        from wushe_desktop.ui.dialogs.user_edit import UserDialog

        if UserDialog.ask(self.ctx.executor, self.ctx.actor, None, self) is not None:
            self.refresh()

    def edit(self) -> None:
        from wushe_desktop.ui.dialogs.user_edit import UserDialog

        row = self.current()
        if row is not None and UserDialog.ask(self.ctx.executor, self.ctx.actor, row, self):
            self.refresh()

    def toggle_active(self) -> None:
        from wushe_desktop.accounts.service import update_user

        row = self.current()
        if row is None:
            return
        verb = self.tr("停用") if row.active else self.tr("启用")
        if not msgbox.question(self, self.tr("确定%s用户“%s”吗？") % (verb, row.username)):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: update_user(
                s, actor, row.id, active=not row.active, expected_version=row.version
            ),
            lambda _r: self.refresh(),
            parent=self,
        )

    def reset(self) -> None:
        from wushe_desktop.ui.dialogs.user_edit import ResetPasswordDialog

        row = self.current()
        if row is not None and ResetPasswordDialog.ask(
            self.ctx.executor, self.ctx.actor, row, self
        ):
            msgbox.information(self, self.tr("已重置“%s”的密码并解锁。") % row.username)
            self.refresh()

    def unlock(self) -> None:
        from wushe_desktop.accounts.service import unlock_user

        row = self.current()
        if row is None:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: unlock_user(s, actor, row.id), lambda _r: self.refresh(), parent=self
        )

    def save_state(self, settings: UiSettings) -> None:
        self.table.save_state(settings)
