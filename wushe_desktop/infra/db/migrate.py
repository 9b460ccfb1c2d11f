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


def head_revisions() -> tuple[str, ...]:
    """The newest revision(s). Rooms developed in parallel may branch; each head is applied."""
    return tuple(sorted(ScriptDirectory.from_config(alembic_config()).get_heads()))


def _label(revisions: tuple[str, ...]) -> str:
    return "+".join(revisions)


@dataclass(frozen=True)
class MigrationState:
    currents: tuple[str, ...]
    heads: tuple[str, ...]
    has_tables: bool

    @property
    def current(self) -> str | None:
        """The database's revision(s) as one label (``None`` for an empty database)."""
        return _label(self.currents) or None

    @property
    def head(self) -> str:
        return _label(self.heads)

    @property
    def is_new(self) -> bool:
        return not self.currents and not self.has_tables

    @property
    def up_to_date(self) -> bool:
        return set(self.currents) == set(self.heads)


def state(db: Database) -> MigrationState:
    with db.engine.connect() as conn:
        currents = tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
    return MigrationState(currents=currents, heads=head_revisions(), has_tables=bool(tables))


def _known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config())
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False


def _run_upgrade(conn: Connection) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "heads")


def upgrade(db: Database, *, backup: bool = True) -> Path | None:
    """Bring the database to the newest schema; return the backup file made, if any."""
    st = state(db)
    if st.up_to_date:
        return None
    if any(not _known(rev) for rev in st.currents):
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
