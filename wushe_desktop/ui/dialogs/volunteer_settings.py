"""志愿者设置 (age limits, hours cap, rounding, record deadline, star thresholds, issuer) and
节假日设置 (the station's own calendar days: next year's official schedule, local changes)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.workers import DbExecutor
from wushe_desktop.volunteers.settings import ROUNDING_STEPS, VolunteerRules

__all__ = ["HolidayDialog", "VolunteerSettingsDialog"]


def _spin(value: int, low: int, high: int, suffix: str = "") -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


def _ints(text: str) -> tuple[int, ...]:
    try:
        return tuple(
            int(p) for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()
        )
    except ValueError:
        raise ValidationError(
            "请用逗号分隔的整数填写，如 100,300,600,1000,1500。", field="star_hours"
        ) from None


class VolunteerSettingsDialog(FormDialog):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        rules: VolunteerRules,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("志愿者设置"))
        self.actor = actor
        self.rules = rules
        self.min_age = _spin(rules.min_age, 0, 18, " 岁")
        self.guardian_under = _spin(rules.guardian_under, 0, 18, " 岁")
        self.accompany_under = _spin(rules.accompany_under, 0, 18, " 岁")
        self.monthly_cap = _spin(rules.monthly_cap_minutes // 60, 0, 744, " 小时（0 为不限）")
        self.daily_cap = _spin(rules.daily_cap_minutes // 60, 1, 24, " 小时")
        self.rounding = QComboBox()
        for step in ROUNDING_STEPS:
            self.rounding.addItem(
                self.tr("按 %d 分钟向下取整") % step if step > 1 else self.tr("精确到分钟"), step
            )
        self.rounding.setCurrentIndex(ROUNDING_STEPS.index(rules.rounding_minutes))
        self.deadline = _spin(rules.record_deadline_workdays, 1, 60, " 个工作日")
        self.star_hours = QLineEdit(",".join(str(h) for h in rules.star_hours))
        self.star_months = QLineEdit(",".join(str(m) for m in rules.star_months))
        self.issuer = QLineEdit(rules.issuer_name)
        self.head = QLineEdit(rules.issuer_head)
        self.handler = QLineEdit(rules.issuer_handler)
        self.contact = QLineEdit(rules.issuer_contact)
        self.national = QCheckBox(self.tr("服务时长同时录入全国/江苏志愿服务信息系统"))
        self.national.setChecked(rules.uses_national_system)
        rows: tuple[tuple[str, QWidget, str], ...] = (
            ("最低登记年龄", self.min_age, "min_age"),
            ("需监护人同意（未满）", self.guardian_under, "guardian_under"),
            ("需监护人陪同（未满）", self.accompany_under, "accompany_under"),
            ("每月时长上限", self.monthly_cap, "caps"),
            ("每日时长上限", self.daily_cap, "daily"),
            ("时长取整", self.rounding, "rounding_minutes"),
            ("记录时限", self.deadline, "deadline"),
            ("星级时长门槛（小时）", self.star_hours, "star_hours"),
            ("星级最短注册月数", self.star_months, "star_months"),
            ("证明出具单位", self.issuer, "issuer"),
            ("负责人", self.head, "head"),
            ("经办人", self.handler, "handler"),
            ("联系方式", self.contact, "contact"),
            ("", self.national, "national"),
        )
        for label, widget, key in rows:
            self.form.addRow(self.tr(label), widget)
            self.watch(key, widget)
        self.national.toggled.connect(self._changed)
        self.check()

    def value(self) -> VolunteerRules:
        return replace(
            self.rules,
            min_age=self.min_age.value(),
            guardian_under=self.guardian_under.value(),
            accompany_under=self.accompany_under.value(),
            monthly_cap_minutes=self.monthly_cap.value() * 60,
            daily_cap_minutes=self.daily_cap.value() * 60,
            rounding_minutes=int(self.rounding.currentData()),
            record_deadline_workdays=self.deadline.value(),
            star_hours=_ints(self.star_hours.text()),
            star_months=_ints(self.star_months.text()),
            issuer_name=self.issuer.text().strip(),
            issuer_head=self.head.text().strip(),
            issuer_handler=self.handler.text().strip(),
            issuer_contact=self.contact.text().strip(),
            uses_national_system=self.national.isChecked(),
        )

    def problem(self) -> str:
        self.value().validate()
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.volunteers.settings import save_rules

        return save_rules(session, self.actor, self.value())


class HolidayDialog(QDialog):
    """The station's own calendar days for a year (休 = day off, 班 = working day)."""

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.setWindowTitle(self.tr("节假日设置 — %d年") % year)
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "程序内置的法定节假日数据由国务院每年公布后更新。新一年的安排尚未载入时，"
                "请在此按国务院通知录入放假日（休）和调休上班日（班）；录入后该年按此计算工作日。"
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.day = date_edit(date(year, 1, 1))
        self.kind = QComboBox()
        self.kind.addItem(self.tr("休（放假）"), "休")
        self.kind.addItem(self.tr("班（调休上班）"), "班")
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("如：国庆节"))
        self.add_button = QPushButton(self.tr("添加"))
        self.remove_button = QPushButton(self.tr("删除所选"))
        for w in (self.day, self.kind, self.note, self.add_button, self.remove_button):
            row.addWidget(w)
        layout.addLayout(row)
        self.message = ErrorLabel()
        layout.addWidget(self.message)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        self.days: list[Any] = []
        self.refresh()

    def refresh(self) -> None:
        from wushe_desktop.scheduling.workdays import list_station_days

        actor, year = self.ctx.actor, self.year

        def done(rows: object) -> None:
            assert isinstance(rows, list)
            self.days = rows
            self.list.clear()
            for day, kind, note in rows:
                self.list.addItem(f"{day.isoformat()}　{kind}　{note}")

        self.ctx.executor.query(lambda s: list_station_days(s, actor, year), done, parent=self)

    def add(self) -> None:
        from wushe_desktop.scheduling.workdays import set_station_day

        actor, day, kind, note = (
            self.ctx.actor,
            date_of(self.day),
            str(self.kind.currentData()),
            self.note.text(),
        )
        self.ctx.executor.query(
            lambda s: set_station_day(s, actor, day, kind, note),
            lambda _r: self.refresh(),
            lambda exc: self.message.show_message(str(exc)),
            parent=self,
        )

    def remove(self) -> None:
        from wushe_desktop.scheduling.workdays import remove_station_day

        row = self.list.currentRow()
        if not 0 <= row < len(self.days):
            return
        actor, day = self.ctx.actor, self.days[row][0]
        self.ctx.executor.query(
            lambda s: remove_station_day(s, actor, day), lambda _r: self.refresh(), parent=self
        )
