"""The smaller case dialogs: a service record (介入), a referral, a transfer, a reason
(going back, reopening), follow-ups (schedule, record the result), a to-do, and the
director's bulk reassignment. Each checks as the user types and saves on the DB thread."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.constants import INTERVENTION_TYPES, ReferralStatus, ReferralTarget
from wushe_desktop.cases.referrals import ReferralInput, ReferralRow
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.ui.dialogs.case_widgets import date_edit, date_of
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


def _text(height: int = 80) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setFixedHeight(height)
    return edit


def _minutes(value: int = 30) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 24 * 60)
    spin.setSingleStep(5)
    spin.setValue(value)
    spin.setSuffix(" 分钟")
    return spin


class InterventionDialog(FormDialog):
    """记录一次服务 of the case (a service record with source 个案)."""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        *,
        opened_on: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "记录服务", parent)
        self.actor, self.case_id, self.opened_on = actor, case_id, opened_on
        self.served_on = date_edit()
        self.kind = QComboBox()
        self.kind.addItems(list(INTERVENTION_TYPES))
        self.minutes = _minutes()
        self.content = _text()
        self.content.setPlaceholderText(
            self.tr("先写事实（做了什么、服务对象的反应），再写判断和下次任务")
        )
        self.highlight = QCheckBox(self.tr("亮点服务（写入月报）"))
        self.form.addRow(self.tr("服务日期"), self.served_on)
        self.form.addRow(self.tr("服务类型"), self.kind)
        self.form.addRow(self.tr("时长"), self.minutes)
        self.form.addRow(self.tr("服务内容"), self.content)
        self.form.addRow("", self.highlight)
        self.watch("content", self.content)
        self.watch("duration_minutes", self.minutes)
        self.served_on.dateChanged.connect(self._changed)
        self.check()

    def problem(self) -> str:
        day = date_of(self.served_on)
        if day > date.today():
            raise ValidationError("服务日期不能晚于今天。", field="served_on")
        if day < self.opened_on:
            raise ValidationError(
                f"服务日期早于接案日期 {self.opened_on.isoformat()}。", field="served_on"
            )
        if not self.content.toPlainText().strip():
            return self.tr("请填写服务内容。")
        return ""

    def save(self, session: Session) -> Any:
        from wushe_desktop.cases.interventions import InterventionInput, add_intervention

        return add_intervention(
            session,
            self.actor,
            self.case_id,
            InterventionInput(
                served_on=date_of(self.served_on),
                service_type=self.kind.currentText(),
                duration_minutes=self.minutes.value(),
                content=self.content.toPlainText(),
                is_highlight=self.highlight.isChecked(),
            ),
        )


class ReferralDialog(FormDialog):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        existing: ReferralRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "修改转介" if existing else "新增转介", parent)
        self.actor, self.case_id, self.existing = actor, case_id, existing
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in ReferralTarget])
        self.name = QLineEdit()
        self.contact = QLineEdit()
        self.referred_on = date_edit(existing.referred_on if existing else None)
        self.reason = _text(60)
        self.status = QComboBox()
        self.status.addItems([s.value for s in ReferralStatus])
        self.feedback = _text(60)
        self.has_feedback = QCheckBox(self.tr("已收到反馈"))
        self.feedback_on = date_edit()
        if existing is not None:
            self.kind.setCurrentText(existing.target_kind)
            self.name.setText(existing.target_name)
            self.contact.setText(existing.contact)
            self.reason.setPlainText(existing.reason)
            self.status.setCurrentText(existing.status)
            self.feedback.setPlainText(existing.feedback)
            self.has_feedback.setChecked(existing.feedback_on is not None)
            if existing.feedback_on:
                self.feedback_on.setDate(date_edit(existing.feedback_on).date())
        for label, widget in (
            ("对象类型", self.kind),
            ("机构/部门", self.name),
            ("联系方式", self.contact),
            ("转介日期", self.referred_on),
            ("转介原因", self.reason),
            ("状态", self.status),
            ("", self.has_feedback),
            ("反馈日期", self.feedback_on),
            ("反馈情况", self.feedback),
        ):
            self.form.addRow(self.tr(label), widget)
        self.watch("target_name", self.name)
        self.watch("reason", self.reason)
        self.watch("status", self.status)
        self.has_feedback.toggled.connect(self._changed)
        self.check()

    def referral(self) -> ReferralInput:
        return ReferralInput(
            target_kind=self.kind.currentText(),
            target_name=self.name.text(),
            referred_on=date_of(self.referred_on),
            reason=self.reason.toPlainText(),
            contact=self.contact.text(),
            status=self.status.currentText(),
            feedback=self.feedback.toPlainText(),
            feedback_on=date_of(self.feedback_on) if self.has_feedback.isChecked() else None,
        )

    def problem(self) -> str:
        from wushe_desktop.cases.referrals import check_referral

        check_referral(self.referral(), date.today())
        return ""

    def save(self, session: Session) -> Any:
        from wushe_desktop.cases.referrals import add_referral, update_referral

        if self.existing is None:
            return add_referral(session, self.actor, self.case_id, self.referral())
        return update_referral(
            session,
            self.actor,
            self.existing.id,
            self.referral(),
            expected_version=self.existing.version,
        )


class ReasonDialog(FormDialog):
    """A reason (going back, reopening, transfer) and, where asked, a target stage or worker."""

    def __init__(
        self,
        executor: DbExecutor,
        title: str,
        *,
        label: str = "原因",
        choices: Sequence[tuple[str, object]] | None = None,
        choice_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, title, parent)
        self.choice = QComboBox()
        for text, value in choices or []:
            self.choice.addItem(text, value)
        if choices:
            self.form.addRow(self.tr(choice_label), self.choice)
        self.reason = _text(70)
        self.form.addRow(self.tr(label), self.reason)
        self.watch("reason", self.reason)
        self.action: Any = None  # fn(session, reason, choice) -> result
        self.check()

    def problem(self) -> str:
        if not self.reason.toPlainText().strip():
            return self.tr("请填写原因。")
        return ""

    def save(self, session: Session) -> Any:
        assert self.action is not None
        return self.action(session, self.reason.toPlainText(), self.choice.currentData())


class FollowUpDialog(FormDialog):
    """Schedule a follow-up, or (``record_id`` given) record its result."""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        *,
        record_id: uuid.UUID | None = None,
        mode: str = "电话",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "记录回访结果" if record_id else "安排回访", parent)
        self.actor, self.case_id, self.record_id = actor, case_id, record_id
        self.day = date_edit()
        if record_id is None:
            self.day.setDate(self.day.date().addDays(30))
        self.mode = QComboBox()
        self.mode.addItems(list(rec.FOLLOW_UP_MODES))
        self.mode.setCurrentText(mode)
        self.purpose = QLineEdit()
        self.result_box = QComboBox()
        self.result_box.addItems(list(rec.FOLLOW_UP_RESULTS))
        self.notes = _text(70)
        self.minutes = _minutes(15)
        self.form.addRow(self.tr("回访日期" if record_id else "计划日期"), self.day)
        self.form.addRow(self.tr("回访方式"), self.mode)
        if record_id is None:
            self.form.addRow(self.tr("回访目的"), self.purpose)
        else:
            self.form.addRow(self.tr("回访结果"), self.result_box)
            self.form.addRow(self.tr("回访情况"), self.notes)
            self.form.addRow(self.tr("时长"), self.minutes)
            self.watch("notes", self.notes)
        self.check()

    def problem(self) -> str:
        if self.record_id is not None:
            if date_of(self.day) > date.today():
                raise ValidationError("回访日期不能晚于今天。", field="done_on")
            if not self.notes.toPlainText().strip():
                return self.tr("请填写回访情况。")
        return ""

    def save(self, session: Session) -> Any:
        from wushe_desktop.cases.case_records import complete_follow_up, schedule_follow_up

        if self.record_id is None:
            return schedule_follow_up(
                session,
                self.actor,
                self.case_id,
                date_of(self.day),
                rec.FollowUpData(mode=self.mode.currentText(), purpose=self.purpose.text()),
            )
        return complete_follow_up(
            session,
            self.actor,
            self.record_id,
            date_of(self.day),
            rec.FollowUpData(
                mode=self.mode.currentText(),
                result=self.result_box.currentText(),
                notes=self.notes.toPlainText(),
            ),
            duration_minutes=self.minutes.value(),
        )


class TaskDialog(FormDialog):
    def __init__(
        self, executor: DbExecutor, actor: Actor, case_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(executor, "新增待办", parent)
        self.actor, self.case_id = actor, case_id
        self.title_edit = QLineEdit()
        self.due_on = date_edit()
        self.form.addRow(self.tr("待办事项"), self.title_edit)
        self.form.addRow(self.tr("期限"), self.due_on)
        self.watch("title", self.title_edit)
        self.check()

    def problem(self) -> str:
        return "" if self.title_edit.text().strip() else self.tr("请填写待办事项。")

    def save(self, session: Session) -> Any:
        from wushe_desktop.cases.tasks import add_task

        return add_task(
            session, self.actor, self.case_id, self.title_edit.text(), date_of(self.due_on)
        )
