"""Shared fixtures: a fresh database per test (SQLite always, PostgreSQL when configured).

Set ``WUSHE_TEST_PG_URL`` (``.ci/run`` does) to run every ``db`` test on PostgreSQL too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from wushe_desktop.accounts.permissions import Actor, Role  # noqa: E402
from wushe_desktop.infra.db.engine import Database  # noqa: E402
from wushe_desktop.models import Base, Station  # noqa: E402

PG_URL = os.environ.get("WUSHE_TEST_PG_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test's data directory (and default database) out of the real user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WUSHE_HOME", str(home))
    monkeypatch.delenv("WUSHE_DB", raising=False)


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[Database]:
    database = Database.open(PG_URL)
    Base.metadata.drop_all(database.engine)
    Base.metadata.create_all(database.engine)
    yield database
    Base.metadata.drop_all(database.engine)
    database.dispose()


def _empty_tables(database: Database) -> None:
    with database.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


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
    database = Database.open(tmp_path / "test.db")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def station(db: Database) -> Station:
    with db.transaction() as s:
        st = Station(name="清河街道社工站", township="清河街道", district="清江浦区", code="320812001")
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
