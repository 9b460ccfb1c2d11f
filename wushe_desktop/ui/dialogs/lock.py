"""The lock screen after idle time: only the signed-in user's password unlocks it."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui import errors
from wushe_desktop.ui.widgets.labels import ErrorLabel, title_label
from wushe_desktop.ui.workers import DbExecutor


class LockResult(Enum):
    UNLOCKED = "unlocked"
    SIGN_OUT = "sign_out"


def verify_call(session: Session, actor: Actor, password: str) -> tuple[bool, str | None]:
    """Runs on the DB thread: (password ok, why the account is blocked or None)."""
    from wushe_desktop.accounts.service import account_block_message, verify_actor_password

    ok = verify_actor_password(session, actor, password)
    return ok, None if ok else account_block_message(session, actor)


class LockDialog(QDialog):
    """Modal over the main window; cannot be closed except by unlocking or signing out."""

    def __init__(self, executor: DbExecutor, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._executor = executor
        self._actor = actor
        self.result_value = LockResult.SIGN_OUT
        self.setWindowTitle(self.tr("已锁定"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        layout.addWidget(title_label(self.tr("工作站已锁定")))
        text = QLabel(
            self.tr(
                "为保护居民的个人信息，长时间无操作后已自动锁定。\n"
                "请输入 %s（%s）的密码解锁，或退出登录换其他用户。"
            )
            % (actor.display_name, actor.username)
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("密码："), self.password)
        layout.addLayout(form)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.unlock = buttons.addButton(self.tr("解锁"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_out = buttons.addButton(
            self.tr("退出登录"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.unlock.setDefault(True)
        self.unlock.clicked.connect(self._submit)
        self.sign_out.clicked.connect(self._on_sign_out)
        layout.addWidget(buttons)
        self.password.setFocus()

    def _submit(self) -> None:
        password = self.password.text()
        if not password:
            self.error.show_message(self.tr("请输入密码。"))
            return
        self.unlock.setEnabled(False)
        self.error.show_info(self.tr("正在验证…"))
        self._executor.query(
            lambda s: verify_call(s, self._actor, password),
            self._on_verified,
            self._on_error,
            parent=self,
        )

    def _on_verified(self, result: object) -> None:
        self.unlock.setEnabled(True)
        self.unlock.setDefault(True)
        assert isinstance(result, tuple)
        ok, blocked = result
        if ok:
            self.result_value = LockResult.UNLOCKED
            self.accept()
        else:
            self.password.clear()
            self.error.show_message(blocked or self.tr("密码不正确，请重新输入。"))

    def _on_error(self, exc: BaseException) -> None:
        self.unlock.setEnabled(True)
        self.unlock.setDefault(True)
        self.error.clear_message()
        errors.show_error(self, exc)

    def _on_sign_out(self) -> None:
        self.result_value = LockResult.SIGN_OUT
        self.accept()

    def reject(self) -> None:
        """Esc does nothing: the lock stays until unlock or sign-out."""

    @classmethod
    def ask(cls, executor: DbExecutor, actor: Actor, parent: QWidget | None = None) -> LockResult:
        dlg = cls(executor, actor, parent)
        dlg.exec()
        return dlg.result_value
