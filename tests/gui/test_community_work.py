"""社区服务 with real widgets: record a visit from the to-do list, run a group (members, a
session with attendance), record an activity with named participants; checks as you type."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from tests.gui.conftest import type_text, wait_idle
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import ActivityParticipant, GroupAttendance, ServiceRecord, Visit
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.activity_edit import ActivityDialog
from wushe_desktop.ui.dialogs.community_widgets import ResidentPickerDialog
from wushe_desktop.ui.dialogs.group_edit import GroupDialog, SessionDialog
from wushe_desktop.ui.dialogs.visit_edit import VisitDialog
from wushe_desktop.ui.pages.community_work import CommunityWorkPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot: QtBot, demo_ctx: AppContext) -> CommunityWorkPage:
    p = CommunityWorkPage(demo_ctx)
    qtbot.addWidget(p)
    p.resize(1300, 760)
    p.show()
    qtbot.waitUntil(lambda: p.choices is not None, timeout=30_000)
    wait_idle(qtbot, demo_ctx.executor)
    return p


def drive(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, cls: type[Any], fill: Callable[[Any], None]
) -> None:
    """Replace ``cls.exec``: fill the real dialog, press 保存, wait until it saved."""

    def exec_(self: Any) -> int:
        self.show()
        fill(self)
        self.check()
        assert self.ok_button.isEnabled(), self.error.text()
        self.ok_button.click()
        qtbot.waitUntil(lambda: self.result_value is not None, timeout=30_000)
        return 1

    monkeypatch.setattr(cls, "exec", exec_)


def pick(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, searches: list[str]) -> None:
    """Replace the resident picker's ``exec``: search each text and add the first match."""

    def exec_(self: ResidentPickerDialog) -> int:
        self.show()
        for text in searches:
            self.search.clear()
            self.results.clear()
            type_text(qtbot, self.search, text)
            qtbot.waitUntil(lambda: self.results.count() > 0, timeout=30_000)
            assert self.results.item(0).text().startswith(text)
            self.results.setCurrentRow(0)
            self.results.item(0).setSelected(True)
            self.add_selected()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ResidentPickerDialog, "exec", exec_)


def _count(db: Database, stmt: Any) -> int:
    with db.reader() as s:
        return int(s.scalar(stmt) or 0)


def test_record_a_visit_from_the_todo_list(
    qtbot: QtBot,
    page: CommunityWorkPage,
    demo_ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    todos = page.visits.todos
    qtbot.waitUntil(lambda: todos.model.rowCount() > 0, timeout=30_000)
    assert "逾期" in todos.count_label.text()
    assert todos.summary.rowCount() > 0  # the per-community/grid counts
    todos.table.selectRow(0)
    todo = todos.current()
    assert todos.visit_button.isEnabled()

    def fill(dlg: VisitDialog) -> None:
        assert dlg.resident.resident_id() == todo.resident_id
        assert not dlg.resident.search.isEnabled()  # chosen from the to-do list
        dlg.findings.setPlainText("老人在家，精神尚可，反映楼道灯坏了。")
        dlg.risk_found.setChecked(True)
        dlg.check()
        assert not dlg.ok_button.isEnabled()
        assert "描述风险" in dlg.error.text()
        dlg.risk_description.setPlainText("楼道照明损坏，夜间有跌倒风险")
        assert dlg.follow_up.isChecked()

    drive(monkeypatch, qtbot, VisitDialog, fill)
    with qtbot.waitSignal(todos.visit_recorded, timeout=30_000):
        todos.record_visit()
    wait_idle(qtbot, demo_ctx.executor)
    today = date.today()
    stmt = (
        select(func.count())
        .select_from(Visit)
        .where(Visit.resident_id == todo.resident_id, Visit.visited_on == today, Visit.risk_found)
    )
    assert _count(db, stmt) == 1
    records = (
        select(func.count())
        .select_from(ServiceRecord)
        .where(
            ServiceRecord.resident_id == todo.resident_id,
            ServiceRecord.served_on == today,
            ServiceRecord.service_type == "探访",
        )
    )
    assert _count(db, records) == 1
    # The visited resident is no longer due today.
    assert todo.resident_id not in {t.resident_id for t in todos.model.rows}
    # ... and the visit shows in the records list, with its details.
    page.visits.tabs.setCurrentIndex(1)
    view = page.visits.records
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=30_000)
    view.risk_only.setChecked(True)
    qtbot.waitUntil(
        lambda: any(r.resident_id == todo.resident_id for r in view.model.rows), timeout=30_000
    )
    row = next(i for i, r in enumerate(view.model.rows) if r.resident_id == todo.resident_id)
    view.table.selectRow(row)
    assert "楼道照明损坏" in view.detail.text()


