"""Where the app keeps its files (platformdirs), overridable for tests and portable use."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import PlatformDirs

_dirs = PlatformDirs(appname="wushe_desktop", appauthor=False)


def data_dir() -> Path:
    """User data directory (%LOCALAPPDATA%\\wushe_desktop on Windows); ``WUSHE_HOME`` overrides."""
    override = os.environ.get("WUSHE_HOME")
    path = Path(override) if override else Path(_dirs.user_data_dir)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "wushe.db"


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resource_path(*parts: str) -> Path:
    """A file under the top-level ``resources/`` folder, also inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)
