"""Resident search: prefixes (name, pinyin, surname readings, ID, phone), filters, station
scope, masking, and keyset paging both ways under each query plan."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import make_actor
from tests.db.residents_support import Places, make_id, make_places, other_station
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Community, Resident, Station
from wushe_desktop.residents import search as rsearch
from wushe_desktop.residents import search_plan, service
from wushe_desktop.residents.bulk import bulk_insert
from wushe_desktop.residents.search import Cursor, Page, ResidentQuery
from wushe_desktop.residents.service import ResidentInput
from wushe_desktop.residents.validation import clean_resident

Q = ResidentQuery


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def people(db: Database, director: Actor, places: Places) -> dict[str, uuid.UUID]:
    """A few residents through the service (names chosen for the pinyin cases)."""
    specs = [
        (
            "张三",
            make_id(date(1950, 3, 5), 11, "320802"),
            "13812345678",
            places.qinghe,
            places.qinghe_grid1,
            {"elderly_alone": ""},
        ),
        (
            "张三丰",
            make_id(date(1960, 1, 2), 13),
            "13912345678",
            places.qinghe,
            places.qinghe_grid2,
            {},
        ),
        (
            "李四",
            make_id(date(2015, 6, 1), 22),
            "0517-83612345",
            places.lihe,
            places.lihe_grid,
            {"child_left_behind": ""},
        ),
        ("单田芳", make_id(date(1934, 7, 9), 31), "", places.lihe, None, {"elderly": ""}),
        ("曾国藩", "", "13700001111", places.qinghe, None, {}),
        (
            "王五",
            make_id(date(1980, 2, 2), 41, "320811"),
            "",
            places.qinghe,
            places.qinghe_grid1,
            {"custom:党员": ""},
        ),
    ]
    ids = {}
    for name, number, phone, community, grid, tags in specs:
        with db.transaction() as s:
            row = service.create_resident(
                s,
                director,
                ResidentInput(
                    name=name,
                    community_id=community,
                    id_number=number,
                    phone=phone,
                    grid_id=grid,
                    tags=tags,
                ),
            )
        ids[name] = row.id
    return ids


def names(db: Database, actor: Actor, query: ResidentQuery) -> list[str]:
    with db.reader() as s:
        page = rsearch.search(s, actor, query, limit=1000)
        assert rsearch.count(s, actor, query) == len(page.rows)
        return [r.name for r in page.rows]


@pytest.fixture(params=["probe", "walk"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run under both SQLite plans: filters drive (default here) or the name index walks."""
    if request.param == "walk":
        monkeypatch.setattr(search_plan, "PROBE", 1)
    return str(request.param)


# ------------------------------------------------------------------------------ text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张", ["张三", "张三丰"]),
        ("张三丰", ["张三丰"]),
        ("zs", ["张三", "张三丰"]),
        ("ZSF", ["张三丰"]),
        ("zhangsan", ["张三", "张三丰"]),
        ("zhang san", ["张三", "张三丰"]),
        ("stf", ["单田芳"]),  # surname reading
        ("dtf", ["单田芳"]),  # pypinyin's reading, kept as the alternative
        ("shantian", ["单田芳"]),
        ("zgf", ["曾国藩"]),
        ("cgf", ["曾国藩"]),
        ("320802", ["张三"]),
        ("3208121960", ["张三丰"]),
        ("138", ["张三"]),
        ("1391234", ["张三丰"]),
        ("+86 137", ["曾国藩"]),
        ("0517", ["李四"]),
        ("05178361", ["李四"]),
        ("x", []),
        ("赵", []),
        ("%", []),
        ("  ", ["单田芳", "张三", "张三丰", "曾国藩", "李四", "王五"]),
    ],
)
def test_text_search_by_prefix(
    db: Database,
    director: Actor,
    people: dict[str, uuid.UUID],
    plan: str,
    text: str,
    expected: list[str],
) -> None:
    found = names(db, director, Q(text=text))
    assert sorted(found) == sorted(expected)


