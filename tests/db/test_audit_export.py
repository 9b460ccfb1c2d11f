"""The audit log to Excel (audit.export): filtered entries, masked, the export audited;
refused without the grant; a cancelled export leaves no file and no entry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.conftest import make_actor
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.export import export_audit, mask_free_text
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.audit.service import AuditAction, AuditFilter, record
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import Cancelled, PermissionDenied
from wushe_desktop.infra.progress import CancelToken
from wushe_desktop.models import Station

ID = "32080219800101123X"


@pytest.fixture
def entries(db: Database, director: Actor, station: Station) -> None:
    worker = make_actor(station, Role.SOCIAL_WORKER, "wanggong")
    with db.transaction() as s:
        record(s, director, AuditAction.LOGIN, label="zhanzhang")
        record(
            s,
            worker,
            AuditAction.UPDATE,
            record_type="resident",
            record_id="r1",
            label="张三",
            changes={"phone": ["138****5678", "139****1111"], "address": ["旧", "新"]},
        )
        # free text that slipped a full number in (old data, a note): the file masks it
        record(s, worker, AuditAction.CREATE, record_type="resident", detail=f"{ID} 13812345678")


def _sheet(path: Path) -> list[tuple[object, ...]]:
    wb = load_workbook(path, read_only=True)
    try:
        return [r for r in wb.worksheets[0].iter_rows(values_only=True) if any(r)]
    finally:
        wb.close()


def _audit_of_exports(db: Database) -> list[AuditEntry]:
    with db.reader() as s:
        stmt = select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORT.value)
        return list(s.scalars(stmt))


def test_export_writes_the_filtered_entries_masked_and_is_audited(
    db: Database, director: Actor, entries: None, tmp_path: Path
) -> None:
    target = tmp_path / "审计.xlsx"
    written = export_audit(db, director, AuditFilter(username="wanggong"), target)
    assert written == 2
    header, *rows = _sheet(target)
    assert header == ("时间", "用户", "电脑", "操作", "记录类型", "记录", "内容")
    assert {r[1] for r in rows} == {"wanggong"}
    assert all(isinstance(r[0], datetime) for r in rows)  # a real date-time cell
    update = next(r for r in rows if r[3] == "修改")
    assert update[4] == "居民" and update[5] == "张三"
    assert update[6] == "电话：138****5678 → 139****1111；住址：旧 → 新"
    free = next(r for r in rows if r[3] == "新增")
    assert free[6] == "320802********123X 138****5678"
    (export,) = _audit_of_exports(db)
    assert export.username == "zhanzhang" and export.record_type == "audit"
    assert export.detail.startswith(
        "导出审计日志 2 条（证件号码和电话已脱敏）；筛选：用户：wanggong"
    )
    assert export.detail.endswith("文件：审计.xlsx")


def test_the_date_range_and_actions_filter(
    db: Database, director: Actor, entries: None, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    flt = AuditFilter(actions=("登录",), since=now - timedelta(days=1), until=now + timedelta(1))
    assert export_audit(db, director, flt, tmp_path / "a.xlsx") == 1
    assert "操作：登录、日期：" in _audit_of_exports(db)[0].detail
    old = AuditFilter(until=now - timedelta(days=10))
    assert export_audit(db, director, old, tmp_path / "b.xlsx") == 0
    assert _sheet(tmp_path / "b.xlsx") == [
        ("时间", "用户", "电脑", "操作", "记录类型", "记录", "内容")
    ]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.COORDINATOR, Role.SUPERVISOR])
def test_only_roles_with_the_audit_export_grant(
    db: Database, station: Station, entries: None, tmp_path: Path, role: Role
) -> None:
    target = tmp_path / "x.xlsx"
    with pytest.raises(PermissionDenied, match="审计日志：导出"):
        export_audit(db, make_actor(station, role, "x"), AuditFilter(), target)
    assert not target.exists() and _audit_of_exports(db) == []


def test_the_district_admin_may_export(db: Database, entries: None, tmp_path: Path) -> None:
    district = make_actor(None, Role.DISTRICT_ADMIN, "qu")
    assert export_audit(db, district, AuditFilter(), tmp_path / "d.xlsx") == 3


def test_a_cancelled_export_leaves_no_file_and_no_entry(
    db: Database, director: Actor, entries: None, tmp_path: Path
) -> None:
    token = CancelToken()
    token.cancel()
    target = tmp_path / "c.xlsx"
    with pytest.raises(Cancelled):
        export_audit(db, director, AuditFilter(), target, cancel=token)
    assert not target.exists() and _audit_of_exports(db) == []


def test_mask_free_text() -> None:
    assert (
        mask_free_text(f"查看 {ID}，电话13812345678。")
        == "查看 320802********123X，电话138****5678。"
    )
    assert mask_free_text("旧号 320802800101123") == "旧号 320802*****1123"
    assert mask_free_text("320802********123X 138****5678") == "320802********123X 138****5678"
    assert mask_free_text("编号 1234567890123456789012") == "编号 1234567890123456789012"
    assert mask_free_text("0517-83612345") == "0517-83612345"
