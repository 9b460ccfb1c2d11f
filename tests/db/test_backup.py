"""Online backup, verified restore, and one instance per database file."""

from __future__ import annotations

from pathlib import Path

import pytest

from wushe_desktop.infra.db import backup, migrate
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.db.lock import InstanceLock
from wushe_desktop.infra.errors import DatabaseError
from wushe_desktop.models import Station


def _db_with_station(path: Path, code: str) -> Database:
    database = Database.open(path)
    migrate.upgrade(database)
    with database.transaction() as s:
        s.add(Station(name="站", township="镇", code=code))
    return database


def _codes(database: Database) -> list[str]:
    with database.reader() as s:
        return sorted(st.code for st in s.query(Station))


def test_backup_then_restore_round_trip(tmp_path: Path) -> None:
    database = _db_with_station(tmp_path / "live.db", "A")
    seen: list[float] = []
    out = backup.backup_to(
        database, tmp_path / "b" / "copy.db", progress=lambda f, _s: seen.append(f)
    )
    assert out.exists() and seen[-1] == 1.0
    assert not list((tmp_path / "b").glob("*.part"))
    with database.transaction() as s:
        s.add(Station(name="站2", township="镇", code="B"))
    assert _codes(database) == ["A", "B"]

    safety = backup.restore_from(database, out)
    assert _codes(Database.open(tmp_path / "live.db")) == ["A"]
    assert _codes(Database.open(safety)) == ["A", "B"]  # what was there before the restore


def test_restore_refuses_a_damaged_or_foreign_file(tmp_path: Path) -> None:
    database = _db_with_station(tmp_path / "live.db", "A")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    with pytest.raises(DatabaseError, match="不是有效的工作站数据库"):
        backup.restore_from(database, junk)
    with pytest.raises(DatabaseError, match="不存在"):
        backup.restore_from(database, tmp_path / "missing.db")
    assert _codes(database) == ["A"]


def test_second_instance_on_the_same_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "one.db"
    with InstanceLock(path), pytest.raises(DatabaseError, match="正被另一个"):
        InstanceLock(path).acquire()
    InstanceLock(path).acquire().release()  # free again once the first one closed
