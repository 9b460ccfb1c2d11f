"""Visits, groups and activities benchmark on the ``large`` demo database (issue 4).

    uv run python bench/community_work.py [--db FILE] [--runs 20]

Without ``--db`` it builds the large demo in a temporary directory (about a minute).
Measures, as the 社区服务 page does them (services in a session, warm after one run):

* the overdue list per community and grid (one grouped query over 60,000 residents);
* the to-dos: 逾期 (overdue) and 待探访 (due today or earlier), most overdue first;
* the visit list filtered to one month (count + first page of 300) and its first page
  unfiltered; the visits of one worker in a year;
* the group list (with sessions held, members and 人次) and one group's members + sessions;
* the activity list filtered to a year (count + first page).

Prints median and 95th percentile per action. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from wushe_desktop.accounts.models import User  # noqa: E402
from wushe_desktop.accounts.permissions import Actor, Role  # noqa: E402
from wushe_desktop.activities.search import (  # noqa: E402
    ActivityQuery,
    count_activities,
    list_activities,
)
from wushe_desktop.groups.search import GroupQuery, list_groups  # noqa: E402
from wushe_desktop.groups.service import list_members  # noqa: E402
from wushe_desktop.groups.sessions import list_sessions  # noqa: E402
from wushe_desktop.infra.db import migrate  # noqa: E402
from wushe_desktop.infra.db.engine import Database  # noqa: E402
from wushe_desktop.visits.overdue import (  # noqa: E402
    DueStatus,
    TodoQuery,
    overdue_summary,
    visit_todos,
)
from wushe_desktop.visits.search import VisitQuery, count_visits, list_visits  # noqa: E402

TARGET_MS = 200.0


def _actor(db: Database, username: str) -> Actor:
    with db.reader() as s:
        u = s.scalars(select(User).where(User.username == username)).one()
        return Actor(u.id, u.username, u.display_name, Role(u.role), u.station_id, "bench")


def _time(label: str, fn: Callable[[], object], runs: int) -> tuple[str, float, float]:
    fn()  # warm: imports, statement caches, page cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return label, statistics.median(times), p95


def _build(directory: Path) -> Path:
    from wushe_desktop.demo.generate import generate_demo

    path = directory / "bench.db"
    db = Database.open(path)
    migrate.upgrade(db)
    started = time.perf_counter()
    summary = generate_demo(db, scale="large", seed=1)
    print(f"demo large: {time.perf_counter() - started:.1f} s — {summary}")
    db.dispose()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing large demo database")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    path = args.db or _build(Path(tempfile.mkdtemp(prefix="wushe-bench-")))
    db = Database.open(path)
    director = _actor(db, "zhanzhang")
    worker = _actor(db, "shegong1")
    today = date.today()
    month = VisitQuery(
        date_from=today.replace(day=1) - timedelta(days=31),
        date_to=today.replace(day=1) - timedelta(days=1),
    )
    year = (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    with db.reader() as s:
        groups = list_groups(s, director, GroupQuery())
        busiest = max(groups, key=lambda g: g.sessions_held)

    def run(fn: Callable[..., object]) -> Callable[[], object]:
        def call() -> object:
            with db.reader() as s:
                return fn(s)

        return call

    actions = [
        ("逾期统计（社区/网格）", run(lambda s: overdue_summary(s, director))),
        (
            "待探访：逾期",
            run(lambda s: visit_todos(s, director, TodoQuery(status=DueStatus.OVERDUE))),
        ),
        ("待探访：到期（含从未探访）", run(lambda s: visit_todos(s, director, TodoQuery()))),
        (
            "探访记录：上月（计数+首页）",
            run(
                lambda s: (
                    count_visits(s, director, month),
                    list_visits(s, director, month, limit=300),
                )
            ),
        ),
        (
            "探访记录：首页（不筛选）",
            run(lambda s: list_visits(s, director, VisitQuery(), limit=300)),
        ),
        (
            "探访记录：一名社工全年（计数+首页）",
            run(
                lambda s: (
                    q := VisitQuery(
                        visitor_user_id=worker.user_id, date_from=year[0], date_to=year[1]
                    ),
                    count_visits(s, director, q),
                    list_visits(s, director, q, limit=300),
                )
            ),
        ),
        ("小组列表", run(lambda s: list_groups(s, director, GroupQuery()))),
        (
            "一个小组的组员和各节",
            run(
                lambda s: (
                    list_members(s, director, busiest.id),
                    list_sessions(s, director, busiest.id),
                )
            ),
        ),
        (
            "社区活动：去年（计数+首页）",
            run(
                lambda s: (
                    q := ActivityQuery(date_from=year[0], date_to=year[1]),
                    count_activities(s, director, q),
                    list_activities(s, director, q, limit=300),
                )
            ),
        ),
    ]
    print(f"{'action':<34} {'median ms':>10} {'p95 ms':>10}  target {TARGET_MS:.0f} ms")
    for label, fn in actions:
        name, median, p95 = _time(label, fn, args.runs)
        ok = "ok" if p95 < TARGET_MS else "SLOW"
        print(f"{name:<34} {median:>10.1f} {p95:>10.1f}  {ok}")
    with db.reader() as s:
        summary = overdue_summary(s, director)
    totals = [r for r in summary if r.is_total]
    print(
        f"scheduled residents {sum(r.scheduled for r in totals):,}, overdue "
        f"{sum(r.overdue for r in totals):,}, never visited {sum(r.never_visited for r in totals):,}"
    )
    db.dispose()


if __name__ == "__main__":
    main()
