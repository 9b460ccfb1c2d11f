"""The printed report and its Excel twin, read back; locking (定稿) and later edits."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.conftest import make_actor
from tests.db.reports_support import EXPECTED_MARCH, Data, build
from tests.unit.pdf.conftest import page_texts, poppler
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError, WusheError
from wushe_desktop.models import ServiceRecord, Station
from wushe_desktop.reports import locks, metrics
from wushe_desktop.reports.models import StationReport
from wushe_desktop.reports.monthly_excel import ALL_FIGURES_SHEET, cell_value
from wushe_desktop.reports.periods import Period
from wushe_desktop.reports.scope import resolve_scope
from wushe_desktop.reports.service import report_content, write_report

MARCH = Period.month(2026, 3)


@pytest.fixture
def data(db: Database, station: Station) -> Data:
    return build(db, station)


def _write(
    db: Database, actor: Actor, tmp_path: Path, period: Period = MARCH, *, live: bool = False
) -> tuple[Path, Path, int]:
    pdf, xlsx = tmp_path / "月报.pdf", tmp_path / "月报.xlsx"
    with db.transaction() as s:
        scope = resolve_scope(s, actor)
        done = write_report(s, actor, period, scope, pdf=pdf, xlsx=xlsx, live=live)
    return pdf, xlsx, done.pages


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_reads_back(db: Database, data: Data, director: Actor, tmp_path: Path) -> None:
    pdf, _, pages = _write(db, director, tmp_path)
    texts = page_texts(pdf)
    assert len(texts) == pages >= 3
    whole = _flat("".join(texts))
    assert "清河街道社工站2026年3月工作报告" in whole
    for heading in ("一、总体情况", "各社区（村）情况", "服务趋势", "重点人群服务覆盖", "个案工作"):
        assert heading in whole, heading
    assert "工作亮点" in whole and "存在问题与下月工作计划" in whole
    assert "附：指标说明" in whole
    # The summary row of 服务人次: this month 14, last month 1, a year ago 1, year to date 16.
    assert "服务人次人次141116+1300.0%" in whole
    # Unrecorded sections say so rather than print zeros.
    assert "本系统尚未登记社会组织及其项目" in whole
    assert "本系统尚未登记慈善捐赠与分配" in whole
    # Highlights are anonymised.
    assert "王*" in whole and "王五" not in whole
    assert "张三" not in whole
    # 第 X 页 共 Y 页 on every page, Y right.
    for number, text in enumerate(texts, 1):
        assert f"第 {number} 页 共 {pages} 页" in text
    fonts = poppler("pdffonts", str(pdf))
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # emb column


def test_excel_twin_equals_the_metrics(
    db: Database, data: Data, director: Actor, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    _, xlsx, _ = _write(db, director, tmp_path)
    with db.reader() as s:
        figures = metrics.figures(s, director, MARCH, resolve_scope(s, director)).values
    wb = load_workbook(xlsx)
    assert wb.sheetnames[0] == "总体情况"
    assert {"各社区", "服务趋势", "重点人群覆盖", "个案工作", "志愿服务", "指标说明"} <= set(
        wb.sheetnames
    )
    ws = wb[ALL_FIGURES_SHEET]
    got = {row[0]: row[3] for row in ws.iter_rows(min_row=4, values_only=True)}
    assert set(got) == set(figures)
    for code, value in figures.items():
        unit = ws.cell(row=4 + list(figures).index(code), column=3).value
        assert got[code] == cell_value(unit, value), code
    assert got["services.attendances"] == 14
    assert got["services.minutes"] == pytest.approx(5.8)  # 350 minutes, one decimal
    assert got["charity.money_in"] == "未登记"
    for ws in wb.worksheets:
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows
    summary = wb["总体情况"]
    rows = {r[0]: r[2:] for r in summary.iter_rows(min_row=4, values_only=True)}
    assert rows["服务人次"] == (14, 1, 1, 16)


def test_lock_reproduces_the_month_after_late_edits(
    db: Database, data: Data, director: Actor, tmp_path: Path
) -> None:
    with db.transaction() as s:
        scope = resolve_scope(s, director)
        locks.save_notes(
            s, director, MARCH, scope, problems="志愿者老龄化。", plan="开展青少年志愿服务。"
        )
        content, info = locks.lock_report(s, director, MARCH, scope)
    assert content.values["services.records"] == EXPECTED_MARCH["services.records"]
    first_pdf = tmp_path / "first"
    first_pdf.mkdir()
    pdf1, xlsx1, _ = _write(db, director, first_pdf)
    # A late edit: one more record in March, one fewer resident.
    with db.transaction() as s:
        s.add(
            ServiceRecord(
                station_id=data.station_id,
                served_on=date(2026, 3, 30),
                service_type="咨询",
                community_id=data.a,
                resident_id=data.residents["r4"],
                attendances=1,
                duration_minutes=10,
            )
        )
    second = tmp_path / "second"
    second.mkdir()
    pdf2, xlsx2, _ = _write(db, director, second)
    with db.reader() as s:
        scope = resolve_scope(s, director)
        locked = report_content(s, director, MARCH, scope)
        live = report_content(s, director, MARCH, scope, live=True)
    assert locked.values == content.values
    assert locked.values["services.records"] == 5
    assert live.values["services.records"] == 6
    diffs = {d.code: (d.locked, d.live) for d in locks.differences(locked, live)}
    assert diffs["services.records"] == (5, 6)
    assert diffs["services.people"] == (3, 4)
    assert "residents.total" not in diffs
    # The printed text is the same before and after the edit (the lock's figures).
    assert page_texts(pdf1) == page_texts(pdf2)
    text = _flat("".join(page_texts(pdf2)))
    assert "定稿" in text and info.digest[:16] in text
    assert "开展青少年志愿服务。" in text
    from openpyxl import load_workbook

    def figures_of(path: Path) -> list[tuple[object, ...]]:
        return list(load_workbook(path)[ALL_FIGURES_SHEET].iter_rows(values_only=True))

    assert figures_of(xlsx1) == figures_of(xlsx2)


def test_lock_rules(db: Database, data: Data, director: Actor, station: Station) -> None:
    worker = make_actor(station, Role.SOCIAL_WORKER, "sg")
    with db.transaction() as s:
        scope = resolve_scope(s, director)
        with pytest.raises(PermissionDenied):
            locks.lock_report(s, worker, MARCH, scope)
        with pytest.raises(PermissionDenied):
            locks.save_notes(s, worker, MARCH, scope, problems="x", plan="y")
        with pytest.raises(ValidationError):
            locks.lock_report(s, director, Period.month(2099, 1), scope)
        locks.lock_report(s, director, MARCH, scope)
    with db.transaction() as s:
        scope = resolve_scope(s, director)
        with pytest.raises(ConflictError):
            locks.save_notes(s, director, MARCH, scope, problems="改", plan="改")
        with pytest.raises(ConflictError):
            locks.lock_report(s, director, MARCH, scope)
        with pytest.raises(ValidationError):
            locks.unlock_report(s, director, MARCH, scope, reason=" ")
        actions = [e.detail for e in s.scalars(select(AuditEntry))]
        assert any(d.startswith("定稿") for d in actions)
    # A tampered snapshot is refused, not printed.
    with db.transaction() as s:
        s.execute(update(StationReport).values(snapshot=StationReport.snapshot + " "))
    with db.reader() as s, pytest.raises(WusheError, match="校验失败"):
        report_content(s, director, MARCH, resolve_scope(s, director))
    with db.transaction() as s:
        scope = resolve_scope(s, director)
        locks.unlock_report(s, director, MARCH, scope, reason="数据补录")
        notes = locks.save_notes(s, director, MARCH, scope, problems="改", plan="改")
    assert notes.locked is None and notes.plan == "改"


def test_quarter_report(db: Database, data: Data, director: Actor, tmp_path: Path) -> None:
    q1 = Period.quarter(2026, 1)
    pdf, _, _ = _write(db, director, tmp_path, q1)
    whole = _flat("".join(page_texts(pdf)))
    assert "清河街道社工站2026年第一季度工作报告" in whole
    assert "本期" in whole and "去年同期" in whole and "下阶段工作计划" in whole
    with db.reader() as s:
        content = report_content(s, director, q1, resolve_scope(s, director))
    assert content.values["services.records"] == 7  # January 1, February 1, March 5
    assert [c["heading"] for c in content.data["columns"]] == ["本期", "上期", "去年同期"]
    year = Period.year(2026)
    with db.reader() as s:
        content = report_content(s, director, year, resolve_scope(s, director))
    assert [c["heading"] for c in content.data["columns"]] == ["本期", "上期"]
    assert content.values["services.records"] == 7
