"""Casework benchmark on the ``large`` demo database (issue 4; target: each < 200 ms).

    uv run python bench/cases.py [--db FILE] [--runs 20]

Without ``--db`` it builds the large demo in a temporary directory (about a minute).
Measures, as the app does them (services in a session, warm after one run):

* opening a case whose timeline holds 200 records (``open_case`` + ``timeline()``);
* the service-records list filtered to one month (count + first page of 100);
* the same list filtered to a month and one worker; the first page with no filter;
* 我的待办: the reminders of the director (all open cases) and of one social worker.

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

from sqlalchemy import func, select  # noqa: E402

from wushe_desktop.accounts.models import User  # noqa: E402
from wushe_desktop.accounts.permissions import Actor, Role  # noqa: E402
from wushe_desktop.cases.detail import open_case  # noqa: E402
from wushe_desktop.cases.interventions import InterventionInput, add_intervention  # noqa: E402
from wushe_desktop.cases.models import Case  # noqa: E402
from wushe_desktop.cases.reminders import my_todos  # noqa: E402
from wushe_desktop.infra.db import migrate  # noqa: E402
from wushe_desktop.infra.db.engine import Database  # noqa: E402
from wushe_desktop.service_records import search  # noqa: E402
from wushe_desktop.service_records.models import ServiceRecord  # noqa: E402

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


def _case_with_200(db: Database, director: Actor) -> tuple[object, int]:
    """The case with the most service records, topped up to 200 timeline records."""
    with db.transaction() as s:
        case_id = s.execute(
            select(Case.id).where(Case.stage == "介入").order_by(Case.opened_on).limit(1)
        ).scalar_one()
        case = s.get(Case, case_id)
        assert case is not None
        have = s.scalar(
            select(func.count())
            .select_from(ServiceRecord)
            .where(ServiceRecord.source_id == case_id)
        )
        day = case.opened_on
        for n in range(max(0, 200 - int(have or 0))):
            served = min(date.today(), day + timedelta(days=n % 300))
            add_intervention(
                s, director, case_id, InterventionInput(served, "个案服务", 30, f"第{n}次面谈")
            )
    with db.transaction() as s:
        detail = open_case(s, director, case_id)
        return case_id, len(detail.timeline())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.db is None:
        from wushe_desktop.demo.generate import generate_demo

        path = Path(tempfile.mkdtemp()) / "cases-bench.db"
        db = Database.open(path)
        migrate.upgrade(db)
        started = time.perf_counter()
        generate_demo(db, scale="large")
        print(f"demo large: {time.perf_counter() - started:.1f} s ({path})")
    else:
        db = Database.open(args.db)
    director = _actor(db, "zhanzhang")
    worker = _actor(db, "shegong1")
    with db.reader() as s:
        total = s.scalar(select(func.count()).select_from(ServiceRecord))
        last_day = s.scalar(select(func.max(ServiceRecord.served_on)))
    assert last_day is not None
    month = search.ServiceRecordQuery(
        date_from=last_day.replace(day=1) - timedelta(days=62),
        date_to=last_day.replace(day=1) - timedelta(days=32),
    )
    case_id, items = _case_with_200(db, director)

    def open_big() -> None:
        with db.transaction() as s:
            open_case(s, director, case_id).timeline()  # type: ignore[arg-type]

    def month_list(query: search.ServiceRecordQuery) -> Callable[[], None]:
        def run() -> None:
            with db.reader() as s:
                search.count(s, director, query)
                search.search(s, director, query, limit=100)

        return run

    def todos(actor: Actor) -> Callable[[], None]:
        def run() -> None:
            with db.reader() as s:
                my_todos(s, actor, date.today())

        return run

    with db.reader() as s:
        n_todos = len(my_todos(s, director, date.today()))
        n_month = search.count(s, director, month)
    from dataclasses import replace

    results = [
        _time(f"打开个案（时间线 {items} 条）", open_big, args.runs),
        _time(f"服务记录：一个月（{n_month} 条）计数+首页", month_list(month), args.runs),
        _time(
            "服务记录：一个月+一位社工",
            month_list(replace(month, worker_id=worker.user_id)),
            args.runs,
        ),
        _time("服务记录：全部，首页+计数", month_list(search.ServiceRecordQuery()), args.runs),
        _time(f"我的待办：站长（{n_todos} 项）", todos(director), args.runs),
        _time("我的待办：社工", todos(worker), args.runs),
    ]
    print(f"服务记录共 {total:,} 条")
    print(f"{'操作':<36}{'中位数 ms':>10}{'P95 ms':>10}  目标 <{TARGET_MS:.0f} ms")
    for label, median, p95 in results:
        ok = "✓" if p95 < TARGET_MS else "✗"
        print(f"{label:<36}{median:>10.1f}{p95:>10.1f}  {ok}")


if __name__ == "__main__":
    main()
