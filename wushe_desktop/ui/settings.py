"""Window and UI preferences, declared once with typed accessors (STYLE.md pattern 11).

Stored in ``ui.ini`` in the data directory (so tests, which redirect ``WUSHE_HOME``, never
touch the real user's file); nothing here is station data.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QWidget

from wushe_desktop import paths

#: Minutes of no keyboard/mouse input before the window locks (0 = never).
IDLE_LOCK_DEFAULT = 10
IDLE_LOCK_MAX = 240


class UiSettings:
    """Typed accessors; every key the GUI stores appears in this class."""

    def __init__(self, path: Path | None = None) -> None:
        file = path if path is not None else paths.data_dir() / "ui.ini"
        self._s = QSettings(str(file), QSettings.Format.IniFormat)

    # -- generic ------------------------------------------------------------------------------
    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def sync(self) -> None:
        self._s.sync()

    # -- window state -------------------------------------------------------------------------
    def save_geometry(self, name: str, widget: QWidget) -> None:
        self._s.setValue(f"geometry/{name}", widget.saveGeometry())

    def restore_geometry(self, name: str, widget: QWidget) -> bool:
        data = self._bytes(f"geometry/{name}")
        return bool(data is not None and widget.restoreGeometry(data))

    def save_splitter(self, name: str, splitter: QSplitter) -> None:
        self._s.setValue(f"splitter/{name}", splitter.saveState())

    def restore_splitter(self, name: str, splitter: QSplitter) -> bool:
        data = self._bytes(f"splitter/{name}")
        return bool(data is not None and splitter.restoreState(data))

    def save_header(self, name: str, header: QHeaderView) -> None:
        """Column widths and order of a table (the sort indicator is restored too)."""
        self._s.setValue(f"header/{name}", header.saveState())

    def restore_header(self, name: str, header: QHeaderView) -> bool:
        data = self._bytes(f"header/{name}")
        return bool(data is not None and header.restoreState(data))

    # -- preferences --------------------------------------------------------------------------
    @property
    def idle_lock_minutes(self) -> int:
        """Minutes of inactivity before the lock screen; 0 turns auto-lock off."""
        raw = self._s.value("security/idle_lock_minutes", IDLE_LOCK_DEFAULT)
        try:
            value = int(str(raw))
        except ValueError:
            return IDLE_LOCK_DEFAULT
        return max(0, min(IDLE_LOCK_MAX, value))

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, minutes: int) -> None:
        self._s.setValue("security/idle_lock_minutes", max(0, min(IDLE_LOCK_MAX, int(minutes))))

    @property
    def last_username(self) -> str:
        return str(self._s.value("signin/last_username", "") or "")

    @last_username.setter
    def last_username(self, name: str) -> None:
        self._s.setValue("signin/last_username", name)

    @property
    def last_dir(self) -> str:
        """Folder last used in a file dialog (exports and imports)."""
        return str(self._s.value("files/last_dir", "") or "")

    @last_dir.setter
    def last_dir(self, folder: str) -> None:
        self._s.setValue("files/last_dir", folder)
