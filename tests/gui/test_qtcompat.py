"""The emit work-around keeps ``True`` alive however many signals are emitted."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal

from wushe_desktop.ui.qtcompat import emit

pytestmark = pytest.mark.gui


class _Sender(QObject):
    fired = Signal(object)


def test_emit_does_not_drain_true_refcount() -> None:
    sender = _Sender()
    got: list[object] = []
    sender.fired.connect(got.append)
    before = sys.getrefcount(True)
    for i in range(2000):
        emit(sender.fired, i)
    assert len(got) == 2000
    assert sys.getrefcount(True) >= before - 5
