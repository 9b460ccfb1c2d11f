"""The DB executor runs work off the GUI thread and hands results back on it."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import Cancelled, ValidationError
from wushe_desktop.infra.progress import CancelToken, Progress
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.workers import DbExecutor

pytestmark = pytest.mark.gui


@pytest.fixture
def executor(db: Database) -> DbExecutor:
    ex = DbExecutor(db)
    yield ex
    ex.shutdown()


def test_query_returns_on_gui_thread(qtbot: QtBot, executor: DbExecutor) -> None:
    seen: dict[str, object] = {}
    gui = threading.current_thread()

    def work(session: object) -> int:
        seen["worker"] = threading.current_thread()
        return 42

    def done(value: object) -> None:
        seen["value"] = value
        seen["done_thread"] = threading.current_thread()

    op = executor.query(work, done)
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert seen["value"] == 42
    assert seen["worker"] is not gui
    assert seen["done_thread"] is gui


def test_error_goes_to_on_error(qtbot: QtBot, executor: DbExecutor) -> None:
    errors: list[BaseException] = []

    def work(session: object) -> None:
        raise ValidationError("姓名不能为空。")

    op = executor.query(work, lambda _v: None, errors.append)
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert isinstance(errors[0], ValidationError)


def test_default_error_shows_message(
    qtbot: QtBot, executor: DbExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(msgbox, "warning", lambda _p, text, **_k: shown.append(text))
    op = executor.query(lambda s: (_ for _ in ()).throw(ValidationError("电话号码格式不对。")))
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert shown == ["电话号码格式不对。"]


def test_job_progress_and_cancel(qtbot: QtBot, executor: DbExecutor) -> None:
    release = threading.Event()
    progress_seen: list[float] = []
    errors: list[BaseException] = []

    def work(progress: Progress, cancel: CancelToken) -> None:
        release.wait(5)
        progress(0.5, "一半")
        cancel.check()

    op = executor.job(work, None, errors.append, title="测试")
    op.progressed.connect(lambda f, _s: progress_seen.append(f))
    op.cancel()
    release.set()
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert isinstance(errors[0], Cancelled)
    assert progress_seen == [0.5]
