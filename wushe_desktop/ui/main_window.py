"""The main window: left navigation, one page at a time, status bar, idle lock, sign-out.

Pages are built the first time they are opened, so signing in shows the dashboard fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from wushe_desktop import APP_TITLE
from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.idle import IdleWatcher
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.pages.coming_soon import ComingSoonPage
from wushe_desktop.ui.qtcompat import emit

PageFactory = Callable[[AppContext], Page]


@dataclass(frozen=True)
class NavEntry:
    key: str
    title: str
    factory: PageFactory
    visible: Callable[[AppContext], bool] = lambda _ctx: True


def _dashboard(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.dashboard import DashboardPage

    return DashboardPage(ctx)


def _residents(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.residents import ResidentsPage

    return ResidentsPage(ctx)


def _communities(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.communities import CommunitiesPage

    return CommunitiesPage(ctx)


def _audit(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.audit_log import AuditPage

    return AuditPage(ctx)


def _cases(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.cases import CasesPage

    return CasesPage(ctx)


def _community_work(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.community_work import CommunityWorkPage

    return CommunityWorkPage(ctx)


def _volunteers(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.volunteers import VolunteersPage

    return VolunteersPage(ctx)


def _settings(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.settings_page import SettingsPage

    return SettingsPage(ctx)


def _reports(ctx: AppContext) -> Page:
    from wushe_desktop.ui.pages.reports import ReportsPage

    return ReportsPage(ctx)


def _soon(title: str, what: str) -> PageFactory:
    return lambda _ctx: ComingSoonPage(title, what)


NAV: tuple[NavEntry, ...] = (
    NavEntry("dashboard", "工作台", _dashboard),
    NavEntry("residents", "居民", _residents),
    NavEntry("communities", "社区与网格", _communities),
    NavEntry("cases", "个案", _cases),
    NavEntry("community_work", "社区服务", _community_work),
    NavEntry("volunteers", "志愿者", _volunteers),
    NavEntry(
        "organizations",
        "社会组织",
        _soon("社会组织", "社会组织和孵化中的社区社会组织档案、承接的项目及其进度和评估。"),
    ),
    NavEntry(
        "charity",
        "慈善资源",
        _soon("慈善资源", "捐赠方、款物捐赠登记、分配到居民/个案/项目的台账，以及公示表。"),
    ),
    NavEntry(
        "tasks",
        "联动任务",
        _soon(
            "联动任务",
            "联席会议决定的任务分派给社区、社会组织、社工和志愿者，跟踪进度和期限并督办。",
        ),
    ),
    NavEntry("reports", "报表", _reports),
    NavEntry(
        "audit",
        "审计日志",
        _audit,
        lambda ctx: ctx.can(Resource.AUDIT, Action.READ),
    ),
    NavEntry("settings", "设置", _settings),
)


class MainWindow(QMainWindow):
    #: Emitted when the user chose 退出登录 (or signed out from the lock screen).
    sign_out_requested = Signal()
    #: Emitted when the user closed the window (the app then quits).
    closed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._signing_out = False
        self._locked = False
        self.pages: dict[str, Page] = {}
        title = ctx.station.name if ctx.station else APP_TITLE
        self.setWindowTitle(f"{title} — {APP_TITLE}")
        self.setMinimumSize(1000, 620)

        self.entries = [e for e in NAV if e.visible(ctx)]
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(1)
        self.nav.setMinimumWidth(120)
        self.nav.setMaximumWidth(220)
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 11pt; border: none; background: #f3f4f6; }"
            "QListWidget#navigation::item { padding: 8px 14px; }"
            "QListWidget#navigation::item:selected { background: #c0392b; color: white; }"
        )
        for entry in self.entries:
            item = QListWidgetItem(entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            self.nav.addItem(item)
        self.stack = QStackedWidget()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([150, 1000])
        self.locked_page = QLabel(self.tr("已锁定"))
        self.locked_page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.root = QStackedWidget()
        self.root.addWidget(self.splitter)
        self.root.addWidget(self.locked_page)
        self.setCentralWidget(self.root)
        self._build_menu()
        self._build_shortcuts()
        self._build_status_bar()

        self.nav.currentRowChanged.connect(self._on_nav_changed)
        ctx.settings.restore_geometry("main", self) or self.resize(1280, 760)
        ctx.settings.restore_splitter("main", self.splitter)
        self.nav.setCurrentRow(0)

        self.idle = IdleWatcher(ctx.settings.idle_lock_minutes * 60_000, self)
        self.idle.idle_timed_out.connect(self.lock)

    # -- construction --------------------------------------------------------------------------
    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("系统(&S)"))
        lock = QAction(self.tr("锁定(&L)"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock)
        sign_out = QAction(self.tr("退出登录(&O)"), self)
        sign_out.triggered.connect(self.request_sign_out)
        quit_ = QAction(self.tr("退出程序(&X)"), self)
        quit_.triggered.connect(self.close)
        menu.addAction(lock)
        menu.addAction(sign_out)
        menu.addSeparator()
        menu.addAction(quit_)
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about = QAction(self.tr("关于(&A)"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _build_shortcuts(self) -> None:
        """Ctrl+1…9 open the pages in navigation order, Ctrl+F the page's search box, F5
        refreshes it (the menu's Ctrl+L locks)."""
        for row, entry in enumerate(self.entries[:9]):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self)
            shortcut.activated.connect(lambda r=row: self.nav.setCurrentRow(r))
            item = self.nav.item(row)
            if item is not None:
                item.setToolTip(f"{entry.title}（Ctrl+{row + 1}）")
        QShortcut(QKeySequence.StandardKey.Find, self).activated.connect(self.focus_search)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh_page)

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def focus_search(self) -> None:
        page = self.current_page()
        if page is not None:
            page.focus_search()

    def refresh_page(self) -> None:
        page = self.current_page()
        if page is not None:
            page.refresh_page()

    def _build_status_bar(self) -> None:
        ctx = self.ctx
        bar = self.statusBar()
        station = ctx.station.name if ctx.station else self.tr("区级")
        self.station_label = QLabel(self.tr("站点：%s") % station)
        self.user_label = QLabel(
            self.tr("用户：%s（%s）") % (ctx.actor.display_name, ctx.actor.role.value)
        )
        self.db_label = QLabel(self.tr("数据库：%s") % ctx.db.describe())
        self.db_label.setToolTip(ctx.db.describe())
        for label in (self.station_label, self.user_label):
            bar.addWidget(label)
        bar.addPermanentWidget(self.db_label)

    # -- navigation ----------------------------------------------------------------------------
    def page(self, key: str) -> Page:
        """The page for ``key``, built on first use."""
        if key not in self.pages:
            entry = next(e for e in self.entries if e.key == key)
            page = entry.factory(self.ctx)
            page.navigate_requested.connect(self.show_page)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def show_page(self, key: str, argument: object = None) -> Page:
        row = next(i for i, e in enumerate(self.entries) if e.key == key)
        self.nav.setCurrentRow(row)
        page = self.page(key)
        if argument is not None:
            page.open_argument(argument)
        return page

    def _on_nav_changed(self, row: int) -> None:
        if row < 0:
            return
        page = self.page(self.entries[row].key)
        self.stack.setCurrentWidget(page)
        page.activated()

    # -- lock / sign out -----------------------------------------------------------------------
    def lock(self) -> None:
        """Hide the data and ask for the password (auto-lock or Ctrl+L)."""
        if self._locked:
            return
        from wushe_desktop.ui.dialogs.lock import LockDialog, LockResult

        self._locked = True
        self.idle.pause()
        self.root.setCurrentWidget(self.locked_page)
        result = LockDialog.ask(self.ctx.executor, self.ctx.actor, self)
        self._locked = False
        if result is LockResult.UNLOCKED:
            self.root.setCurrentWidget(self.splitter)
            self.idle.resume()
        else:
            self.request_sign_out()

    @property
    def is_locked(self) -> bool:
        return self._locked

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle.set_timeout_ms(minutes * 60_000)

    def request_sign_out(self) -> None:
        self._signing_out = True
        emit(self.sign_out_requested)

    def _about(self) -> None:
        from wushe_desktop import __version__
        from wushe_desktop.ui import msgbox

        msgbox.information(
            self,
            self.tr("%s %s\n乡镇（街道）社会工作服务站的“五社联动”工作平台。\n数据保存在：%s")
            % (APP_TITLE, __version__, self.ctx.db.describe()),
            title=self.tr("关于"),
        )

    def save_state(self) -> None:
        settings = self.ctx.settings
        settings.save_geometry("main", self)
        settings.save_splitter("main", self.splitter)
        for page in self.pages.values():
            page.save_state(settings)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.idle.stop()
        super().closeEvent(event)
        if not self._signing_out:
            emit(self.closed)
