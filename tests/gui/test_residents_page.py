"""The residents page with real widgets: add, search by pinyin initials, edit, delete,
restore, export and import through the dialogs; the lazy model under qtmodeltester."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.conftest import Boxes, type_text
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.residents.search import ResidentQuery, count
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.resident_edit import ResidentDialog
from wushe_desktop.ui.pages.residents import ResidentsPage

pytestmark = pytest.mark.gui

# A valid GB 11643 number (check digit computed by the core in the test below).
ID17 = "32080219800101123"


def valid_id(first17: str = ID17) -> str:
    from wushe_desktop.domain.idnumber import check_digit

    return first17 + check_digit(first17)


@pytest.fixture
def page(qtbot: QtBot, demo_ctx: AppContext) -> ResidentsPage:
    p = ResidentsPage(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1200, 700)
    p.show()
    qtbot.waitUntil(lambda: p.places is not None and not p.model.loading, timeout=30_000)
    return p


def wait_list(qtbot: QtBot, page: ResidentsPage, trigger: Callable[[], object]) -> int:
    with qtbot.waitSignal(page.list_updated, timeout=30_000) as blocker:
        trigger()
    return int(blocker.args[0])  # type: ignore[index]


def drive_dialog(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, fill: Callable[[Any], None]
) -> None:
    """Replace ResidentDialog.exec: fill the real dialog, press 保存, wait until it closed."""

    def exec_(self: ResidentDialog) -> int:
        self.show()
        fill(self)
        self.check()
        assert self.ok_button.isEnabled(), self.error.text()
        self.ok_button.click()
        qtbot.waitUntil(lambda: self.result_value is not None, timeout=30_000)
        return 1

    monkeypatch.setattr(ResidentDialog, "exec", exec_)


def test_add_resident_via_dialog(
    qtbot: QtBot, page: ResidentsPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = valid_id()

    def fill(dlg: ResidentDialog) -> None:
        dlg.name.setFocus()
        dlg.name.insert("欧阳娜娜")
        type_text(qtbot, dlg.id_number, number)
        dlg.check()
        assert "1980-01-01" in dlg.derived.text() and "男" in dlg.derived.text()
        assert not dlg.gender.isEnabled()  # derived from the ID number
        type_text(qtbot, dlg.phone, "13812345678")
        dlg.community.setCurrentIndex(1)
        dlg.tag_boxes["disabled"].setChecked(True)
        dlg.check()
        assert "残疾" in dlg.error.text()  # category and grade are needed
        dlg.disability_category.setCurrentText("肢体")
        dlg.disability_grade.setCurrentText("二级")

    drive_dialog(monkeypatch, qtbot, fill)
    total = wait_list(qtbot, page, page.add)
    assert total == 1  # the page shows the new resident
    row = page.current_row()
    assert row.name == "欧阳娜娜"
    assert row.tags_text == "残疾人（肢体/二级）"
    assert row.id_number != number and row.id_number.endswith(number[-4:])  # masked


def test_duplicate_id_is_shown_with_jump(
    qtbot: QtBot, page: ResidentsPage, demo_ctx: AppContext, db: Database
) -> None:
    from wushe_desktop.residents.models import Resident

    with db.reader() as s:
        existing = s.query(Resident).filter(Resident.id_number.is_not(None)).first()
        assert existing is not None
        number, name = existing.id_number, existing.name
    assert page.places is not None
    dlg = ResidentDialog(demo_ctx.executor, demo_ctx.actor, page.places)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.name.insert("新名字")
    dlg.community.setCurrentIndex(1)
    assert number is not None
    type_text(qtbot, dlg.id_number, number)
    dlg.check()
    qtbot.waitUntil(dlg.dup_box.isVisible, timeout=5000)
    assert name in dlg.dup_label.text()
    assert not dlg.ok_button.isEnabled()
    dlg.dup_button.click()
    assert dlg.result_value.resident_id == existing.id


def test_search_by_pinyin_initials(qtbot: QtBot, page: ResidentsPage, demo_ctx: AppContext) -> None:
    from wushe_desktop.domain.pinyin import pinyin_keys

    target = page.model.row(0)
    assert target is not None
    initials = pinyin_keys(target.name).initials
    total = wait_list(qtbot, page, lambda: type_text(qtbot, page.search, initials))
    assert 1 <= total < 200
    names = [page.model.row(i).name for i in range(min(total, 100))]  # type: ignore[union-attr]
    assert target.name in names
    assert all(
        pinyin_keys(n).initials.startswith(initials)
        or (pinyin_keys(n).initials_alt or "").startswith(initials)
        for n in names
    )
    assert (
        page.last_latency_ms is not None and page.last_latency_ms >= 0
    )  # measured (bench/gui.py times it)
    # clearing the box brings everyone back
    total = wait_list(qtbot, page, page.search.clear)
    assert total == 200


def test_edit_resident(
    qtbot: QtBot,
    page: ResidentsPage,
    demo_ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wushe_desktop.residents.service import get_resident

    page.table.selectRow(3)
    row = page.current_row()

    def fill(dlg: ResidentDialog) -> None:
        assert dlg.name.text() == row.name
        dlg.phone.clear()
        type_text(qtbot, dlg.phone, "13900001111")
        dlg.address.clear()
        dlg.address.insert("幸福路 8 号")

    drive_dialog(monkeypatch, qtbot, fill)
    wait_list(qtbot, page, page.edit)
    with db.reader() as s:
        saved = get_resident(s, demo_ctx.actor, row.id, reveal=True)
    assert saved.phone == "13900001111"
    assert saved.address == "幸福路 8 号"
    assert saved.version > row.version


def test_a_coordinator_edits_without_seeing_the_full_number_or_phone(
    qtbot: QtBot,
    demo_ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """协调员 has no 查看敏感信息: 修改 works on the masked row, number and phone kept unless
    replaced (更换), and no sensitive view is needed or logged."""
    from dataclasses import replace

    from sqlalchemy import select

    from wushe_desktop.accounts.permissions import Role
    from wushe_desktop.audit.models import AuditEntry
    from wushe_desktop.residents.models import Resident

    ctx = replace(demo_ctx, actor=replace(demo_ctx.actor, role=Role.COORDINATOR))
    page = ResidentsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.places is not None and not page.model.loading, timeout=30_000)
    index = next(
        i
        for i in range(page.model.rowCount())
        if page.model.row(i).id_number and page.model.row(i).phone  # type: ignore[union-attr]
    )
    page.table.selectRow(index)
    row = page.current_row()
    assert page.edit_button.isEnabled()
    with db.reader() as s:
        before = s.get(Resident, row.id)
        assert before is not None
        full_number, full_phone = before.id_number, before.phone

    def fill(dlg: ResidentDialog) -> None:
        assert dlg.id_number.isReadOnly() and dlg.id_number.text() == row.id_number
        assert "*" in dlg.id_number.text() and dlg.replace_id.isVisible()
        assert not dlg.doc_type.isEnabled() and not dlg.gender.isEnabled()
        assert "已隐藏" in dlg.derived.text()
        dlg.replace_id.click()  # 更换 … then 不更换: back to the kept, masked number
        assert not dlg.id_number.isReadOnly() and dlg.id_number.text() == ""
        assert dlg.doc_type.isEnabled()
        dlg.replace_id.click()
        assert dlg.id_number.isReadOnly() and dlg.id_number.text() == row.id_number
        dlg.replace_phone.click()
        assert dlg.phone.text() == "" and not dlg.phone.isReadOnly()
        type_text(qtbot, dlg.phone, "13900002222")
        dlg.address.clear()
        dlg.address.insert("协调员改的地址")

    drive_dialog(monkeypatch, qtbot, fill)
    wait_list(qtbot, page, page.edit)
    with db.reader() as s:
        after = s.get(Resident, row.id)
        assert after is not None
        assert after.id_number == full_number and full_phone != "13900002222"
        assert after.phone == "13900002222" and after.address == "协调员改的地址"
        views = s.scalars(
            select(AuditEntry.action).where(AuditEntry.record_id == str(row.id))
        ).all()
    assert "查看敏感信息" not in views and "修改" in views


def test_delete_and_restore_from_recycle_bin(
    qtbot: QtBot, page: ResidentsPage, demo_ctx: AppContext, boxes: Boxes
) -> None:
    page.table.selectRow(0)
    row = page.current_row()
    total = wait_list(qtbot, page, page.delete)
    assert boxes.texts("question") and "回收站" in boxes.texts("question")[0]
    assert total == 199
    total = wait_list(qtbot, page, lambda: page.recycle_button.setChecked(True))
    assert total == 1
    assert page.restore_button.isVisible() and not page.add_button.isVisible()
    assert page.current_row().id == row.id
    total = wait_list(qtbot, page, page.restore)
    assert total == 0
    total = wait_list(qtbot, page, lambda: page.recycle_button.setChecked(False))
    assert total == 200


def test_filter_by_tag_and_community(
    qtbot: QtBot, page: ResidentsPage, db: Database, demo_ctx: AppContext
) -> None:
    code = "elderly"
    with db.reader() as s:
        expected = count(s, demo_ctx.actor, ResidentQuery(tag=code))
    total = wait_list(qtbot, page, lambda: page.tag.setCurrentIndex(page.tag.findData(code)))
    assert total == expected
    total = wait_list(qtbot, page, lambda: page.community.setCurrentIndex(1))
    assert total <= expected
    assert page.grid.isEnabled()


def test_sort_by_age_server_side(qtbot: QtBot, page: ResidentsPage) -> None:
    header = page.table.horizontalHeader()
    wait_list(qtbot, page, lambda: header.setSortIndicator(2, Qt.SortOrder.AscendingOrder))
    assert page.model.query.sort == "birth_date" and page.model.query.descending
    ages = [page.model.row(i).age for i in range(20)]  # type: ignore[union-attr]
    known = [a for a in ages if a is not None]
    assert known == sorted(known)


def test_export_via_dialog(
    qtbot: QtBot, page: ResidentsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import load_workbook

    from wushe_desktop.ui.dialogs.export import ExportDialog

    target = tmp_path / "名单.xlsx"

    def exec_(self: ExportDialog) -> int:
        assert self.full.isEnabled()  # the director may export full numbers
        self.path.setText(str(target))
        self.export_button.click()
        qtbot.waitUntil(lambda: self.saved_path is not None, timeout=60_000)
        return 1

    monkeypatch.setattr(ExportDialog, "exec", exec_)
    page.export_excel()
    wb = load_workbook(target, read_only=True)
    ws = wb.worksheets[0]
    values = [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]
    header_index = next(i for i, r in enumerate(values) if "姓名" in r)
    assert len(values) - header_index - 1 == 200
    ids = [r[values[header_index].index("身份证号/证件号码")] for r in values[header_index + 1 :]]
    assert any(v and "*" in str(v) for v in ids)  # masked by default
    wb.close()


def test_import_via_dialog_with_bad_row(
    qtbot: QtBot, page: ResidentsPage, demo_ctx: AppContext, tmp_path: Path, boxes: Boxes
) -> None:
    from openpyxl import Workbook

    from wushe_desktop.ui.dialogs.resident_import_export import ResidentImportDialog

    assert page.places is not None
    community = page.places.communities[0].name
    source = tmp_path / "导入.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号/证件号码", "联系电话", "所属社区"])
    ws.append(["司马光", valid_id("32080219750505123"), "13812340000", community])
    ws.append(["坏数据", "320802197505051230", "12345", community])  # bad check digit, phone
    wb.save(source)

    dlg = ResidentImportDialog(demo_ctx, page)
    qtbot.addWidget(dlg)
    dlg.show()
    template = tmp_path / "模板.xlsx"
    dlg.save_template(template)
    qtbot.waitUntil(lambda: bool(boxes.texts("information")), timeout=30_000)
    assert template.exists()

    dlg.set_source(source)
    qtbot.waitUntil(lambda: dlg.preview.rowCount() == 2, timeout=30_000)
    assert dlg.preview.item(0, 0).text() == "司马光"

    dlg.check_button.click()  # dry run: nothing written
    qtbot.waitUntil(lambda: dlg.report is not None, timeout=60_000)
    assert dlg.report.dry_run and dlg.report.created == 1 and dlg.report.rejected == 1
    assert not dlg.imported

    dlg.import_button.click()
    qtbot.waitUntil(lambda: dlg.report is not None and not dlg.report.dry_run, timeout=60_000)
    assert dlg.report.created == 1
    assert dlg.errors_table.rowCount() >= 1
    assert dlg.errors_table.item(0, 0).text() == "3"  # sheet row of the bad line
    assert dlg.save_errors_button.isEnabled()
    saved = tmp_path / "错误.xlsx"
    dlg._save_errors(saved)
    assert saved.exists()
    assert dlg.imported
    total = wait_list(qtbot, page, lambda: type_text(qtbot, page.search, "smg"))
    assert total >= 1


def test_lazy_model_passes_modeltester(
    qtbot: QtBot, qtmodeltester: Any, demo_ctx: AppContext
) -> None:
    from wushe_desktop.ui.models.residents_model import PAGE_SIZE, ResidentListModel

    model = ResidentListModel(demo_ctx.executor, demo_ctx.actor)
    with qtbot.waitSignal(model.query_loaded, timeout=30_000):
        model.set_query(ResidentQuery())
    assert model.rowCount() == 200
    qtmodeltester.check(model, force_py=True)
    # the last row loads from the end of the list, not by walking from the start
    model.row(199)
    qtbot.waitUntil(lambda: model.is_loaded(199), timeout=30_000)
    assert model.row(199) is not None
    assert (199 // PAGE_SIZE) in model.cached_pages


def test_withdrawing_consent_uses_a_date_field_with_a_calendar(
    qtbot: QtBot,
    page: ResidentsPage,
    demo_ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from datetime import date, timedelta

    from PySide6.QtCore import QDate

    from wushe_desktop.residents.consent import add_consent
    from wushe_desktop.residents.models import ConsentRecord
    from wushe_desktop.ui.dialogs.consent import WithdrawDialog

    row = next(
        page.model.row(i)
        for i in range(page.model.rowCount())
        if (page.model.row(i).age or 0) >= 18  # type: ignore[union-attr]
    )
    assert row is not None
    given = date.today() - timedelta(days=30)
    with db.transaction() as s:
        consent = add_consent(
            s,
            demo_ctx.actor,
            row.id,
            scope="照片和影像",
            sensitive=False,
            given_by=row.name,
            notice_version="2024版",
            given_on=given,
        )
    page.detail.load(row.id)
    qtbot.waitUntil(
        lambda: any(c.id == consent.id for c in page.detail.consent_model.rows), timeout=30_000
    )
    index = next(i for i, c in enumerate(page.detail.consent_model.rows) if c.id == consent.id)
    page.detail.consent_table.selectRow(index)
    withdrawn_on = date.today() - timedelta(days=2)

    def exec_(self: WithdrawDialog) -> int:
        self.show()
        edit = self.date_edit
        assert edit.calendarPopup() and edit.displayFormat() == "yyyy-MM-dd"
        assert edit.date() == QDate.currentDate()  # today by default
        assert edit.minimumDate().toPython() == given  # not before the consent
        assert edit.maximumDate() == QDate.currentDate()  # not in the future
        edit.setDate(QDate(withdrawn_on.year, withdrawn_on.month, withdrawn_on.day))
        return int(self.DialogCode.Accepted.value)

    monkeypatch.setattr(WithdrawDialog, "exec", exec_)
    page.detail.withdraw_consent()

    def stored() -> date | None:
        with db.reader() as s:
            found = s.get(ConsentRecord, consent.id)
            return found.withdrawn_on if found is not None else None

    qtbot.waitUntil(lambda: stored() == withdrawn_on, timeout=30_000)


def test_importing_a_masked_export_says_so_once(
    qtbot: QtBot, page: ResidentsPage, demo_ctx: AppContext, tmp_path: Path
) -> None:
    import os

    from wushe_desktop.residents.exporter import export_residents
    from wushe_desktop.residents.search import ResidentQuery
    from wushe_desktop.ui.dialogs.resident_import_export import ResidentImportDialog

    masked = tmp_path / "脱敏导出.xlsx"
    export_residents(demo_ctx.db, demo_ctx.actor, ResidentQuery(), masked)  # masked by default
    dlg = ResidentImportDialog(demo_ctx, page)
    qtbot.addWidget(dlg)
    dlg.resize(900, 600)
    dlg.show()
    dlg.set_source(masked)
    qtbot.waitUntil(lambda: dlg.preview.rowCount() > 0, timeout=30_000)
    dlg.import_button.click()
    qtbot.waitUntil(lambda: "隐藏了敏感信息的导出文件" in dlg.summary.text(), timeout=60_000)
    if os.environ.get("WUSHE_GRAB"):
        dlg.grab().save(os.path.join(os.environ["WUSHE_GRAB"], "ImportMaskedFile.png"))
    assert "完整导出" in dlg.summary.text()
    assert dlg.report is None and not dlg.imported
    assert dlg.errors_table.rowCount() == 0  # one message, not a table of rows
