"""Reports and packages benchmark on the ``large`` demo database (issue 6).

    uv run python bench/reports.py [--db FILE] [--month 2026-10] [--year 2026] [--runs 3]

Without ``--db`` it builds the large demo in a temporary directory (about 1.5 minutes).
Measures, as the app does them (one session, services only):

* the monthly report PDF: figures of the month and its comparison columns, communities,
  12-month charts, highlights, and the PDF itself (target < 3 s);
* the year report PDF (target < 10 s);
* the Excel twin of the month;
* a year's station package: export, then import into a fresh district database (SQLite),
  and the re-import of the same package (nothing changes).

Prints wall-clock and CPU seconds per step (best of ``--runs``). Not part of the tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from wushe_desktop.accounts.models import User  # noqa: E402
from wushe_desktop.accounts.permissions import Actor, Role  # noqa: E402
from wushe_desktop.infra.db import migrate  # noqa: E402
from wushe_desktop.infra.db.engine import Database  # noqa: E402
from wushe_desktop.reports.periods import Period  # noqa: E402


def _actor(db: Database, username: str = "zhanzhang") -> Actor:
    with db.reader() as s:
        u = s.scalars(select(User).where(User.username == username)).one()
        return Actor(u.id, u.username, u.display_name, Role(u.role), u.station_id, "bench")


def _time(label: str, fn: Callable[[], object], runs: int, target: float | None) -> object:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    best = min(walls)
    ok = "" if target is None else ("  ok" if best < target else "  SLOW")
    goal = "" if target is None else f"  (target < {target:g} s)"
    print(
        f"{label:<44} wall {best:6.2f} s (median {statistics.median(walls):.2f})"
        f"  cpu {min(cpus):6.2f} s{goal}{ok}",
        flush=True,
    )
    return result


def _report(db: Database, actor: Actor, period: Period, out: Path, xlsx: Path | None = None) -> int:
    from wushe_desktop.reports.scope import resolve_scope
    from wushe_desktop.reports.service import write_report

    with db.transaction() as s:
        done = write_report(
            s, actor, period, resolve_scope(s, actor), pdf=out, xlsx=xlsx, live=True
        )
    return done.pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="an existing large demo database (SQLite file)")
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wushe-bench-") as tmp:
        work = Path(tmp)
        if args.db:
            db = Database.open(args.db)
            migrate.upgrade(db, backup=False)
        else:
            from wushe_desktop.demo.generate import generate_demo

            db = Database.open(work / "large.db")
            migrate.upgrade(db)
            start = time.perf_counter()
            generate_demo(db, scale="large", seed=1)
            print(f"large demo built in {time.perf_counter() - start:.1f} s", flush=True)
        actor = _actor(db)
        month = Period.parse(args.month)
        year = Period.year(args.year)
        pages = _time(
            f"monthly report PDF {month.label}",
            lambda: _report(db, actor, month, work / "m.pdf"),
            args.runs,
            3.0,
        )
        print(f"  {pages} pages", flush=True)
        _time(
            "monthly report PDF + Excel twin",
            lambda: _report(db, actor, month, work / "m.pdf", work / "m.xlsx"),
            args.runs,
            None,
        )
        _time(
            f"year report PDF {year.label}",
            lambda: _report(db, actor, year, work / "y.pdf"),
            1,
            10.0,
        )
        _packages(db, actor, year, work)
        db.dispose()
    return 0


def _packages(db: Database, actor: Actor, year: Period, work: Path) -> None:
    from wushe_desktop.accounts.permissions import system_actor
    from wushe_desktop.exchange.importer import import_package
    from wushe_desktop.exchange.package import export_package

    pkg = work / "year.wspkg"

    def export() -> object:
        with db.transaction() as s:
            return export_package(s, actor, year, pkg)

    summary = _time(f"package export {year.label}", export, 1, None)
    rows = getattr(summary, "rows", 0)
    print(f"  {rows:,} rows, {pkg.stat().st_size / 1e6:.1f} MB", flush=True)
    district = Database.open(work / "district.db")
    migrate.upgrade(district, backup=False)
    quji = system_actor()

    def load() -> object:
        with district.transaction() as s:
            return import_package(s, quji, pkg)

    report = _time("package import into an empty district db", load, 1, None)
    print(f"  {getattr(report, 'summary', lambda: '')()}", flush=True)
    again = _time("package re-import (nothing changes)", load, 1, None)
    print(f"  {getattr(again, 'summary', lambda: '')()}", flush=True)

    def district_report() -> int:
        from wushe_desktop.reports.scope import resolve_scope
        from wushe_desktop.reports.service import write_report

        with district.transaction() as s:
            done = write_report(
                s, quji, Period.month(year.end.year, 10), resolve_scope(s, quji),
                pdf=work / "d.pdf", xlsx=work / "d.xlsx",
            )  # fmt: skip
        return done.pages

    _time("district report (PDF + Excel) of a month", district_report, 1, None)
    district.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
