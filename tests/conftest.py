"""Shared fixtures: a fresh database per test (SQLite always, PostgreSQL when configured).

Set ``WUSHE_TEST_PG_URL`` (``.ci/run`` does) to run every ``db`` test on PostgreSQL too.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.infra.db import migrate
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Base, Station

PG_URL = os.environ.get("WUSHE_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test's data directory (and default database) out of the real user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WUSHE_HOME", str(home))
    monkeypatch.delenv("WUSHE_DB", raising=False)


def _reset_pg_schema(database: Database) -> None:
    with database.engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[Database]:
    """The PostgreSQL test database, migrated once (real schema, triggers included)."""
    database = Database.open(PG_URL)
    _reset_pg_schema(database)
    migrate.upgrade(database)
    yield database
    _reset_pg_schema(database)
    database.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating every time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database.open(path)
    migrate.upgrade(database)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.dispose()
    return path


def _empty_tables(database: Database) -> None:
    names = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with database.engine.begin() as conn:
        # TRUNCATE does not fire the audit log's row-level append-only trigger.
        conn.exec_driver_sql(f"TRUNCATE {names}")


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated-shape empty database: a SQLite file, or the shared PostgreSQL one."""
    if request.param == "postgresql":
        request.applymarker(pytest.mark.postgres)
        database: Database = request.getfixturevalue("_pg_database")
        _empty_tables(database)
        yield database
        _empty_tables(database)
        return
    path = tmp_path / "test.db"
    shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
    database = Database.open(path)
    yield database
    database.dispose()


@pytest.fixture
def station(db: Database) -> Station:
    with db.transaction() as s:
        st = Station(
            name="清河街道社工站", township="清河街道", district="清江浦区", code="320812001"
        )
        s.add(st)
    return st


def make_actor(station: Station | None, role: Role = Role.DIRECTOR, name: str = "tester") -> Actor:
    return Actor(
        user_id=uuid.uuid4(),
        username=name,
        display_name=name,
        role=role,
        station_id=station.id if station else None,
        host="test-pc",
    )


@pytest.fixture
def director(station: Station) -> Actor:
    return make_actor(station, Role.DIRECTOR, "zhanzhang")
