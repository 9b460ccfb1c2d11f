"""Progress reporting and cancellation for long jobs, as plain callables (no Qt).

Services take ``progress: Progress = no_progress`` and ``cancel: CancelToken | None``; the
GUI adapts these to signals at its edge (STYLE.md pattern 2).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from wushe_desktop.infra.errors import Cancelled

#: ``progress(fraction_0_to_1, chinese_status_text)``
Progress = Callable[[float, str], None]


def no_progress(_fraction: float, _status: str) -> None:
    """Ignore progress (the default)."""


def sub_progress(progress: Progress, start: float, end: float) -> Progress:
    """Map a sub-step's 0..1 onto ``start..end`` of the parent job."""

    def _report(fraction: float, status: str) -> None:
        progress(start + (end - start) * max(0.0, min(1.0, fraction)), status)

    return _report


class CancelToken:
    """Set from any thread; checked by the job between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` if cancellation was requested."""
        if self._event.is_set():
            raise Cancelled()


def check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.check()