def test_run_a_group_with_a_session(
    qtbot: QtBot,
    page: CommunityWorkPage,
    demo_ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wushe_desktop.models import Resident

    page.tabs.setCurrentIndex(1)
    tab = page.groups
    with db.reader() as s:
        names = list(s.scalars(select(Resident.name).distinct().order_by(Resident.name).limit(3)))

    def fill_group(dlg: GroupDialog) -> None:
        dlg.check()
        assert "请填写小组名称" in dlg.error.text() or not dlg.ok_button.isEnabled()
        dlg.name.setFocus()
        dlg.name.insert("测试互助小组")
        dlg.group_type.setCurrentText("支持")
        dlg.start_date.setDate(dlg.start_date.date().addDays(-30))
        dlg.planned.setValue(4)
        dlg.goal.setPlainText("建立互助网络")

    drive(monkeypatch, qtbot, GroupDialog, fill_group)
    with qtbot.waitSignal(tab.list_updated, timeout=30_000):
        tab.add()
    qtbot.waitUntil(
        lambda: tab.current() is not None and tab.current().name == "测试互助小组", timeout=30_000
    )
    group_id: uuid.UUID = tab.current().id

    pick(monkeypatch, qtbot, names)
    with qtbot.waitSignal(tab.detail_loaded, timeout=30_000):
        tab.add_members()
    qtbot.waitUntil(lambda: tab.member_model.rowCount() == 3, timeout=30_000)

    def fill_session(dlg: SessionDialog) -> None:
        assert dlg.number.value() == 1
        assert dlg.attendance.count() == 3
        dlg.topic.insert("相识破冰")
        dlg.attendance.item(2).setCheckState(dlg.attendance.item(2).checkState().Unchecked)
        assert "出席 2 / 3 人" in dlg.attendance_label.text()
        dlg.record.setPlainText("组员互相介绍，约定小组规范。")

    drive(monkeypatch, qtbot, SessionDialog, fill_session)
    with qtbot.waitSignal(tab.detail_loaded, timeout=30_000):
        tab.add_session()
    qtbot.waitUntil(lambda: tab.session_model.rowCount() == 1, timeout=30_000)
    assert tab.session_model.rows[0].present == 2
    assert tab.current().attendances == 2
    assert "2 人次" in tab.count_label.text() or tab.current().sessions_held == 1
    present = select(func.count()).select_from(GroupAttendance).where(GroupAttendance.present)
    assert _count(db, present) >= 2
    with db.reader() as s:
        from wushe_desktop.models import GroupSession

        sid = s.scalar(select(GroupSession.id).where(GroupSession.group_id == group_id))
    records = (
        select(func.count())
        .select_from(ServiceRecord)
        .where(ServiceRecord.source_id == sid, ServiceRecord.deleted_at.is_(None))
    )
    assert _count(db, records) == 2

    # Delete the session (confirmed), then bring it back from 已删除的节次.
    monkeypatch.setattr("wushe_desktop.ui.msgbox.question", lambda *_a, **_k: True)
    tab.session_table.selectRow(0)
    with qtbot.waitSignal(tab.detail_loaded, timeout=30_000):
        tab.delete_session_button.click()
    qtbot.waitUntil(lambda: tab.session_model.rowCount() == 0, timeout=30_000)
    assert _count(db, records) == 0
    assert tab.session_bin_button.isEnabled()
    from wushe_desktop.ui.dialogs.group_sessions_bin import DeletedSessionsDialog

    def show_for(_cls: Any, ctx: AppContext, gid: uuid.UUID, name: str, parent: Any) -> int:
        dialog = DeletedSessionsDialog(ctx, gid, name, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=30_000)
        if os.environ.get("WUSHE_GRAB"):  # screenshots for review
            dialog.grab().save(os.path.join(os.environ["WUSHE_GRAB"], "DeletedSessions.png"))
        assert "测试互助小组" in dialog.windowTitle()
        assert not dialog.restore_button.isEnabled()
        dialog.table.selectRow(0)
        assert dialog.restore_button.isEnabled()
        dialog.restore_button.click()
        qtbot.waitUntil(lambda: dialog.restored == 1, timeout=30_000)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=30_000)
        assert "没有已删除的节次" in dialog.hint.text()
        return dialog.restored

    monkeypatch.setattr(DeletedSessionsDialog, "show_for", classmethod(show_for))
    with qtbot.waitSignal(tab.detail_loaded, timeout=30_000):
        tab.session_bin_button.click()
    qtbot.waitUntil(lambda: tab.session_model.rowCount() == 1, timeout=30_000)
    assert _count(db, records) == 2  # the attendees' service records came back too


