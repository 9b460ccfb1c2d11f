"""Work-arounds for bugs of the Qt binding, in one place.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference, so
every Python-side emit lowers the refcount of ``True`` by one until CPython aborts with
"bool_dealloc: deallocating True or False" (after a few hundred emits on Python 3.11, where
bools are not immortal). All of our emits go through ``emit()`` below, which detects the
bug once at import and hands back the missing reference.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    pinged = Signal()


def _emit_loses_reference() -> bool:
    probe = _Probe()
    result: object = probe.pinged.emit()  # type: ignore[func-returns-value]
    if not isinstance(result, bool):
        return False
    rounds = 64
    before = sys.getrefcount(result)
    for _ in range(rounds):
        probe.pinged.emit()
    lost = before - sys.getrefcount(result)
    if lost >= rounds // 2:
        for _ in range(lost):  # repair the probe's own damage
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return True
    return False


EMIT_LOSES_REFERENCE = _emit_loses_reference()


def emit(signal: Any, *args: object) -> None:
    """``signal.emit(*args)``, safe on PySide6 versions whose emit drops a reference."""
    result: object = signal.emit(*args)
    if EMIT_LOSES_REFERENCE and result is not None:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
