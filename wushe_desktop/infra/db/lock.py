"""One running instance per database file: an OS file lock beside the database.

The lock is released by the OS when the process dies, so a crash never leaves a stale lock.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

from wushe_desktop.infra.errors import DatabaseError


class InstanceLock:
    """Exclusive, non-blocking lock on ``<db>.lock``; raises DatabaseError if already held."""

    def __init__(self, db_file: Path) -> None:
        self.path = db_file.with_name(db_file.name + ".lock")
        self._handle: IO[bytes] | None = None

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held for the process lifetime
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise DatabaseError(
                f"数据库“{self.path.with_suffix('')}”正被另一个五社联动工作站程序使用，"
                "请先关闭那个窗口（同一数据库只能由一个程序打开）。"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode("ascii"))
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self,
        _exc_type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.release()
