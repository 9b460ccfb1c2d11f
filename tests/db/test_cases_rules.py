"""Case privacy per role, transfer and bulk reassignment, reminders with fixed dates,
referrals, to-dos, attachments (stored by hash, in backups), list search, soft delete."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.db.case_support import ASSESSMENT, INTAKE, Staff, make_staff, plan
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.cases import search as csearch
from wushe_desktop.cases.attachments import add_attachment, attachment_path, case_attachments
from wushe_desktop.cases.case_records import save_record
from wushe_desktop.cases.detail import open_case
from wushe_desktop.cases.interventions import InterventionInput, add_intervention
from wushe_desktop.cases.referrals import ReferralInput, add_referral, update_referral
from wushe_desktop.cases.reminders import my_todos
from wushe_desktop.cases.service import (
    CaseInput,
    bulk_reassign,
    create_case,
    delete_case,
    get_case,
    restore_case,
    transfer_case,
)
from wushe_desktop.cases.stages import move_to
from wushe_desktop.cases.tasks import add_task, set_task_done
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.service_records import search as rsearch

D0 = date(2025, 3, 1)


@pytest.fixture
def staff(db: Database, station: Station) -> Staff:
    return make_staff(db, station)


def _case(db: Database, staff: Staff, resident: uuid.UUID | None = None, **kw: object) -> uuid.UUID:
    values: dict[str, object] = {
        "resident_id": resident or staff.elder,
        "source": "主动发现",
        "problem_areas": ["生活照料"],
        "opened_on": D0,
    }
    values.update(kw)
    with db.transaction() as s:
        return create_case(s, staff.worker, CaseInput(**values)).id  # type: ignore[arg-type]


def _serve(db: Database, staff: Staff, cid: uuid.UUID, day: date) -> None:
    with db.transaction() as s:
        add_intervention(s, staff.worker, cid, InterventionInput(day, "个案服务", 30, "家访"))


def test_privacy_per_role(db: Database, staff: Staff) -> None:
    cid = _case(db, staff)
    _serve(db, staff, cid, D0)
    for reader in (staff.worker, staff.director, staff.supervisor):
        with db.transaction() as s:
            assert open_case(s, reader, cid).row.content_visible
    for outsider in (staff.other_worker, staff.coordinator):
        with db.reader() as s:
            row = get_case(s, outsider, cid)  # the list row: that a case exists, who holds it
            assert row.worker_name == "shegong1" and not row.content_visible
            with pytest.raises(PermissionDenied, match="仅负责社工、站长和督导可以查看"):
                open_case(s, outsider, cid)
            records = rsearch.search(s, outsider, rsearch.ServiceRecordQuery()).rows
            assert [r.content_hidden for r in records] == [True]
            assert "家访" not in records[0].content
    with db.reader() as s:
        mine = rsearch.search(s, staff.worker, rsearch.ServiceRecordQuery()).rows
    assert mine[0].content == "家访"
    with db.transaction() as s, pytest.raises(PermissionDenied, match="只有负责社工和站长"):
        save_record(s, staff.other_worker, cid, INTAKE, record_date=D0)
    with db.transaction() as s, pytest.raises(PermissionDenied):
        save_record(s, staff.supervisor, cid, INTAKE, record_date=D0)
    with db.reader() as s:
        views = s.scalars(select(AuditEntry).where(AuditEntry.detail == "查看个案内容")).all()
    assert sorted(v.username for v in views) == ["dudao1", "shegong1", "zhanzhang"]


def test_minor_case_is_marked_and_masked_for_others(db: Database, staff: Staff) -> None:
    cid = _case(db, staff, staff.child, problem_areas=["安全保护"])
    with db.reader() as s:
        own = get_case(s, staff.worker, cid)
        other = get_case(s, staff.coordinator, cid)
    assert own.is_minor and own.resident_name == "李小宝"
    assert other.is_minor and other.resident_name == "李**"
    _serve(db, staff, cid, D0)
    with db.reader() as s:  # the service-record list follows the case list's rule
        theirs = rsearch.search(s, staff.coordinator, rsearch.ServiceRecordQuery()).rows
        mine = rsearch.search(s, staff.worker, rsearch.ServiceRecordQuery()).rows
    assert [(r.resident_name, r.content_hidden) for r in theirs] == [("李**", True)]
    assert [r.resident_name for r in mine] == ["李小宝"]
    with db.reader() as s:
        found = csearch.search(
            s, staff.director, csearch.CaseQuery(minors_only=True, today=date(2025, 5, 1))
        ).rows
    assert [r.id for r in found] == [cid]


def test_transfer_and_bulk_reassignment(db: Database, staff: Staff) -> None:
    a = _case(db, staff)
    b = _case(db, staff, staff.child, problem_areas=["安全保护"])
    with db.transaction() as s, pytest.raises(ValidationError, match="转移原因"):
        transfer_case(s, staff.worker, a, staff.other_worker.user_id, " ")  # type: ignore[arg-type]
    with db.transaction() as s, pytest.raises(ValidationError, match="社工或站长"):
        transfer_case(s, staff.worker, a, staff.coordinator.user_id, "x")  # type: ignore[arg-type]
    with db.transaction() as s:
        row = transfer_case(s, staff.worker, a, staff.other_worker.user_id, "工作调整")  # type: ignore[arg-type]
    assert row.worker_name == "shegong2"
    with db.transaction() as s, pytest.raises(PermissionDenied):
        open_case(s, staff.worker, a)  # no longer theirs
    with db.transaction() as s, pytest.raises(PermissionDenied):
        bulk_reassign(s, staff.worker, staff.worker.user_id, staff.other_worker.user_id, "离职")  # type: ignore[arg-type]
    with db.transaction() as s:
        moved = bulk_reassign(
            s,
            staff.director,
            staff.worker.user_id,
            staff.other_worker.user_id,
            "社工离职",  # type: ignore[arg-type]
        )
    assert moved == 1
    with db.transaction() as s:
        detail = open_case(s, staff.other_worker, b)
    assert any(e.kind == "转移" and "社工离职" in e.text for e in detail.events)


def test_reminders_with_fixed_dates(db: Database, staff: Staff) -> None:
    quiet = _case(db, staff, risk_level="低")  # opened D0, never served
    risky = _case(
        db,
        staff,
        staff.child,
        problem_areas=["安全保护"],
        risk_level="高",
        template_key="child_protection",
    )
    _serve(db, staff, risky, D0 + timedelta(days=2))
    with db.reader() as s:
        todos = my_todos(s, staff.worker, D0 + timedelta(days=10))
    kinds = {(t.case_id, t.kind) for t in todos}
    assert (risky, "待办到期") in kinds  # 首次接触 (day 1), 安全评估 (day 3) …
    assert not any(t.kind in ("高风险未服务", "长期未服务") for t in todos)
    day = D0 + timedelta(days=16)  # 14 days after the high-risk case's last service
    with db.reader() as s:
        todos = my_todos(s, staff.worker, day)
    gap = [t for t in todos if t.kind == "高风险未服务"]
    assert [(t.case_id, t.overdue_days) for t in gap] == [(risky, 0)]
    with db.reader() as s:
        todos = my_todos(s, staff.worker, D0 + timedelta(days=31))
    assert {t.kind for t in todos if t.case_id == quiet} == {"长期未服务"}
    with db.reader() as s:  # others' cases are not "mine"; the director sees all
        assert [t for t in my_todos(s, staff.other_worker, day) if t.case_id == risky] == []
        assert any(t.case_id == risky for t in my_todos(s, staff.director, day))
        overdue = csearch.search(s, staff.director, csearch.CaseQuery(overdue=True, today=day))
    assert {r.id for r in overdue.rows} == {risky}  # quiet is not 30 days behind yet
    # plans past target date while at 计划/介入
    with db.transaction() as s:
        save_record(s, staff.worker, quiet, INTAKE, record_date=D0)
        move_to(s, staff.worker, quiet, "预估", on=D0)
        save_record(s, staff.worker, quiet, ASSESSMENT, record_date=D0)
        move_to(s, staff.worker, quiet, "计划", on=D0)
        save_record(s, staff.worker, quiet, plan(D0 + timedelta(days=20)), record_date=D0)
    with db.reader() as s:
        late = [
            t for t in my_todos(s, staff.worker, D0 + timedelta(days=25)) if t.kind == "计划逾期"
        ]
    assert [(t.case_id, t.overdue_days) for t in late] == [(quiet, 5)]


def test_tasks_and_referrals(db: Database, staff: Staff) -> None:
    cid = _case(db, staff)
    with db.transaction() as s:
        task = add_task(s, staff.worker, cid, "联系女儿", D0 + timedelta(days=2))
        set_task_done(s, staff.worker, task.id, D0 + timedelta(days=1))
    with db.reader() as s:
        assert not [
            t for t in my_todos(s, staff.worker, D0 + timedelta(days=2)) if t.kind == "待办到期"
        ]
    with db.transaction() as s, pytest.raises(ValidationError, match="转介对象类型"):
        add_referral(s, staff.worker, cid, ReferralInput("医院", "x", D0, "就医"))
    with db.transaction() as s:
        ref = add_referral(
            s, staff.worker, cid, ReferralInput("政府部门", "镇民政办", D0, "申请低保")
        )
        done = update_referral(
            s,
            staff.worker,
            ref.id,
            ReferralInput(
                "政府部门",
                "镇民政办",
                D0,
                "申请低保",
                status="已完成",
                feedback="已纳入低保",
                feedback_on=D0 + timedelta(days=20),
            ),
        )
    assert done.status == "已完成"
    with db.transaction() as s:
        detail = open_case(s, staff.worker, cid)
    titles = [i.title for i in detail.timeline()]
    assert "转介至镇民政办" in titles and "转介反馈：已完成" in titles


def test_attachments_are_stored_by_hash_and_go_into_backups(
    db: Database, staff: Staff, tmp_path: Path
) -> None:
    scan = tmp_path / "同意书.pdf"
    scan.write_bytes(b"%PDF-1.4 consent")
    cid = _case(db, staff)
    with db.transaction() as s:
        row = add_attachment(s, staff.worker, cid, scan, kind="知情同意书")
    assert row.sha256 == hashlib.sha256(b"%PDF-1.4 consent").hexdigest()
    with db.transaction() as s:
        path = attachment_path(s, staff.worker, row.id)
    assert path.read_bytes() == b"%PDF-1.4 consent" and row.sha256 in path.name
    with db.transaction() as s, pytest.raises(PermissionDenied):
        attachment_path(s, staff.coordinator, row.id)
    if db.file is not None:
        from wushe_desktop.infra.db.backup import backup_to

        out = backup_to(db, tmp_path / "b" / "backup.db")
        copied = out.with_name(out.name + ".attachments") / row.sha256[:2] / path.name
        assert copied.read_bytes() == b"%PDF-1.4 consent"
    with db.reader() as s:
        assert [a.file_name for a in case_attachments(s, staff.worker, cid)] == ["同意书.pdf"]


def test_soft_delete_and_restore(db: Database, staff: Staff) -> None:
    cid = _case(db, staff)
    with db.transaction() as s, pytest.raises(PermissionDenied):
        delete_case(s, staff.other_worker, cid)
    with db.transaction() as s:
        delete_case(s, staff.worker, cid)
    with db.reader() as s:
        assert csearch.count(s, staff.worker, csearch.CaseQuery()) == 0
        assert csearch.count(s, staff.worker, csearch.CaseQuery(deleted=True)) == 1
    with db.transaction() as s, pytest.raises(ConflictError, match="回收站"):
        save_record(s, staff.worker, cid, INTAKE, record_date=D0)
    with db.transaction() as s:
        restore_case(s, staff.worker, cid)
    with db.reader() as s:
        assert csearch.count(s, staff.worker, csearch.CaseQuery(text="王秀")) == 1
        assert csearch.count(s, staff.worker, csearch.CaseQuery(text="wxy")) == 1
        assert csearch.count(s, staff.worker, csearch.CaseQuery(text="ga2025")) == 1
        assert csearch.count(s, staff.worker, csearch.CaseQuery(stage="在案")) == 1
