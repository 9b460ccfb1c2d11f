"""What the main window expects of a page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from wushe_desktop.ui.settings import UiSettings


class Page(QWidget):
    """A page of the main window; override the hooks you need."""

    #: Emitted to open another page: (page key, argument such as a resident id or None).
    navigate_requested = Signal(str, object)

    def activated(self) -> None:
        """Called every time the page becomes visible (refresh cheap data here)."""

    def open_argument(self, argument: object) -> None:
        """Show the record ``argument`` (e.g. a resident id) after navigation."""

    def save_state(self, settings: UiSettings) -> None:
        """Remember column widths and splitters before the window closes."""