def test_record_an_activity_with_named_participants(
    qtbot: QtBot,
    page: CommunityWorkPage,
    demo_ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wushe_desktop.models import CommunityActivity, Resident

    page.tabs.setCurrentIndex(2)
    tab = page.activities
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=30_000)  # the demo's activities
    with db.reader() as s:
        names = list(s.scalars(select(Resident.name).distinct().order_by(Resident.name).limit(2)))
    pick(monkeypatch, qtbot, names)

    def fill(dlg: ActivityDialog) -> None:
        dlg.title.insert("测试健康讲座")
        dlg.activity_type.setCurrentText("健康")
        dlg.community.setCurrentIndex(1)
        dlg.check()
        assert "参与人数应在 1 到" in dlg.error.text()
        dlg.pick_named()
        assert dlg.participants.value() == 2  # raised to the named count
        assert "2 人" in dlg.named_label.text()
        dlg.participants.setValue(25)
        dlg.end_time.setTime(dlg.start_time.time().addSecs(-3600))
        dlg.check()
        assert "应晚于开始时间" in dlg.error.text()
        dlg.end_time.setTime(dlg.start_time.time().addSecs(5400))
        dlg.has_cost.setChecked(True)
        dlg.cost.setValue(320.5)

    drive(monkeypatch, qtbot, ActivityDialog, fill)
    with qtbot.waitSignal(tab.list_updated, timeout=30_000):
        tab.add()
    with db.reader() as s:
        act = s.scalars(
            select(CommunityActivity).where(CommunityActivity.title == "测试健康讲座")
        ).one()
        named = s.scalar(
            select(func.count())
            .select_from(ActivityParticipant)
            .where(ActivityParticipant.activity_id == act.id)
        )
        people = s.scalar(
            select(func.sum(ServiceRecord.attendances)).where(ServiceRecord.source_id == act.id)
        )
    assert (act.participants, named, people, act.cost_fen) == (25, 2, 25, 32_050)
    row = next(i for i, r in enumerate(tab.model.rows) if r.id == act.id)
    tab.table.selectRow(row)
    assert "参与 25 人（登记姓名 2 人）" in tab.detail.text()

    # Mark it 工作亮点 through the edit form: its service records carry the mark.
    def mark(dlg: ActivityDialog) -> None:
        assert dlg.title.text() == "测试健康讲座" and not dlg.highlight.isChecked()
        dlg.highlight.setChecked(True)

    drive(monkeypatch, qtbot, ActivityDialog, mark)
    with qtbot.waitSignal(tab.list_updated, timeout=30_000):
        tab.edit()
    row = next(i for i, r in enumerate(tab.model.rows) if r.id == act.id)
    tab.table.selectRow(row)
    qtbot.waitUntil(lambda: tab.detail.text().startswith("★ 工作亮点"), timeout=30_000)
    column = [c.header for c in tab.model.columns].index("亮点")
    assert tab.model.data(tab.model.index(row, column)) == "★"
    with db.reader() as s:
        marks = set(
            s.scalars(select(ServiceRecord.is_highlight).where(ServiceRecord.source_id == act.id))
        )
    assert marks == {True}


def test_overdue_counts_filter_and_frequencies(
    qtbot: QtBot, page: CommunityWorkPage, demo_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wushe_desktop.ui.dialogs.visit_frequency import FrequencyDialog
    from wushe_desktop.visits.overdue import DueStatus

    todos = page.visits.todos
    qtbot.waitUntil(lambda: todos.summary.rowCount() > 0, timeout=30_000)
    with qtbot.waitSignal(todos.list_updated, timeout=30_000):
        todos.refresh_button.click()
    todos.status.setCurrentIndex(todos.status.findData(DueStatus.ALL))
    qtbot.waitUntil(lambda: todos.model.rowCount() > 0, timeout=30_000)
    line = next(r for r in todos.summary.rows if r.is_total and r.scheduled > 0)
    row = todos.summary.rows.index(line)
    with qtbot.waitSignal(todos.list_updated, timeout=30_000) as blocker:
        todos._on_summary(row)
    assert blocker.args == [line.scheduled]
    assert {t.community_id for t in todos.model.rows} == {line.community_id}

    def fill(dlg: FrequencyDialog) -> None:
        assert dlg.boxes["elderly_alone"].value() == 7
        assert dlg.boxes["elderly_alone"].isEnabled()  # the director may change them
        dlg.boxes["elderly_alone"].setValue(0)  # not scheduled any more

    drive(monkeypatch, qtbot, FrequencyDialog, fill)
    before = line.scheduled
    with qtbot.waitSignal(todos.list_updated, timeout=30_000):
        todos.edit_frequencies()
    wait_idle(qtbot, demo_ctx.executor)
    after = next(
        r for r in todos.summary.rows if r.is_total and r.community_id == line.community_id
    )
    assert after.scheduled <= before
    assert all(t.tags_text != "独居老人" for t in todos.model.rows)
