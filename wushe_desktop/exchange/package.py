"""Station → district data package: one zip file with a manifest and JSON lines per table.

    station.wspkg (zip)
      manifest.json          format, station identity, period, app version, schema heads,
                             exported_at/by, and per member: rows and SHA-256
      tables/<table>.jsonl   the station's records changed in the period, plus every row
                             they reference and the complete children of every parent
      figures.json           the station's report figures for the period, as computed there

The rows are streamed to temporary files table by table (only ids are kept in memory), then
zipped; the package appears under its name only when complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from wushe_desktop import __version__
from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.exchange.rows import encode, to_text
from wushe_desktop.exchange.tables import Kind, TableRule, rules
from wushe_desktop.infra.errors import PermissionDenied, WusheError
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress
from wushe_desktop.reports.periods import Period
from wushe_desktop.stations.models import Station

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "PackageSummary",
    "export_package",
    "sanitize_user",
]

FORMAT = "wushe-station-package"
FORMAT_VERSION = 1
CHUNK = 500
#: The password field of a user copied into a package: no password can match it.
NO_PASSWORD = "!package-copy"


def sanitize_user(row: dict[str, Any]) -> dict[str, Any]:
    """A staff account as a package carries it: a disabled reference copy, no password."""
    out = dict(row)
    out.update(
        password_hash=NO_PASSWORD,
        active=False,
        failed_attempts=0,
        locked_until=None,
        last_login_at=None,
        must_change_password=True,
    )
    return out


@dataclass
class PackageSummary:
    path: Path
    station: str
    period: Period
    counts: dict[str, int] = field(default_factory=dict)
    sha256: str = ""

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


class _Writer:
    """Per table: the ids written and a temporary JSON-lines file."""

    def __init__(self, directory: Path, rule_list: list[TableRule]) -> None:
        self.dir = directory
        self.ids: dict[str, set[uuid.UUID]] = {r.name: set() for r in rule_list}
        self.files: dict[str, IO[str]] = {}
        self.counts: dict[str, int] = {r.name: 0 for r in rule_list}

    def write(self, table: str, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Write the rows not written yet; return them (their references are followed)."""
        out = self.files.get(table)
        if out is None:
            out = self.files[table] = open(  # noqa: SIM115 - closed in close()
                self.dir / f"{table}.jsonl", "w", encoding="utf-8", newline="\n"
            )
        fresh = []
        seen = self.ids[table]
        for row in rows:
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            out.write(to_text(encode(row)) + "\n")
            fresh.append(row)
        self.counts[table] += len(fresh)
        return fresh

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


