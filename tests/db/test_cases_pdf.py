"""The case file PDF read back with pdftotext: every stage's record, masking, audit."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.db.case_support import ASSESSMENT, CLOSURE, EVALUATION, INTAKE, Staff, make_staff, plan
from tests.db.residents_support import make_id
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.case_records import save_record
from wushe_desktop.cases.casefile_pdf import print_case_file
from wushe_desktop.cases.interventions import InterventionInput, add_intervention
from wushe_desktop.cases.referrals import ReferralInput, add_referral
from wushe_desktop.cases.service import CaseInput, create_case
from wushe_desktop.cases.stages import close_case, move_to
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied
from wushe_desktop.models import Station

D0 = date(2025, 3, 1)


def _text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found (poppler-utils)")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return re.sub(r"[ \t]+", " ", done.stdout)


@pytest.fixture
def staff(db: Database, station: Station) -> Staff:
    return make_staff(db, station)


def _closed_case(db: Database, staff: Staff, resident: uuid.UUID) -> uuid.UUID:
    w = staff.worker
    with db.transaction() as s:
        cid = create_case(
            s, w, CaseInput(resident, "居民求助", ["生活照料", "社会支持"], opened_on=D0)
        ).id
        intake = INTAKE
        if resident == staff.child:
            intake = rec.IntakeData("监护缺失", True, True, True, "符合", consent_by="李强",
                                    guardian_relation="父亲")  # fmt: skip
        save_record(s, w, cid, intake, record_date=D0)
        move_to(s, w, cid, "预估", on=D0)
        save_record(s, w, cid, ASSESSMENT, record_date=D0)
        move_to(s, w, cid, "计划", on=D0)
        save_record(s, w, cid, plan(date(2025, 6, 1)), record_date=D0)
        move_to(s, w, cid, "介入", on=D0)
        add_intervention(s, w, cid, InterventionInput(D0, "个案服务", 60, "链接助餐点，首次送餐"))
        add_referral(s, w, cid, ReferralInput("慈善资源", "区慈善总会", D0, "申请助餐补贴"))
        move_to(s, w, cid, "评估", on=D0)
        save_record(s, w, cid, EVALUATION, record_date=D0)
        close_case(s, w, cid, CLOSURE, on=date(2025, 6, 2), follow_up_on=date(2025, 7, 2))
    return cid


def test_case_file_has_every_stage(db: Database, staff: Staff, tmp_path: Path) -> None:
    cid = _closed_case(db, staff, staff.elder)
    out = tmp_path / "个案档案.pdf"
    pages = print_case_file(db, staff.worker, cid, out)
    assert pages >= 2 and out.exists()
    text = _text(out)
    for expected in (
        "个案档案",
        "GA2025-0001",
        "王秀英",
        "独居，行动不便",  # presenting problem
        "需要助餐和家务支持",  # assessment need
        "每周至少5天助餐",  # measurable indicator
        "爱心志愿队",  # plan action by volunteers
        "链接助餐点，首次送餐",  # intervention
        "完全达成",
        "目标达成",
        "区慈善总会",
        "孤独感",  # pre/post measure
        "负责社工",  # signature block
        "督导",
    ):
        assert expected in text, expected
    assert "-2" in text  # 孤独感 4 → 2
    full = make_id(date(1950, 4, 1), 124)
    assert full not in text and full[:6] + "********" + full[-4:] in text
    with db.reader() as s:
        printed = s.scalars(select(AuditEntry).where(AuditEntry.action == "打印")).all()
    assert [p.username for p in printed] == ["shegong1"]


def test_minor_case_file_is_masked_unless_director(
    db: Database, staff: Staff, tmp_path: Path
) -> None:
    cid = _closed_case(db, staff, staff.child)
    print_case_file(db, staff.worker, cid, tmp_path / "a.pdf")
    worker_text = _text(tmp_path / "a.pdf")
    assert "李小宝" not in worker_text and "李**" in worker_text and "李强" not in worker_text
    assert "未成年人" in worker_text
    print_case_file(db, staff.director, cid, tmp_path / "b.pdf")
    assert "李小宝" in _text(tmp_path / "b.pdf")
    with pytest.raises(PermissionDenied):
        print_case_file(db, staff.coordinator, cid, tmp_path / "c.pdf")
    assert not (tmp_path / "c.pdf").exists()
