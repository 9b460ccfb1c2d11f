"""First-run wizard, sign-in (success and failure) and the idle lock, with real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from tests.gui.conftest import PASSWORD, type_text
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.first_run import FirstRunWizard
from wushe_desktop.ui.dialogs.lock import LockDialog, LockResult
from wushe_desktop.ui.dialogs.sign_in import SignInDialog
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.workers import DbExecutor

pytestmark = pytest.mark.gui


def test_first_run_wizard_creates_station_empty_start(
    qtbot: QtBot, db: Database, executor: DbExecutor
) -> None:
    from wushe_desktop.stations.service import station_exists

    wizard = FirstRunWizard(executor)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.station_page
    assert not page.isComplete()
    type_text(qtbot, page.name, "清河街道社会工作服务站")
    type_text(qtbot, page.township, "清河街道")
    type_text(qtbot, page.district, "清江浦区")
    type_text(qtbot, page.code, "320812 001")
    assert "字母、数字" in page.error.text()  # a space is refused as you type
    page.code.clear()
    type_text(qtbot, page.code, "320812001")
    assert page.isComplete()
    wizard.next()
    dp = wizard.director_page
    type_text(qtbot, dp.username, "zhanzhang")
    type_text(qtbot, dp.display_name, "王站长")
    type_text(qtbot, dp.password, "short1")
    assert "8" in dp.error.text()
    dp.password.clear()
    type_text(qtbot, dp.password, "zhanzhang123")
    type_text(qtbot, dp.password2, "zhanzhang124")
    assert "不一致" in dp.error.text()
    assert not dp.isComplete()
    dp.password2.clear()
    type_text(qtbot, dp.password2, "zhanzhang123")
    assert dp.isComplete()
    wizard.next()
    assert wizard.data_page.blank.isChecked()
    with qtbot.waitSignal(wizard.finished, timeout=30_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert isinstance(wizard.actor, Actor)
    assert wizard.actor.role is Role.DIRECTOR
    assert wizard.actor.display_name == "王站长"
    with db.reader() as s:
        assert station_exists(s)


def test_sign_in_failure_then_success(
    qtbot: QtBot, executor: DbExecutor, ui_settings: UiSettings, station_director: Actor
) -> None:
    dlg = SignInDialog(executor, ui_settings)
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(qtbot, dlg.username, "zhanzhang")
    type_text(qtbot, dlg.password, "wrong-password1")
    qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.error.text() == "用户名或密码错误。", timeout=5000)
    assert dlg.error.is_error
    assert dlg.password.text() == ""
    assert dlg.actor is None
    type_text(qtbot, dlg.password, PASSWORD)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
    assert dlg.actor is not None and dlg.actor.username == "zhanzhang"
    assert ui_settings.last_username == "zhanzhang"


def test_sign_in_lockout_message_shown(
    qtbot: QtBot, executor: DbExecutor, ui_settings: UiSettings, station_director: Actor
) -> None:
    from wushe_desktop.accounts.service import MAX_FAILED

    dlg = SignInDialog(executor, ui_settings)
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(qtbot, dlg.username, "zhanzhang")
    for _ in range(MAX_FAILED):
        type_text(qtbot, dlg.password, "wrong-password1")
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
        qtbot.waitUntil(dlg.ok.isEnabled, timeout=5000)
    assert "账户已锁定" in dlg.error.text()


def test_idle_lock_and_unlock(qtbot: QtBot, ctx: AppContext) -> None:
    from wushe_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    seen: list[LockDialog] = []

    def fake_ask(executor: DbExecutor, actor: Actor, parent: object = None) -> LockResult:
        dlg = LockDialog(executor, actor)
        qtbot.addWidget(dlg)
        seen.append(dlg)
        dlg.show()
        # wrong password first, then the right one
        type_text(qtbot, dlg.password, "nope-nope1")
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dlg.error.text().startswith("密码不正确"), timeout=5000)
        assert window.root.currentWidget() is window.locked_page  # data hidden meanwhile
        type_text(qtbot, dlg.password, PASSWORD)
        qtbot.keyClick(dlg.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dlg.result_value is LockResult.UNLOCKED, timeout=5000)
        return dlg.result_value

    import wushe_desktop.ui.dialogs.lock as lock_mod

    original = lock_mod.LockDialog.ask
    lock_mod.LockDialog.ask = staticmethod(fake_ask)  # type: ignore[method-assign, assignment]
    try:
        window.idle.set_timeout_ms(150)
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        qtbot.waitUntil(lambda: not window.is_locked, timeout=5000)
    finally:
        lock_mod.LockDialog.ask = original  # type: ignore[method-assign]
    assert window.root.currentWidget() is window.splitter
    assert window.idle.active  # counting again
    window.idle.set_timeout_ms(0)
    window.close()


def test_first_run_wizard_loads_demo_data(qtbot: QtBot, db: Database, executor: DbExecutor) -> None:
    from wushe_desktop.residents.search import ResidentQuery, count

    wizard = FirstRunWizard(executor)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.station_page
    page.name.setText("清河街道社会工作服务站")
    page.township.setText("清河街道")
    page.code.setText("320812001")
    wizard.next()
    dp = wizard.director_page
    dp.username.setText("zhanzhang")
    dp.display_name.setText("王站长")
    dp.password.setText("zhanzhang123")
    dp.password2.setText("zhanzhang123")
    wizard.next()
    wizard.data_page.demo.setChecked(True)
    with qtbot.waitSignal(wizard.finished, timeout=120_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.actor is not None
    with db.reader() as s:
        assert count(s, wizard.actor, ResidentQuery()) > 100  # the demo filled *this* station
