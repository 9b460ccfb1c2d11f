"""Station → district packages: a station (SQLite) exports, the district (the ``db`` fixture:
SQLite, and PostgreSQL when configured) imports; round trip, re-import, overlap, conflicts,
damaged and foreign files."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import make_actor
from tests.db.reports_support import Data, build
from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.exchange.importer import PackageError, import_package, read_manifest
from wushe_desktop.exchange.models import PackageImport
from wushe_desktop.exchange.package import EPOCH, NO_PASSWORD, export_package
from wushe_desktop.exchange.rows import digest
from wushe_desktop.exchange.tables import Kind, rules
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied
from wushe_desktop.models import Resident, ResidentTag, Station
from wushe_desktop.reports import metrics
from wushe_desktop.reports.periods import Period
from wushe_desktop.reports.scope import resolve_scope

EVERYTHING = Period.between(EPOCH, date(2026, 11, 30))
MARCH = Period.month(2026, 3)


@pytest.fixture
def source(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """The station's own database: always a SQLite file."""
    path = tmp_path / "station.db"
    shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
    database = Database.open(path)
    yield database
    database.dispose()


@pytest.fixture
def station_data(source: Database) -> tuple[Station, Data, Actor]:
    with source.transaction() as s:
        st = Station(name="清河街道社工站", township="清河街道", district="清江浦区", code="QH01")
        s.add(st)
        s.flush()
        user = User(
            station_id=st.id,
            username="zhanzhang",
            display_name="王站长",
            role=Role.DIRECTOR.value,
            password_hash="$argon2id$real-hash",
        )
        s.add(user)
        s.flush()
        director = Actor(user.id, "zhanzhang", "王站长", Role.DIRECTOR, st.id, "pc")
    data = build(source, st)
    return st, data, director


@pytest.fixture
def district() -> Actor:
    return make_actor(None, Role.DISTRICT_ADMIN, "quji")


def _export(source: Database, actor: Actor, out: Path, period: Period = EVERYTHING) -> Path:
    with source.transaction() as s:
        export_package(s, actor, period, out)
    return out


def _import(db: Database, actor: Actor, path: Path):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return import_package(s, actor, path)


def _digests(database: Database, station_id: object) -> dict[str, set[str]]:
    """Every exchanged row of the station's (and its children's) tables, by digest."""
    out: dict[str, set[str]] = {}
    with database.reader() as s:
        conn = s.connection()
        for rule in rules():
            if rule.kind in (Kind.USERS,):
                continue
            rows = [dict(m) for m in conn.execute(select(rule.table)).mappings()]
            out[rule.name] = {digest(r) for r in rows}
    return out


def test_round_trip_and_idempotent_reimport(
    db: Database,
    source: Database,
    station_data: tuple[Station, Data, Actor],
    district: Actor,
    tmp_path: Path,
) -> None:
    station, _data, director = station_data
    pkg = _export(source, director, tmp_path / "qh.wspkg")
    manifest = read_manifest(pkg)
    assert manifest["station"]["code"] == "QH01"
    assert manifest["members"]["tables/service_record.jsonl"]["rows"] == 9  # not 淮海's
    report = _import(db, district, pkg)
    assert not report.conflicts and report.total("inserted") > 50
    # Every row arrived as it was (the other station's rows did not travel).
    mine, theirs = _digests(source, station.id), _digests(db, station.id)
    for table, rows in mine.items():
        if table in ("station", "community", "resident", "service_record", "resident_tag"):
            continue  # these hold the other station's rows at the source too
        assert rows == theirs[table], table
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Resident)) == 6  # not 周九 of 淮海
        users = list(s.scalars(select(User)))
        assert [u.username for u in users] == ["QH01.zhanzhang"]
        assert users[0].password_hash == NO_PASSWORD and not users[0].active
    # Re-import: nothing changes.
    again = _import(db, district, pkg)
    assert not again.changed and again.imported_before is not None
    assert again.total("unchanged") == report.total("inserted")
    assert _digests(db, station.id) == theirs
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(PackageImport)) == 2
    # The district's figures for the station equal the station's own.
    with source.reader() as s:
        own = metrics.figures(s, director, MARCH, resolve_scope(s, director)).values
    with db.reader() as s:
        there = metrics.figures(
            s, district, MARCH, resolve_scope(s, district, station_id=station.id)
        ).values
    assert there == own


