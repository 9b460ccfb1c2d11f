"""报表 page: generate in the background, preview, write the plan, lock, save, compare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from tests.db.reports_support import build
from tests.gui.conftest import Boxes, wait_idle
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import ServiceRecord, Station
from wushe_desktop.reports import preview as pdftoppm_preview
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.pages.reports import ReportsPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, db: Database, ctx: AppContext) -> ReportsPage:
    with db.reader() as s:
        station = s.scalars(select(Station).where(Station.code == "320812001")).one()
    build(db, station)
    p = ReportsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    p.activated()
    wait_idle(qtbot, ctx.executor)
    return p


def _generate(qtbot: QtBot, page: ReportsPage) -> None:
    before = page.current
    page.generate_button.click()
    qtbot.waitUntil(lambda: page.current is not None and page.current is not before, timeout=60_000)
    wait_idle(qtbot, page.ctx.executor)


@pytest.fixture
def no_pdftoppm(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a Windows station PC: no poppler, so any preview comes from pypdfium2."""
    monkeypatch.setattr(pdftoppm_preview, "pdftoppm_path", lambda: None)


def test_generate_preview_and_save(
    qtbot: QtBot,
    page: ReportsPage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_pdftoppm: None,
) -> None:
    assert page.scope.count() == 3  # 本站 + two communities
    page.set_month(2026, 3)
    _generate(qtbot, page)
    assert page.current is not None
    assert page.current.content.values["services.attendances"] == 14
    assert "未定稿" in page.status.text()
    # pypdfium2 preview: one sheet per page, the first one rendered in-process, lazily.
    assert page.current.pages is not None and page.current.images is None
    assert page.preview.page_count >= 3
    qtbot.waitUntil(lambda: 0 in page.preview.rendered_pages, timeout=30_000)
    assert len(page.preview.rendered_pages) < page.preview.page_count  # not all at once
    first = page.preview._labels[0].pixmap()
    assert not first.isNull() and first.width() > 200
    image = first.toImage()
    assert image.pixelColor(5, 5).name() == "#ffffff"  # white paper ...
    dark = sum(
        1
        for y in range(0, image.height(), 4)
        for x in range(0, image.width(), 4)
        if image.pixelColor(x, y).lightness() < 100
    )
    assert dark > 50  # ... with printed text on it
    page.preview.verticalScrollBar().setValue(page.preview.verticalScrollBar().maximum())
    last = page.preview.page_count - 1
    qtbot.waitUntil(lambda: last in page.preview.rendered_pages, timeout=30_000)
    assert page.lock_button.isEnabled() and not page.unlock_button.isEnabled()
    target = tmp_path / "三月.pdf"
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    page.save_pdf()
    assert target.read_bytes()[:5] == b"%PDF-"
    xlsx = tmp_path / "三月.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(xlsx), ""))
    page.save_excel()
    wait_idle(qtbot, page.ctx.executor)
    qtbot.waitUntil(xlsx.exists, timeout=30_000)


def test_community_scope(qtbot: QtBot, page: ReportsPage) -> None:
    page.set_month(2026, 3)
    page.scope.setCurrentIndex(page.scope.findText("西湖村"))
    _generate(qtbot, page)
    assert page.current is not None
    assert page.current.content.values["residents.total"] == 2
    assert not page.save_notes_button.isEnabled()  # texts are per station
    assert not page.lock_button.isEnabled()


def test_plan_lock_and_compare(
    qtbot: QtBot, page: ReportsPage, db: Database, boxes: Boxes, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.set_month(2026, 3)
    _generate(qtbot, page)
    page.problems.setPlainText("志愿者队伍老龄化。")
    page.plan.setPlainText("开展寒假青少年志愿服务。")
    before = page.current
    page.save_notes_button.click()
    qtbot.waitUntil(lambda: page.current is not before, timeout=60_000)
    wait_idle(qtbot, page.ctx.executor)
    assert page.current is not None
    assert page.current.content.data["plan"] == "开展寒假青少年志愿服务。"
    boxes.answer = True
    before = page.current
    page.lock_button.click()
    qtbot.waitUntil(lambda: page.current is not before, timeout=60_000)
    wait_idle(qtbot, page.ctx.executor)
    assert "已由" in page.status.text() and "定稿" in page.status.text()
    assert page.problems.isReadOnly() and not page.lock_button.isEnabled()
    assert page.unlock_button.isEnabled() and page.compare_button.isEnabled()
    # A late edit, then compare: the dialog lists the change, the report keeps its figures.
    with db.transaction() as s:
        record = s.scalars(
            select(ServiceRecord).where(ServiceRecord.service_type == "咨询")
        ).first()
        assert record is not None
        record.deleted_at = record.created_at
    shown: list[Any] = []
    from wushe_desktop.ui.dialogs import report_preview

    keep = lambda self: shown.append(self)  # noqa: E731, PLW0108 - bound as a method
    monkeypatch.setattr(report_preview.DifferencesDialog, "exec", keep)
    page.compare_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=60_000)
    table = shown[0].table
    labels = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "服务次数" in labels
    _generate(qtbot, page)
    assert page.current is not None
    assert page.current.content.values["services.records"] == 5  # still the locked figure


