"""The signed-in user changes their own password (required after a director's reset)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import ValidationError, WusheError
from wushe_desktop.ui import errors
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.workers import DbExecutor


def password_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(128)
    return edit


def password_problem(password: str, again: str, username: str) -> str:
    """The core's strength rule plus "typed twice the same"; empty when fine."""
    from wushe_desktop.accounts.passwords import check_password_strength

    try:
        check_password_strength(password, username=username)
    except ValidationError as exc:
        return str(exc)
    if password != again:
        return "两次输入的新密码不一致。"
    return ""


class ChangePasswordDialog(QDialog):
    def __init__(
        self, executor: DbExecutor, actor: Actor, *, forced: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._actor = actor
        self.changed = False
        self.setWindowTitle(self.tr("修改密码"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        if forced:
            note = QLabel(self.tr("您的密码已被站长重置，请先设置一个只有您自己知道的新密码。"))
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        self.old = password_field()
        self.new = password_field()
        self.again = password_field()
        form.addRow(self.tr("原密码："), self.old)
        form.addRow(self.tr("新密码："), self.new)
        form.addRow(self.tr("再次输入新密码："), self.again)
        layout.addLayout(form)
        rule = QLabel(self.tr("新密码至少 8 位，须同时包含字母和数字，不能与用户名相同。"))
        rule.setWordWrap(True)
        rule.setStyleSheet("color: #555;")
        layout.addWidget(rule)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            self.tr("退出登录") if forced else self.tr("取消")
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for edit in (self.new, self.again):
            edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        problem = password_problem(self.new.text(), self.again.text(), self._actor.username)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)
        if problem and self.new.isModified():
            self.error.show_message(problem)
        else:
            self.error.clear_message()

    def _submit(self) -> None:
        from wushe_desktop.accounts.service import change_own_password

        old, new = self.old.text(), self.new.text()
        self.buttons.setEnabled(False)
        self._executor.query(
            lambda s: change_own_password(s, self._actor, old, new),
            self._on_done,
            self._on_error,
            parent=self,
        )

    def _on_done(self, _result: object) -> None:
        self.changed = True
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, WusheError):
            self.error.show_message(str(exc))
        else:
            errors.show_error(self, exc)

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        *,
        forced: bool = False,
        parent: QWidget | None = None,
    ) -> bool:
        dlg = cls(executor, actor, forced=forced, parent=parent)
        dlg.exec()
        return dlg.changed
