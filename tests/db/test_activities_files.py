"""Activity photos (SHA-256 store) and the Excel exports of activities and groups."""

from __future__ import annotations

import hashlib
from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests.db.community_work_support import make_person
from tests.db.residents_support import Places, make_places
from tests.db.service_support import make_user
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.activities.exporter import export_activities
from wushe_desktop.activities.photos import add_photo, list_photos, photo_file, remove_photo
from wushe_desktop.activities.search import ActivityQuery
from wushe_desktop.activities.service import ActivityInput, create_activity, get_activity
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.groups.exporter import export_groups
from wushe_desktop.groups.search import GroupQuery
from wushe_desktop.groups.service import GroupInput, add_members, create_group
from wushe_desktop.groups.sessions import SessionInput, create_session
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.models import Station


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def worker(db: Database, station: Station) -> Actor:
    return make_user(db, station, Role.SOCIAL_WORKER, "李社工")


def _activity(db: Database, places: Places, worker: Actor, **kw: object) -> object:
    values: dict[str, object] = {
        "title": "端午包粽子",
        "activity_type": "节日慰问",
        "held_on": date(2025, 5, 31),
        "participants": 40,
        "community_id": places.qinghe,
        "start_time": time(9, 0),
        "end_time": time(11, 0),
        "worker_id": worker.user_id,
        "cost_fen": 123_456,
    }
    values.update(kw)
    with db.transaction() as s:
        return create_activity(s, worker, ActivityInput(**values)).id  # type: ignore[arg-type]


def test_photos_are_stored_by_hash(
    db: Database, places: Places, worker: Actor, tmp_path: Path
) -> None:
    aid = _activity(db, places, worker)
    photo = tmp_path / "现场照片.JPG"
    photo.write_bytes(b"\xff\xd8\xff\xe0 fake jpeg " * 50)
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    with db.transaction() as s:
        row = add_photo(s, worker, aid, photo, caption="居民包粽子")  # type: ignore[arg-type]
        again = add_photo(s, worker, aid, photo)  # type: ignore[arg-type]
    assert row.sha256 == digest and row.file_name == "现场照片.JPG"
    assert row.stored_path == again.stored_path  # stored once
    with db.reader() as s:
        path = photo_file(s, worker, row.id)
        assert get_activity(s, worker, aid).photos == 2  # type: ignore[arg-type]
    assert path.read_bytes() == photo.read_bytes()
    with db.transaction() as s:
        remove_photo(s, worker, again.id)
    with db.reader() as s:
        assert [p.caption for p in list_photos(s, worker, aid)] == ["居民包粽子"]  # type: ignore[arg-type]
    path.chmod(0o644)
    path.write_bytes(b"changed")
    with db.reader() as s, pytest.raises(ConflictError, match="校验值不符"):
        photo_file(s, worker, row.id)


def test_photo_rules(
    db: Database, station: Station, places: Places, worker: Actor, tmp_path: Path
) -> None:
    aid = _activity(db, places, worker)
    doc = tmp_path / "方案.docx"
    doc.write_bytes(b"PK")
    with db.transaction() as s, pytest.raises(ValidationError, match="不是照片文件"):
        add_photo(s, worker, aid, doc)  # type: ignore[arg-type]
    with db.transaction() as s, pytest.raises(ValidationError, match="不存在"):
        add_photo(s, worker, aid, tmp_path / "没有.jpg")  # type: ignore[arg-type]
    supervisor = make_user(db, station, Role.SUPERVISOR, "督导")
    pic = tmp_path / "a.png"
    pic.write_bytes(b"\x89PNG")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        add_photo(s, supervisor, aid, pic)  # type: ignore[arg-type]


def _sheet(path: Path) -> list[dict[object, object]]:
    """Data rows keyed by header (short rows padded: trailing empty cells are not stored)."""
    book = openpyxl.load_workbook(path, read_only=True)
    header, *rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return [dict(zip(header, r + [None] * (len(header) - len(r)), strict=True)) for r in rows]


def test_export_activities(db: Database, places: Places, worker: Actor, tmp_path: Path) -> None:
    people = [make_person(db, places, n) for n in ("张桂兰", "王秀英")]
    _activity(db, places, worker, named=people)
    _activity(db, places, worker, title="重阳敬老宴", held_on=date(2025, 10, 11), cost_fen=None)
    out = tmp_path / "活动.xlsx"
    may = ActivityQuery(date_from=date(2025, 5, 1), date_to=date(2025, 5, 31))
    assert export_activities(db, worker, may, out) == 1
    (line,) = _sheet(out)
    assert line["活动名称"] == "端午包粽子"
    assert line["参与人数（人次）"] == 40 and line["登记姓名人数"] == 2
    assert line["经费（元）"] == pytest.approx(1234.56)
    assert line["时间"] == "09:00–11:00" and line["社区（村）"] == "清河社区"
    with db.reader() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "导出")).one()
    assert "社区活动列表 1 行" in entry.detail and "2025-05-01 至 2025-05-31" in entry.detail


def test_export_groups(
    db: Database, station: Station, places: Places, worker: Actor, tmp_path: Path
) -> None:
    a = make_person(db, places, "张桂兰")
    with db.transaction() as s:
        g = create_group(
            s,
            worker,
            GroupInput(
                name="银龄书法兴趣小组",
                group_type="兴趣",
                start_date=date(2025, 3, 1),
                facilitator_id=worker.user_id,
            ),
        )
        add_members(s, worker, g.id, [a], joined_on=date(2025, 3, 1))
        create_session(
            s, worker, g.id, SessionInput(1, date(2025, 3, 3), "认识笔墨", attendance={a: True})
        )
    out = tmp_path / "小组.xlsx"
    assert export_groups(db, worker, GroupQuery(), out) == 1
    (line,) = _sheet(out)
    assert (line["小组名称"], line["带领社工"], line["已开展节数"], line["服务人次"]) == (
        "银龄书法兴趣小组",
        "李社工",
        1,
        1,
    )
    supervisor = make_user(db, station, Role.SUPERVISOR, "督导")  # may read, not export
    with pytest.raises(PermissionDenied):
        export_groups(db, supervisor, GroupQuery(), tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
