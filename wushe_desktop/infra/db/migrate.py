"""Schema migrations at start-up: verified backup first, refuse a newer database.

A database whose revision this app does not know comes from a newer version of the app;
it is refused untouched. An older one is copied with the SQLite backup API to
``<name>.v<rev>.<timestamp>.db`` (verified by ``integrity_check``) before upgrading,
because pysqlite runs DDL non-transactionally (RELIABILITY-PACKAGING.md A2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass(frozen=True)
class MigrationState:
    current: str | None
    head: str
    has_tables: bool

    @property
    def is_new(self) -> bool:
        return self.current is None and not self.has_tables

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def state(db: Database) -> MigrationState:
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
    return MigrationState(current=current, head=head_revision(), has_tables=bool(tables))


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config())
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False


def _run_upgrade(conn: Connection) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")


def upgrade(db: Database, *, backup: bool = True) -> Path | None:
    """Bring the database to the newest schema; return the backup file made, if any."""
    st = state(db)
    if st.up_to_date:
        return None
    if st.current is not None and not _known(st.current):
        raise DatabaseError(
            f"数据库版本（{st.current}）比本程序更新，请升级“五社联动工作站”后再打开；"
            "为保护数据，本程序不会修改它。"
        )
    if st.current is None and st.has_tables:
        raise DatabaseError("该文件不是五社联动工作站的数据库（缺少版本信息），已拒绝打开。")
    made: Path | None = None
    if backup and not st.is_new and db.file is not None:
        from wushe_desktop.infra.db.backup import backup_before_migration

        made = backup_before_migration(db, st.current or "none")
    if db.is_sqlite:
        # Batch mode recreates tables; foreign keys must be off meanwhile (Alembic batch.rst).
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
            _run_upgrade(conn)
            conn.commit()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
    else:
        with db.engine.begin() as conn:
            _run_upgrade(conn)
    return made
