"""Import station packages into a district database (三级联动).

Records are upserted by their UUIDv7 keys, so packages of many stations merge without
collisions. Re-importing a package, or a later package that overlaps, changes nothing
twice. Rule for a record that exists on both sides, using the digest of the row as it was
last imported (``import_baseline``):

* district copy unchanged since the last import → the station's newer copy replaces it
  (newer by ``updated_at``/``version``; an older package never rolls a record back);
* district copy changed since, station copy unchanged → the district's copy stays;
* both changed → a **conflict**: listed in the report and the log, never overwritten.

Children (a resident's tags, a session's attendance …) follow their parent: the package
holds the complete set, so a child removed at the station is removed here too (unless the
parent is in conflict). A damaged or foreign file is refused before anything is written.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.exchange.models import ImportBaseline, PackageImport
from wushe_desktop.exchange.package import FORMAT, FORMAT_VERSION, NO_PASSWORD
from wushe_desktop.exchange.rows import decoder, digest, text_digest, to_text
from wushe_desktop.exchange.tables import Kind, TableRule, rules
from wushe_desktop.infra.errors import PermissionDenied, WusheError
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress
from wushe_desktop.stations.models import Station

__all__ = [
    "Conflict",
    "ImportReport",
    "PackageError",
    "TableCounts",
    "import_package",
    "read_manifest",
]

BATCH = 1000
_LABEL_COLUMNS = ("name", "title", "case_no", "volunteer_no", "username", "topic", "tag")


class PackageError(WusheError):
    """A file that is not a package, or a damaged one: nothing was imported."""


@dataclass(frozen=True)
class Conflict:
    table: str
    record_id: str
    label: str
    district_updated: str
    station_updated: str

    def text(self) -> str:
        return (
            f"{self.table} {self.label or self.record_id}：区级库中的记录在上次导入后被修改过"
            f"（{self.district_updated or '时间不详'}），站点也修改了它（{self.station_updated or '时间不详'}），"
            "未覆盖，请核对后手工处理。"
        )


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # district copy newer or changed only at the district: left as it is
    conflicts: int = 0
    removed: int = 0  # children removed at the station


@dataclass
class ImportReport:
    file: Path
    station: str
    period_from: date
    period_to: date
    sha256: str
    imported_before: datetime | None = None
    counts: dict[str, TableCounts] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.counts.values())

    @property
    def changed(self) -> bool:
        return any(self.total(k) for k in ("inserted", "updated", "removed"))

    def summary(self) -> str:
        before = ""
        if self.imported_before is not None:
            before = "（此数据包以前导入过）"
        return (
            f"已导入{self.station}的数据包{before}（{self.period_from.isoformat()} 至 "
            f"{self.period_to.isoformat()}）：新增 {self.total('inserted')} 条，"
            f"更新 {self.total('updated')} 条，未变 {self.total('unchanged')} 条，"
            f"保留区级修改 {self.total('kept')} 条，删除 {self.total('removed')} 条，"
            f"冲突 {len(self.conflicts)} 条。"
        )


# -- reading and checking --------------------------------------------------------------------
def _open(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise PackageError(f"找不到文件“{path}”。")
    if not zipfile.is_zipfile(path):
        raise PackageError(
            f"文件“{path.name}”不是五社联动工作站的数据包（不是数据包格式），未导入。"
        )
    return zipfile.ZipFile(path)


def _member_sha256(z: zipfile.ZipFile, member: str) -> str:
    h = hashlib.sha256()
    with z.open(member) as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def read_manifest(path: Path) -> dict[str, Any]:
    """The package's manifest, checked: format, version, every member's SHA-256."""
    try:
        with _open(path) as z:
            try:
                manifest = json.loads(z.read("manifest.json").decode("utf-8"))
            except KeyError:
                raise PackageError(
                    f"文件“{path.name}”不是五社联动工作站的数据包（没有清单），未导入。"
                ) from None
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise PackageError(f"文件“{path.name}”不是五社联动工作站的数据包，未导入。")
            if int(manifest.get("format_version", 0)) > FORMAT_VERSION:
                raise PackageError(
                    f"数据包“{path.name}”由更新版本的软件导出，请先升级本软件后再导入。"
                )
            for member, facts in manifest.get("members", {}).items():
                try:
                    actual = _member_sha256(z, member)
                except KeyError:
                    raise PackageError(
                        f"数据包“{path.name}”不完整：缺少 {member}，未导入。"
                    ) from None
                if actual != facts.get("sha256"):
                    raise PackageError(
                        f"数据包“{path.name}”已损坏：{member} 的校验值不符，未导入。请让站点重新导出。"
                    )
    except json.JSONDecodeError as exc:
        raise PackageError(
            f"文件“{path.name}”不是五社联动工作站的数据包（清单无法读取），未导入。"
        ) from exc
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        UnicodeDecodeError,
        zlib.error,
        EOFError,
    ) as exc:
        raise PackageError(f"数据包“{path.name}”已损坏，无法读取（{exc}），未导入。") from exc
    return manifest


def _lines(z: zipfile.ZipFile, member: str) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    with z.open(member) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            if line.strip():
                batch.append(json.loads(line))
                if len(batch) >= BATCH:
                    yield batch
                    batch = []
    if batch:
        yield batch


# -- merging -----------------------------------------------------------------------------------
def _label(row: dict[str, Any]) -> str:
    for key in _LABEL_COLUMNS:
        if row.get(key):
            return str(row[key])
    return ""


def _newer(incoming: dict[str, Any], current: dict[str, Any]) -> bool:
    """Whether the incoming copy is not older than the current one."""
    new, old = incoming.get("updated_at"), current.get("updated_at")
    if isinstance(new, datetime) and isinstance(old, datetime) and new != old:
        return new > old
    nv, ov = incoming.get("version"), current.get("version")
    if isinstance(nv, int) and isinstance(ov, int):
        return nv >= ov
    return True


class _Merger:
    def __init__(self, session: Session, manifest: dict[str, Any], report: ImportReport) -> None:
        self.session = session
        self.manifest = manifest
        self.report = report
        self.code = str(manifest["station"]["code"])
        self.ids: dict[str, set[uuid.UUID]] = {}
        self.conflicted: dict[str, set[uuid.UUID]] = {}

    def _prepare(
        self, rule: TableRule, rows: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """The rows as Python values, and their digests (from the JSON text as it came)."""
        columns = set(rule.table.c.keys())
        unknown = {k for row in rows for k in row} - columns
        if unknown:
            raise PackageError(
                f"数据包中的 {rule.name} 有本库没有的字段（{'、'.join(sorted(unknown))}），"
                "请把两边的软件升级到同一版本后再导入。"
            )
        if rule.kind is Kind.USERS:
            for row in rows:
                row["username"] = f"{self.code}.{row['username']}"[:50]
                row["password_hash"] = NO_PASSWORD
        decode = decoder(rule.table)
        return [decode(row) for row in rows], [text_digest(to_text(row)) for row in rows]

    def merge(self, rule: TableRule, rows: list[dict[str, Any]]) -> None:
        table, counts = rule.table, self.report.counts.setdefault(rule.name, TableCounts())
        rows, digests = self._prepare(rule, rows)
        done = self.ids.setdefault(rule.name, set())
        conflicted = self.conflicted.setdefault(rule.name, set())
        if rule.kind is Kind.CHILD:
            kept = [i for i, r in enumerate(rows) if not self._owner_in_conflict(rule, r)]
            rows, digests = [rows[i] for i in kept], [digests[i] for i in kept]
        ids = [r["id"] for r in rows]
        current = {
            m["id"]: dict(m)
            for m in self.session.connection()
            .execute(select(table).where(table.c.id.in_(ids)))
            .mappings()
        }
        bases: dict[uuid.UUID, str] = {
            rid: d
            for rid, d in self.session.execute(
                select(ImportBaseline.record_id, ImportBaseline.digest).where(
                    ImportBaseline.table_name == rule.name, ImportBaseline.record_id.in_(ids)
                )
            )
        }
        inserts, updates, new_bases = [], [], {}
        for row, d_in in zip(rows, digests, strict=True):
            rid = row["id"]
            done.add(rid)
            cur = current.get(rid)
            if cur is None:
                inserts.append(row)
                new_bases[rid] = d_in
                counts.inserted += 1
                continue
            d_cur, base = digest(cur), bases.get(rid)
            if d_cur == d_in:
                counts.unchanged += 1
                if base != d_in:
                    new_bases[rid] = d_in
            elif base is not None and d_cur == base:
                if _newer(row, cur):
                    updates.append(row)
                    new_bases[rid] = d_in
                    counts.updated += 1
                else:
                    counts.kept += 1  # an older package: the record stays as it is
            elif base is not None and d_in == base:
                counts.kept += 1  # changed only at the district
            else:
                conflicted.add(rid)
                counts.conflicts += 1
                self.report.conflicts.append(
                    Conflict(
                        rule.name,
                        str(rid),
                        _label(row),
                        str(cur.get("updated_at") or ""),
                        str(row.get("updated_at") or ""),
                    )
                )
        if inserts:
            self.session.execute(insert(table), inserts)
        if updates:
            names = [c for c in updates[0] if c != "id"]
            stmt = (
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values({c: bindparam(f"b_{c}") for c in names})
            )
            self.session.execute(stmt, [{f"b_{k}": v for k, v in r.items()} for r in updates])
        self._set_bases(rule.name, new_bases)

    def _owner_in_conflict(self, rule: TableRule, row: dict[str, Any]) -> bool:
        return any(row.get(col) in self.conflicted.get(owner, ()) for col, owner in rule.owners)

    def _set_bases(self, table: str, bases: dict[uuid.UUID, str]) -> None:
        if not bases:
            return
        ids = list(bases)
        self.session.execute(
            delete(ImportBaseline).where(
                ImportBaseline.table_name == table, ImportBaseline.record_id.in_(ids)
            )
        )
        self.session.execute(
            insert(ImportBaseline),
            [{"table_name": table, "record_id": k, "digest": v} for k, v in bases.items()],
        )

    def remove_orphans(self, rule: TableRule) -> None:
        """Children the station removed: gone from the package's complete set of a parent."""
        if rule.kind is not Kind.CHILD:
            return
        table = rule.table
        counts = self.report.counts.setdefault(rule.name, TableCounts())
        keep = self.ids.get(rule.name, set())
        for column, owner in rule.owners:
            parents = list(self.ids.get(owner, set()) - self.conflicted.get(owner, set()))
            for start in range(0, len(parents), BATCH):
                part = parents[start : start + BATCH]
                found = set(
                    self.session.scalars(select(table.c.id).where(table.c[column].in_(part)))
                )
                gone = list(found - keep)
                if gone:
                    self.session.execute(delete(table).where(table.c.id.in_(gone)))
                    self.session.execute(
                        delete(ImportBaseline).where(
                            ImportBaseline.table_name == rule.name,
                            ImportBaseline.record_id.in_(gone),
                        )
                    )
                    counts.removed += len(gone)


