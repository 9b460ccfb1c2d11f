"""The migrations produce exactly the models' schema; old and newer databases are handled."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL
from wushe_desktop.infra.db import migrate
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import DatabaseError
from wushe_desktop.models import Base


def _diff(database: Database) -> list[object]:
    with database.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, Base.metadata))


def test_migrations_match_models_sqlite(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "m.db")
    assert migrate.upgrade(database) is None  # a new file needs no backup
    assert migrate.state(database).up_to_date
    assert _diff(database) == []


def _index_sql(database: Database) -> dict[str, str]:
    with database.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).all()
    return {name: " ".join(sql.replace('"', "").split()) for name, sql in rows}


def test_migrated_indexes_equal_the_models_including_partial_ones(tmp_path: Path) -> None:
    """compare_metadata does not compare an index's WHERE; the CREATE INDEX texts do."""
    migrated = Database.open(tmp_path / "migrated.db")
    migrate.upgrade(migrated)
    created = Database.open(tmp_path / "created.db")
    Base.metadata.create_all(created.engine)
    assert _index_sql(migrated) == _index_sql(created)
    assert (
        "WHERE py_full_alt IS NOT NULL" in _index_sql(migrated)["ix_resident_station_py_full_alt"]
    )


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="WUSHE_TEST_PG_URL not set")
def test_migrations_match_models_postgresql() -> None:
    # A schema of its own, so the shared test database's tables are left alone.
    admin = Database.open(PG_URL)
    with admin.engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS migration_check CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA migration_check")
    url = make_url(PG_URL).update_query_dict({"options": "-csearch_path=migration_check"})
    database = Database(url)
    try:
        migrate.upgrade(database)
        assert migrate.state(database).up_to_date
        assert _diff(database) == []
    finally:
        database.dispose()
        with admin.engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA migration_check CASCADE")
        admin.dispose()


def test_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    database = Database.open(path)
    migrate.upgrade(database)
    with database.engine.begin() as conn:
        # One row per head when rooms branch; a newer app has a revision this one lacks.
        conn.exec_driver_sql("DELETE FROM alembic_version")
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('9999_future')")
    database.dispose()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="比本程序更新"):
        migrate.upgrade(Database.open(path))
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    database = Database.open(tmp_path / "other.db")
    with database.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE something (x INTEGER)")
    with pytest.raises(DatabaseError, match="不是五社联动工作站的数据库"):
        migrate.upgrade(database)


def test_sqlite_pragmas_and_savepoint_rollback(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    from wushe_desktop.models import Station

    with db.transaction() as s:
        s.add(Station(name="甲", township="甲镇", code="A1"))
        nested = s.begin_nested()
        s.add(Station(name="乙", township="乙镇", code="B1"))
        s.flush()
        nested.rollback()
    with db.reader() as s:
        assert sorted(st.code for st in s.query(Station)) == ["A1"]


def test_network_share_is_refused() -> None:
    with pytest.raises(DatabaseError, match="PostgreSQL"):
        Database.open(r"\\server\share\wushe.db")


def test_audit_log_is_append_only_in_the_database(tmp_path: Path) -> None:
    import sqlalchemy.exc

    database = Database.open(tmp_path / "a.db")
    migrate.upgrade(database)
    with database.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO audit_entry (id, at, username, host, action, record_type, record_id,"
            " record_label, changes, detail) VALUES ('00000000000000000000000000000001',"
            " '2026-01-01 00:00:00', 'u', 'h', '新增', 'resident', 'x', '', '', '')"
        )
    for sql in ("UPDATE audit_entry SET username='v'", "DELETE FROM audit_entry"):
        with (
            pytest.raises(sqlalchemy.exc.DatabaseError, match="只能追加"),
            database.engine.begin() as conn,
        ):
            conn.exec_driver_sql(sql)


def test_upgrade_of_an_older_database_makes_a_verified_backup(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.db"
    database = Database.open(path)
    cfg = migrate.alembic_config()
    with database.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
    assert migrate.state(database).current == "0001"
    made = migrate.upgrade(database)
    assert made is not None and made.exists()
    assert ".v0001." in made.name
    assert migrate.state(database).up_to_date
    from wushe_desktop.infra.db.backup import verify

    verify(made)  # a complete, consistent SQLite file of the old revision
    old = Database.open(made)
    assert migrate.state(old).current == "0001"
    old.dispose()
