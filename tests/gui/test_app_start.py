"""Start-up: the database opens on a boot thread while the sign-in dialog shows; a new
database goes to the first-run wizard; a database that cannot be used is refused clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.conftest import PASSWORD, Boxes, type_text
from wushe_desktop.ui.dialogs.first_run import FirstRunWizard
from wushe_desktop.ui.dialogs.sign_in import SignInDialog
from wushe_desktop.ui.main import AppController, boot_database, likely_new_database
from wushe_desktop.ui.main_window import MainWindow
from wushe_desktop.ui.settings import UiSettings

pytestmark = pytest.mark.gui


def make_station_db(path: Path) -> None:
    from wushe_desktop.stations.service import create_station

    result = boot_database(str(path))
    with result.db.transaction() as s:
        create_station(
            s,
            name="清河街道社工站",
            township="清河街道",
            district="清江浦区",
            code="320812001",
            admin_username="zhanzhang",
            admin_password=PASSWORD,
            admin_display_name="王站长",
        )
    result.db.dispose()
    assert result.lock is not None
    result.lock.release()


def test_sign_in_shows_before_database_and_opens_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes: Boxes
) -> None:
    path = tmp_path / "station.db"
    make_station_db(path)
    assert not likely_new_database(str(path))
    controller = AppController(UiSettings(tmp_path / "ui.ini"))
    seen: dict[str, object] = {}

    def exec_(self: SignInDialog) -> int:
        self.show()
        seen["executor_at_show"] = self._executor
        type_text(qtbot, self.username, "zhanzhang")
        type_text(qtbot, self.password, PASSWORD)
        self.ok.click()  # may be before the database is open: the sign-in waits for it
        qtbot.waitUntil(lambda: self.actor is not None, timeout=30_000)
        return 1

    monkeypatch.setattr(SignInDialog, "exec", exec_)
    try:
        with qtbot.waitSignal(controller.window_shown, timeout=30_000) as blocker:
            assert controller.start(str(path))
        window = blocker.args[0]  # type: ignore[index]
        assert isinstance(window, MainWindow)
        assert seen["executor_at_show"] is None  # the dialog did not wait for the database
        qtbot.addWidget(window)
        assert window.ctx.actor.username == "zhanzhang"
        assert window.ctx.station is not None and window.ctx.station.code == "320812001"
        window.closed.disconnect()  # closing would quit the application
        window.close()
    finally:
        controller.shutdown()


def test_new_database_runs_first_run_wizard(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.db"
    assert likely_new_database(str(path))
    asked: list[object] = []
    monkeypatch.setattr(
        FirstRunWizard, "ask", classmethod(lambda cls, ex, p=None: asked.append(ex))
    )
    controller = AppController(UiSettings(tmp_path / "ui.ini"))
    try:
        assert controller.start(str(path)) is False  # the wizard was cancelled
        assert controller.first_run and asked == [controller.executor]
    finally:
        controller.shutdown()


def test_foreign_database_is_refused(qtbot: QtBot, tmp_path: Path, boxes: Boxes) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER)")
    controller = AppController(UiSettings(tmp_path / "ui.ini"))
    controller.ask_sign_in = lambda: None  # the user closes the dialog
    try:
        assert controller.start(str(path)) is False
        assert controller.exit_code == 1
        assert any("不是五社联动工作站的数据库" in t for t in boxes.texts("critical"))
    finally:
        controller.shutdown()


def test_qt_own_texts_are_chinese(qtbot: QtBot) -> None:
    """The 复制/粘贴 menu, standard buttons and Qt-drawn dialogs use Qt's zh_CN catalogue."""
    from PySide6.QtCore import QCoreApplication, QLocale
    from PySide6.QtWidgets import QApplication

    from wushe_desktop.ui.main import install_qt_translations

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = QLocale()
    translator = install_qt_translations(app)
    try:
        assert translator is not None
        copy = QCoreApplication.translate("QWidgetTextControl", "&Copy")
        assert "复制" in copy, copy
        assert QLocale().language() == QLocale.Language.Chinese
    finally:
        if translator is not None:
            app.removeTranslator(translator)
        QLocale.setDefault(before)
