"""The core benchmark: the `large` demo database and the actions users time (issue 2).

    uv run python bench/run.py [--scale large|small] [--keep DIR] [--reuse] [--queries 200]

Builds the demo database in a temporary directory (or DIR with ``--keep``), then measures
each action in a fresh child process, so every action's peak memory (ru_maxrss) is its own,
and prints a table: action | measured | target | ok. Targets are those of
shared/PERF-FLOORS.md. An action whose code has not landed yet shows "n/a (reason)".
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
DB_NAME = "bench.db"

# --------------------------------------------------------------------------- helpers


def _rss_now() -> int:
    """Current resident set size in bytes (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="utf-8") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _rss_peak() -> int:
    """Peak resident set size of this process in bytes (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _open(db_path: Path) -> Any:
    from wushe_desktop.infra.db.engine import Database

    return Database.open(db_path)


def _director(db: Any) -> Any:
    """The station director as an Actor (read straight from the table: no sign-in side effects)."""
    from sqlalchemy import select

    from wushe_desktop.accounts.models import User
    from wushe_desktop.accounts.permissions import Actor, Role

    with db.reader() as s:
        user = s.scalars(select(User).where(User.role == Role.DIRECTOR.value)).first()
        if user is None:
            raise RuntimeError("no director in the bench database")
        return Actor(user.id, user.username, user.display_name, Role.DIRECTOR, user.station_id)


# --------------------------------------------------------------------------- child actions


def act_generate(db_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    from wushe_desktop.demo.generate import generate_demo
    from wushe_desktop.infra.db import migrate

    db = _open(db_path)
    migrate.upgrade(db)
    base = _rss_now()
    started = time.perf_counter()
    summary = generate_demo(db, scale=args.scale, seed=args.seed)
    seconds = time.perf_counter() - started
    db.dispose()
    return {
        "seconds": seconds,
        "residents": summary.residents,
        "summary": str(summary),
        "base": base,
    }


def _sample_queries(db: Any, n: int, seed: int) -> dict[str, list[str]]:
    """Realistic search-box entries drawn from the data (deterministic)."""
    from sqlalchemy import select

    from wushe_desktop.residents.models import Resident

    with db.reader() as s:
        rows = s.execute(
            select(
                Resident.name,
                Resident.py_initials,
                Resident.py_full,
                Resident.id_number,
                Resident.phone,
            ).order_by(Resident.id)
        ).all()
    rng = random.Random(seed)
    picks = [rows[rng.randrange(len(rows))] for _ in range(n * 3)]
    ids = [r.id_number for r in picks if r.id_number]
    phones = [r.phone for r in picks if r.phone]
    return {
        "name prefix, 1 hanzi": [r.name[:1] for r in picks[:n]],
        "name prefix, 2 hanzi": [r.name[:2] for r in picks[:n]],
        "pinyin initials": [r.py_initials for r in picks[:n]],
        "full pinyin": [r.py_full for r in picks[:n]],
        "ID prefix, 6-18 digits": [x[: rng.randint(6, 18)] for x in ids[:n]],
        "phone prefix, 3-7 digits": [x[: rng.randint(3, 7)] for x in phones[:n]],
    }


def act_search(db_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    from wushe_desktop.residents.search import ResidentQuery, count, search

    db = _open(db_path)
    actor = _director(db)
    queries = _sample_queries(db, args.queries, args.seed)
    base = _rss_now()
    out: dict[str, Any] = {"base": base, "kinds": {}}
    with db.reader() as s:
        for text in ("王", "zs", "3208"):  # warm the page cache and the statement cache
            q = ResidentQuery(text=text)
            search(s, actor, q, limit=100)
            count(s, actor, q)
        for kind, texts in queries.items():
            times = []
            for text in texts:
                q = ResidentQuery(text=text)
                t0 = time.perf_counter()
                page = search(s, actor, q, limit=100)
                total = count(s, actor, q)
                times.append((time.perf_counter() - t0) * 1000)
                if total and not page.rows:
                    raise RuntimeError(f"search {text!r}: count {total} but no rows")
            out["kinds"][kind] = {
                "p50": statistics.median(times),
                "p95": _pct(times, 0.95),
                "n": len(times),
            }
    db.dispose()
    return out


def act_open_list(db_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    from wushe_desktop.residents.search import ResidentQuery, count, search

    db = _open(db_path)
    actor = _director(db)
    base = _rss_now()
    q = ResidentQuery()
    opens, lasts = [], []
    total = 0
    with db.reader() as s:
        for _ in range(21):
            t0 = time.perf_counter()
            total = count(s, actor, q)
            first = search(s, actor, q, limit=100)
            t1 = time.perf_counter()
            last = search(s, actor, q, limit=100, from_end=True)
            t2 = time.perf_counter()
            opens.append((t1 - t0) * 1000)
            lasts.append((t2 - t1) * 1000)
            if not first.rows or not last.rows:
                raise RuntimeError("the residents list is empty")
    db.dispose()
    return {
        "open_ms": statistics.median(opens[1:]),
        "last_ms": statistics.median(lasts[1:]),
        "rows": total,
        "base": base,
    }


def _excel_io() -> Any:
    """The residents' Excel entry point (helper modules may land one at a time)."""
    import importlib

    return importlib.import_module("wushe_desktop.residents.excel_io")


