"""The dashboard's resident counts (residents.stats): one statement, live residents only,
scoped to the station (all stations for the district), equal to the list's own counts."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from tests.conftest import make_actor
from tests.db.residents_support import Places, make_id, make_places, other_station
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.domain.tags import TAGS
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Community, Station
from wushe_desktop.residents import search, service
from wushe_desktop.residents.service import ResidentInput
from wushe_desktop.residents.stats import resident_stats


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


def _add(db: Database, actor: Actor, community: object, tags: dict[str, str], **kw: object) -> None:
    with db.transaction() as s:
        service.create_resident(
            s,
            actor,
            ResidentInput(name="居民", community_id=community, tags=tags, **kw),  # type: ignore[arg-type]
        )


@pytest.fixture
def filled(db: Database, director: Actor, places: Places, station: Station) -> None:
    _add(db, director, places.qinghe, {"elderly_alone": ""}, grid_id=places.qinghe_grid1)
    _add(db, director, places.qinghe, {"elderly_empty_nest": "", "dibao": ""})
    _add(db, director, places.qinghe, {"custom:党员": ""})
    _add(db, director, places.lihe, {"child_left_behind": ""}, birth_date=date(2016, 1, 1))
    _add(db, director, places.lihe, {}, id_number=make_id(date(1950, 1, 1)))
    with db.transaction() as s:  # one more, then to the recycle bin: not counted
        row = service.create_resident(
            s, director, ResidentInput(name="删除", community_id=places.lihe, tags={"youfu": ""})
        )
        service.delete_resident(s, director, row.id)
        s.add(Community(station_id=station.id, name="空社区"))


def test_counts_of_live_residents_by_tag_and_community(
    db: Database, director: Actor, places: Places, filled: None
) -> None:
    with db.reader() as s:
        stats = resident_stats(s, director)
    assert stats.total == 5
    assert stats.by_tag == {
        "elderly": 2,
        "elderly_alone": 1,
        "elderly_empty_nest": 1,
        "dibao": 1,
        "custom:党员": 1,
        "child": 1,
        "child_left_behind": 1,
    }
    assert stats.tag("youfu") == 0  # only the deleted resident had it
    assert [(c.name, c.residents, c.grids) for c in stats.communities] == [
        ("清河社区", 3, 2),
        ("空社区", 0, 0),
        ("里河村", 2, 1),
    ]
    assert stats.communities[0].id == places.qinghe


def test_counts_agree_with_the_residents_list(
    db: Database, director: Actor, places: Places, filled: None
) -> None:
    with db.reader() as s:
        stats = resident_stats(s, director)
        assert stats.total == search.count(s, director, search.ResidentQuery())
        for code in [*TAGS, "custom:党员"]:
            assert stats.tag(code) == search.count(s, director, search.ResidentQuery(tag=code))
        for c in stats.communities:
            assert c.residents == search.count(s, director, search.ResidentQuery(community_id=c.id))


def test_one_statement(db: Database, director: Actor, filled: None) -> None:
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.reader() as s:
            resident_stats(s, director)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert len([q for q in statements if "SELECT" in q.upper()]) == 1


def test_station_scope_and_district(
    db: Database, director: Actor, places: Places, filled: None
) -> None:
    station2, community2 = other_station(db)
    _add(db, make_actor(station2), community2, {"elderly": ""})
    with db.reader() as s:
        mine = resident_stats(s, director)
        theirs = resident_stats(s, make_actor(station2, Role.SUPERVISOR, "dudao"))
        district = resident_stats(s, make_actor(None, Role.DISTRICT_ADMIN, "qu"))
    assert mine.total == 5 and mine.tag("elderly") == 2 and len(mine.communities) == 3
    assert theirs.total == 1 and theirs.by_tag == {"elderly": 1}
    assert [c.name for c in theirs.communities] == ["淮海社区"]
    assert district.total == 6 and district.tag("elderly") == 3
    assert len(district.communities) == 4


def test_an_empty_station(db: Database, director: Actor) -> None:
    with db.reader() as s:
        stats = resident_stats(s, director)
    assert stats.total == 0 and stats.by_tag == {} and stats.communities == []
