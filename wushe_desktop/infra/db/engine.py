"""The one place that opens database connections (DESIGN.md §3 "One database layer").

SQLite gets WAL, ``synchronous=FULL``, foreign keys and SQLAlchemy's documented recipe for
real transactions with the sqlite3 driver (so SAVEPOINTs roll back). Any other SQLAlchemy
URL (PostgreSQL for a district deployment) goes through the same code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from wushe_desktop.infra.errors import DatabaseError

NETWORK_SHARE_MESSAGE = (
    "数据库文件“{path}”位于网络共享位置。SQLite 数据库放在网络盘上可能损坏，已拒绝打开。"
    "多台电脑共用数据请改用 PostgreSQL 模式（--db postgresql://用户@服务器/库名），"
    "单机使用请把数据库放在本机磁盘上。"
)


def resolve_url(db: str | os.PathLike[str] | None) -> URL:
    """``--db`` / ``WUSHE_DB``: a file path or any SQLAlchemy URL; default is the user data dir."""
    from wushe_desktop import paths

    raw = os.fspath(db) if db is not None else os.environ.get("WUSHE_DB") or ""
    if not raw:
        raw = str(paths.default_db_path())
    if "://" in raw:
        try:
            return make_url(raw)
        except Exception as exc:
            raise DatabaseError(f"数据库地址“{raw}”无法识别：{exc}") from exc
    if not raw.startswith(("\\\\", "//")):  # keep UNC paths as given, to be refused
        raw = str(Path(raw).expanduser().absolute())
    return URL.create("sqlite+pysqlite", database=raw)


def is_network_path(path: str) -> bool:
    """True for a UNC path or (on Windows) a drive letter mapped to a network share."""
    if path.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32" and len(path) >= 2 and path[1] == ":":
        import ctypes

        drive_remote = 4
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return bool(kernel32.GetDriveTypeW(path[:2] + "\\") == drive_remote)
    return False


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL (None for other backends and in-memory)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (documented recipe), so SAVEPOINT works.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: bulk imports ~30% faster
        cur.execute("PRAGMA synchronous=FULL")
        mode = cur.execute("PRAGMA journal_mode=WAL").fetchone()
        if mode and str(mode[0]).lower() not in ("wal", "memory"):
            cur.close()
            raise DatabaseError("无法把数据库切换到 WAL 日志模式，请检查文件所在磁盘。")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: URL, *, check_network: bool = True, echo: bool = False) -> Engine:
    """Create the engine for ``url`` with the app's connection settings."""
    path = sqlite_file(url)
    if path is not None:
        if check_network and is_network_path(str(path)):
            raise DatabaseError(NETWORK_SHARE_MESSAGE.format(path=path))
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo)
        _configure_sqlite(engine)
        return engine
    try:
        return create_engine(url, echo=echo, pool_pre_ping=True)
    except Exception as exc:  # missing driver and the like
        raise DatabaseError(f"无法连接数据库“{url.render_as_string()}”：{exc}") from exc


class Database:
    """An engine plus its session factory; a service call runs in ``db.transaction()``."""

    def __init__(self, url: URL, *, check_network: bool = True, echo: bool = False) -> None:
        self.url = url
        self.engine = make_engine(url, check_network=check_network, echo=echo)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def open(cls, db: str | os.PathLike[str] | None = None) -> Database:
        return cls(resolve_url(db))

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def file(self) -> Path | None:
        return sqlite_file(self.url)

    def describe(self) -> str:
        """Where the data lives, for the status bar and messages (password hidden)."""
        return str(self.file) if self.file else self.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A session for reads only (rolled back at the end)."""
        with self._sessions() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