def act_export(db_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    from wushe_desktop.residents.search import ResidentQuery

    export_residents = _excel_io().export_residents
    db = _open(db_path)
    actor = _director(db)
    out_path = db_path.parent / "bench-export.xlsx"
    base = _rss_now()
    t0 = time.perf_counter()
    rows = export_residents(db, actor, ResidentQuery(), out_path)
    seconds = time.perf_counter() - t0
    size = out_path.stat().st_size
    out_path.unlink()
    db.dispose()
    return {"rows": rows, "seconds": seconds, "bytes": size, "base": base}


def _write_roster(db: Any, actor: Any, path: Path, n: int, seed: int) -> int:
    """A 10,000-row roster of new residents in the import layout (the app's own columns)."""
    from sqlalchemy import select

    from wushe_desktop.demo.people import PeopleMaker
    from wushe_desktop.domain.tags import tags_text, validate_tags
    from wushe_desktop.infra.excel import write_table
    from wushe_desktop.residents.excel_columns import SHEET_TITLE, resident_columns
    from wushe_desktop.residents.models import Resident
    from wushe_desktop.stations.models import Community, Grid

    with db.reader() as s:
        places = s.execute(
            select(Community.name, Community.kind, Grid.name)
            .join(Grid, Grid.community_id == Community.id)
            .where(Community.station_id == actor.station_id)
            .order_by(Community.name, Grid.name)
        ).all()
        taken = set(s.scalars(select(Resident.id_number).where(Resident.id_number.is_not(None))))
    rng = random.Random(f"roster:{seed}")
    maker = PeopleMaker(rng, date.today(), taken=taken)  # new people only
    rows: list[dict[str, object]] = []
    while len(rows) < n:
        community, kind, grid = places[rng.randrange(len(places))]
        hh = maker.household(kind, community)
        maker.complete(hh)
        for p in hh.members[: n - len(rows)]:
            tags = validate_tags(p.tags, birth_date=p.birth_date)
            rows.append(
                {
                    "name": p.name,
                    "doc_type": p.doc_type,
                    "id_number": p.id_number or "",
                    "gender": p.gender,
                    "birth_date": p.birth_date,
                    "phone": p.phone or "",
                    "community": community,
                    "grid": grid,
                    "address": p.address,
                    "tags": tags_text(tags),
                    "notes": p.notes,
                }
            )
    return write_table(path, resident_columns(), rows, sheet_title=SHEET_TITLE, full=True)


def act_import_floor(db_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    """bench/import_floor.py on a copy: what SQLite alone needs for 10,000 resident rows."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from import_floor import measure

    with_indexes = measure(db_path, drop_indexes=False)
    without = measure(db_path, drop_indexes=True)
    return {"with": with_indexes, "without": without}


def act_import(db_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    import_residents = _excel_io().import_residents
    db = _open(db_path)
    actor = _director(db)
    roster = db_path.parent / "bench-roster.xlsx"
    errors = db_path.parent / "bench-roster-errors.xlsx"
    n = _write_roster(db, actor, roster, args.import_rows, args.seed)
    base = _rss_now()
    t0 = time.perf_counter()
    result = import_residents(db, actor, roster, error_out=errors)
    seconds = time.perf_counter() - t0
    roster.unlink()
    errors.unlink(missing_ok=True)
    db.dispose()
    summary = result.summary() if hasattr(result, "summary") else repr(result)[:200]
    return {"rows": n, "seconds": seconds, "result": summary, "base": base}


ACTIONS: dict[str, Callable[[Path, argparse.Namespace], dict[str, Any]]] = {
    "generate": act_generate,
    "search": act_search,
    "open_list": act_open_list,
    "export": act_export,
    "import_floor": act_import_floor,
    "import": act_import,
}


def child_main(args: argparse.Namespace) -> int:
    """Run one action and print its result (plus peak RSS) as JSON on the last line."""
    try:
        result = ACTIONS[args.child](Path(args.db), args)
    except ImportError as exc:
        result = {"na": f"not available yet: {exc}"}
    except Exception as exc:
        traceback.print_exc()
        result = {"na": f"failed: {type(exc).__name__}: {exc}"[:200]}
    result["peak"] = _rss_peak()
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


# --------------------------------------------------------------------------- parent


def run_child(action: str, db_path: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        action,
        "--db",
        str(db_path),
        "--scale",
        args.scale,
        "--seed",
        str(args.seed),
        "--queries",
        str(args.queries),
        "--import-rows",
        str(args.import_rows),
    ]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", check=False)
    wall = time.perf_counter() - started
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"na": f"child crashed ({proc.returncode}): {tail}"[:200], "wall": wall}
    if proc.stderr.strip() and args.verbose:
        print(proc.stderr, file=sys.stderr)
    result: dict[str, Any] = json.loads(lines[-1])
    result["wall"] = wall
    return result


Row = tuple[str, str, str, str]


def _mem(result: dict[str, Any]) -> str:
    peak = result.get("peak", 0) / MB
    base = result.get("base", 0) / MB
    return f"peak {peak:.0f} MB (+{peak - base:.0f} MB)" if base else f"peak {peak:.0f} MB"


def _na(result: dict[str, Any]) -> str | None:
    return f"n/a ({result['na']})" if "na" in result else None


def _ok(flag: bool) -> str:
    return "yes" if flag else "NO"


def _generate_rows(gen: dict[str, Any], scale: str) -> list[Row]:
    label, target = f"generate `{scale}` demo", "<= 60 s"
    if "skipped" in gen:
        return [(label, f"n/a ({gen['skipped']})", target, "-")]
    if na := _na(gen):
        return [(label, na, target, "-")]
    return [
        (
            f"{label} ({gen['residents']:,} residents)",
            f"{gen['seconds']:.1f} s; {_mem(gen)}",
            target,
            _ok(gen["seconds"] <= 60),
        )
    ]


def _search_rows(srch: dict[str, Any]) -> list[Row]:
    if na := _na(srch):
        return [("resident search (first page of 100 + count)", na, "p95 <= 10 ms", "-")]
    rows: list[Row] = [
        (
            f"search: {kind} (n={m['n']}; page of 100 + count)",
            f"p50 {m['p50']:.2f} ms, p95 {m['p95']:.2f} ms",
            "p95 <= 10 ms",
            _ok(m["p95"] <= 10),
        )
        for kind, m in srch["kinds"].items()
    ]
    rows.append(("search: memory", _mem(srch), "<= 400 MB", _ok(srch["peak"] <= 400 * MB)))
    return rows


def _list_rows(lst: dict[str, Any]) -> list[Row]:
    if na := _na(lst):
        return [("open residents list, jump to last row", na, "<= 50 ms", "-")]
    return [
        (
            f"open residents list (count {lst['rows']:,} + first page)",
            f"{lst['open_ms']:.2f} ms",
            "<= 50 ms",
            _ok(lst["open_ms"] <= 50),
        ),
        (
            "jump to the list's last row (from_end page)",
            f"{lst['last_ms']:.2f} ms; {_mem(lst)}",
            "<= 50 ms, memory flat",
            _ok(lst["last_ms"] <= 50),
        ),
    ]


def _export_rows(exp: dict[str, Any]) -> list[Row]:
    target = ">= 8,000 rows/s, +<= 50 MB"
    if na := _na(exp):
        return [("Excel export of all residents", na, target, "-")]
    rate = exp["rows"] / exp["seconds"]
    grew = (exp["peak"] - exp["base"]) / MB
    return [
        (
            f"Excel export of all residents, masked ({exp['rows']:,} rows, "
            f"{exp['bytes'] / MB:.1f} MB file)",
            f"{rate:,.0f} rows/s ({exp['seconds']:.1f} s); {_mem(exp)}",
            target,
            _ok(rate >= 8000 and grew <= 50),
        )
    ]


def _import_rows(imp: dict[str, Any]) -> list[Row]:
    if na := _na(imp):
        return [("Excel import of 10,000 residents", na, "<= 1 s", "-")]
    return [
        (
            f"Excel import of {imp['rows']:,} new residents, validated ({imp['result']})",
            f"{imp['seconds']:.2f} s; {_mem(imp)}",
            "<= 1 s",
            _ok(imp["seconds"] <= 1.0),
        )
    ]


def _floor_rows(floor: dict[str, Any]) -> list[Row]:
    label = "SQLite floor under the import: 10,000 bare resident inserts + commit"
    if na := _na(floor):
        return [(label, na, "(reference)", "-")]
    (ins, com, wal), (ins0, com0, _wal0) = floor["with"], floor["without"]
    return [
        (
            label,
            f"{ins + com:.2f} s with the search indexes ({ins:.2f} + {com:.2f} s, "
            f"{wal:.0f} MB WAL); {ins0 + com0:.2f} s without them",
            "(reference)",
            "-",
        )
    ]


def report(results: dict[str, dict[str, Any]], scale: str) -> list[Row]:
    """The table rows; an action that was not run or failed shows n/a with its reason."""
    missing: dict[str, Any] = {"na": "not run"}
    rows = _generate_rows(results.get("generate", missing), scale)
    rows += _search_rows(results.get("search", missing))
    rows += _list_rows(results.get("open_list", missing))
    rows += _export_rows(results.get("export", missing))
    rows += _floor_rows(results.get("import_floor", missing))
    rows += _import_rows(results.get("import", missing))
    peaks = [  # the app's actions (the floor is the bare driver, not the app)
        r["peak"]
        for key, r in results.items()
        if key != "import_floor" and "peak" in r and "na" not in r
    ]
    if peaks:
        top = max(peaks)
        rows.append(
            (
                "peak memory (RSS), any action",
                f"{top / MB:.0f} MB",
                "<= 400 MB",
                _ok(top <= 400 * MB),
            )
        )
    return rows


def print_table(rows: list[Row]) -> None:
    header: Row = ("action", "measured", "target", "ok")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--scale", choices=("tiny", "small", "large"), default="large")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", metavar="DIR", help="build the database in DIR and keep it")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: use DIR/bench.db if it exists instead of generating",
    )
    p.add_argument("--queries", type=int, default=200, help="queries per search kind")
    p.add_argument("--import-rows", type=int, default=10_000)
    p.add_argument("--only", nargs="*", choices=tuple(ACTIONS), help="run these actions only")
    p.add_argument("--verbose", action="store_true", help="show the children's stderr")
    p.add_argument("--child", choices=tuple(ACTIONS), help=argparse.SUPPRESS)
    p.add_argument("--db", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child_main(args)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = None
    if args.keep:
        folder = Path(args.keep).expanduser().resolve()
        folder.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="wushe-bench-")
        folder = Path(tmp.name)
    db_path = folder / DB_NAME
    results: dict[str, dict[str, Any]] = {}
    wanted = args.only or list(ACTIONS)
    try:
        if args.reuse and db_path.exists():
            results["generate"] = {"skipped": f"reused {db_path}"}
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            print(f"generating the `{args.scale}` demo database in {folder} …", file=sys.stderr)
            results["generate"] = run_child("generate", db_path, args)
            if "na" in results["generate"]:
                print_table(report(results, args.scale))
                return 1
            print(results["generate"].get("summary", ""), file=sys.stderr)
        for action in ACTIONS:
            if action == "generate" or action not in wanted:
                continue
            print(f"measuring {action} …", file=sys.stderr)
            results[action] = run_child(action, db_path, args)
        print()
        print(
            f"Benchmark on the `{args.scale}` demo database ({sys.platform}, "
            f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]})"
        )
        print()
        print_table(report(results, args.scale))
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