def test_search_is_prefix_only(db: Database, director: Actor, people: dict[str, uuid.UUID]) -> None:
    assert names(db, director, Q(text="三")) == []
    assert names(db, director, Q(text="5678")) == []
    assert names(db, director, Q(text="san")) == []


def test_rows_are_masked(db: Database, director: Actor, people: dict[str, uuid.UUID]) -> None:
    with db.reader() as s:
        (row,) = rsearch.search(s, director, Q(text="张三丰")).rows
    assert row.id_number.startswith("320812") and "*" in row.id_number
    assert row.phone == "139****5678"
    assert row.grid_name == "第二网格"


# ------------------------------------------------------------------------------ filters


def test_filters(
    db: Database, director: Actor, places: Places, people: dict[str, uuid.UUID], plan: str
) -> None:
    assert names(db, director, Q(community_id=places.lihe)) == ["李四", "单田芳"]
    assert names(db, director, Q(grid_id=places.qinghe_grid1)) == ["王五", "张三"]
    assert names(db, director, Q(tag="elderly")) == ["单田芳", "张三"]
    assert names(db, director, Q(tag="elderly_alone")) == ["张三"]
    assert names(db, director, Q(tag="custom:党员")) == ["王五"]
    assert names(db, director, Q(tag="elderly", community_id=places.lihe)) == ["单田芳"]
    assert names(db, director, Q(text="z", community_id=places.qinghe)) == [
        "曾国藩",  # zeng: the surname reading
        "张三",
        "张三丰",
    ]
    assert names(db, director, Q(text="z", grid_id=places.qinghe_grid2, tag="child")) == []


def test_sorts(db: Database, director: Actor, people: dict[str, uuid.UUID], plan: str) -> None:
    assert names(db, director, Q(sort="birth_date")) == [
        "单田芳",
        "张三",
        "张三丰",
        "王五",
        "李四",
        "曾国藩",  # unknown birth date last
    ]
    assert names(db, director, Q(sort="birth_date", descending=True))[0] == "曾国藩"
    by_community = names(db, director, Q(sort="community"))
    qinghe = ["张三", "张三丰", "曾国藩", "王五"]  # names in order inside each community
    lihe = ["单田芳", "李四"]
    assert by_community in (qinghe + lihe, lihe + qinghe)  # the collation orders communities
    assert names(db, director, Q(sort="updated_at"))[-1] == "王五"


def test_deleted_residents_only_in_the_recycle_bin_query(
    db: Database, director: Actor, people: dict[str, uuid.UUID], plan: str
) -> None:
    with db.transaction() as s:
        service.delete_resident(s, director, people["张三"])
    assert names(db, director, Q(text="zs")) == ["张三丰"]
    assert names(db, director, Q(text="zs", deleted=True)) == ["张三"]
    assert names(db, director, Q(deleted=True)) == ["张三"]


def test_station_scope(
    db: Database, director: Actor, places: Places, people: dict[str, uuid.UUID]
) -> None:
    st2, community2 = other_station(db)
    other = make_actor(st2, Role.SOCIAL_WORKER, "other")
    with db.transaction() as s:
        service.create_resident(
            s, make_actor(st2), ResidentInput(name="张飞", community_id=community2)
        )
    assert names(db, other, Q(text="张")) == ["张飞"]
    assert names(db, other, Q(text="zs")) == []
    assert names(db, director, Q(text="张")) == ["张三", "张三丰"]
    district = make_actor(None, Role.DISTRICT_ADMIN, "qu")
    assert names(db, district, Q(text="张")) == ["张飞", "张三", "张三丰"]  # fei < san
    assert len(names(db, district, Q())) == 7


# ------------------------------------------------------------------------------ paging

