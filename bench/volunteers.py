"""Volunteer benchmarks of issue 5 on the `large` demo database.

    uv run python bench/volunteers.py [--db PATH] [--scale large|small] [--repeat 20]

Without ``--db`` the demo database is built in a temporary directory first (timed). Then:

* suggest — rank every volunteer for one future shift (3,000 on ``large``), target < 100 ms;
* week — the week view of the busiest week, topped up to 200 shifts inside a transaction
  that is rolled back, target < 200 ms;
* yearly — the yearly hours summary of every volunteer, target < 500 ms;
* fill — suggest + assign the open places of one shift (rolled back), for information.

Each figure is the median of ``--repeat`` runs after one warm-up run, printed as a table.
Not part of the test suite.
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from wushe_desktop.accounts.models import User  # noqa: E402
from wushe_desktop.accounts.permissions import Actor, Role  # noqa: E402
from wushe_desktop.infra.db.base import new_id, utcnow  # noqa: E402
from wushe_desktop.infra.db.engine import Database  # noqa: E402
from wushe_desktop.models import Shift, Volunteer  # noqa: E402
from wushe_desktop.scheduling.shifts import week_view  # noqa: E402
from wushe_desktop.scheduling.stats import yearly_summary  # noqa: E402
from wushe_desktop.scheduling.suggest import fill_shift, suggest  # noqa: E402


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _director(db: Database) -> Actor:
    with db.reader() as s:
        user = s.scalars(select(User).where(User.role == Role.DIRECTOR.value)).first()
        assert user is not None
        return Actor(user.id, user.username, user.display_name, Role.DIRECTOR, user.station_id)


def _future_shift(db: Database, *, skilled: bool) -> Any:
    with db.reader() as s:
        stmt = select(Shift).where(Shift.day > date.today(), Shift.cancelled.is_(False))
        stmt = stmt.where(Shift.required_skills != "" if skilled else Shift.required_skills == "")
        return s.scalars(stmt.order_by(Shift.day).limit(1)).first()


def _busiest_week(db: Database) -> date:
    with db.reader() as s:
        day = s.scalars(
            select(Shift.day)
            .where(Shift.day >= date.today())
            .group_by(Shift.day)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
    assert day is not None
    return day - timedelta(days=day.weekday())


def _top_up(session: Any, monday: date, template: Any, target: int) -> int:
    have = session.scalar(
        select(func.count()).where(Shift.day >= monday, Shift.day <= monday + timedelta(days=6))
    )
    missing = max(0, target - int(have or 0))
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "station_id": template.station_id,
            "activity_id": template.activity_id,
            "series_id": None,
            "day": monday + timedelta(days=i % 7),
            "start_minute": 540 + 30 * (i % 10),
            "end_minute": 660 + 30 * (i % 10),
            "role": "",
            "place": template.place,
            "community_id": template.community_id,
            "needed": 3,
            "required_skills": "",
            "required_qualifications": "",
            "needs_insurance": False,
            "team_id": None,
            "cancelled": False,
            "notes": "",
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for i in range(missing)
    ]
    if rows:
        session.execute(insert(Shift), rows)
    return int(have or 0) + missing


def run(db: Database, repeat: int) -> list[tuple[str, str, str, bool]]:
    actor = _director(db)
    results = []
    with db.reader() as s:
        volunteers = s.scalar(select(func.count()).select_from(Volunteer))
    for skilled in (False, True):
        shift = _future_shift(db, skilled=skilled)
        if shift is None:
            continue

        def do_suggest(shift_id: Any = shift.id) -> None:
            with db.reader() as s:
                suggest(s, actor, shift_id, limit=30)

        ms = _median_ms(do_suggest, repeat)
        label = "needs a skill" if skilled else "no skill"
        results.append(
            (
                f"suggest for one shift ({label}), {volunteers:,} volunteers",
                f"{ms:.1f} ms",
                "< 100 ms",
                ms < 100,
            )
        )
    monday = _busiest_week(db)
    session = db.engine.connect()
    from sqlalchemy.orm import Session

    with Session(bind=session) as s:
        template = s.scalars(select(Shift).where(Shift.day >= monday).limit(1)).first()
        count = _top_up(s, monday, template, 200)
        s.flush()
        ms = _median_ms(lambda: week_view(s, actor, monday), repeat)
        results.append((f"week view with {count} shifts", f"{ms:.1f} ms", "< 200 ms", ms < 200))
        target = _future_shift(db, skilled=False)
        if target is not None:
            start = time.perf_counter()
            fill_shift(s, actor, target.id)
            fill_ms = (time.perf_counter() - start) * 1000
            results.append(("fill one shift (suggest + assign)", f"{fill_ms:.1f} ms", "—", True))
        s.rollback()
    session.close()
    year = date.today().year

    def do_yearly() -> None:
        with db.reader() as s:
            yearly_summary(s, actor, year)

    ms = _median_ms(do_yearly, max(3, repeat // 4))
    results.append(
        (f"yearly hours summary, {volunteers:,} volunteers", f"{ms:.1f} ms", "< 500 ms", ms < 500)
    )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing demo database (default: build one)")
    parser.add_argument("--scale", default="large", choices=["small", "large"])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if args.db:
        db = Database.open(args.db)
    else:
        from wushe_desktop.demo.generate import generate_demo
        from wushe_desktop.infra.db import migrate

        folder = Path(tempfile.mkdtemp(prefix="wushe-vol-bench-"))
        db = Database.open(folder / "bench.db")
        migrate.upgrade(db)
        start = time.perf_counter()
        summary = generate_demo(db, scale=args.scale)
        print(f"demo {args.scale}: {time.perf_counter() - start:.1f} s — {summary}")
    print("| action | measured | target | ok |\n|---|---|---|---|")
    for name, measured, target, ok in run(db, args.repeat):
        print(f"| {name} | {measured} | {target} | {'yes' if ok else 'NO'} |")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
