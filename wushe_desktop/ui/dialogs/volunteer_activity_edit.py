"""Edit a volunteer activity (志愿服务活动): its texts, place, start day, and its link to a
community activity (社区活动), so that shifts made before the community activity was
recorded can still be credited to it. Saves through ``scheduling.shifts.update_activity``
(version-checked and audited)."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.scheduling.shifts import ActivityInput, ActivityRow
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor

__all__ = ["VolunteerActivityDialog"]

_LIMITS = (
    ("title", "活动名称", 100),
    ("content", "服务内容", 500),
    ("organiser", "组织单位", 100),
    ("person_in_charge", "活动负责人", 50),
    ("place", "地点", 200),
    ("what_to_bring", "需携带物品", 200),
)


class VolunteerActivityDialog(FormDialog):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        activity: ActivityRow,
        *,
        communities: list[tuple[uuid.UUID, str]],
        community_activities: list[tuple[uuid.UUID, str]],
        linked_label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改志愿服务活动“%s”") % activity.title)
        self.actor = actor
        self.activity = activity
        self.edits: dict[str, QLineEdit] = {}
        for key, label, _limit in _LIMITS:
            edit = QLineEdit(getattr(activity, key))
            self.edits[key] = edit
            if key == "content":
                continue
            self.form.addRow(self.tr(label) + (" *" if key == "title" else ""), edit)
            self.watch(key, edit)
        self.content = QPlainTextEdit(activity.content)
        self.content.setFixedHeight(70)
        self.form.insertRow(1, self.tr("服务内容"), self.content)
        self.watch("content", self.content)
        self.community = QComboBox()
        self.community.addItem(self.tr("（不限）"), None)
        for cid, name in communities:
            self.community.addItem(name, cid)
        index = self.community.findData(activity.community_id)
        self.community.setCurrentIndex(max(index, 0))
        self.form.addRow(self.tr("社区（村）"), self.community)
        self.watch("community_id", self.community)
        self.starts_on = date_edit(activity.starts_on)
        self.form.addRow(self.tr("开始日期"), self.starts_on)
        self.starts_on.dateChanged.connect(self._changed)
        self.linked = QComboBox()
        self.linked.addItem(self.tr("（不关联）"), "")
        for cid, label in community_activities:
            self.linked.addItem(label, str(cid))  # text data: findData with a UUID never matches
        current = activity.source_id if activity.source_kind else ""
        if current and self.linked.findData(current) < 0:  # older than the offered choices
            self.linked.addItem(linked_label or current, current)
        self.linked.setCurrentIndex(max(self.linked.findData(current), 0))
        self.form.addRow(self.tr("关联社区活动"), self.linked)
        self.watch("source_id", self.linked)
        self.notes = QPlainTextEdit(activity.notes)
        self.notes.setFixedHeight(50)
        self.form.addRow(self.tr("备注"), self.notes)
        self.watch("notes", self.notes)
        self.check()

    def problem(self) -> str:
        for key, label, limit in _LIMITS:
            text = self._text(key)
            if key == "title" and not text:
                return self.tr("请填写活动名称。")
            if len(text) > limit:
                return self.tr("%s最长%d个字，当前为%d个字。") % (label, limit, len(text))
        return ""

    def _text(self, key: str) -> str:
        if key == "content":
            return self.content.toPlainText().strip()
        return self.edits[key].text().strip()

    def activity_input(self) -> ActivityInput:
        from wushe_desktop.scheduling.community_link import SOURCE_KIND

        linked: Any = self.linked.currentData() or ""
        kind = SOURCE_KIND if linked else ""
        if self.activity.source_kind and self.activity.source_kind != SOURCE_KIND:
            kind, linked = self.activity.source_kind, self.activity.source_id  # not ours to edit
        return ActivityInput(
            title=self._text("title"),
            content=self._text("content"),
            category=self.activity.category,
            organiser=self._text("organiser"),
            person_in_charge=self._text("person_in_charge"),
            place=self._text("place"),
            community_id=self.community.currentData(),
            starts_on=date_of(self.starts_on),
            what_to_bring=self._text("what_to_bring"),
            source_kind=kind,
            source_id=linked,
            notes=self.notes.toPlainText().strip(),
        )

    def save(self, session: Session) -> object:
        from wushe_desktop.scheduling.shifts import update_activity

        return update_activity(
            session,
            self.actor,
            self.activity.id,
            self.activity_input(),
            expected_version=self.activity.version,
        )
