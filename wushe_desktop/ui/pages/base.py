"""What the main window expects of a page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

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

    # -- keyboard (Ctrl+F, F5; see MainWindow) ----------------------------------------------
    #: Words a search box's placeholder starts with or contains.
    SEARCH_HINTS = ("搜索", "姓名", "拼音")

    def focus_search(self) -> bool:
        """Put the cursor in the visible search box (the first one whose placeholder says
        what it searches); False when the page has none."""
        for edit in self.findChildren(QLineEdit):
            hint = edit.placeholderText()
            if edit.isVisible() and edit.isEnabled() and any(h in hint for h in self.SEARCH_HINTS):
                edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
                edit.selectAll()
                return True
        return False

    def refresh_page(self) -> bool:
        """Reload what the page shows: its visible 刷新 button, if it has one."""
        for button in self.findChildren(QPushButton):
            if button.text() == "刷新" and button.isVisible() and button.isEnabled():
                button.click()
                return True
        return False
