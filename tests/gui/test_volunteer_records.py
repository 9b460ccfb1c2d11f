"""志愿服务队 and a volunteer's records through the real dialogs: create a team, add and
remove members, choose the leader; add unavailability, training, an award, an awarded star
and a qualification with expiry, then delete one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.db.residents_support import make_id
from tests.gui.conftest import Boxes, type_text, wait_idle
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.team_edit import MemberPickerDialog, TeamEditDialog, TeamsDialog
from wushe_desktop.ui.dialogs.volunteer_records import (
    RECORD_KINDS,
    AwardDialog,
    QualificationDialog,
    StarDialog,
    TrainingDialog,
    UnavailableDialog,
    VolunteerRecordsDialog,
)
from wushe_desktop.ui.pages.volunteers import VolunteersPage
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.volunteers.records import list_records
from wushe_desktop.volunteers.service import create_volunteer
from wushe_desktop.volunteers.teams import list_teams, team_members
from wushe_desktop.volunteers.validation import VolunteerInput

pytestmark = pytest.mark.gui


def _volunteer(db: Database, ctx: AppContext, name: str, seq: int) -> uuid.UUID:
    with db.transaction() as s:
        return create_volunteer(
            s,
            ctx.actor,
            VolunteerInput(
                name=name,
                id_number=make_id(date(1985, 5, 5), seq),
                phone=f"139000000{seq:02d}",
                consent_on=date(2024, 1, 1),
                registered_on=date(2024, 1, 1),
            ),
        ).id


def _grab(widget: QDialog, name: str) -> None:
    """Screenshots for review when WUSHE_GRAB names a folder."""
    folder = os.environ.get("WUSHE_GRAB")
    if folder:
        widget.grab().save(os.path.join(folder, name))


def _form_runner(qtbot: QtBot, fills: dict[type, Callable[[Any], None]]) -> Callable[[Any], bool]:
    """An exec_dialog that fills a form dialog, checks 保存 is enabled, and saves."""

    def run(dialog: Any) -> bool:
        dialog.show()
        fills[type(dialog)](dialog)
        dialog.check()
        assert dialog.ok_button.isEnabled(), dialog.error.text()
        _grab(dialog, f"{type(dialog).__name__}.png")
        dialog.ok_button.click()
        qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=30_000)
        return True

    return run


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def test_records_of_a_volunteer_end_to_end(
    qtbot: QtBot,
    ctx: AppContext,
    db: Database,
    boxes: Boxes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vid = _volunteer(db, ctx, "周海燕", 31)
    dialog = VolunteerRecordsDialog(ctx, vid, "周海燕")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, ctx.executor)

    def unavailable(d: UnavailableDialog) -> None:
        d.starts_on.setDate(_qdate(date(2026, 12, 10)))
        d.ends_on.setDate(_qdate(date(2026, 12, 1)))
        d.check()
        assert not d.ok_button.isEnabled()  # end before start is refused as you type
        assert "早于" in d.error.text()
        d.ends_on.setDate(_qdate(date(2026, 12, 20)))
        type_text(qtbot, d.reason, "外出探亲")

    def training(d: TrainingDialog) -> None:
        d.check()
        assert not d.ok_button.isEnabled()  # course name required
        type_text(qtbot, d.course, "应急救护培训")
        d.trained_on.setDate(_qdate(date(2026, 3, 5)))
        d.hours.setValue(3)
        d.minutes.setValue(30)
        type_text(qtbot, d.organiser, "区红十字会")

    def award(d: AwardDialog) -> None:
        type_text(qtbot, d.name, "优秀志愿者")
        d.awarded_on.setDate(_qdate(date(2026, 1, 15)))
        type_text(qtbot, d.body, "清江浦区文明办")

    def star(d: StarDialog) -> None:
        qtbot.waitUntil(lambda: "已审核服务" in d.hint.text(), timeout=30_000)
        assert "尚未达到一星标准" in d.hint.text()  # no approved hours yet
        d.level.setCurrentIndex(d.level.findData(2))  # ints compare by value
        d.awarded_on.setDate(_qdate(date(2026, 6, 1)))
        d.check()
        assert not d.ok_button.isEnabled()  # awarding body required
        type_text(qtbot, d.body, "清河街道志愿者协会")
        d.basis_hours.setValue(320)

    def qualification(d: QualificationDialog) -> None:
        d.kind.setCurrentText("急救证")
        d.has_obtained.setChecked(True)
        d.obtained_on.setDate(_qdate(date(2025, 5, 1)))
        d.valid_until.setDate(_qdate(date(2024, 5, 1)))
        d.check()
        assert not d.ok_button.isEnabled()  # expiry before obtained
        d.valid_until.setDate(_qdate(date(2028, 4, 30)))
        type_text(qtbot, d.number, "HJ2025-0101")

    runner = _form_runner(
        qtbot,
        {
            UnavailableDialog: unavailable,
            TrainingDialog: training,
            AwardDialog: award,
            StarDialog: star,
            QualificationDialog: qualification,
        },
    )
    monkeypatch.setattr(dialog, "exec_dialog", runner)
    for i, kind in enumerate(("unavailable", "training", "award", "star", "qualification")):
        dialog.tabs.setCurrentIndex(i)
        dialog.add_buttons[kind].click()
        wait_idle(qtbot, ctx.executor)
        listing = dialog.lists[kind]
        qtbot.waitUntil(lambda: listing.count() == 1, timeout=30_000)  # noqa: B023
    _grab(dialog, "VolunteerRecordsDialog.png")

    with db.transaction() as s:
        r = list_records(s, ctx.actor, vid)
    assert [(u.starts_on, u.ends_on, u.reason) for u in r.unavailable] == [
        (date(2026, 12, 10), date(2026, 12, 20), "外出探亲")
    ]
    assert [(t.course, t.minutes, t.organiser) for t in r.trainings] == [
        ("应急救护培训", 210, "区红十字会")
    ]
    assert [(a.name, a.body) for a in r.awards] == [("优秀志愿者", "清江浦区文明办")]
    assert [(x.level, x.awarded_on, x.body, x.basis_minutes) for x in r.stars] == [
        (2, date(2026, 6, 1), "清河街道志愿者协会", 320 * 60)
    ]
    assert [(q.kind, q.number, q.valid_until) for q in r.qualifications] == [
        ("急救证", "HJ2025-0101", date(2028, 4, 30))
    ]
    assert "二星" in dialog.lists["star"].item(0).text()
    assert "2028-04-30" in dialog.lists["qualification"].item(0).text()
    assert dialog.changed

    # Delete the award after confirming.
    dialog.tabs.setCurrentIndex(2)
    dialog.lists["award"].setCurrentRow(0)
    assert dialog.remove_buttons["award"].isEnabled()
    dialog.remove_buttons["award"].click()
    qtbot.waitUntil(lambda: dialog.lists["award"].count() == 0, timeout=30_000)
    assert any("删除这条记录" in t for t in boxes.texts("question"))
    with db.transaction() as s:
        assert list_records(s, ctx.actor, vid).awards == []


def test_records_are_edited_from_their_forms_prefilled(
    qtbot: QtBot, ctx: AppContext, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wushe_desktop.volunteers import records

    vid = _volunteer(db, ctx, "吴丽华", 32)
    with db.transaction() as s:
        records.add_training(
            s, ctx.actor, vid, course="急救培训", trained_on=date(2026, 3, 5), minutes=150
        )
        records.add_qualification(
            s, ctx.actor, vid, kind="急救证", number="A-1", valid_until=date(2027, 1, 1)
        )
        records.add_star(s, ctx.actor, vid, level=1, awarded_on=date(2026, 6, 1), body="清河街道")
    dialog = VolunteerRecordsDialog(ctx, vid, "吴丽华")
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, ctx.executor)
    qtbot.waitUntil(lambda: dialog.lists["training"].count() == 1, timeout=30_000)
    seen: dict[str, Any] = {}

    def training(d: TrainingDialog) -> None:
        seen["training"] = (d.windowTitle(), d.course.text(), d.hours.value(), d.minutes.value())
        d.course.clear()
        type_text(qtbot, d.course, "应急救护培训")

    def qualification(d: QualificationDialog) -> None:
        seen["qualification"] = (d.number.text(), d.has_expiry.isChecked(), d.valid_until.date())
        d.has_expiry.setChecked(False)  # now 长期有效

    def star(d: StarDialog) -> None:
        qtbot.waitUntil(lambda: "已审核服务" in d.hint.text(), timeout=30_000)
        seen["star"] = (d.level.currentData(), d.body.text())  # not replaced by the hint
        d.level.setCurrentIndex(d.level.findData(3))

    monkeypatch.setattr(
        dialog,
        "exec_dialog",
        _form_runner(
            qtbot, {TrainingDialog: training, QualificationDialog: qualification, StarDialog: star}
        ),
    )
    for kind in ("training", "qualification", "star"):
        dialog.tabs.setCurrentIndex([k for k, _t in RECORD_KINDS].index(kind))
        listing = dialog.lists[kind]
        assert not dialog.edit_buttons[kind].isEnabled()
        listing.setCurrentRow(0)
        before = listing.item(0).text()
        if kind == "training":  # a double-click (activation) opens the form too
            listing.itemActivated.emit(listing.item(0))
        else:
            dialog.edit_buttons[kind].click()
        qtbot.waitUntil(
            lambda: listing.count() == 1 and listing.item(0).text() != before,  # noqa: B023
            timeout=30_000,
        )
    assert seen == {
        "training": ("修改培训记录", "急救培训", 2, 30),
        "qualification": ("A-1", True, QDate(2027, 1, 1)),
        "star": (1, "清河街道"),
    }
    with db.reader() as s:
        r = list_records(s, ctx.actor, vid)
    assert [(t.course, t.minutes) for t in r.trainings] == [("应急救护培训", 150)]
    assert [(q.number, q.valid_until) for q in r.qualifications] == [("A-1", None)]
    assert [x.level for x in r.stars] == [3]
    assert "长期有效" in dialog.lists["qualification"].item(0).text()


def test_teams_end_to_end(
    qtbot: QtBot, ctx: AppContext, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = _volunteer(db, ctx, "王建国", 41)
    b = _volunteer(db, ctx, "李秀英", 42)
    dialog = TeamsDialog(ctx, [])
    qtbot.addWidget(dialog)
    dialog.resize(1000, 600)
    dialog.show()
    wait_idle(qtbot, ctx.executor)
    assert dialog.team_list.count() == 0
    assert not dialog.add_member_button.isEnabled()

    state: dict[str, Any] = {}

    def run(d: Any) -> bool:
        d.show()
        if isinstance(d, TeamEditDialog) and d.team is None:
            d.check()
            assert not d.ok_button.isEnabled()  # name required
            type_text(qtbot, d.name, "助老志愿服务队")
            type_text(qtbot, d.description, "每周走访独居老人")
        elif isinstance(d, TeamEditDialog):
            assert d.leader.count() == 3  # 暂不指定 + two members
            assert select_data(d.leader, state["leader"])
            d.founded_on.setDate(_qdate(date(2023, 3, 5)))  # the founding date can be corrected
        elif isinstance(d, MemberPickerDialog):
            qtbot.waitUntil(lambda: d.results.count() == 2, timeout=30_000)
            _grab(d, "MemberPickerDialog.png")
            for i in range(d.results.count()):
                d.results.item(i).setSelected(True)
            assert d.ok_button.isEnabled()
            return True
        d.check()
        assert d.ok_button.isEnabled(), d.error.text()
        _grab(d, f"TeamEditDialog{'' if d.team is None else '_edit'}.png")
        d.ok_button.click()
        qtbot.waitUntil(lambda: d.result_value is not None, timeout=30_000)
        return True

    monkeypatch.setattr(dialog, "exec_dialog", run)
    dialog.new_button.click()
    qtbot.waitUntil(lambda: dialog.team_list.count() == 1, timeout=30_000)
    dialog.add_member_button.click()
    qtbot.waitUntil(lambda: dialog.member_list.count() == 2, timeout=30_000)
    state["leader"] = b
    dialog.edit_button.click()
    qtbot.waitUntil(lambda: "李秀英" in dialog.team_info.text(), timeout=30_000)
    wait_idle(qtbot, ctx.executor)
    _grab(dialog, "TeamsDialog.png")
    with db.transaction() as s:
        (team,) = list_teams(s, ctx.actor)
        assert (team.name, team.leader_id, team.members) == ("助老志愿服务队", b, 2)
        assert team.founded_on == date(2023, 3, 5)

    # Remove 王建国 (members are listed by name; find his row).
    row = next(i for i, m in enumerate(dialog.members) if m[0] == a)
    dialog.member_list.setCurrentRow(row)
    dialog.remove_member_button.click()
    qtbot.waitUntil(lambda: dialog.member_list.count() == 1, timeout=30_000)
    with db.transaction() as s:
        assert [m[0] for m in team_members(s, ctx.actor, team.id)] == [b]
    assert "1 人" in dialog.team_list.item(0).text()

    # Delete the team.
    dialog.delete_button.click()
    qtbot.waitUntil(lambda: dialog.team_list.count() == 0, timeout=30_000)
    with db.transaction() as s:
        assert list_teams(s, ctx.actor) == []
    assert dialog.changed


def test_registry_buttons_open_the_dialogs(
    qtbot: QtBot, ctx: AppContext, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _volunteer(db, ctx, "陈志强", 51)
    page = VolunteersPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.choices is not None, timeout=30_000)
    wait_idle(qtbot, ctx.executor)
    registry = page.registry
    opened: list[str] = []

    def exec_dialog(d: QDialog) -> bool:
        opened.append(type(d).__name__)
        return False

    monkeypatch.setattr(registry, "exec_dialog", exec_dialog)
    assert not registry.buttons["服务记录…"].isEnabled()
    registry.table.selectRow(0)
    assert registry.buttons["服务记录…"].isEnabled()
    registry.buttons["服务记录…"].click()
    registry.buttons["服务队…"].click()
    wait_idle(qtbot, ctx.executor)
    assert opened == ["VolunteerRecordsDialog", "TeamsDialog"]


def test_duplicate_team_name_is_shown_in_the_dialog(qtbot: QtBot, ctx: AppContext) -> None:
    def submit() -> TeamEditDialog:
        d = TeamEditDialog(ctx.executor, ctx.actor, [])
        qtbot.addWidget(d)
        d.show()
        type_text(qtbot, d.name, "环保志愿服务队")
        d.check()
        d.ok_button.click()
        qtbot.waitUntil(
            lambda: d.result_value is not None or "已有名为" in d.error.text(), timeout=30_000
        )
        return d

    assert submit().result_value is not None
    again = submit()
    assert again.result_value is None
    assert "已有名为" in again.error.text()
    assert again.ok_button.isEnabled()


def test_registry_names_expiring_qualifications(
    qtbot: QtBot, ctx: AppContext, db: Database
) -> None:
    from datetime import timedelta

    from wushe_desktop.volunteers.records import add_qualification

    vid = _volunteer(db, ctx, "赵丽", 61)
    with db.transaction() as s:
        add_qualification(
            s, ctx.actor, vid, kind="健康证", valid_until=date.today() + timedelta(days=5)
        )
    page = VolunteersPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: "赵丽 健康证" in page.registry.expiry_label.text(), timeout=30_000)
    assert "即将到期" in page.registry.expiry_label.text()