class _Exporter:
    def __init__(self, session: Session, station: Station, period: Period, writer: _Writer) -> None:
        self.session = session
        self.station = station
        self.period = period
        self.writer = writer
        self.rules = {r.name: r for r in rules()}
        self.children: dict[str, list[tuple[TableRule, str]]] = {}
        for r in self.rules.values():
            for column, owner in r.owners:
                self.children.setdefault(owner, []).append((r, column))

    def _rows(self, rule: TableRule, *conds: Any) -> list[dict[str, Any]]:
        result = self.session.connection().execute(select(rule.table).where(*conds))
        rows = [dict(m) for m in result.mappings()]
        if rule.kind is Kind.USERS:
            rows = [sanitize_user(r) for r in rows]
        return rows

    def roots(self) -> list[tuple[TableRule, list[uuid.UUID]]]:
        """Ids of the station's rows changed in the period, per table (small settings tables
        and the station itself whole)."""
        lo, hi = self.period.utc_bounds()
        found = []
        for rule in self.rules.values():
            table = rule.table
            if rule.kind is Kind.STATION:
                found.append((rule, [self.station.id]))
                continue
            if rule.kind not in (Kind.ROOT, Kind.USERS):
                continue
            conds = [table.c.station_id == self.station.id]
            if rule.changed is not None:
                column = table.c[rule.changed]
                conds.append(and_(column >= lo, column < hi))
            ids = list(self.session.scalars(select(table.c.id).where(*conds)))
            found.append((rule, ids))
        return found

    def add_ids(self, rule: TableRule, ids: list[uuid.UUID], cancel: CancelToken | None) -> None:
        for start in range(0, len(ids), 4 * CHUNK):
            part = ids[start : start + 4 * CHUNK]
            self.add(rule.name, self._rows(rule, rule.table.c.id.in_(part)), cancel)

    def add(self, table: str, rows: list[dict[str, Any]], cancel: CancelToken | None) -> None:
        """Write rows, then (breadth first) what they reference and their children."""
        pending: list[tuple[str, list[dict[str, Any]]]] = [(table, rows)]
        while pending:
            check_cancel(cancel)
            name, batch = pending.pop()
            fresh = self.writer.write(name, batch)
            if not fresh:
                continue
            rule = self.rules[name]
            # Referenced rows (parents), by id.
            for column, parent in rule.references():
                if parent not in self.rules:
                    continue
                want = {r[column] for r in fresh if r.get(column) is not None}
                want -= self.writer.ids[parent]
                if want:
                    prule = self.rules[parent]
                    for part in _chunks(sorted(want)):
                        pending.append((parent, self._rows(prule, prule.table.c.id.in_(part))))
            # Complete children of every parent written now.
            ids = [r["id"] for r in fresh]
            for crule, column in self.children.get(name, []):
                for part in _chunks(ids):
                    pending.append((crule.name, self._rows(crule, crule.table.c[column].in_(part))))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_package(
    session: Session,
    actor: Actor,
    period: Period,
    out: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> PackageSummary:
    """Write the station's package for ``period`` at ``out`` (atomically); audited.

    Carries personal data in full (the district consolidates real records), so only a user
    who may export sensitive data (the director) may make one.
    """
    actor.require(Resource.RESIDENT, Action.EXPORT_SENSITIVE)
    if actor.station_id is None:
        raise PermissionDenied("数据包由站点导出，区级账户请使用“导入数据包”。")
    station = session.get(Station, actor.station_id)
    if station is None:
        raise WusheError("找不到本站的站点信息。")
    out = Path(out)
    if not out.parent.is_dir():
        raise WusheError(f"文件夹“{out.parent}”不存在，无法保存“{out.name}”。")
    with tempfile.TemporaryDirectory(prefix="wushe-pkg-") as tmp:
        work = Path(tmp)
        (work / "tables").mkdir()
        rule_list = rules()
        writer = _Writer(work / "tables", rule_list)
        try:
            exporter = _Exporter(session, station, period, writer)
            progress(0.02, "正在选取本期变动的记录……")
            found = exporter.roots()
            total = max(1, sum(len(ids) for _, ids in found))
            done = 0
            for rule, ids in found:
                check_cancel(cancel)
                progress(0.05 + 0.6 * done / total, f"正在导出：{rule.name}")
                exporter.add_ids(rule, ids, cancel)
                done += len(ids)
        finally:
            writer.close()
        progress(0.7, "正在统计本期指标……")
        figures = _figures(session, actor, period)
        (work / "figures.json").write_text(
            json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        members: dict[str, dict[str, Any]] = {}
        for rule in rule_list:
            path = work / "tables" / f"{rule.name}.jsonl"
            if writer.counts[rule.name]:
                members[f"tables/{rule.name}.jsonl"] = {
                    "table": rule.name,
                    "rows": writer.counts[rule.name],
                    "sha256": _sha256(path),
                }
        members["figures.json"] = {"sha256": _sha256(work / "figures.json")}
        manifest = _manifest(station, actor, period, members)
        progress(0.85, "正在压缩……")
        check_cancel(cancel)
        _write_zip(work, manifest, out)
    counts = {k: v for k, v in writer.counts.items() if v}
    summary = PackageSummary(out, station.name, period, counts, _sha256(out))
    audit.record(
        session,
        actor,
        AuditAction.EXPORT,
        record_type="station_package",
        label=f"{station.name}数据包",
        detail=(
            f"导出数据包 {period.start.isoformat()} 至 {period.end.isoformat()}，"
            f"{summary.rows} 条记录：{out}（SHA-256 {summary.sha256}）"
        ),
    )
    progress(1.0, f"数据包已生成，共 {summary.rows} 条记录")
    return summary


def _manifest(
    station: Station, actor: Actor, period: Period, members: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    from wushe_desktop.infra.db.migrate import head_revisions

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "station": {
            "id": str(station.id),
            "name": station.name,
            "code": station.code,
            "township": station.township,
            "district": station.district,
        },
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "exported_by": actor.display_name,
        "app_version": __version__,
        "schema_heads": list(head_revisions()),
        "members": members,
    }


def _write_zip(work: Path, manifest: dict[str, Any], out: Path) -> None:
    """The zip under a temporary name, renamed into place when complete."""
    tmp_zip = out.with_name(f".~{out.stem}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
            for member in manifest["members"]:
                z.write(work / member, member)
        os.replace(tmp_zip, out)
    except OSError as exc:
        tmp_zip.unlink(missing_ok=True)
        raise WusheError(f"无法写入数据包“{out}”：{exc.strerror or exc}。") from exc
    except BaseException:
        tmp_zip.unlink(missing_ok=True)
        raise


def _figures(session: Session, actor: Actor, period: Period) -> dict[str, Any]:
    from wushe_desktop.reports.metrics import figures
    from wushe_desktop.reports.scope import resolve_scope

    result = figures(session, actor, period, resolve_scope(session, actor))
    return {"period": period.as_json(), "values": result.values}


#: The first day of a full package (``package export --all``).
EPOCH = date(2000, 1, 1)
