"""登记探访 / 修改探访记录, checked by the core's ``clean_visit`` as you type."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui.dialogs.community_widgets import (
    ResidentFinder,
    date_edit,
    date_of,
)
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor
from wushe_desktop.visits.validation import VisitInput, VisitMode, VisitorKind, clean_visit


class VisitDialog(FormDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        actor: Actor,
        staff: list[tuple[uuid.UUID, str]],
        *,
        existing: Any | None = None,
        resident: tuple[uuid.UUID, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改探访记录") if existing else self.tr("登记探访"))
        self.setMinimumWidth(560)
        self.actor = actor
        self.existing = existing
        self.resident = ResidentFinder(executor, actor)
        self.visited_on = date_edit()
        self.mode = QComboBox()
        self.mode.addItems([m.value for m in VisitMode])
        self.visitor_kind = QComboBox()
        self.visitor_kind.addItems([k.value for k in VisitorKind])
        self.worker = QComboBox()
        self.worker.addItem(self.tr("（请选择）"), None)
        for uid, name in staff:
            self.worker.addItem(name, uid)
        self.visitor_name = QLineEdit()
        self.visitor_name.setMaxLength(50)
        self.visitor_name.setPlaceholderText(self.tr("网格员、志愿者等的姓名"))
        self.duration = QSpinBox()
        self.duration.setRange(0, 24 * 60)
        self.duration.setSuffix(self.tr(" 分钟"))
        self.duration.setValue(30)
        self.findings = QPlainTextEdit()
        self.findings.setPlaceholderText(
            self.tr("居住、身体、情绪、照料、安全等情况；先写事实，再写判断")
        )
        self.findings.setFixedHeight(90)
        self.risk_found = QCheckBox(self.tr("发现风险"))
        self.risk_description = QPlainTextEdit()
        self.risk_description.setFixedHeight(60)
        self.risk_description.setPlaceholderText(self.tr("风险情况和已采取的措施"))
        self.follow_up = QCheckBox(self.tr("需要跟进"))
        self.form.addRow(self.tr("探访对象*："), self.resident)
        self.form.addRow(self.tr("探访日期*："), self.visited_on)
        self.form.addRow(self.tr("方式："), self.mode)
        self.form.addRow(self.tr("探访人类别："), self.visitor_kind)
        self.form.addRow(self.tr("探访社工："), self.worker)
        self.form.addRow(self.tr("探访人姓名："), self.visitor_name)
        self.form.addRow(self.tr("时长："), self.duration)
        self.form.addRow(self.tr("探访发现："), self.findings)
        self.form.addRow("", self.risk_found)
        self.form.addRow(self.tr("风险描述："), self.risk_description)
        self.form.addRow("", self.follow_up)
        for name, widget in (
            ("mode", self.mode),
            ("visitor_kind", self.visitor_kind),
            ("visitor_user_id", self.worker),
            ("visitor_name", self.visitor_name),
            ("duration_minutes", self.duration),
            ("findings", self.findings),
            ("risk_description", self.risk_description),
        ):
            self.watch(name, widget)
        self.fields["resident_id"] = self.resident
        self.fields["visited_on"] = self.visited_on
        self.resident.changed.connect(self._changed)
        self.visited_on.dateChanged.connect(self._changed)
        self.risk_found.toggled.connect(self._changed)
        self.follow_up.toggled.connect(self._changed)
        self.visitor_kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.risk_found.toggled.connect(lambda _on: self._risk_changed())
        if actor.user_id is not None:
            select_data(self.worker, actor.user_id)
        if existing is not None:
            self._load(existing)
        elif resident is not None:
            self.resident.set_resident(resident[0], resident[1], locked=True)
        self._kind_changed()
        self._risk_changed()
        self.check()

    def _load(self, row: Any) -> None:
        from wushe_desktop.ui.dialogs.community_widgets import set_date

        self.resident.set_resident(row.resident_id, row.resident_name, locked=True)
        set_date(self.visited_on, row.visited_on)
        self.mode.setCurrentText(row.mode)
        self.visitor_kind.setCurrentText(row.visitor_kind)
        if row.visitor_user_id is not None:
            select_data(self.worker, row.visitor_user_id)
        else:
            self.visitor_name.setText(row.visitor_name)
        self.duration.setValue(row.duration_minutes)
        self.findings.setPlainText(row.findings)
        self.risk_found.setChecked(row.risk_found)
        self.risk_description.setPlainText(row.risk_description)
        self.follow_up.setChecked(row.follow_up_needed)

    def _kind_changed(self) -> None:
        worker = self.visitor_kind.currentText() == VisitorKind.WORKER.value
        self.worker.setEnabled(worker)
        self.visitor_name.setEnabled(not worker)

    def _risk_changed(self) -> None:
        self.risk_description.setEnabled(self.risk_found.isChecked())
        if self.risk_found.isChecked():
            self.follow_up.setChecked(True)

    def input(self) -> VisitInput:
        worker = self.visitor_kind.currentText() == VisitorKind.WORKER.value
        return VisitInput(
            resident_id=self.resident.resident_id(),
            visited_on=date_of(self.visited_on),
            mode=self.mode.currentText(),
            visitor_kind=self.visitor_kind.currentText(),
            visitor_user_id=self.worker.currentData() if worker else None,
            visitor_name="" if worker else self.visitor_name.text(),
            duration_minutes=self.duration.value(),
            findings=self.findings.toPlainText(),
            risk_found=self.risk_found.isChecked(),
            risk_description=self.risk_description.toPlainText(),
            follow_up_needed=self.follow_up.isChecked(),
        )

    def problem(self) -> str:
        clean_visit(self.input())  # raises ValidationError naming the field
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.visits.service import create_visit, update_visit

        data = self.input()
        if self.existing is None:
            return create_visit(session, self.actor, data)
        return update_visit(
            session, self.actor, self.existing.id, data, expected_version=self.existing.version
        )

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        staff: list[tuple[uuid.UUID, str]],
        *,
        existing: Any | None = None,
        resident: tuple[uuid.UUID, str] | None = None,
        parent: QWidget | None = None,
    ) -> Any | None:
        """The saved VisitRow, or None if cancelled."""
        dlg = cls(executor, actor, staff, existing=existing, resident=resident, parent=parent)
        dlg.exec()
        return dlg.result_value
