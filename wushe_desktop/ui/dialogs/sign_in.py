"""The sign-in dialog: user name, password, Enter submits; the core's lockout text shown as is.

Password checking (argon2, about 0.1 s) runs on the DB thread so the dialog stays live.
"""

from __future__ import annotations

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

from wushe_desktop import APP_TITLE
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import WusheError
from wushe_desktop.ui import errors
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.labels import ErrorLabel, title_label
from wushe_desktop.ui.workers import DbExecutor


def sign_in_call(executor: DbExecutor, username: str, password: str) -> Actor:
    """Runs on the DB thread: the core's sign-in (it commits failed attempts itself)."""
    from wushe_desktop.accounts.service import sign_in

    return sign_in(executor.db, username, password)


OPENING = "正在打开数据库，请稍候…"


class SignInDialog(QDialog):
    """Asks for user name and password until the core accepts them or the user gives up."""

    def __init__(
        self,
        executor: DbExecutor | None,
        settings: UiSettings,
        *,
        station_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._settings = settings
        self.actor: Actor | None = None
        self._busy = False
        self._pending = False
        self.setWindowTitle(self.tr("登录 — %s") % APP_TITLE)
        self.setMinimumWidth(420)

        layout = QVBoxLayout(self)
        layout.addWidget(title_label(station_name or APP_TITLE))
        hint = QLabel(self.tr("请输入您的用户名和密码。"))
        layout.addWidget(hint)

        form = QFormLayout()
        self.username = QLineEdit(settings.last_username)
        self.username.setMaxLength(50)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(128)
        form.addRow(self.tr("用户名："), self.username)
        form.addRow(self.tr("密码："), self.password)
        layout.addLayout(form)

        self.error = ErrorLabel()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        (self.password if self.username.text() else self.username).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def _submit(self) -> None:
        if self._busy:
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self.error.show_message(self.tr("请输入用户名。"))
            self.username.setFocus()
            return
        if not password:
            self.error.show_message(self.tr("请输入密码。"))
            self.password.setFocus()
            return
        self._set_busy(True)
        executor = self._executor
        if executor is None:  # still opening the database: sign in as soon as it is ready
            self._pending = True
            self.error.show_info(self.tr(OPENING))
            return
        executor.run_in_background(
            lambda _op: sign_in_call(executor, username, password),
            self._on_signed_in,
            self._on_failed,
            parent=self,
        )

    def set_executor(self, executor: DbExecutor) -> None:
        """The database is open: submit a sign-in the user already asked for."""
        self._executor = executor
        if self._pending:
            self._pending = False
            self._busy = False
            self._submit()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.ok.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
        self.ok.setDefault(True)  # disabling a button drops its default status
        if busy:
            self.error.show_info(self.tr("正在验证…"))

    def _on_signed_in(self, actor: object) -> None:
        assert isinstance(actor, Actor)
        self.actor = actor
        self._settings.last_username = actor.username
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WusheError):
            self.error.show_message(str(exc))
            self.password.clear()
            self.password.setFocus()
        else:
            self.error.clear_message()
            errors.show_error(self, exc)

    @classmethod
    def ask(
        cls,
        executor: DbExecutor | None,
        settings: UiSettings,
        *,
        station_name: str = "",
        parent: QWidget | None = None,
    ) -> Actor | None:
        """Show the dialog; the signed-in Actor, or None when the user chose 退出."""
        dlg = cls(executor, settings, station_name=station_name, parent=parent)
        dlg.exec()
        return dlg.actor
