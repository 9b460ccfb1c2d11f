"""Online backup and verified restore of a SQLite database (SQLite backup API)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from wushe_desktop.infra import attachments
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import DatabaseError
from wushe_desktop.infra.progress import Progress, no_progress


def _require_file(db: Database) -> Path:
    if db.file is None:
        raise DatabaseError("备份与恢复仅适用于本机 SQLite 数据库；PostgreSQL 请使用 pg_dump。")
    return db.file


def verify(path: Path) -> None:
    """Raise DatabaseError unless ``path`` is a SQLite file that passes ``integrity_check``."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()
            con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"文件“{path}”不是有效的工作站数据库：{exc}") from exc
    if not result or result[0] != "ok":
        raise DatabaseError(f"文件“{path}”完整性检查未通过：{result[0] if result else '无结果'}")


def backup_to(db: Database, out: Path, progress: Progress = no_progress) -> Path:
    """Copy the live database to ``out`` (temp name, then rename), verified."""
    src_path = _require_file(db)
    out = out.expanduser().absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(src_path)
    dst = sqlite3.connect(tmp)
    try:

        def _step(_status: int, remaining: int, total: int) -> None:
            progress((total - remaining) / total if total else 1.0, "正在备份数据库…")

        src.backup(dst, pages=256, progress=_step)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    verify(tmp)
    os.replace(tmp, out)
    attachments.copy_to_backup(out)  # attached files beside the backup (infra/attachments.py)
    progress(1.0, "备份完成")
    return out


def default_backup_name(db: Database, tag: str = "") -> Path:
    from wushe_desktop import paths

    src = _require_file(db)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    middle = f".{tag}" if tag else ""
    return paths.backup_dir() / f"{src.stem}{middle}.{stamp}.db"


def backup_before_migration(db: Database, revision: str) -> Path:
    return backup_to(db, default_backup_name(db, f"v{revision}"))


def restore_from(db: Database, source: Path, progress: Progress = no_progress) -> Path:
    """Replace the database with a verified backup; the current file is backed up first."""
    target = _require_file(db)
    source = source.expanduser().absolute()
    if not source.exists():
        raise DatabaseError(f"备份文件“{source}”不存在。")
    verify(source)
    safety = backup_to(db, default_backup_name(db, "before-restore")) if target.exists() else None
    db.dispose()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()
        src.close()
    verify(target)
    attachments.restore_from_backup(source)
    progress(1.0, "恢复完成")
    return safety or target
