"""Create a user, or change a user's name and role (director)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.ui.dialogs.change_password import password_field, password_problem
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor

STATION_ROLES = (Role.DIRECTOR, Role.SOCIAL_WORKER, Role.COORDINATOR, Role.SUPERVISOR)
ROLE_NOTES = {
    Role.DIRECTOR: "可管理用户、社区和全部居民数据，查看审计日志",
    Role.SOCIAL_WORKER: "登记和修改居民，可查看完整证件号码和电话",
    Role.COORDINATOR: "登记和修改居民，只能看到部分隐藏的证件号码和电话",
    Role.SUPERVISOR: "只能查看",
}


class UserDialog(FormDialog):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        existing: Any | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改用户") if existing else self.tr("新增用户"))
        self.actor = actor
        self.existing = existing
        self.username = QLineEdit()
        self.username.setMaxLength(50)
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(50)
        self.role = QComboBox()
        for role in STATION_ROLES:
            self.role.addItem(role.value, role)
        self.role_note = QLabel()
        self.role_note.setStyleSheet("color: #555;")
        self.password = password_field()
        self.password2 = password_field()
        self.form.addRow(self.tr("用户名*："), self.username)
        self.form.addRow(self.tr("姓名*："), self.display_name)
        self.form.addRow(self.tr("角色："), self.role)
        self.form.addRow("", self.role_note)
        self.watch("username", self.username)
        self.watch("display_name", self.display_name)
        self.watch("role", self.role)
        if existing is None:
            self.form.addRow(self.tr("初始密码*："), self.password)
            self.form.addRow(self.tr("再次输入*："), self.password2)
            self.watch("password", self.password)
            self.watch("password2", self.password2)
        else:
            self.username.setText(existing.username)
            self.username.setReadOnly(True)
            self.display_name.setText(existing.display_name)
            select_data(self.role, existing.role)
        self.role.currentIndexChanged.connect(self._show_note)
        self._show_note()
        self.check()

    def _show_note(self, *_a: object) -> None:
        role = self.role.currentData()
        self.role_note.setText(ROLE_NOTES.get(role, ""))

    def problem(self) -> str:
        name = self.username.text().strip()
        if not name:
            return self.tr("请填写用户名。")
        if any(ch.isspace() for ch in name):
            return self.tr("用户名不能包含空格。")
        if not self.display_name.text().strip():
            return self.tr("请填写姓名。")
        if self.existing is None:
            return password_problem(self.password.text(), self.password2.text(), name)
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.accounts.service import create_user, update_user

        if self.existing is None:
            return create_user(
                session,
                self.actor,
                username=self.username.text().strip(),
                display_name=self.display_name.text().strip(),
                role=self.role.currentData(),
                password=self.password.text(),
            )
        return update_user(
            session,
            self.actor,
            self.existing.id,
            display_name=self.display_name.text().strip(),
            role=self.role.currentData(),
            expected_version=self.existing.version,
        )

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        existing: Any | None = None,
        parent: QWidget | None = None,
    ) -> object | None:
        dlg = cls(executor, actor, existing, parent)
        dlg.exec()
        return dlg.result_value


class ResetPasswordDialog(FormDialog):
    """The director sets a temporary password; the user must change it at next sign-in."""

    def __init__(
        self, executor: DbExecutor, actor: Actor, user: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("重置密码 — %s") % user.username)
        self.actor = actor
        self.user = user
        self.password = password_field()
        self.password2 = password_field()
        note = QLabel(self.tr("重置后账户同时解锁；该用户下次登录时必须改成自己的新密码。"))
        note.setWordWrap(True)
        self.form.addRow(note)
        self.form.addRow(self.tr("临时密码*："), self.password)
        self.form.addRow(self.tr("再次输入*："), self.password2)
        self.watch("password", self.password)
        self.watch("password2", self.password2)
        self.check()

    def problem(self) -> str:
        return password_problem(self.password.text(), self.password2.text(), self.user.username)

    def save(self, session: Session) -> object:
        from wushe_desktop.accounts.service import reset_password

        reset_password(session, self.actor, self.user.id, self.password.text())
        return True

    @classmethod
    def ask(
        cls, executor: DbExecutor, actor: Actor, user: Any, parent: QWidget | None = None
    ) -> bool:
        dlg = cls(executor, actor, user, parent)
        dlg.exec()
        return dlg.result_value is True
