"""GUI start-up: QApplication, font and icon, then sign-in while the database opens.

Cold start is dominated by importing SQLAlchemy and Alembic (PERF-FLOORS.md: the sign-in
dialog within 300 ms), so the database is opened, locked, migrated and checked on a
background thread ("boot") while the sign-in dialog is already on screen; the user can type
meanwhile. When the database file does not exist yet, start-up waits for the boot and runs
the first-run wizard. Heavy libraries (openpyxl, reportlab, pypinyin, argon2) load only
when first used.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QLibraryInfo, QLocale, QObject, Qt, QTranslator, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from wushe_desktop import APP_NAME, APP_TITLE, __version__, paths
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import WusheError
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.icons import app_icon
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.workers import DbExecutor

if TYPE_CHECKING:
    from wushe_desktop.infra.db.engine import Database
    from wushe_desktop.infra.db.lock import InstanceLock
    from wushe_desktop.ui.context import StationLabel
    from wushe_desktop.ui.dialogs.sign_in import SignInDialog

log = logging.getLogger(__name__)

FONT_FILE = ("fonts", "wqy-microhei.ttc")
MIN_POINT_SIZE = 10.0


def load_app_font(app: QGuiApplication) -> str | None:
    """Register the bundled CJK font and make it the app font; None if it is missing."""
    path = paths.resource_path(*FONT_FILE)
    if not path.is_file():
        log.warning("bundled font missing: %s (using system fonts)", path)
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("bundled font could not be loaded: %s", path)
        return None
    font = QFont(app.font())
    font.setFamilies([families[0], *font.families()])
    font.setPointSizeF(max(MIN_POINT_SIZE, font.pointSizeF()))
    app.setFont(font)
    return families[0]


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with name, font, icon and the error hook (reused if one exists)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    load_app_font(app)
    install_qt_translations(app)
    app.setWindowIcon(app_icon())
    return app


CHINA = QLocale(QLocale.Language.Chinese, QLocale.Country.China)


def install_qt_translations(app: QApplication) -> QTranslator | None:
    """Qt's own texts in Chinese: the 复制/粘贴 menu of every text box, standard buttons,
    the calendar popup, and the print and file dialogs where Qt draws them. PySide6 ships
    the ``qtbase_zh_CN`` catalogue; without it those texts stay English (logged)."""
    QLocale.setDefault(CHINA)
    translator = QTranslator(app)  # parented: lives as long as the application
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(CHINA, "qtbase", "_", folder):
        log.warning("Qt's Chinese translations not found in %s", folder)
        return None
    app.installTranslator(translator)
    return translator


def _setup_logging() -> None:
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.FileHandler(paths.data_dir() / "wushe.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def likely_new_database(db_arg: str | None) -> bool:
    """True when the SQLite file does not exist yet (first run), without importing SQLAlchemy."""
    raw = db_arg if db_arg is not None else os.environ.get("WUSHE_DB") or ""
    if "://" in raw:
        return False  # a server database: ask it
    path = Path(raw).expanduser() if raw else paths.default_db_path()
    return not path.exists()


@dataclass
class BootResult:
    db: Database
    lock: InstanceLock | None
    backup: Path | None
    first_run: bool


def boot_database(db_arg: str | None) -> BootResult:
    """Open, lock (one app per database file), migrate (with backup) and check for a station."""
    from wushe_desktop.infra.db.engine import Database
    from wushe_desktop.infra.db.lock import InstanceLock
    from wushe_desktop.infra.db.migrate import upgrade
    from wushe_desktop.stations.service import station_exists

    db = Database.open(db_arg)
    lock = None
    try:
        if db.file is not None:
            lock = InstanceLock(db.file).acquire()
        backup = upgrade(db)
        with db.reader() as session:
            first = not station_exists(session)
    except BaseException:
        if lock is not None:
            lock.release()
        db.dispose()
        raise
    # Warm up what signing in and the first page need (argon2, search, tags), still off the
    # GUI thread and while the user types the password.
    from wushe_desktop.accounts import service as _accounts  # noqa: F401
    from wushe_desktop.domain import tags as _tags  # noqa: F401
    from wushe_desktop.residents import search as _search  # noqa: F401

    return BootResult(db, lock, backup, first)


def station_label_call(session: Any, actor: Actor) -> tuple[StationLabel | None, bool]:
    """Runs on the DB thread: the station facts for the window, and whether a new password
    must be chosen first (after a reset)."""
    from wushe_desktop.accounts.service import needs_password_change
    from wushe_desktop.stations.service import get_station
    from wushe_desktop.ui.context import StationLabel

    label: StationLabel | None = None
    if actor.station_id is not None:
        info = get_station(session, actor)
        label = StationLabel(info.name, info.township, info.district, info.code)
    return label, needs_password_change(session, actor)


class AppController(QObject):
    """Runs boot → (first run | sign-in) → main window → sign-out cycle."""

    #: Emitted when the database is open and migrated (a BootResult).
    booted = Signal(object)
    #: Emitted when opening the database failed (the exception).
    boot_failed = Signal(object)
    #: Emitted when the main window is shown (tests and the benchmark wait on it).
    window_shown = Signal(object)

    def __init__(self, settings: UiSettings) -> None:
        super().__init__()
        self.settings = settings
        self.db: Database | None = None
        self.executor: DbExecutor | None = None
        self.lock: InstanceLock | None = None
        self.first_run = False
        self.boot_error: BaseException | None = None
        self.window: QWidget | None = None
        self.exit_code = 0
        self._sign_in: SignInDialog | None = None
        self._boot_loop: QEventLoop | None = None
        self.ask_sign_in: Callable[[], Actor | None] = self._ask_sign_in
        self.booted.connect(self._on_booted, Qt.ConnectionType.QueuedConnection)
        self.boot_failed.connect(self._on_boot_failed, Qt.ConnectionType.QueuedConnection)

    # -- boot ----------------------------------------------------------------------------------
    def boot(self, db_arg: str | None) -> None:
        """Open the database on a background thread; ``booted``/``boot_failed`` follow."""

        def run() -> None:
            try:
                result = boot_database(db_arg)
            except Exception as exc:
                emit(self.boot_failed, exc)
            else:
                emit(self.booted, result)

        threading.Thread(target=run, name="wushe-boot", daemon=True).start()

    @property
    def ready(self) -> bool:
        return self.executor is not None or self.boot_error is not None

    def wait_boot(self) -> None:
        """Spin the event loop until the boot has finished."""
        if self.ready:
            return
        self._boot_loop = QEventLoop()
        self._boot_loop.exec()  # _on_booted / _on_boot_failed quit it
        self._boot_loop = None

    def _on_booted(self, result: object) -> None:
        assert isinstance(result, BootResult)
        self.db, self.lock, self.first_run = result.db, result.lock, result.first_run
        self.executor = DbExecutor(result.db)
        if self._boot_loop is not None:
            self._boot_loop.quit()
        if result.backup is not None:
            msgbox.information(
                self._sign_in,
                f"数据库已升级到本版本的格式。升级前的数据已备份到：\n{result.backup}",
            )
        if self._sign_in is not None:
            if self.first_run:
                self._sign_in.reject()  # a database without a station: run the wizard instead
            else:
                self._sign_in.set_executor(self.executor)

    def _on_boot_failed(self, exc: object) -> None:
        assert isinstance(exc, BaseException)
        self.boot_error = exc
        self.exit_code = 1
        if self._boot_loop is not None:
            self._boot_loop.quit()
        if isinstance(exc, WusheError):
            msgbox.critical(self._sign_in, str(exc))
        else:
            errors.show_error(self._sign_in, exc)
        if self._sign_in is not None:
            self._sign_in.reject()

    # -- sign-in -------------------------------------------------------------------------------
    def make_sign_in_dialog(self) -> SignInDialog:
        from wushe_desktop.ui.dialogs.sign_in import SignInDialog

        return SignInDialog(self.executor, self.settings)

    def _ask_sign_in(self) -> Actor | None:
        dlg = self.make_sign_in_dialog()
        self._sign_in = dlg
        try:
            dlg.exec()
        finally:
            self._sign_in = None
        return dlg.actor

    def start(self, db_arg: str | None) -> bool:
        """Boot, then first-run wizard or sign-in; False when the app should exit."""
        wait_first = likely_new_database(db_arg)
        self.boot(db_arg)
        actor: Actor | None = None
        if not wait_first:
            actor = self.ask_sign_in()
        if actor is None:
            self.wait_boot()
            if self.boot_error is not None or not self.first_run:
                return False
            from wushe_desktop.ui.dialogs.first_run import FirstRunWizard

            assert self.executor is not None
            actor = FirstRunWizard.ask(self.executor)
            if actor is None:
                return False
        self.open_main(actor)
        return True

    # -- main window ---------------------------------------------------------------------------
    def open_main(self, actor: Actor) -> None:
        assert self.executor is not None
        self.executor.query(
            lambda s: station_label_call(s, actor),
            lambda result: self._show_main(actor, *result),
            self._on_open_failed,
        )

    def _on_open_failed(self, exc: BaseException) -> None:
        errors.show_error(None, exc)
        self.sign_out()

    def _show_main(self, actor: Actor, station: StationLabel | None, must_change: bool) -> None:
        from wushe_desktop.ui.context import AppContext
        from wushe_desktop.ui.main_window import MainWindow

        assert self.db is not None and self.executor is not None
        if must_change:
            from wushe_desktop.ui.dialogs.change_password import ChangePasswordDialog

            if not ChangePasswordDialog.ask(self.executor, actor, forced=True):
                self.sign_out()
                return
        ctx = AppContext(self.db, self.executor, self.settings, actor, station)
        window = MainWindow(ctx)
        window.sign_out_requested.connect(self.sign_out, Qt.ConnectionType.QueuedConnection)
        window.closed.connect(QApplication.quit)
        self.window = window
        window.show()
        emit(self.window_shown, window)

    def sign_out(self) -> None:
        """Close the window and ask for a sign-in again; quit if the user declines."""
        old = self.window
        self.window = None
        if old is not None:
            old.close()
            old.deleteLater()
        actor = self.ask_sign_in()
        if actor is None:
            QApplication.quit()
            return
        self.open_main(actor)

    def shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown()
        if self.db is not None:
            self.db.dispose()
        if self.lock is not None:
            self.lock.release()
        self.settings.sync()


def run_gui(db_arg: str | None) -> int:
    """Start the desktop app on ``db_arg`` (path or URL; None = the default database)."""
    _setup_logging()
    app = make_application()
    errors.install_excepthook()
    # The controller quits explicitly when the main window closes: signing out closes the
    # window too, and the app must then stay alive for the next sign-in.
    app.setQuitOnLastWindowClosed(False)
    controller = AppController(UiSettings())
    try:
        if not controller.start(db_arg):
            return controller.exit_code
        return app.exec()
    finally:
        controller.shutdown()
