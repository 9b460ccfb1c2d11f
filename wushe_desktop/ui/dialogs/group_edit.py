"""新建小组 / 修改小组 (the plan, stage and closing evaluation), 小组活动记录 (one session
with attendance per member) and 登记退组 — each checked by the core as you type."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.groups.validation import (
    GROUP_STAGES,
    GroupInput,
    GroupType,
    SessionInput,
    clean_group,
    clean_session,
)
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of, set_date
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


def _text_box(height: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setFixedHeight(height)
    box.setPlaceholderText(placeholder)
    return box


class GroupDialog(FormDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        actor: Actor,
        choices: Any,
        *,
        existing: Any | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改小组") if existing else self.tr("新建小组"))
        self.setMinimumWidth(600)
        self.actor = actor
        self.existing = existing
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.name.setPlaceholderText(self.tr("例如：独居老人互助小组（第2期）"))
        self.group_type = QComboBox()
        self.group_type.addItems([t.value for t in GroupType])
        self.stage = QComboBox()
        self.stage.addItems(list(GROUP_STAGES))
        self.facilitator = QComboBox()
        self.facilitator.addItem(self.tr("（未指定）"), None)
        for uid, label in choices.staff:
            self.facilitator.addItem(label, uid)
        self.community = QComboBox()
        self.community.addItem(self.tr("（全站）"), None)
        for cid, label in choices.community_items():
            self.community.addItem(label, cid)
        self.start_date = date_edit()
        self.has_end = QCheckBox(self.tr("已结束"))
        self.end_date = date_edit()
        self.end_date.setEnabled(False)
        self.planned = QSpinBox()
        self.planned.setRange(1, 200)
        self.planned.setValue(6)
        self.planned.setSuffix(self.tr(" 节"))
        self.goal = _text_box(60, self.tr("总目标和具体目标"))
        self.target = _text_box(44, self.tr("对象、人数、入组条件"))
        self.recruitment = _text_box(44, self.tr("招募渠道和方式"))
        self.closing = _text_box(70, self.tr("小组结束时填写：目标达成、组员变化、后续跟进"))
        end_row = QHBoxLayout()
        end_row.addWidget(self.has_end)
        end_row.addWidget(self.end_date, 1)
        self.form.addRow(self.tr("小组名称*："), self.name)
        self.form.addRow(self.tr("类型："), self.group_type)
        self.form.addRow(self.tr("阶段："), self.stage)
        self.form.addRow(self.tr("带领社工："), self.facilitator)
        self.form.addRow(self.tr("社区（村）："), self.community)
        self.form.addRow(self.tr("开始日期*："), self.start_date)
        self.form.addRow(self.tr("结束日期："), end_row)
        self.form.addRow(self.tr("计划节数："), self.planned)
        self.form.addRow(self.tr("小组目标："), self.goal)
        self.form.addRow(self.tr("目标组员："), self.target)
        self.form.addRow(self.tr("招募方式："), self.recruitment)
        self.form.addRow(self.tr("结束评估："), self.closing)
        for field, widget in (
            ("name", self.name),
            ("group_type", self.group_type),
            ("stage", self.stage),
            ("facilitator_id", self.facilitator),
            ("community_id", self.community),
            ("planned_sessions", self.planned),
            ("goal", self.goal),
            ("target_members", self.target),
            ("recruitment", self.recruitment),
            ("closing_evaluation", self.closing),
        ):
            self.watch(field, widget)
        self.fields["start_date"] = self.start_date
        self.fields["end_date"] = self.end_date
        self.start_date.dateChanged.connect(self._changed)
        self.end_date.dateChanged.connect(self._changed)
        self.has_end.toggled.connect(self.end_date.setEnabled)
        self.has_end.toggled.connect(self._changed)
        self.stage.currentIndexChanged.connect(lambda _i: self._stage_changed())
        if actor.user_id is not None:
            select_data(self.facilitator, actor.user_id)
        if existing is not None:
            self._load(existing)
        self.check()

    def _load(self, g: Any) -> None:
        self.name.setText(g.name)
        self.group_type.setCurrentText(g.group_type)
        self.stage.setCurrentText(g.stage)
        select_data(self.facilitator, g.facilitator_id)
        select_data(self.community, g.community_id)
        set_date(self.start_date, g.start_date)
        if g.end_date is not None:
            self.has_end.setChecked(True)
            set_date(self.end_date, g.end_date)
        self.planned.setValue(g.planned_sessions)
        self.goal.setPlainText(g.goal)
        self.target.setPlainText(g.target_members)
        self.recruitment.setPlainText(g.recruitment)
        self.closing.setPlainText(g.closing_evaluation)

    def _stage_changed(self) -> None:
        if self.stage.currentText() == "结束" and not self.has_end.isChecked():
            self.has_end.setChecked(True)

    def input(self) -> GroupInput:
        return GroupInput(
            name=self.name.text(),
            group_type=self.group_type.currentText(),
            start_date=date_of(self.start_date),
            facilitator_id=self.facilitator.currentData(),
            community_id=self.community.currentData(),
            stage=self.stage.currentText(),
            end_date=date_of(self.end_date) if self.has_end.isChecked() else None,
            goal=self.goal.toPlainText(),
            target_members=self.target.toPlainText(),
            recruitment=self.recruitment.toPlainText(),
            planned_sessions=self.planned.value(),
            closing_evaluation=self.closing.toPlainText(),
        )

    def problem(self) -> str:
        clean_group(self.input())
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.groups.service import create_group, update_group

        if self.existing is None:
            return create_group(session, self.actor, self.input())
        return update_group(
            session,
            self.actor,
            self.existing.id,
            self.input(),
            expected_version=self.existing.version,
        )

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        choices: Any,
        *,
        existing: Any | None = None,
        parent: QWidget | None = None,
    ) -> Any | None:
        dlg = cls(executor, actor, choices, existing=existing, parent=parent)
        dlg.exec()
        return dlg.result_value


class SessionDialog(FormDialog):
    """One session (节): the attendance list shows the members on the session's day."""

    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        actor: Actor,
        group: Any,
        members: list[Any],
        *,
        number: int = 1,
        existing: Any | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(
            self.tr("修改小组活动记录") if existing else self.tr("新增一节小组活动")
        )
        self.setMinimumWidth(620)
        self.actor = actor
        self.group = group
        self.members = members
        self.existing = existing
        self.present: dict[uuid.UUID, bool] = dict(existing.attendance) if existing else {}
        self.form.addRow(self.tr("小组："), QLabel(group.name))
        self.number = QSpinBox()
        self.number.setRange(1, 200)
        self.number.setPrefix(self.tr("第 "))
        self.number.setSuffix(self.tr(" 节"))
        self.number.setValue(number)
        self.held_on = date_edit(min(date.today(), group.end_date or date.today()))
        self.duration = QSpinBox()
        self.duration.setRange(0, 24 * 60)
        self.duration.setValue(90)
        self.duration.setSuffix(self.tr(" 分钟"))
        self.topic = QLineEdit()
        self.topic.setMaxLength(200)
        self.attendance = QListWidget()
        self.attendance.setMinimumHeight(140)
        self.all_button = QPushButton(self.tr("全部出席"))
        self.none_button = QPushButton(self.tr("全部缺席"))
        self.attendance_label = QLabel()
        box = QWidget()
        al = QVBoxLayout(box)
        al.setContentsMargins(0, 0, 0, 0)
        al.addWidget(self.attendance)
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        row.addWidget(self.attendance_label)
        al.addLayout(row)
        self.record = _text_box(80, self.tr("本节过程、组员表现（先写事实，再写判断）"))
        self.evaluation = _text_box(50, self.tr("目标达成情况、下节调整"))
        self.form.addRow(self.tr("节次*："), self.number)
        self.form.addRow(self.tr("日期*："), self.held_on)
        self.form.addRow(self.tr("时长："), self.duration)
        self.form.addRow(self.tr("本节主题*："), self.topic)
        self.form.addRow(self.tr("签到："), box)
        self.form.addRow(self.tr("活动记录："), self.record)
        self.form.addRow(self.tr("本节评估："), self.evaluation)
        for field, widget in (
            ("number", self.number),
            ("duration_minutes", self.duration),
            ("topic", self.topic),
            ("record", self.record),
            ("evaluation", self.evaluation),
        ):
            self.watch(field, widget)
        self.fields["held_on"] = self.held_on
        self.fields["attendance"] = self.attendance
        if existing is not None:
            self.number.setValue(existing.number)
            set_date(self.held_on, existing.held_on)
            self.duration.setValue(existing.duration_minutes)
            self.topic.setText(existing.topic)
            self.record.setPlainText(existing.record)
            self.evaluation.setPlainText(existing.evaluation)
        self.held_on.dateChanged.connect(lambda _d: self._fill_attendance())
        self.held_on.dateChanged.connect(self._changed)
        self.attendance.itemChanged.connect(self._on_item)
        self.all_button.clicked.connect(lambda: self._set_all(True))
        self.none_button.clicked.connect(lambda: self._set_all(False))
        self._fill_attendance()
        self.check()

    def _fill_attendance(self) -> None:
        day = date_of(self.held_on)
        self.attendance.blockSignals(True)
        self.attendance.clear()
        for m in self.members:
            if not m.member_on(day):
                continue
            item = QListWidgetItem(m.name)
            item.setData(Qt.ItemDataRole.UserRole, m.resident_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            present = self.present.get(m.resident_id, self.existing is None)
            item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
            self.attendance.addItem(item)
        self.attendance.blockSignals(False)
        self._count()

    def _on_item(self, item: QListWidgetItem) -> None:
        rid = item.data(Qt.ItemDataRole.UserRole)
        self.present[rid] = item.checkState() == Qt.CheckState.Checked
        self._count()
        self._changed()

    def _set_all(self, present: bool) -> None:
        state = Qt.CheckState.Checked if present else Qt.CheckState.Unchecked
        for i in range(self.attendance.count()):
            self.attendance.item(i).setCheckState(state)

    def attendance_map(self) -> dict[uuid.UUID, bool]:
        result = {}
        for i in range(self.attendance.count()):
            item = self.attendance.item(i)
            result[item.data(Qt.ItemDataRole.UserRole)] = item.checkState() == Qt.CheckState.Checked
        return result

    def _count(self) -> None:
        marks = self.attendance_map()
        self.attendance_label.setText(
            self.tr("出席 %d / %d 人") % (sum(marks.values()), len(marks))
        )

    def input(self) -> SessionInput:
        return SessionInput(
            number=self.number.value(),
            held_on=date_of(self.held_on),
            topic=self.topic.text(),
            duration_minutes=self.duration.value(),
            record=self.record.toPlainText(),
            evaluation=self.evaluation.toPlainText(),
            attendance=self.attendance_map(),
        )

    def problem(self) -> str:
        data = self.input()
        clean_session(data, group_start=self.group.start_date, group_end=self.group.end_date)
        if not data.attendance:
            raise ValidationError(
                self.tr("这一天小组还没有组员，请先添加组员或核对日期。"), field="attendance"
            )
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.groups.sessions import create_session, update_session

        if self.existing is None:
            return create_session(session, self.actor, self.group.id, self.input())
        return update_session(
            session,
            self.actor,
            self.existing.id,
            self.input(),
            expected_version=self.existing.version,
        )

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        group: Any,
        members: list[Any],
        *,
        number: int = 1,
        existing: Any | None = None,
        parent: QWidget | None = None,
    ) -> Any | None:
        dlg = cls(executor, actor, group, members, number=number, existing=existing, parent=parent)
        dlg.exec()
        return dlg.result_value


class LeaveDialog(FormDialog):
    """登记退组: the day a member left the group."""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        group: Any,
        member: Any,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("登记退组"))
        self.actor = actor
        self.group = group
        self.member = member
        self.form.addRow(self.tr("组员："), QLabel(member.name))
        self.left_on = date_edit()
        self.form.addRow(self.tr("退组日期："), self.left_on)
        self.fields["left_on"] = self.left_on
        self.left_on.dateChanged.connect(self._changed)
        self.check()

    def problem(self) -> str:
        day = date_of(self.left_on)
        if day < self.member.joined_on:
            return self.tr("退组日期早于入组日期 %s。") % self.member.joined_on.isoformat()
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.groups.service import member_leaves

        member_leaves(
            session, self.actor, self.group.id, self.member.resident_id, date_of(self.left_on)
        )
        return True

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        group: Any,
        member: Any,
        parent: QWidget | None = None,
    ) -> bool:
        dlg = cls(executor, actor, group, member, parent)
        dlg.exec()
        return dlg.result_value is not None
