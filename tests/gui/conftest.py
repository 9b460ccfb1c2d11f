"""GUI test fixtures: cheap password hashing, recorded message boxes, a signed-in context."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from pytestqt.qtbot import QtBot

from wushe_desktop.accounts import passwords
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext, StationLabel
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.workers import DbExecutor

PASSWORD = "zhanzhang123"


@pytest.fixture(autouse=True)
def _cheap_hasher() -> Iterator[None]:
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


@dataclass
class Boxes:
    """Message boxes shown during a test, instead of blocking on them."""

    shown: list[tuple[str, str]] = field(default_factory=list)
    answer: bool = True

    def texts(self, kind: str | None = None) -> list[str]:
        return [t for k, t in self.shown if kind is None or k == kind]


@pytest.fixture(autouse=True)
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    rec = Boxes()

    def make(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent: object, text: str, **_kw: object) -> None:
            rec.shown.append((kind, text))

        return show

    monkeypatch.setattr(msgbox, "information", make("information"))
    monkeypatch.setattr(msgbox, "warning", make("warning"))
    monkeypatch.setattr(msgbox, "critical", make("critical"))

    def question(_parent: object, text: str, **_kw: object) -> bool:
        rec.shown.append(("question", text))
        return rec.answer

    monkeypatch.setattr(msgbox, "question", question)
    return rec


@pytest.fixture
def executor(db: Database) -> Iterator[DbExecutor]:
    ex = DbExecutor(db)
    yield ex
    ex.shutdown()


@pytest.fixture
def ui_settings(tmp_path: object) -> UiSettings:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    return UiSettings(tmp_path / "ui.ini")


@pytest.fixture
def station_director(db: Database) -> Actor:
    """A real station and director account (password ``PASSWORD``), signed in."""
    from wushe_desktop.accounts.service import sign_in
    from wushe_desktop.stations.service import create_station

    with db.transaction() as s:
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
    return sign_in(db, "zhanzhang", PASSWORD)


@pytest.fixture
def ctx(
    db: Database, executor: DbExecutor, ui_settings: UiSettings, station_director: Actor
) -> AppContext:
    label = StationLabel("清河街道社工站", "清河街道", "清江浦区", "320812001")
    return AppContext(db, executor, ui_settings, station_director, label)


def wait_idle(qtbot: QtBot, executor: DbExecutor) -> None:
    """Let queued DB work finish and its results reach the GUI thread."""
    executor.wait_idle()
    qtbot.wait(30)


def type_text(qtbot: QtBot, widget: object, text: str) -> None:
    """Type into a line edit: real key events for ASCII, ``insert`` for Chinese (QTest's
    key simulation only knows ASCII)."""
    from PySide6.QtWidgets import QLineEdit

    assert isinstance(widget, QLineEdit)
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.setFocus()
        widget.insert(text)


DEMO_PASSWORD = "Demo12345"


@pytest.fixture
def demo_ctx(
    db: Database, executor: DbExecutor, ui_settings: UiSettings, monkeypatch: pytest.MonkeyPatch
) -> AppContext:
    """The tiny demo station (200 residents), signed in as its director."""
    from wushe_desktop.accounts.service import sign_in
    from wushe_desktop.demo.generate import generate_demo

    monkeypatch.setenv("WUSHE_ADMIN_PASSWORD", DEMO_PASSWORD)
    summary = generate_demo(db, scale="tiny", seed=1)
    actor = sign_in(db, "zhanzhang", DEMO_PASSWORD)
    label = StationLabel(summary.station_name, "", "", summary.station_code)
    return AppContext(db, executor, ui_settings, actor, label)
