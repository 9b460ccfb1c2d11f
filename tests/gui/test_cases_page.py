"""The 个案 page with real widgets: a case from intake through every stage to follow-up,
reopening, printing; the service-records tab; 我的待办 on the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.gui.conftest import type_text, wait_idle
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs import case_misc, case_records
from wushe_desktop.ui.dialogs.case_new import CaseDialog
from wushe_desktop.ui.pages.cases import CasesPage

pytestmark = pytest.mark.gui


@pytest.fixture
def resident(db: Database, ctx: AppContext) -> Any:
    from wushe_desktop.residents.service import ResidentInput, create_resident
    from wushe_desktop.stations.service import create_community

    with db.transaction() as s:
        community = create_community(s, ctx.actor, name="清河社区")
        return create_resident(
            s,
            ctx.actor,
            ResidentInput(name="王秀英", community_id=community.id, birth_date=date(1948, 5, 1)),
        )


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext, resident: Any) -> CasesPage:
    p = CasesPage(ctx)
    qtbot.addWidget(p)
    p.resize(1500, 900)
    p.show()
    wait_idle(qtbot, ctx.executor)
    return p


Filler = Callable[[Any], None]


class Driver:
    """Stands in for ``exec``: fills each dialog as a user would, presses 保存, waits."""

    def __init__(self, qtbot: QtBot, ctx: AppContext) -> None:
        self.qtbot, self.ctx = qtbot, ctx
        self.fillers: list[Filler] = []
        self.seen: list[str] = []

    def __call__(self, dialog: QDialog) -> bool:
        dialog.show()
        self.seen.append(type(dialog).__name__)
        fill = self.fillers.pop(0)
        fill(dialog)
        dialog.check()  # type: ignore[attr-defined]
        ok = dialog.ok_button  # type: ignore[attr-defined]
        assert ok.isEnabled(), dialog.error.text()  # type: ignore[attr-defined]
        ok.click()
        self.qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=30_000)  # type: ignore[attr-defined]
        dialog.close()
        return True


def _stage(qtbot: QtBot, page: CasesPage, trigger: Callable[[], object]) -> str:
    detail = page.cases.detail
    with qtbot.waitSignal(detail.loaded, timeout=30_000):
        trigger()
    wait_idle(qtbot, page.ctx.executor)
    assert detail.detail is not None
    return detail.detail.row.stage


def test_case_through_every_stage(
    qtbot: QtBot, page: CasesPage, ctx: AppContext, tmp_path: Path
) -> None:
    panel = page.cases
    detail = panel.detail
    driver = Driver(qtbot, ctx)
    detail.exec_dialog = driver  # type: ignore[method-assign]

    def new_case(dlg: CaseDialog) -> None:
        dlg.resident_search.setFocus()
        dlg.resident_search.insert("王秀")
        dlg._search("王秀")
        qtbot.waitUntil(lambda: dlg.resident.count() > 0 and dlg.loaded, timeout=30_000)
        assert not dlg.ok_button.isEnabled()  # no problem area yet: checked as you type
        dlg.area_boxes["生活照料"].setChecked(True)
        dlg.area_boxes["社会支持"].setChecked(True)
        dlg.template.setCurrentIndex(1)  # 通用个案: its to-dos

    driver.fillers.append(new_case)
    assert _stage(qtbot, page, panel.new_case) == "接案"
    assert "GA" in detail.title.text() and "王秀英" in detail.title.text()
    assert not detail.next_button.isEnabled() and "接案登记" in detail.message.text()

    def intake(dlg: case_records.IntakeDialog) -> None:
        dlg.problem_edit.setPlainText("独居，行动不便，做饭困难")
        dlg.check()
        assert "同意" in dlg.error.text()  # consent is required to accept
        dlg.consent_service.setChecked(True)
        dlg.consent_data.setChecked(True)
        dlg.reason.setText("符合服务范围")

    driver.fillers.append(intake)
    _stage(qtbot, page, detail.record_tabs["intake"].edit_button.click)
    assert detail.next_button.isEnabled() and "预估" in detail.next_button.text()
    assert _stage(qtbot, page, detail.next_button.click) == "预估"

    def assessment(dlg: case_records.AssessmentDialog) -> None:
        assert dlg.needs.table.rowCount() == 2  # one row per problem area of the case
        dlg.needs.set_cell(0, 1, "需要助餐")
        dlg.check()
        assert "需求描述" in dlg.error.text()
        dlg.needs.set_cell(1, 1, "邻里往来少")
        dlg.strengths.setPlainText("女儿每周来电话")
        row = dlg.pre.add_row()
        dlg.pre.set_cell(row, 0, "孤独感")
        dlg.pre.set_cell(row, 1, "4")
        dlg.pre.set_cell(row, 2, "1-5分")

    driver.fillers.append(assessment)
    _stage(qtbot, page, detail.record_tabs["assessment"].edit_button.click)
    assert _stage(qtbot, page, detail.next_button.click) == "计划"

    target = (date.today() + timedelta(days=60)).isoformat()

    def plan(dlg: case_records.PlanDialog) -> None:
        dlg.overall.setPlainText("提升居家生活质量")
        row = dlg.goals.add_row()
        dlg.goals.set_cell(row, 0, "解决吃饭问题")
        dlg.goals.set_cell(row, 1, "每周至少5天助餐")
        dlg.goals.set_cell(row, 2, "2020-01-01")
        dlg.check()
        assert "早于计划日期" in dlg.error.text()
        dlg.goals.set_cell(row, 2, target)
        dlg.plan_actions.set_cell(0, 2, "链接助餐点")

    driver.fillers.append(plan)
    _stage(qtbot, page, detail.record_tabs["plan"].edit_button.click)
    assert _stage(qtbot, page, detail.next_button.click) == "介入"
    assert not detail.next_button.isEnabled()  # needs a service record first

    def service(dlg: case_misc.InterventionDialog) -> None:
        dlg.content.setPlainText("上门面谈，链接助餐点")
        dlg.minutes.setValue(45)

    driver.fillers.append(service)
    _stage(qtbot, page, detail.services_tab.buttons["记录服务"].click)
    assert detail.services_tab.model.rowCount() == 1
    assert _stage(qtbot, page, detail.next_button.click) == "评估"

    def evaluation(dlg: case_records.EvaluationDialog) -> None:
        assert dlg.attainments.table.rowCount() == 1
        assert dlg.post.table.rowCount() == 1  # the pre-measure's name, to fill after
        dlg.post.set_cell(0, 1, "2")

    driver.fillers.append(evaluation)
    _stage(qtbot, page, detail.record_tabs["evaluation"].edit_button.click)

    def closure(dlg: case_records.ClosureDialog) -> None:
        dlg.summary.setPlainText("助餐稳定，社交改善")
        assert dlg.follow_up.isChecked()

    driver.fillers.append(closure)
    assert _stage(qtbot, page, detail.close_button.click) == "结案"
    assert detail.follow_tab.model.rowCount() == 1

    def follow_up(dlg: case_misc.FollowUpDialog) -> None:
        dlg.notes.setPlainText("助餐正常，情绪好")

    driver.fillers.append(follow_up)
    assert _stage(qtbot, page, detail.follow_tab.buttons["记录回访结果"].click) == "回访"
    timeline = detail.timeline_tab.model
    titles = [timeline.row_at(i).title for i in range(timeline.rowCount())]  # type: ignore[union-attr]
    assert "开案" in titles and "结案" in titles and any("电话回访" in t for t in titles)
    assert detail.task_tab.model.rowCount() == 4

    out = tmp_path / "档案.pdf"
    detail.ask_save_path = lambda _s: out  # type: ignore[method-assign]
    detail.print_button.click()
    qtbot.waitUntil(out.exists, timeout=60_000)

    def reopen(dlg: case_misc.ReasonDialog) -> None:
        dlg.reason.setPlainText("老人再次求助")

    driver.fillers.append(reopen)
    assert _stage(qtbot, page, detail.reopen_button.click) == "预估"
    assert driver.fillers == []

    records = page.records
    with qtbot.waitSignal(records.list_updated, timeout=30_000) as blocker:
        records.refresh()
    assert blocker.args == [2]  # the intervention and the follow-up call
    wait_idle(qtbot, ctx.executor)
    assert "服务人次 2" in records.summary.text() and "服务人数 1" in records.summary.text()


def test_dashboard_shows_my_todos(
    qtbot: QtBot, ctx: AppContext, resident: Any, db: Database
) -> None:
    from wushe_desktop.cases.service import CaseInput, create_case
    from wushe_desktop.ui.pages.dashboard import DashboardPage

    with db.transaction() as s:
        case = create_case(
            s,
            ctx.actor,
            CaseInput(
                resident.id,
                "主动发现",
                ["生活照料"],
                risk_level="高",
                opened_on=date.today() - timedelta(days=20),
            ),
        )
    dash = DashboardPage(ctx)
    qtbot.addWidget(dash)
    dash.show()
    assert dash.todos is not None
    with qtbot.waitSignal(dash.todos.loaded, timeout=30_000) as blocker:
        dash.refresh()
    assert blocker.args[0] >= 1
    kinds = [dash.todos.model.row_at(i).kind for i in range(dash.todos.model.rowCount())]  # type: ignore[union-attr]
    assert "高风险未服务" in kinds
    with qtbot.waitSignal(dash.navigate_requested, timeout=5_000) as nav:
        dash.todos._open(dash.todos.model.index(0, 0))
    assert nav.args == ["cases", case.id]


def test_supervisor_review_in_the_page(
    qtbot: QtBot, page: CasesPage, ctx: AppContext, resident: Any, db: Database
) -> None:
    from tests.db.case_support import ASSESSMENT, INTAKE
    from wushe_desktop.cases.case_records import save_record
    from wushe_desktop.cases.review import supervisor_review_enabled
    from wushe_desktop.cases.service import CaseInput, create_case
    from wushe_desktop.cases.stages import move_to

    panel = page.cases
    qtbot.waitUntil(panel.review_box.isEnabled, timeout=30_000)
    panel.review_box.setChecked(True)
    wait_idle(qtbot, ctx.executor)
    with db.reader() as s:
        assert supervisor_review_enabled(s, ctx.actor)
    with db.transaction() as s:
        cid = create_case(s, ctx.actor, CaseInput(resident.id, "居民求助", ["生活照料"])).id
        save_record(s, ctx.actor, cid, INTAKE, record_date=date.today())
        move_to(s, ctx.actor, cid, "预估")
        save_record(s, ctx.actor, cid, ASSESSMENT, record_date=date.today())
    detail = panel.detail
    assert _stage(qtbot, page, lambda: panel.select_case(cid)) == "预估"
    tab = detail.record_tabs["assessment"]
    assert "待审核" in tab.view.toPlainText()
    assert tab.approve_button.isEnabled() and not detail.next_button.isEnabled()
    assert "督导审核" in detail.message.text()
    _stage(qtbot, page, tab.approve_button.click)
    assert "已通过" in tab.view.toPlainText()
    assert detail.next_button.isEnabled()


def test_hand_entered_service_record(
    qtbot: QtBot, page: CasesPage, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wushe_desktop.ui.dialogs.case_service_record import ServiceRecordDialog

    records = page.records
    page.tabs.setCurrentWidget(records)

    def exec_(dlg: ServiceRecordDialog) -> int:
        dlg.show()
        qtbot.waitUntil(lambda: dlg.loaded, timeout=30_000)
        dlg._search("wxy")
        qtbot.waitUntil(lambda: dlg.resident.count() == 1, timeout=30_000)
        dlg.kind.setCurrentText("电话回访")
        dlg.content.setPlainText("电话询问近况")
        dlg.check()
        assert dlg.ok_button.isEnabled(), dlg.error.text()
        dlg.counted.setChecked(True)
        dlg.check()
        assert "参与人数" in dlg.error.text()  # counted needs a number
        dlg.named.setChecked(True)
        dlg.check()
        dlg.ok_button.click()
        qtbot.waitUntil(lambda: dlg.result_value is not None, timeout=30_000)
        return 1

    monkeypatch.setattr(ServiceRecordDialog, "exec", exec_)
    with qtbot.waitSignal(records.list_updated, timeout=30_000) as blocker:
        records.add()
    assert blocker.args == [1]
    row = records.model.row_at(0)
    assert row is not None and row.service_type == "电话回访" and row.resident_name == "王秀英"


def test_director_edits_case_templates(
    qtbot: QtBot, page: CasesPage, ctx: AppContext, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from wushe_desktop.cases.templates import templates
    from wushe_desktop.ui.dialogs.case_templates import CaseTemplatesDialog

    panel = page.cases
    assert panel.templates_button.isVisible()  # the test user is the director
    monkeypatch.setattr("wushe_desktop.ui.msgbox.question", lambda *_a, **_k: True)
    done: list[bool] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, CaseTemplatesDialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.list.count() == 6, timeout=30_000)
        assert dialog.label.text() == "通用个案" and dialog.steps.rowCount() == 4
        dialog.add_template()
        assert dialog.list.count() == 7 and dialog.label.text() == "新模板"
        dialog.label.clear()
        type_text(qtbot, dialog.label, "独居老人关怀")
        assert dialog.list.item(6).text() == "独居老人关怀"
        dialog.add_step()
        dialog.steps.item(1, 0).setText("安装紧急呼叫器")
        dialog.steps.cellWidget(1, 1).setValue(5)
        dialog.steps.setCurrentCell(1, 0)
        dialog.move_step(-1)  # 安装紧急呼叫器 first
        if os.environ.get("WUSHE_GRAB"):
            dialog.grab().save(os.path.join(os.environ["WUSHE_GRAB"], "CaseTemplatesDialog.png"))
        dialog.list.setCurrentRow(5)  # 未成年人保护: remove it
        dialog.remove_template()
        assert dialog.list.count() == 6
        dialog.list.setCurrentRow(0)
        dialog.steps.item(0, 0).setText("")  # a blank to-do is refused by the core, shown here
        dialog.save_button.click()
        qtbot.waitUntil(lambda: "没有内容" in dialog.error.text(), timeout=30_000)
        dialog.steps.item(0, 0).setText("首次家访")
        dialog.save_button.click()
        qtbot.waitUntil(lambda: dialog.saved, timeout=30_000)
        done.append(True)
        return True

    monkeypatch.setattr(panel.detail, "exec_dialog", run)
    if os.environ.get("WUSHE_GRAB"):
        page.resize(1366, 768)
        page.grab().save(os.path.join(os.environ["WUSHE_GRAB"], "CasesPage-1366.png"))
    panel.templates_button.click()
    assert done == [True]
    with db.reader() as s:
        found = templates(s, ctx.actor)
    assert [t.label for t in found] == [
        "通用个案",
        "生活照料（老年人）",
        "经济困难",
        "心理情绪",
        "家庭关系",
        "独居老人关怀",
    ]
    assert found[-1].steps == (("安装紧急呼叫器", 5), ("首次家访", 3))