SURNAMES = "张王李赵刘陈杨黄周吴单曾"
GIVEN = ["伟", "芳", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳"]


@pytest.fixture
def many(db: Database, station: Station, places: Places) -> int:
    """250 residents (bulk-inserted) with repeated names, so the id breaks ties."""
    rng = random.Random(7)
    items = []
    for i in range(250):
        born = date(1930, 1, 1) + timedelta(days=rng.randrange(30000)) if i % 7 else None
        community = places.qinghe if i % 3 else places.lihe
        grid = (places.qinghe_grid1 if i % 2 else places.qinghe_grid2) if i % 3 else None
        tags = {"youfu": ""} if i % 5 == 0 else {}
        items.append(
            clean_resident(
                ResidentInput(
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    community_id=community,
                    grid_id=grid,
                    birth_date=born,
                    phone=f"139{i:08d}",
                    tags=tags,
                )
            )
        )
    with db.transaction() as s:
        bulk_insert(s, station.id, items, chunk=100)
    return len(items)


def _walk_forward(s: object, actor: Actor, query: ResidentQuery, limit: int) -> list[uuid.UUID]:
    seen: list[uuid.UUID] = []
    page = rsearch.search(s, actor, query, limit=limit)  # type: ignore[arg-type]
    assert page.prev_cursor is None
    while True:
        seen += [r.id for r in page.rows]
        if page.next_cursor is None:
            return seen
        page = rsearch.search(s, actor, query, after=page.next_cursor, limit=limit)  # type: ignore[arg-type]
        assert page.prev_cursor is not None


def _walk_backward(s: object, actor: Actor, query: ResidentQuery, limit: int) -> list[uuid.UUID]:
    page: Page = rsearch.search(s, actor, query, limit=limit, from_end=True)  # type: ignore[arg-type]
    assert page.next_cursor is None
    seen: list[uuid.UUID] = []
    while True:
        seen = [r.id for r in page.rows] + seen
        if page.prev_cursor is None:
            return seen
        page = rsearch.search(s, actor, query, before=page.prev_cursor, limit=limit)  # type: ignore[arg-type]
        assert page.next_cursor is not None


QUERIES: dict[str, Callable[[Places], ResidentQuery]] = {
    "name": lambda p: Q(),
    "name-desc": lambda p: Q(descending=True),
    "birth": lambda p: Q(sort="birth_date"),
    "birth-desc": lambda p: Q(sort="birth_date", descending=True),
    "updated": lambda p: Q(sort="updated_at"),
    "community-desc": lambda p: Q(sort="community", descending=True),
    "pinyin": lambda p: Q(text="z"),
    "pinyin-desc": lambda p: Q(text="zh", descending=True),
    "pinyin-other-reading": lambda p: Q(text="c"),  # 曾 ceng: no letter range, drives
    "hanzi": lambda p: Q(text="张"),
    "grid": lambda p: Q(grid_id=p.qinghe_grid1),
    "phone": lambda p: Q(text="139"),
    "tag": lambda p: Q(tag="youfu"),
    "community": lambda p: Q(community_id=p.qinghe),
    "community-hanzi": lambda p: Q(community_id=p.qinghe, text="张"),
    "community-pinyin-birth": lambda p: Q(community_id=p.qinghe, text="w", sort="birth_date"),
    "grid-by-community": lambda p: Q(grid_id=p.qinghe_grid1, sort="community"),
    "grid-tag-desc": lambda p: Q(grid_id=p.qinghe_grid2, tag="youfu", descending=True),
    "tag-birth": lambda p: Q(tag="youfu", sort="birth_date"),
    "hanzi-by-community": lambda p: Q(text="王", sort="community"),
}


def _oracle(s: Session, query: ResidentQuery) -> list[uuid.UUID]:
    """The same query computed in Python from all rows (BINARY order = code-point order;
    names by full pinyin first)."""
    terms = search_plan.text_terms(query.text)
    out = []
    for r in s.scalars(select(Resident)):
        if (r.deleted_at is not None) != query.deleted:
            continue
        if terms and not any((getattr(r, c.key) or "").startswith(p) for c, p in terms):
            continue
        if query.community_id and r.community_id != query.community_id:
            continue
        if query.grid_id and r.grid_id != query.grid_id:
            continue
        if query.tag and query.tag not in {t.tag for t in r.tags}:
            continue
        community = s.get(Community, r.community_id)
        assert community is not None
        key: tuple[object, ...] = {
            "name": (r.py_full, r.name),
            "birth_date": (r.birth_date is None, r.birth_date or date.min),
            "updated_at": (r.updated_at,),
            "community": (community.name, r.name),
        }[query.sort]
        out.append(((*key, r.id.bytes), r.id))
    out.sort(key=lambda pair: pair[0], reverse=query.descending)
    return [rid for _key, rid in out]


@pytest.mark.parametrize("name", list(QUERIES))
def test_keyset_paging_both_ways_has_no_gaps_or_duplicates(
    db: Database, director: Actor, places: Places, many: int, plan: str, name: str
) -> None:
    query = QUERIES[name](places)
    with db.reader() as s:
        everything = rsearch.search(s, director, query, limit=1000)
        expected = [r.id for r in everything.rows]
        if db.is_sqlite:
            assert expected == _oracle(s, query)
        assert everything.next_cursor is None and everything.prev_cursor is None
        assert rsearch.count(s, director, query) == len(expected)
        assert len(set(expected)) == len(expected) > 10
        assert _walk_forward(s, director, query, 7) == expected
        assert _walk_backward(s, director, query, 7) == expected
        last = rsearch.search(s, director, query, limit=5, from_end=True)
        assert [r.id for r in last.rows] == expected[-5:]
        n = len(expected)
        for offset in (0, 1, 3, n // 2 - 1, n // 2 + 1, n - 8, n - 3, n - 1):
            page = rsearch.page_at(s, director, query, offset, total=n, limit=5)
            assert [r.id for r in page.rows] == expected[offset : offset + 5]
            assert (page.prev_cursor is None) == (offset == 0)
            assert (page.next_cursor is None) == (offset + 5 >= n)
            if page.next_cursor is not None:
                after = rsearch.search(s, director, query, after=page.next_cursor, limit=4)
                assert [r.id for r in after.rows] == expected[offset + 5 : offset + 9]
            if page.prev_cursor is not None:
                before = rsearch.search(s, director, query, before=page.prev_cursor, limit=4)
                assert [r.id for r in before.rows] == expected[max(0, offset - 4) : offset]


def test_where_and_order_reads_the_list_in_one_pass(
    db: Database, director: Actor, places: Places, many: int, plan: str
) -> None:
    for make in QUERIES.values():
        query = make(places)
        with db.reader() as s:
            conds, order = rsearch.where_and_order(s, director, query)
            stmt = (
                select(Resident.id)
                .join(Community, Community.id == Resident.community_id)
                .where(*conds)
                .order_by(*order)
            )
            listed = [r.id for r in rsearch.search(s, director, query, limit=1000).rows]
            assert list(s.scalars(stmt)) == listed


def test_names_sort_in_pinyin_order(
    db: Database, director: Actor, people: dict[str, uuid.UUID]
) -> None:
    """李 (li) before 张 (zhang), whatever their code points; surnames by their surname
    reading (单 shan, 曾 zeng)."""
    expected = ["李四", "单田芳", "王五", "曾国藩", "张三", "张三丰"]
    assert names(db, director, Q()) == expected
    assert names(db, director, Q(descending=True)) == expected[::-1]
    assert ord("张") < ord("李")  # code-point order would put 张 first


def test_name_order_is_stable_and_sorted(db: Database, director: Actor, many: int) -> None:
    from wushe_desktop.domain.pinyin import pinyin_keys

    with db.reader() as s:
        rows = rsearch.search(s, director, Q(), limit=1000).rows
    keys = [(pinyin_keys(r.name).full, r.name, r.id.bytes) for r in rows]
    assert len(rows) == many
    order = list(dict.fromkeys(k[:2] for k in keys))  # equal names together, ids ascending
    assert keys == sorted(keys, key=lambda k: (order.index(k[:2]), k[2]))
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)  # ASCII pinyin
    if db.is_sqlite:  # BINARY collation: code-point order (PostgreSQL follows its locale)
        assert keys == sorted(keys)


def test_birth_date_sort_puts_unknown_dates_last(db: Database, director: Actor, many: int) -> None:
    with db.reader() as s:
        rows = rsearch.search(s, director, Q(sort="birth_date"), limit=1000).rows
    dates = [r.birth_date for r in rows]
    known = [d for d in dates if d is not None]
    assert dates == known + [None] * (len(dates) - len(known))
    assert known == sorted(known)


def test_a_cursor_of_another_sort_is_refused(db: Database, director: Actor, many: int) -> None:
    with db.reader() as s, pytest.raises(ValueError):
        rsearch.search(s, director, Q(sort="community"), after=Cursor(("x", uuid.uuid4())))


def test_a_read_only_supervisor_may_search(db: Database, station: Station, many: int) -> None:
    with db.reader() as s:
        supervisor = make_actor(station, Role.SUPERVISOR, "dudao")
        assert rsearch.count(s, supervisor, Q()) == many


def test_pinyin_order_plans_never_crawl_to_a_cluster(
    db: Database, director: Actor, places: Places, many: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every filter too big to drive (PROBE=1): name and pinyin matches sit together in
    pinyin order, so a name search drives and a pinyin search walks its letter's range only."""
    if not db.is_sqlite:
        pytest.skip("PostgreSQL plans itself")
    monkeypatch.setattr(search_plan, "PROBE", 1)

    def plan(query: ResidentQuery, sort: search_plan.SortKey | None = "name") -> object:
        with db.reader() as s:
            scope = rsearch._scope(s, director, query)
            return search_plan.choose_plan(s, scope, sort)

    assert plan(Q()) == search_plan.Plan(True, "walk")
    assert plan(Q(text="zh")) == search_plan.Plan(True, "walk", py_letter="z")
    assert plan(Q(text="c")) == search_plan.Plan(True, "text")  # 曾 ceng: other reading
    assert plan(Q(text="张")) == search_plan.Plan(True, "text")
    assert plan(Q(text="139")) == search_plan.Plan(True, "walk")  # digits are not clustered
    assert plan(Q(text="张"), "community") == search_plan.Plan(True, "walk")
    assert plan(Q(grid_id=places.qinghe_grid1), None) == search_plan.Plan(True, "walk")
    with db.reader() as s:  # the letter range is a visible term the walked index seeks
        conds, _order = rsearch.where_and_order(s, director, Q(text="zh"))
        sql = str(select(Resident.id).where(*conds).compile(compile_kwargs={"literal_binds": True}))
    assert "resident.py_full >= 'z'" in sql and "resident.py_full < '{'" in sql


def test_a_name_search_sorts_its_matches_in_the_index(
    db: Database, director: Actor, many: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name prefix drives by the name index and sorts every match in pinyin order; the
    sort reads only that index (it holds py_full, migration 0009) and the page's rows are
    fetched by id afterwards, not each match's row from the table."""
    if not db.is_sqlite:
        pytest.skip("PostgreSQL plans itself")
    monkeypatch.setattr(search_plan, "PROBE", 1 << 20)  # the name always drives
    with db.reader() as s:
        q = rsearch._prepare(s, director, Q(text="张"))
        assert q.plan == search_plan.Plan(True, "text")
        seg = q.segments[0]
        stmt = rsearch._page_select(q, q.conds, [e.asc() for e in seg.exprs], 101)
        sql = stmt.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        plan = s.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
        details = [row[3] for row in plan]
        page = rsearch.search(s, director, Q(text="张"), limit=5)
    assert any("COVERING INDEX ix_resident_station_name" in d for d in details), details
    assert page.rows and all(r.name.startswith("张") for r in page.rows)
