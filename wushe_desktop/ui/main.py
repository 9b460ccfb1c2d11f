"""GUI start-up: QApplication, font and icon, database checks, first run or sign-in, main window.

Heavy libraries (openpyxl, reportlab, pypinyin, argon2) are imported only when first used,
so the sign-in dialog appears quickly (PERF-FLOORS.md: cold start ≤ 300 ms).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from wushe_desktop import APP_NAME, APP_TITLE, __version__, paths
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import WusheError
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext, StationLabel
from wushe_desktop.ui.icons import app_icon
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.workers import DbExecutor

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
    app.setWindowIcon(app_icon())
    load_app_font(app)
    return app


def _setup_logging() -> None:
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.FileHandler(paths.data_dir() / "wushe.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def open_database(db_arg: str | None) -> Database:
    """Open and migrate the database (the migration makes a verified backup first)."""
    from wushe_desktop.infra.db.migrate import upgrade

    db = Database.open(db_arg)
    try:
        backup = upgrade(db)
    except BaseException:
        db.dispose()
        raise
    if backup is not None:
        msgbox.information(
            None,
            f"数据库已升级到本版本的格式。升级前的数据已备份到：\n{backup}",
        )
    return db


def station_label_call(session: object, actor: Actor) -> tuple[StationLabel | None, bool]:
    """Runs on the DB thread: the station facts for the window, and whether a new password
    must be chosen first (after a reset)."""
    from sqlalchemy.orm import Session

    from wushe_desktop.accounts.service import needs_password_change
    from wushe_desktop.stations.service import get_station

    assert isinstance(session, Session)
    label: StationLabel | None = None
    if actor.station_id is not None:
        info = get_station(session, actor)
        label = StationLabel(info.name, info.township, info.district, info.code)
    return label, needs_password_change(session, actor)


class AppController(QObject):
    """Runs the sign-in → main window → sign-out cycle; owns the one main window."""

    #: Emitted when the main window is shown (tests and the benchmark wait on it).
    window_shown = Signal(object)

    def __init__(self, db: Database, executor: DbExecutor, settings: UiSettings) -> None:
        super().__init__()
        self.db = db
        self.executor = executor
        self.settings = settings
        self.window: QWidget | None = None
        self.ask_sign_in: Callable[[], Actor | None] = self._ask_sign_in

    def _ask_sign_in(self) -> Actor | None:
        from wushe_desktop.ui.dialogs.sign_in import SignInDialog

        return SignInDialog.ask(self.executor, self.settings)

    def needs_first_run(self) -> bool:
        from wushe_desktop.stations.service import station_exists

        with self.db.reader() as session:
            return not station_exists(session)

    def start(self) -> bool:
        """First-run wizard or sign-in; False when the user gave up (the app then exits)."""
        if self.needs_first_run():
            from wushe_desktop.ui.dialogs.first_run import FirstRunWizard

            actor = FirstRunWizard.ask(self.executor)
        else:
            actor = self.ask_sign_in()
        if actor is None:
            return False
        self.open_main(actor)
        return True

    def open_main(self, actor: Actor) -> None:
        self.executor.query(
            lambda s: station_label_call(s, actor),
            lambda result: self._show_main(actor, *result),
            self._on_open_failed,
        )

    def _on_open_failed(self, exc: BaseException) -> None:
        errors.show_error(None, exc)
        self.sign_out()

    def _show_main(self, actor: Actor, station: StationLabel | None, must_change: bool) -> None:
        from wushe_desktop.ui.main_window import MainWindow

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


def run_gui(db_arg: str | None) -> int:
    """Start the desktop app on ``db_arg`` (path or URL; None = the default database)."""
    _setup_logging()
    app = make_application()
    errors.install_excepthook()
    # The controller quits explicitly when the main window closes: signing out closes the
    # window too, and the app must then stay alive for the next sign-in.
    app.setQuitOnLastWindowClosed(False)
    try:
        db = open_database(db_arg)
    except WusheError as exc:
        msgbox.critical(None, str(exc))
        return 1
    instance = None
    if db.file is not None:
        from wushe_desktop.infra.db.lock import InstanceLock

        try:
            instance = InstanceLock(db.file).acquire()
        except WusheError as exc:
            db.dispose()
            msgbox.critical(None, str(exc))
            return 1
    executor = DbExecutor(db)
    settings = UiSettings()
    controller = AppController(db, executor, settings)
    try:
        if not controller.start():
            return 0
        return app.exec()
    finally:
        executor.shutdown()
        settings.sync()
        db.dispose()
        if instance is not None:
            instance.release()
