"""新建班次: an activity (existing or new), the shift's time, place and needs, and optionally a
recurrence (每周 / 每月第N个星期几 / 每月几号, until a date or a count) with a live preview of
the dates, skipped holidays and 调休 days."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.scheduling.recurrence import Rule, generate
from wushe_desktop.scheduling.shifts import ActivityInput, ShiftInput
from wushe_desktop.scheduling.workdays import WorkCalendar
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor
from wushe_desktop.volunteers.availability import WEEKDAY_NAMES
from wushe_desktop.volunteers.validation import parse_skills

__all__ = ["ShiftDialog"]

NEW_ACTIVITY = "__new__"
_REPEAT = (
    ("none", "不重复"),
    ("weekly", "每周"),
    ("monthly_weekday", "每月第N个星期几"),
    ("monthly_day", "每月几号"),
)
_ORDINALS = (
    (1, "第一个"),
    (2, "第二个"),
    (3, "第三个"),
    (4, "第四个"),
    (5, "第五个"),
    (-1, "最后一个"),
)


def _time(minute: int) -> QTimeEdit:
    edit = QTimeEdit(QTime(minute // 60, minute % 60))
    edit.setDisplayFormat("HH:mm")
    return edit


def _minutes(edit: QTimeEdit) -> int:
    t = edit.time()
    return t.hour() * 60 + t.minute()


class ShiftDialog(FormDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        actor: Actor,
        *,
        activities: list[tuple[uuid.UUID, str]],
        communities: list[tuple[uuid.UUID, str]],
        teams: list[tuple[uuid.UUID, str]],
        community_activities: list[tuple[uuid.UUID, str]] | None = None,
        day: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("新建班次"))
        self.setMinimumWidth(600)
        self.actor = actor
        self.activity = QComboBox()
        self.activity.addItem(self.tr("（新建活动）"), NEW_ACTIVITY)
        for aid, title in activities:
            self.activity.addItem(title, aid)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("新活动的名称，如：助老服务日"))
        self.content = QLineEdit()
        self.content.setPlaceholderText(self.tr("服务内容（写入服务记录和证明）"))
        self.linked = QComboBox()
        self.linked.addItem(self.tr("（不关联）"), None)
        for cid, label in community_activities or []:
            self.linked.addItem(label, str(cid))
        self.bring = QLineEdit()
        self.bring.setPlaceholderText(self.tr("需携带物品（写入通知）"))
        self.day = date_edit(day)
        self.start = _time(9 * 60)
        self.end = _time(11 * 60 + 30)
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel("—"))
        times.addWidget(self.end)
        times_box = QWidget()
        times_box.setLayout(times)
        self.needed = QSpinBox()
        self.needed.setRange(1, 500)
        self.needed.setValue(3)
        self.place = QLineEdit()
        self.community = QComboBox()
        self.community.addItem(self.tr("（不限）"), None)
        for cid, name in communities:
            self.community.addItem(name, cid)
        self.skills = QLineEdit()
        self.skills.setPlaceholderText(self.tr("所需技能，用顿号分隔，如：医疗护理"))
        self.quals = QLineEdit()
        self.quals.setPlaceholderText(self.tr("岗位资格，如：急救证"))
        self.insurance = QCheckBox(self.tr("要求有效的志愿者保险（有风险的活动）"))
        self.team = QComboBox()
        self.team.addItem(self.tr("（不限服务队）"), None)
        for tid, name in teams:
            self.team.addItem(name, tid)
        self.repeat = QComboBox()
        for key, label in _REPEAT:
            self.repeat.addItem(self.tr(label), key)
        self.interval = QSpinBox()
        self.interval.setRange(1, 12)
        self.interval.setPrefix(self.tr("每 "))
        self.interval.setSuffix(self.tr(" 周/月"))
        self.weekday_boxes = [QCheckBox(name) for name in WEEKDAY_NAMES]
        days = QHBoxLayout()
        for box in self.weekday_boxes:
            days.addWidget(box)
            box.toggled.connect(self._changed)
        days_box = QWidget()
        days_box.setLayout(days)
        self.ordinal = QComboBox()
        for n, label in _ORDINALS:
            self.ordinal.addItem(self.tr(label), n)
        self.month_weekday = QComboBox()
        for i, name in enumerate(WEEKDAY_NAMES):
            self.month_weekday.addItem(name, i)
        self.until = date_edit(date(date.today().year, 12, 31))
        self.skip = QCheckBox(self.tr("逢法定节假日不排班"))
        self.skip.setChecked(True)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        rows: tuple[tuple[str, QWidget, str], ...] = (
            ("活动", self.activity, "activity"),
            ("新活动名称", self.title, "title"),
            ("服务内容", self.content, "content"),
            ("关联社区活动", self.linked, "source_id"),
            ("需携带物品", self.bring, "bring"),
            ("日期（首次）", self.day, "day"),
            ("时间", times_box, "end_minute"),
            ("需要人数", self.needed, "needed"),
            ("地点", self.place, "place"),
            ("社区（村）", self.community, "community_id"),
            ("所需技能", self.skills, "skills"),
            ("岗位资格", self.quals, "qualifications"),
            ("", self.insurance, "insurance"),
            ("限定服务队", self.team, "team_id"),
            ("重复", self.repeat, "freq"),
            ("间隔", self.interval, "interval"),
            ("星期", days_box, "weekdays"),
            ("每月第几个", self.ordinal, "week_of_month"),
            ("星期几", self.month_weekday, "weekday"),
            ("截止日期", self.until, "until"),
            ("", self.skip, "skip"),
            ("预览", self.preview, "preview"),
        )
        for label, widget, key in rows:
            self.form.addRow(self.tr(label), widget)
            self.watch(key, widget)
        for edit in (self.day, self.until):
            edit.dateChanged.connect(self._changed)
        self.start.timeChanged.connect(self._changed)
        self.end.timeChanged.connect(self._changed)
        self.skip.toggled.connect(self._changed)
        self.insurance.toggled.connect(self._changed)
        self.check()

    # -- reading the form ----------------------------------------------------------------------
    def rule(self) -> Rule | None:
        freq = self.repeat.currentData()
        if freq == "none":
            return None
        start = date_of(self.day)
        return Rule(
            freq,
            start,
            interval=self.interval.value(),
            weekdays=tuple(i for i, box in enumerate(self.weekday_boxes) if box.isChecked()),
            week_of_month=int(self.ordinal.currentData()),
            weekday=int(self.month_weekday.currentData()),
            day_of_month=start.day,
            until=date_of(self.until),
            skip_holidays=self.skip.isChecked(),
        )

    def shift_input(self) -> ShiftInput:
        return ShiftInput(
            day=date_of(self.day),
            start_minute=_minutes(self.start),
            end_minute=_minutes(self.end),
            needed=self.needed.value(),
            place=self.place.text(),
            community_id=self.community.currentData(),
            required_skills=parse_skills(self.skills.text()),
            required_qualifications=parse_skills(self.quals.text()),
            needs_insurance=self.insurance.isChecked(),
            team_id=self.team.currentData(),
        )

    def problem(self) -> str:
        new = self.activity.currentData() == NEW_ACTIVITY
        self.title.setEnabled(new)
        self.content.setEnabled(new)
        self.bring.setEnabled(new)
        self.linked.setEnabled(new)
        if new and not self.title.text().strip():
            raise ValidationError(self.tr("请填写新活动的名称，或选择已有的活动。"), field="title")
        data = self.shift_input()
        if data.end_minute <= data.start_minute:
            raise ValidationError(self.tr("结束时间应晚于开始时间。"), field="end_minute")
        rule = self.rule()
        freq = self.repeat.currentData()
        for widget, used in (
            (self.interval, freq != "none"),
            (self.until, freq != "none"),
            (self.skip, freq != "none"),
            (self.ordinal, freq == "monthly_weekday"),
            (self.month_weekday, freq == "monthly_weekday"),
        ):
            widget.setEnabled(used)
        for box in self.weekday_boxes:
            box.setEnabled(freq == "weekly")
        if rule is None:
            self.preview.setText(self.tr("只生成这一个班次。"))
            return ""
        found = generate(rule, WorkCalendar())
        text = self.tr("将生成 %d 个班次") % len(found.days)
        if found.days:
            text += self.tr("（%s 至 %s）") % (found.days[0], found.days[-1])
        if found.skipped:
            text += self.tr("；跳过：") + "；".join(why for _d, why in found.skipped[:4])
            if len(found.skipped) > 4:
                text += self.tr(" 等 %d 天") % len(found.skipped)
        if found.notes:
            text += "；" + "；".join(found.notes[:3])
        if found.warnings:
            text += "\n" + "\n".join(found.warnings)
        self.preview.setText(text)
        if not found.days:
            return self.tr("按此规则没有可生成的班次，请调整重复规则。")
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.scheduling.community_link import SOURCE_KIND
        from wushe_desktop.scheduling.shifts import create_activity, create_series, create_shift

        activity_id: Any = self.activity.currentData()
        data = self.shift_input()
        if activity_id == NEW_ACTIVITY:
            linked = self.linked.currentData()
            activity_id = create_activity(
                session,
                self.actor,
                ActivityInput(
                    title=self.title.text(),
                    content=self.content.text(),
                    place=data.place,
                    community_id=data.community_id,
                    starts_on=data.day,
                    what_to_bring=self.bring.text(),
                    source_kind=SOURCE_KIND if linked else "",
                    source_id=linked or "",
                ),
            ).id
        rule = self.rule()
        if rule is None:
            return create_shift(session, self.actor, activity_id, data).id
        return create_series(session, self.actor, activity_id, rule, data).summary()