def test_worker_cannot_lock_or_edit(qtbot: QtBot, db: Database, ctx: AppContext) -> None:
    from dataclasses import replace

    from wushe_desktop.accounts.permissions import Role

    worker_ctx = replace(ctx, actor=replace(ctx.actor, role=Role.SOCIAL_WORKER))
    p = ReportsPage(worker_ctx)
    qtbot.addWidget(p)
    assert not p.lock_button.isVisible() or not p.lock_button.isEnabled()
    assert p.can_edit is False


def test_package_export_then_district_import(
    qtbot: QtBot,
    page: ReportsPage,
    boxes: Boxes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ui_settings: Any,
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from tests.conftest import make_actor
    from wushe_desktop.accounts.permissions import Role
    from wushe_desktop.infra.db import migrate
    from wushe_desktop.ui.workers import DbExecutor

    page.kind.setCurrentIndex(page.kind.findData("year"))
    page.year.setValue(2026)
    target = tmp_path / "清河2026.wspkg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    assert page.package_button.isVisible() and page.package_button.text() == "导出数据包…"
    page.package_button.click()
    qtbot.waitUntil(lambda: bool(boxes.texts("information")), timeout=60_000)
    assert target.exists() and "已导出" in boxes.texts("information")[0]
    district_db = Database.open(tmp_path / "district.db")
    migrate.upgrade(district_db, backup=False)
    executor = DbExecutor(district_db)
    try:
        dctx = AppContext(
            district_db, executor, ui_settings, make_actor(None, Role.DISTRICT_ADMIN, "qu")
        )
        dpage = ReportsPage(dctx)
        qtbot.addWidget(dpage)
        assert dpage.package_button.text() == "导入数据包…"
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(target)], ""))
        dpage.package_button.click()
        qtbot.waitUntil(lambda: len(boxes.texts("information")) == 2, timeout=60_000)
        assert "✓" in boxes.texts("information")[1] and "冲突 0 条" in boxes.texts("information")[1]
        # The district's report of March: the station side by side with the totals.
        dpage.set_month(2026, 3)
        _generate(qtbot, dpage)
        assert dpage.current is not None
        assert dpage.current.content.data["kind"] == "district"
        assert dpage.current.content.values["services.attendances"] == 14
        assert not dpage.lock_button.isVisible()
    finally:
        executor.shutdown()
        district_db.dispose()


def test_print_renders_with_pdfium(
    qtbot: QtBot,
    page: ReportsPage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_pdftoppm: None,
) -> None:
    """打印 without pdftoppm: pages rendered by pypdfium2 go to the printer (a PDF file here)."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    page.set_month(2026, 3)
    _generate(qtbot, page)
    out = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return 1

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    page.print_report()
    qtbot.waitUntil(lambda: out.exists() and out.stat().st_size > 10_000, timeout=60_000)
    wait_idle(qtbot, page.ctx.executor)
    from wushe_desktop.ui.dialogs.report_preview import page_sizes

    assert len(page_sizes(out)) == page.preview.page_count
    assert page.current is not None  # pages went through PNG files, one in memory at a time
    pngs = sorted((page._tmp / f"print-{page.current.pdf.stem}").glob("page-*.png"))
    assert len(pngs) == page.preview.page_count


def test_without_pypdfium2_falls_back_to_the_viewer_message(
    qtbot: QtBot, page: ReportsPage, monkeypatch: pytest.MonkeyPatch, no_pdftoppm: None
) -> None:
    from wushe_desktop.ui.pages import reports

    monkeypatch.setattr(reports, "pdfium_available", lambda: False)
    page.set_month(2026, 3)
    _generate(qtbot, page)
    assert page.current is not None and page.current.pages is None
    assert page.preview.page_count == 0
    assert page.open_button.isEnabled()  # the system viewer stays the way out
