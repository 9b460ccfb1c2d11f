"""Record a resident's consent to the processing of personal information, or its withdrawal."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor

SCOPES = ("基本信息", "敏感个人信息（健康、残疾、困难救助等）", "照片和影像", "向合作机构提供")
METHODS = ("书面签字", "电子签名", "口头同意并录音", "监护人代签")
GUARDIAN_AGE = 14


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    edit.setMaximumDate(QDate.currentDate())
    return edit


class ConsentDialog(FormDialog):
    def __init__(
        self, executor: DbExecutor, actor: Actor, resident: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("登记知情同意 — %s") % resident.name)
        self.actor = actor
        self.resident = resident
        self.scope = QComboBox()
        self.scope.setEditable(True)
        self.scope.addItems(SCOPES)
        self.sensitive = QCheckBox(self.tr("这是对敏感个人信息的单独同意"))
        self.given_by = QLineEdit(resident.name)
        self.given_by.setMaxLength(50)
        self.relation = QLineEdit()
        self.relation.setMaxLength(20)
        self.relation.setPlaceholderText(self.tr("本人同意时留空；监护人同意时填写，如“母亲”"))
        self.notice = QLineEdit("2024版")
        self.notice.setMaxLength(30)
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems(METHODS)
        self.given_on = _date_edit()
        self.notes = QLineEdit()
        self.form.addRow(self.tr("居民："), QLabel(resident.name))
        self.form.addRow(self.tr("同意范围*："), self.scope)
        self.form.addRow("", self.sensitive)
        self.form.addRow(self.tr("同意人*："), self.given_by)
        self.form.addRow(self.tr("与居民关系："), self.relation)
        self.form.addRow(self.tr("告知书版本*："), self.notice)
        self.form.addRow(self.tr("同意方式："), self.method)
        self.form.addRow(self.tr("同意日期："), self.given_on)
        self.form.addRow(self.tr("备注："), self.notes)
        if resident.age is not None and resident.age < GUARDIAN_AGE:
            hint = QLabel(self.tr("该居民未满14周岁，须由监护人同意。"))
            hint.setStyleSheet("color: #b3261e;")
            self.form.addRow(hint)
            self.given_by.clear()
        for field, widget in (
            ("scope", self.scope),
            ("given_by", self.given_by),
            ("guardian_relation", self.relation),
            ("notice_version", self.notice),
            ("method", self.method),
            ("notes", self.notes),
        ):
            self.watch(field, widget)
        self.scope.currentTextChanged.connect(self._on_scope)
        self.check()

    def _on_scope(self, text: str) -> None:
        if text.startswith("敏感"):
            self.sensitive.setChecked(True)

    def problem(self) -> str:
        if not self.scope.currentText().strip():
            return self.tr("请填写同意范围。")
        if not self.given_by.text().strip():
            return self.tr("请填写同意人姓名。")
        if not self.notice.text().strip():
            return self.tr("请填写告知书版本。")
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.residents.consent import add_consent

        given_on: date = self.given_on.date().toPython()  # type: ignore[assignment]
        return add_consent(
            session,
            self.actor,
            self.resident.id,
            scope=self.scope.currentText().strip(),
            sensitive=self.sensitive.isChecked(),
            given_by=self.given_by.text().strip(),
            guardian_relation=self.relation.text().strip(),
            notice_version=self.notice.text().strip(),
            method=self.method.currentText().strip(),
            given_on=given_on,
            notes=self.notes.text().strip(),
        )

    @classmethod
    def ask(
        cls, executor: DbExecutor, actor: Actor, resident: Any, *, parent: QWidget | None = None
    ) -> object | None:
        dlg = cls(executor, actor, resident, parent)
        dlg.exec()
        return dlg.result_value


class WithdrawDialog(QDialog):
    """The date a consent was withdrawn: a date field with a calendar, today by default,
    limited to the days between the consent and today (the core refuses others too)."""

    def __init__(self, consent: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("撤回同意"))
        layout = QVBoxLayout(self)
        text = QLabel(
            self.tr("撤回“%s”的同意（%s 同意）。撤回后记录仍保留。")
            % (
                consent.scope,
                consent.given_on.isoformat(),
            )
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.date_edit = _date_edit()
        given: date = consent.given_on
        self.date_edit.setMinimumDate(QDate(given.year, given.month, given.day))
        form.addRow(self.tr("撤回日期："), self.date_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("撤回"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.date_edit.setFocus()

    def chosen(self) -> date:
        return self.date_edit.date().toPython()  # type: ignore[return-value]


def ask_withdraw_date(parent: QWidget, consent: Any) -> date | None:
    """Ask the date of withdrawal (today by default); None if cancelled."""
    dlg = WithdrawDialog(consent, parent)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return dlg.chosen()
