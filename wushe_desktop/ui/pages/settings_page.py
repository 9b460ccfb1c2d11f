"""设置: auto-lock time, own password, station facts; user management for the director."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.settings import IDLE_LOCK_MAX, UiSettings


class SettingsPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), self.tr("常规"))
        self.users_page: Page | None = None
        if ctx.can(Resource.USER, Action.READ):
            from wushe_desktop.ui.pages.users import UsersPage

            self.users_page = UsersPage(ctx)
            self.tabs.addTab(self.users_page, self.tr("用户管理"))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        layout.addWidget(self.tabs)

    def _general_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)

        security = QGroupBox(self.tr("安全"))
        form = QFormLayout(security)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(0, IDLE_LOCK_MAX)
        self.idle_minutes.setSuffix(self.tr(" 分钟"))
        self.idle_minutes.setSpecialValueText(self.tr("从不自动锁定"))
        self.idle_minutes.setValue(self.ctx.settings.idle_lock_minutes)
        self.idle_minutes.valueChanged.connect(self._on_idle_changed)
        form.addRow(self.tr("无操作自动锁定："), self.idle_minutes)
        hint = QLabel(self.tr("离开电脑时，锁定可防止他人看到居民信息。也可随时按 Ctrl+L 锁定。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form.addRow(hint)
        self.change_password = QPushButton(self.tr("修改我的密码…"))
        self.change_password.clicked.connect(self._on_change_password)
        form.addRow(self.change_password)
        layout.addWidget(security)

        station = QGroupBox(self.tr("工作站"))
        sform = QFormLayout(station)
        st = self.ctx.station
        if st is not None:
            sform.addRow(self.tr("名称："), QLabel(st.name))
            sform.addRow(self.tr("乡镇（街道）："), QLabel(st.township))
            sform.addRow(self.tr("所属区（县）："), QLabel(st.district))
            sform.addRow(self.tr("站点编码："), QLabel(st.code))
        db_label = QLabel(self.ctx.db.describe())
        db_label.setWordWrap(True)
        db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sform.addRow(self.tr("数据库位置："), db_label)
        layout.addWidget(station)
        layout.addStretch(1)
        return tab

    def _on_idle_changed(self, minutes: int) -> None:
        self.ctx.settings.idle_lock_minutes = minutes
        window = self.window()
        setter = getattr(window, "set_idle_minutes", None)
        if callable(setter):
            setter(minutes)

    def _on_change_password(self) -> None:
        from wushe_desktop.ui.dialogs.change_password import ChangePasswordDialog

        if ChangePasswordDialog.ask(self.ctx.executor, self.ctx.actor, parent=self):
            msgbox.information(self, self.tr("密码已修改，下次登录请使用新密码。"))

    def _on_tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, Page):
            page.activated()

    def save_state(self, settings: UiSettings) -> None:
        if self.users_page is not None:
            self.users_page.save_state(settings)
