"""Background work: one DB thread, results back on the GUI thread (STYLE.md patterns 3–5).

All database work runs on a single-thread executor so SQLite writes are serialised and
the GUI never waits on a query. A worker function never touches widgets; it gets its own
Session (``db.transaction()``) or a ``(progress, cancel)`` pair, and its result or
exception is handed back to the GUI thread through a queued Qt signal.

Usage::

    executor.query(lambda s: count(s, actor, q), on_done=self._on_counted)
    executor.job(lambda p, c: export(db, ..., progress=p, cancel=c), on_done=...,
                 title="正在导出…", parent=self)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from wushe_desktop.infra.errors import Cancelled
from wushe_desktop.infra.progress import CancelToken, Progress
from wushe_desktop.ui.qtcompat import emit

if TYPE_CHECKING:  # SQLAlchemy is imported off the GUI thread at start (cold-start time)
    from sqlalchemy.orm import Session

    from wushe_desktop.infra.db.engine import Database

log = logging.getLogger(__name__)

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]

#: How long a job may run before its progress dialog appears (ms); avoids flicker.
PROGRESS_DELAY_MS = 500


class BackgroundOp(QObject):
    """One background call; lives on the GUI thread, its signals arrive there queued."""

    #: Emitted (on the GUI thread) with the worker function's return value.
    succeeded = Signal(object)
    #: Emitted (on the GUI thread) with the exception the worker raised.
    failed = Signal(object)
    #: Emitted with (fraction 0..1, status text) when the job reports progress.
    progressed = Signal(float, str)
    #: Emitted after ``succeeded`` or ``failed`` handlers have run.
    finished = Signal()

    def __init__(
        self,
        on_done: OnDone | None,
        on_error: OnError | None,
        *,
        owner: QObject | None = None,
        on_finished: Callable[[BackgroundOp], None] | None = None,
    ) -> None:
        # Python-owned (no Qt parent): the executor holds it until it has finished. A widget
        # ``owner`` that is destroyed meanwhile makes the result be dropped, not delivered.
        super().__init__(None)
        self.owner = owner
        self._on_finished = on_finished
        self.token = CancelToken()
        self._on_done = on_done
        self._on_error = on_error
        self._last: tuple[int, str] = (-1, "")
        self._last_at = 0.0
        self.dialog: QProgressDialog | None = None
        self.done = False
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)

    def cancel(self) -> None:
        """Ask the job to stop at its next check; it then fails with ``Cancelled``."""
        self.token.cancel()

    # -- called on the worker thread ---------------------------------------------------------
    def report(self, fraction: float, status: str) -> None:
        """The ``Progress`` callback given to core jobs; emits only visible changes."""
        permille = int(max(0.0, min(1.0, fraction)) * 1000)
        now = time.monotonic()
        if (permille, status) == self._last:
            return
        if status == self._last[1] and now - self._last_at < 0.05 and permille < 1000:
            return  # throttle: at most ~20 updates a second for the same status
        self._last = (permille, status)
        self._last_at = now
        emit(self.progressed, permille / 1000, status)

    # -- GUI thread ------------------------------------------------------------------------------
    def _owner_alive(self) -> bool:
        return self.owner is None or shiboken6.isValid(self.owner)

    def _finish(self) -> None:
        emit(self.finished)
        if self._on_finished is not None:
            self._on_finished(self)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._close_dialog()
        self.done = True
        try:
            if self._on_done is not None and self._owner_alive():
                self._on_done(result)
        finally:
            self._finish()

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._close_dialog()
        self.done = True
        try:
            if not self._owner_alive():
                log.debug("result dropped: owner gone", exc_info=exc)
            elif self._on_error is not None:
                self._on_error(exc)
            else:
                from wushe_desktop.ui import errors

                owner = self.owner
                errors.show_error(owner if isinstance(owner, QWidget) else None, exc)
        finally:
            self._finish()

    def attach_dialog(self, title: str, parent: QWidget | None, *, cancellable: bool) -> None:
        """Show a delayed, window-modal QProgressDialog that follows this op."""
        dlg = QProgressDialog(title, "取消" if cancellable else "", 0, 1000, parent)
        dlg.setWindowTitle("请稍候")
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(PROGRESS_DELAY_MS)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setMinimumWidth(360)
        if not cancellable:
            dlg.setCancelButton(None)
        dlg.canceled.connect(self._on_dialog_canceled)
        self.progressed.connect(self._on_progressed)
        dlg.setValue(0)
        self.dialog = dlg

    @Slot(float, str)
    def _on_progressed(self, fraction: float, status: str) -> None:
        if self.dialog is not None and not self.done:
            if status:
                self.dialog.setLabelText(status)
            self.dialog.setValue(int(fraction * 1000))

    @Slot()
    def _on_dialog_canceled(self) -> None:
        if not self.done:
            self.cancel()
            if self.dialog is not None:
                self.dialog.setLabelText("正在取消…")

    def _close_dialog(self) -> None:
        dlg, self.dialog = self.dialog, None
        if dlg is not None and shiboken6.isValid(dlg):
            dlg.canceled.disconnect(self._on_dialog_canceled)
            dlg.close()
            dlg.deleteLater()


class DbExecutor:
    """The single DB thread of the app; every page gets it through its constructor."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wushe-db")
        self._live: set[BackgroundOp] = set()
        self._lock = threading.Lock()
        self._closed = False

    # -- public API ----------------------------------------------------------------------------
    def query(
        self,
        fn: Callable[[Session], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        parent: QObject | None = None,
    ) -> BackgroundOp:
        """Run ``fn(session)`` in one transaction (commit on success) off the GUI thread."""

        def work(_op: BackgroundOp) -> Any:
            with self.db.transaction() as session:
                return fn(session)

        return self.run_in_background(work, on_done, on_error, parent=parent)

    def job(
        self,
        fn: Callable[[Progress, CancelToken], Any],
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        *,
        title: str,
        parent: QWidget | None = None,
        cancellable: bool = True,
    ) -> BackgroundOp:
        """Run a long core job ``fn(progress, cancel)`` with a delayed progress dialog."""

        def work(op: BackgroundOp) -> Any:
            return fn(op.report, op.token)

        return self.run_in_background(
            work,
            on_done,
            on_error,
            parent=parent,
            progress=title,
            cancellable=cancellable,
        )

    def run_in_background(
        self,
        fn: Callable[[BackgroundOp], Any],
        on_done: OnDone | None,
        on_error: OnError | None = None,
        *,
        parent: QObject | None = None,
        progress: str | None = None,
        cancellable: bool = False,
    ) -> BackgroundOp:
        """Run ``fn(op)`` on the DB thread; ``on_done``/``on_error`` run on the GUI thread.

        ``progress`` (a Chinese title) shows a QProgressDialog after 500 ms; ``cancellable``
        gives it a 取消 button that sets ``op.token``.
        """
        op = BackgroundOp(on_done, on_error, owner=parent, on_finished=self._forget)
        with self._lock:
            if self._closed:  # the app is closing: late requests are dropped, not run
                log.debug("DbExecutor is shut down; request dropped")
                op.done = True
                return op
            self._live.add(op)
        if progress is not None:
            op.attach_dialog(
                progress, parent if isinstance(parent, QWidget) else None, cancellable=cancellable
            )
        self._pool.submit(self._call, fn, op)
        return op

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until queued work has run (tests and shutdown only)."""
        self._pool.submit(lambda: None).result(timeout=timeout)

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
        for op in list(self._live):
            op.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)

    # -- internals -----------------------------------------------------------------------------
    @staticmethod
    def _call(fn: Callable[[BackgroundOp], Any], op: BackgroundOp) -> None:
        try:
            if op.token.cancelled:
                raise Cancelled()
            result = fn(op)
        except BaseException as exc:  # handed to the GUI thread, never swallowed
            if not isinstance(exc, Exception):
                raise
            if not isinstance(exc, Cancelled):
                log.debug("background op failed", exc_info=exc)
            _safe_emit(op.failed, exc)
            return
        _safe_emit(op.succeeded, result)

    def _forget(self, op: BackgroundOp) -> None:
        # Drop our reference after the current slot has returned (deleting a QObject inside
        # its own signal dispatch crashes).
        QTimer.singleShot(0, lambda: self._discard(op))

    def _discard(self, op: BackgroundOp) -> None:
        with self._lock:
            self._live.discard(op)


def _safe_emit(signal: Any, value: object) -> None:
    """Emit unless the receiving object was already destroyed (window closed meanwhile)."""
    try:
        emit(signal, value)
    except RuntimeError:
        log.debug("result dropped: receiver gone")
