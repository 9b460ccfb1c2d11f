"""The SQLite floor under a resident import: raw inserts of 10,000 resident rows.

    uv run python bench/import_floor.py /tmp/b/bench.db

Copies the given (large demo) database, then inserts 10,000 copies of existing resident rows
(new ids and document numbers) with the sqlite3 driver alone — no validation, no pinyin, no
audit — in one transaction with the app's pragmas (WAL, synchronous=FULL, 64 MiB cache), and
prints the time of the inserts, of the commit, and the WAL size. Then the same with the
resident table's secondary indexes dropped. The difference is what the search indexes cost an
import; `bench/run.py import` minus this floor is the app's own work (reading, checking,
pinyin, audit).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROWS = 10_000


def measure(source: Path, *, drop_indexes: bool) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "floor.db"
        shutil.copy(source, path)
        if hasattr(os, "sync"):
            os.sync()  # else the commit's fsync also writes back the fresh copy's pages
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA cache_size=-65536")
        if drop_indexes:
            names = [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='resident'"
                    " AND sql IS NOT NULL"
                )
            ]
            for name in names:
                conn.execute(f"DROP INDEX {name}")
        columns = [r[1] for r in conn.execute("PRAGMA table_info(resident)")]
        rows = conn.execute(f"SELECT * FROM resident ORDER BY random() LIMIT {ROWS}").fetchall()
        id_col, number_col = columns.index("id"), columns.index("id_number")
        fresh = []
        for row in rows:
            values = list(row)
            values[id_col] = uuid.uuid4().hex
            values[number_col] = uuid.uuid4().hex[:18]
            fresh.append(values)
        sql = (
            f"INSERT INTO resident ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})"
        )
        started = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany(sql, fresh)
        inserted = time.perf_counter()
        conn.execute("COMMIT")
        committed = time.perf_counter()
        wal = Path(str(path) + "-wal")
        wal_mb = wal.stat().st_size / 1e6 if wal.exists() else 0.0
        conn.close()
        return inserted - started, committed - inserted, wal_mb


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not os.path.exists(argv[0]):
        print(__doc__)
        return 2
    source = Path(argv[0])
    print(f"| resident table | insert {ROWS:,} rows | commit | WAL |")
    print("|---|---|---|---|")
    for drop in (False, True):
        insert_s, commit_s, wal_mb = measure(source, drop_indexes=drop)
        label = "without its secondary indexes" if drop else "as the app has it"
        print(f"| {label} | {insert_s:.3f} s | {commit_s:.3f} s | {wal_mb:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