def _check_station(session: Session, manifest: dict[str, Any]) -> uuid.UUID:
    info = manifest["station"]
    station_id = uuid.UUID(info["id"])
    other = session.scalars(
        select(Station).where(Station.code == info["code"], Station.id != station_id)
    ).first()
    if other is not None:
        raise PackageError(
            f"本库中已有另一个编码为 {info['code']} 的站点（{other.name}），"
            f"与数据包的站点（{info['name']}）不是同一个，未导入。请核对站点编码。"
        )
    from wushe_desktop.accounts.models import User

    own = session.scalars(
        select(User.id).where(User.station_id == station_id, User.password_hash != NO_PASSWORD)
    ).first()
    if own is not None:
        raise PackageError(
            f"这是{info['name']}自己的数据库（有该站可登录的账户），不能导入本站的数据包。"
        )
    return station_id


def import_package(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Merge one package into this (district) database, in the caller's transaction."""
    from wushe_desktop.infra.db.migrate import head_revisions

    actor.require(Resource.STATION, Action.IMPORT)
    if not actor.is_district:
        raise PermissionDenied("数据包只能由区级账户导入区级数据库。")
    path = Path(path)
    progress(0.0, "正在校验数据包……")
    manifest = read_manifest(path)
    heads = sorted(manifest.get("schema_heads", []))
    if heads != sorted(head_revisions()):
        raise PackageError(
            f"数据包的数据库版本（{'、'.join(heads)}）与本库（{'、'.join(head_revisions())}）不同，"
            "请把站点和区级的软件升级到同一版本后再导出、导入。"
        )
    station_id = _check_station(session, manifest)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    earlier = session.scalars(
        select(PackageImport.imported_at).where(PackageImport.sha256 == sha)
    ).first()
    report = ImportReport(
        path,
        str(manifest["station"]["name"]),
        date.fromisoformat(manifest["period"]["from"]),
        date.fromisoformat(manifest["period"]["to"]),
        sha,
        earlier,
    )
    merger = _Merger(session, manifest, report)
    members = {
        facts.get("table"): m for m, facts in manifest["members"].items() if facts.get("table")
    }
    rule_list = rules()
    try:
        with zipfile.ZipFile(path) as z:
            for index, rule in enumerate(rule_list):
                check_cancel(cancel)
                member = members.get(rule.name)
                if member is not None:
                    progress(0.05 + 0.9 * index / len(rule_list), f"正在导入：{rule.name}")
                    for batch in _lines(z, member):
                        check_cancel(cancel)
                        merger.merge(rule, batch)
                merger.remove_orphans(rule)
            session.flush()
    except IntegrityError as exc:
        raise PackageError(
            f"数据包“{path.name}”与本库的数据相冲突，无法导入（{exc.orig}），未导入任何数据。"
        ) from exc
    session.add(
        PackageImport(
            imported_by=actor.display_name,
            sha256=sha,
            file_name=path.name[:200],
            station_id=station_id,
            station_name=report.station[:100],
            date_from=report.period_from,
            date_to=report.period_to,
            exported_at=datetime.fromisoformat(manifest["exported_at"]),
            app_version=str(manifest.get("app_version", ""))[:20],
            summary=json.dumps({k: vars(v) for k, v in report.counts.items()}, ensure_ascii=False),
            conflicts=json.dumps([vars(c) for c in report.conflicts], ensure_ascii=False),
        )
    )
    audit.record(
        session,
        actor,
        AuditAction.IMPORT,
        record_type="station_package",
        label=f"{report.station}数据包",
        detail=f"{report.summary()}文件：{path}（SHA-256 {sha}）",
        station_id=station_id,
    )
    progress(1.0, report.summary())
    return report
