"""The 志愿者 page with real widgets: register through the dialog, the week grid, assigning
through the suggestions dialog (with a coordinator's override), front-desk check-in and
check-out, approving hours and issuing a certificate."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.db.residents_support import make_id
from tests.gui.conftest import type_text, wait_idle
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.scheduling.assignments import list_assignments
from wushe_desktop.scheduling.hours import list_hours, local_date, record_outside_shift
from wushe_desktop.scheduling.shifts import ActivityInput, ShiftInput, create_activity, create_shift
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.certificate_dialog import CertificateDialog
from wushe_desktop.ui.dialogs.suggest_dialog import SuggestDialog
from wushe_desktop.ui.dialogs.volunteer_edit import VolunteerDialog
from wushe_desktop.ui.pages.shifts import FILL_COLOURS, ShiftIdRole
from wushe_desktop.ui.pages.volunteers import VolunteersPage
from wushe_desktop.volunteers.service import create_volunteer
from wushe_desktop.volunteers.validation import VolunteerInput

pytestmark = pytest.mark.gui

TODAY = local_date(utcnow())


def _volunteer(
    db: Database, ctx: AppContext, name: str, seq: int, phone: str, skills: tuple[str, ...] = ()
) -> uuid.UUID:
    with db.transaction() as s:
        return create_volunteer(
            s,
            ctx.actor,
            VolunteerInput(
                name=name,
                id_number=make_id(date(1980, 3, 3), seq),
                phone=phone,
                skills=list(skills),
                consent_on=date(2024, 1, 1),
                registered_on=date(2024, 1, 1),
            ),
        ).id


def _shift(
    db: Database, ctx: AppContext, needed: int = 2, skills: tuple[str, ...] = ()
) -> uuid.UUID:
    with db.transaction() as s:
        activity = create_activity(
            s,
            ctx.actor,
            ActivityInput(title="助老服务日", content="陪伴老人", place="社区服务中心"),
        )
        return create_shift(
            s,
            ctx.actor,
            activity.id,
            ShiftInput(
                day=TODAY, start_minute=0, end_minute=23 * 60, needed=needed, required_skills=skills
            ),
        ).id


def _cell(tab: Any, shift_id: uuid.UUID) -> Any:
    """The week-grid item of a shift."""
    for r in range(tab.grid.rowCount()):
        for c in range(7):
            item = tab.grid.item(r, c)
            if item is not None and item.data(ShiftIdRole) == shift_id:
                return item
    raise AssertionError("shift not in the week grid")


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> VolunteersPage:
    p = VolunteersPage(ctx)
    qtbot.addWidget(p)
    p.resize(1300, 760)
    p.show()
    qtbot.waitUntil(lambda: p.choices is not None, timeout=30_000)
    wait_idle(qtbot, ctx.executor)
    return p


def drive(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, cls: type, fill: Callable[[Any], None]
) -> None:
    def exec_(self: Any) -> int:
        self.show()
        fill(self)
        self.check()
        assert self.ok_button.isEnabled(), self.error.text()
        self.ok_button.click()
        qtbot.waitUntil(lambda: self.result_value is not None, timeout=30_000)
        return 1

    monkeypatch.setattr(cls, "exec", exec_)


def test_register_a_volunteer_through_the_dialog(
    qtbot: QtBot, page: VolunteersPage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = page.registry

    def fill(dlg: VolunteerDialog) -> None:
        dlg.name.setFocus()
        dlg.name.insert("林晓燕")
        type_text(qtbot, dlg.id_number, make_id(date(1992, 8, 8), 222))
        type_text(qtbot, dlg.phone, "13955556666")
        dlg.skill_boxes["医疗护理"].setChecked(True)
        dlg.availability.boxes[(5, 0)].setChecked(False)  # not on Saturday mornings
        dlg.check()

    drive(monkeypatch, qtbot, VolunteerDialog, fill)
    with qtbot.waitSignal(registry.list_updated, timeout=30_000):
        registry.add()
    rows = registry.model.rows
    assert [r.name for r in rows] == ["林晓燕"]
    assert rows[0].volunteer_no == "VOL-320812001-00001" and rows[0].skills == ("医疗护理",)
    assert "周六上午" not in rows[0].availability_text
    registry.table.selectRow(0)
    qtbot.waitUntil(lambda: "林晓燕" in registry.detail.toPlainText(), timeout=30_000)
    assert "累计服务 0.0 小时" in registry.detail.toPlainText()


def test_week_grid_and_assign_through_suggestions(
    qtbot: QtBot, page: VolunteersPage, ctx: AppContext, db: Database
) -> None:
    a = _volunteer(db, ctx, "张医生", 301, "13900000001", ("医疗护理",))
    b = _volunteer(db, ctx, "李老师", 303, "13900000002")
    shift_id = _shift(db, ctx, needed=2, skills=("医疗护理",))
    tab = page.shifts
    page.tabs.setCurrentWidget(tab)
    with qtbot.waitSignal(tab.week_loaded, timeout=30_000):
        tab.show_week_of(TODAY)
    item = _cell(tab, shift_id)
    assert item.background().color().name() == FILL_COLOURS["空缺"]
    assert "0/2" in item.text()
    tab.select_shift(shift_id)
    assert tab.current_shift is not None and tab.buttons["推荐志愿者…"].isEnabled()

    dialog = SuggestDialog(ctx, tab.current_shift, tab)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=30_000)
    first, second = dialog.model.rows
    assert first.name == "张医生" and first.ok and "技能符合：医疗护理" in first.reasons_text
    assert second.name == "李老师" and not second.ok  # missing the skill
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.changed, timeout=30_000):
        dialog.assign_selected()
    # The coordinator (a director here) assigns the conflicted one with a reason.
    asked: list[str] = []

    def reason(_parent: object, text: str) -> str:
        asked.append(text)
        return "现场有医生带队"

    dialog.reason_asker = reason
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=30_000)
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.changed, timeout=30_000):
        dialog.assign_selected()
    assert asked and "缺少本班次所需技能：医疗护理" in asked[0]
    with db.reader() as s:
        rows = {r.volunteer_id: r for r in list_assignments(s, ctx.actor, shift_id)}
    assert set(rows) == {a, b}
    assert rows[b].override_reason == "现场有医生带队" and rows[a].via == "推荐"
    with qtbot.waitSignal(tab.week_loaded, timeout=30_000):
        tab.refresh()
    tab.select_shift(shift_id)
    qtbot.waitUntil(lambda: tab.places.rowCount() == 2, timeout=30_000)
    cell = _cell(tab, shift_id)
    assert cell.background().color().name() == FILL_COLOURS["满员"]


def test_front_desk_check_in_and_out(
    qtbot: QtBot, page: VolunteersPage, ctx: AppContext, db: Database
) -> None:
    from wushe_desktop.scheduling.assignments import assign

    v = _volunteer(db, ctx, "王大妈", 305, "13912348888")
    shift_id = _shift(db, ctx)
    with db.transaction() as s:
        assign(s, ctx.actor, shift_id, v, confirm=True)
    desk = page.checkin
    page.tabs.setCurrentWidget(desk)
    with qtbot.waitSignal(desk.list_updated, timeout=30_000):
        type_text(qtbot, desk.search, "8888")
    qtbot.waitUntil(
        lambda: desk.model.rowCount() == 1 and desk.check_in_button.isEnabled(), timeout=30_000
    )
    assert desk.model.rows[0].name == "王大妈"
    with qtbot.waitSignal(desk.changed, timeout=30_000):
        desk.check_in_button.click()
    assert "签到成功" in desk.message.text()
    wait_idle(qtbot, ctx.executor)
    qtbot.waitUntil(lambda: desk.model.rowCount() == 1, timeout=30_000)
    assert desk.model.rows[0].action == "签退"
    desk.table.selectRow(0)
    qtbot.waitUntil(desk.check_out_button.isEnabled, timeout=30_000)
    with qtbot.waitSignal(desk.changed, timeout=30_000):
        desk.check_out_button.click()
    assert "签退成功" in desk.message.text()
    with db.reader() as s:
        [row] = list_assignments(s, ctx.actor, shift_id)
        records = list_hours(s, ctx.actor, volunteer_id=v)
    assert row.status == "已签到" and row.check_out_at is not None
    assert len(records) == 1 and records[0].status == "待审核"


def test_approve_hours_and_issue_a_certificate(
    qtbot: QtBot, page: VolunteersPage, ctx: AppContext, db: Database, tmp_path: Path
) -> None:
    v = _volunteer(db, ctx, "赵志远", 307, "13900000003")
    with db.transaction() as s:
        record_outside_shift(
            s, ctx.actor, v, served_on=date(TODAY.year, 1, 2) if TODAY.month > 1 or TODAY.day > 2 else TODAY,
            title="敬老院探访", minutes=150, approver="王站长",
        )  # fmt: skip
    hours = page.hours
    page.tabs.setCurrentWidget(hours)
    qtbot.waitUntil(lambda: hours.model.rowCount() == 1, timeout=30_000)
    with qtbot.waitSignal(hours.changed, timeout=30_000):
        hours.approve()
    dialog = CertificateDialog(ctx, v, "赵志远", page)
    qtbot.addWidget(dialog)
    out = tmp_path / "证明.pdf"
    dialog.ask_save_path = lambda _suggested: out  # type: ignore[method-assign,assignment]
    qtbot.waitUntil(dialog.issue_button.isEnabled, timeout=30_000)
    assert "2.5 小时" in dialog.preview.text()
    dialog.issue_button.click()
    qtbot.waitUntil(lambda: dialog.issued is not None, timeout=30_000)
    assert out.exists() and dialog.issued.serial.startswith("ZYZM-320812001-")
    text = "".join(
        subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "赵志远" in text and dialog.issued.serial in text and "2.5" in text
    qtbot.waitUntil(lambda: dialog.register.rowCount() == 1, timeout=30_000)


def test_settings_and_holiday_dialogs(
    qtbot: QtBot,
    page: VolunteersPage,
    ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wushe_desktop.scheduling.workdays import list_station_days
    from wushe_desktop.ui.dialogs.volunteer_settings import HolidayDialog, VolunteerSettingsDialog
    from wushe_desktop.volunteers.settings import get_rules

    def fill(dlg: VolunteerSettingsDialog) -> None:
        dlg.head.setText("刘站长")
        dlg.rounding.setCurrentIndex(3)  # 15 minutes
        dlg.star_hours.setText("100,300,600,1000")
        dlg.check()
        assert not dlg.ok_button.isEnabled() and "逐级递增" in dlg.error.text()
        dlg.star_hours.setText("50,100,200,400,800")

    drive(monkeypatch, qtbot, VolunteerSettingsDialog, fill)
    with qtbot.waitSignal(page.registry.settings_changed, timeout=30_000):
        page.registry.edit_settings()
    qtbot.waitUntil(
        lambda: page.choices is not None and page.choices.rules.issuer_head == "刘站长",
        timeout=30_000,
    )
    with db.reader() as s:
        rules = get_rules(s, ctx.actor.station_id)
    assert rules.rounding_minutes == 15 and rules.star_hours == (50, 100, 200, 400, 800)

    dialog = HolidayDialog(ctx, 2027, page)
    qtbot.addWidget(dialog)
    dialog.note.setText("元旦")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.list.count() == 1, timeout=30_000)
    assert "2027-01-01" in dialog.list.item(0).text()
    with db.reader() as s:
        assert list_station_days(s, ctx.actor, 2027) == [(date(2027, 1, 1), "休", "元旦")]


def test_retention_view(qtbot: QtBot, page: VolunteersPage, ctx: AppContext, db: Database) -> None:
    _volunteer(db, ctx, "钱老", 309, "13900000009")
    hours = page.hours
    page.tabs.setCurrentWidget(hours)
    hours.view.setCurrentIndex(4)
    qtbot.waitUntil(lambda: "90天未参加服务" in hours.retention.toPlainText(), timeout=30_000)
    assert "钱老（从未服务）" in hours.retention.toPlainText()


def test_new_shift_links_a_community_activity(
    qtbot: QtBot,
    page: VolunteersPage,
    ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sqlalchemy import select

    from wushe_desktop.activities.service import create_activity as create_community_activity
    from wushe_desktop.activities.validation import ActivityInput as CommunityActivityInput
    from wushe_desktop.scheduling.community_link import SOURCE_KIND
    from wushe_desktop.scheduling.models import VolunteerActivity
    from wushe_desktop.ui.dialogs.shift_edit import ShiftDialog

    with db.transaction() as s:
        community = create_community_activity(
            s,
            ctx.actor,
            CommunityActivityInput(
                title="学雷锋义诊", activity_type="健康", held_on=TODAY, participants=30
            ),
        ).id
    offered: list[str] = []

    def fill(dlg: ShiftDialog) -> None:
        offered.extend(dlg.linked.itemText(i) for i in range(dlg.linked.count()))
        dlg.title.insert("义诊志愿服务")
        dlg.linked.setCurrentIndex(dlg.linked.findData(str(community)))

    drive(monkeypatch, qtbot, ShiftDialog, fill)
    tab = page.shifts
    tab.new_shift()
    qtbot.waitUntil(lambda: bool(offered), timeout=30_000)
    assert offered == ["（不关联）", f"{TODAY.isoformat()} 学雷锋义诊"]
    with db.reader() as s:
        linked = s.scalars(
            select(VolunteerActivity).where(VolunteerActivity.title == "义诊志愿服务")
        ).one()
    assert (linked.source_kind, linked.source_id) == (SOURCE_KIND, str(community))
    # A volunteer serves the linked shift: the community activity's details name them.
    from tests.db.scheduling_support import china
    from wushe_desktop.scheduling.assignments import assign
    from wushe_desktop.scheduling.checkin import check_in, check_out
    from wushe_desktop.scheduling.hours import approve_hours
    from wushe_desktop.ui.pages.community_work import CommunityWorkPage

    v = _volunteer(db, ctx, "周志愿", 311, "13900000011")
    with db.transaction() as s:
        shift = create_shift(
            s, ctx.actor, linked.id, ShiftInput(day=TODAY, start_minute=0, end_minute=23 * 60)
        ).id
        aid = assign(s, ctx.actor, shift, v).assignment_id
        check_in(s, ctx.actor, aid, at=china(TODAY, 9, 0))
        check_out(s, ctx.actor, aid, at=china(TODAY, 10, 30))
        approve_hours(s, ctx.actor, [h.id for h in list_hours(s, ctx.actor)])
    work = CommunityWorkPage(ctx)
    qtbot.addWidget(work)
    work.show()
    work.tabs.setCurrentIndex(2)
    acts = work.activities
    qtbot.waitUntil(lambda: acts.model.rowCount() == 1, timeout=30_000)
    acts.table.selectRow(0)
    qtbot.waitUntil(lambda: "参与志愿者" in acts.detail.text(), timeout=30_000)
    assert "周志愿（1.5 小时）" in acts.detail.text()


def test_edit_an_activity_and_link_it_to_a_community_activity(
    qtbot: QtBot,
    page: VolunteersPage,
    ctx: AppContext,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import os

    from wushe_desktop.activities.service import create_activity as create_community_activity
    from wushe_desktop.activities.validation import ActivityInput as CommunityActivityInput
    from wushe_desktop.scheduling.shifts import get_activity
    from wushe_desktop.ui.dialogs.volunteer_activity_edit import VolunteerActivityDialog

    shift = _shift(db, ctx)
    with db.transaction() as s:
        community = create_community_activity(
            s,
            ctx.actor,
            CommunityActivityInput(
                title="重阳敬老", activity_type="节日慰问", held_on=TODAY, participants=25
            ),
        ).id
    tab = page.shifts
    tab.refresh()
    qtbot.waitUntil(lambda: bool(tab.shifts), timeout=30_000)
    assert not tab.buttons["编辑活动…"].isEnabled()  # nothing chosen yet
    tab.select_shift(shift)
    qtbot.waitUntil(tab.buttons["编辑活动…"].isEnabled, timeout=30_000)
    if os.environ.get("WUSHE_GRAB"):
        page.resize(1366, 768)
        page.tabs.setCurrentWidget(tab)
        page.grab().save(os.path.join(os.environ["WUSHE_GRAB"], "ShiftsTab-1366.png"))
    seen: dict[str, Any] = {}

    def fill(dlg: VolunteerActivityDialog) -> None:
        if os.environ.get("WUSHE_GRAB"):
            dlg.grab().save(os.path.join(os.environ["WUSHE_GRAB"], "VolunteerActivityDialog.png"))
        seen["title"] = dlg.edits["title"].text()
        seen["content"] = dlg.content.toPlainText()
        seen["linked"] = [dlg.linked.itemText(i) for i in range(dlg.linked.count())]
        dlg.edits["title"].clear()
        dlg.check()
        assert not dlg.ok_button.isEnabled() and "活动名称" in dlg.problem()
        type_text(qtbot, dlg.edits["title"], "重阳敬老志愿服务")
        dlg.linked.setCurrentIndex(dlg.linked.findData(str(community)))

    drive(monkeypatch, qtbot, VolunteerActivityDialog, fill)
    tab.buttons["编辑活动…"].click()
    qtbot.waitUntil(lambda: "已保存活动" in tab.message.text(), timeout=30_000)
    assert seen == {
        "title": "助老服务日",
        "content": "陪伴老人",
        "linked": ["（不关联）", f"{TODAY.isoformat()} 重阳敬老"],
    }
    with db.reader() as s:
        activity = get_activity(s, ctx.actor, tab.current_shift.activity_id)
    assert activity.title == "重阳敬老志愿服务"
    assert (activity.source_kind, activity.source_id) == ("community_activity", str(community))