def test_overlapping_package_updates_and_removes_children(
    db: Database,
    source: Database,
    station_data: tuple[Station, Data, Actor],
    district: Actor,
    tmp_path: Path,
) -> None:
    _station, data, director = station_data
    first = _export(source, director, tmp_path / "full.wspkg")
    _import(db, district, first)
    r3 = data.residents["r3"]
    with source.transaction() as s:
        resident = s.get(Resident, r3)
        assert resident is not None
        resident.address = "西湖村8号"
        for tag in list(resident.tags):
            if tag.tag == "dibao":
                resident.tags.remove(tag)
    later = _export(
        source,
        director,
        tmp_path / "later.wspkg",
        Period.between(date(2026, 4, 1), date(2026, 11, 30)),
    )
    report = _import(db, district, later)
    assert report.counts["resident"].updated == 1
    assert report.counts["resident_tag"].removed == 1
    with db.reader() as s:
        got = s.get(Resident, r3)
        assert got is not None and got.address == "西湖村8号"
        tags = set(s.scalars(select(ResidentTag.tag).where(ResidentTag.resident_id == r3)))
        assert tags == {"disabled"}
    # The older full package again: it never rolls the record back.
    older = _import(db, district, first)
    assert older.counts["resident"].updated == 0
    with db.reader() as s:
        got = s.get(Resident, r3)
        assert got is not None and got.address == "西湖村8号"


def test_changed_on_both_sides_is_a_conflict(
    db: Database,
    source: Database,
    station_data: tuple[Station, Data, Actor],
    district: Actor,
    tmp_path: Path,
) -> None:
    _station, data, director = station_data
    _import(db, district, _export(source, director, tmp_path / "a.wspkg"))
    r1 = data.residents["r1"]
    with db.transaction() as s:
        row = s.get(Resident, r1)
        assert row is not None
        row.notes = "区级核实：已搬迁"
    with source.transaction() as s:
        row = s.get(Resident, r1)
        assert row is not None
        row.notes = "站点：新电话"
    report = _import(db, district, _export(source, director, tmp_path / "b.wspkg"))
    assert [(c.table, c.record_id) for c in report.conflicts] == [("resident", str(r1))]
    assert "张三" in report.conflicts[0].text()
    with db.reader() as s:
        row = s.get(Resident, r1)
        assert row is not None and row.notes == "区级核实：已搬迁"
        log = s.scalars(select(PackageImport).order_by(PackageImport.imported_at)).all()
        assert json.loads(log[-1].conflicts)[0]["record_id"] == str(r1)
    # A record changed only at the district stays as the district has it.
    with source.transaction() as s:
        row = s.get(Resident, r1)
        assert row is not None
        row.notes = "站点：新电话"  # unchanged since the last package
    report = _import(db, district, _export(source, director, tmp_path / "c.wspkg"))
    assert len(report.conflicts) == 1  # still both changed, still listed, never overwritten


def test_damaged_and_foreign_files_are_refused(
    db: Database,
    source: Database,
    station_data: tuple[Station, Data, Actor],
    district: Actor,
    tmp_path: Path,
) -> None:
    _, _, director = station_data
    pkg = _export(source, director, tmp_path / "ok.wspkg")
    # A member rewritten with other content: the manifest's SHA-256 no longer matches.
    damaged = tmp_path / "damaged.wspkg"
    with zipfile.ZipFile(pkg) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "tables/resident.jsonl":
                data = data.replace("张三".encode(), "李四".encode())
            zout.writestr(item, data)
    with pytest.raises(PackageError, match="已损坏"):
        _import(db, district, damaged)
    # Bytes flipped inside the zip.
    broken = tmp_path / "broken.wspkg"
    raw = bytearray(pkg.read_bytes())
    middle = len(raw) // 2
    raw[middle : middle + 16] = bytes(16)
    broken.write_bytes(bytes(raw))
    with pytest.raises(PackageError, match=r"已损坏|不是"):
        _import(db, district, broken)
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(PackageError, match="不是五社联动工作站的数据包"):
        _import(db, district, text)
    other_zip = tmp_path / "photos.zip"
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("a.txt", "x")
    with pytest.raises(PackageError, match="不是五社联动工作站的数据包"):
        _import(db, district, other_zip)
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(PackageImport)) == 0
        assert s.scalar(select(func.count()).select_from(Resident)) == 0


def test_who_may_export_and_import(
    db: Database,
    source: Database,
    station_data: tuple[Station, Data, Actor],
    district: Actor,
    tmp_path: Path,
) -> None:
    station, _, director = station_data
    worker = make_actor(station, Role.SOCIAL_WORKER, "sg")
    with source.transaction() as s, pytest.raises(PermissionDenied):
        export_package(s, worker, EVERYTHING, tmp_path / "x.wspkg")
    pkg = _export(source, director, tmp_path / "ok.wspkg")
    with source.transaction() as s, pytest.raises(PermissionDenied):
        import_package(s, director, pkg)
    # The station's own database refuses its own package even for a district user.
    with source.transaction() as s, pytest.raises(PackageError, match="自己的数据库"):
        import_package(s, district, pkg)


def test_every_table_is_classified() -> None:
    names = {r.name for r in rules()}
    assert {
        "resident",
        "service_record",
        "resident_tag",
        "volunteer_hours",
        "station_report",
    } <= names
    assert "audit_entry" not in names and "import_baseline" not in names
    kinds = {r.name: r.kind for r in rules()}
    assert kinds["resident_tag"] is Kind.CHILD and kinds["case_event"] is Kind.ROOT
