"""Showing errors: known ones (WusheError) as a friendly sentence, bugs with details + log.

STYLE.md pattern 15: a ``WusheError`` carries a complete Chinese sentence the user can act
on; anything else is a bug that is logged with its traceback and shown in an error dialog.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QWidget

from wushe_desktop.infra.errors import Cancelled, WusheError
from wushe_desktop.ui import msgbox

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user what went wrong, in Chinese."""
    if isinstance(exc, Cancelled):
        msgbox.information(parent, str(exc))
    elif isinstance(exc, WusheError):
        msgbox.warning(parent, str(exc))
    else:
        log.error("unexpected error", exc_info=exc)
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        msgbox.critical(
            parent,
            "程序出现了意外错误，刚才的操作可能没有完成。请把详细信息告诉技术支持人员。\n"
            f"（{type(exc).__name__}: {exc}）",
            details=details,
        )


def _excepthook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Uncaught exceptions in slots: log and show instead of crashing silently."""
    if issubclass(etype, KeyboardInterrupt):
        sys.__excepthook__(etype, value, tb)
        return
    log.error("uncaught exception", exc_info=(etype, value, tb))
    if QApplication.instance() is not None:
        show_error(QApplication.activeWindow(), value)


def install_excepthook() -> None:
    sys.excepthook = _excepthook
