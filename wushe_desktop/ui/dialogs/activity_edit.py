"""登记活动 / 修改活动 (checked by the core's ``clean_activity`` as you type) and 活动照片."""

from __future__ import annotations

import uuid
from datetime import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTime, QUrl
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.activities.validation import (
    ActivityInput,
    ActivityType,
    OrganizerKind,
    clean_activity,
)
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.dialogs.community_widgets import (
    ResidentPickerDialog,
    date_edit,
    date_of,
    set_date,
)
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setTime(QTime(value.hour, value.minute))
    return edit


def _time_of(edit: QTimeEdit) -> time:
    t = edit.time()
    return time(t.hour(), t.minute())


class ActivityDialog(FormDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        actor: Actor,
        choices: Any,
        *,
        existing: Any | None = None,
        named: list[tuple[uuid.UUID, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改活动") if existing else self.tr("登记活动"))
        self.setMinimumWidth(620)
        self.actor = actor
        self.existing = existing
        self.named: list[tuple[uuid.UUID, str]] = list(named or [])
        self.title = QLineEdit()
        self.title.setMaxLength(100)
        self.title.setPlaceholderText(self.tr("例如：重阳敬老宴"))
        self.activity_type = QComboBox()
        self.activity_type.addItems([t.value for t in ActivityType])
        self.held_on = date_edit()
        self.has_time = QCheckBox(self.tr("填写时间"))
        self.has_time.setChecked(True)
        self.start_time = _time_edit(time(9, 0))
        self.end_time = _time_edit(time(11, 0))
        time_row = QHBoxLayout()
        time_row.addWidget(self.has_time)
        time_row.addWidget(self.start_time)
        time_row.addWidget(QLabel("—"))
        time_row.addWidget(self.end_time)
        time_row.addStretch(1)
        self.community = QComboBox()
        self.community.addItem(self.tr("全站（镇/街道）"), None)
        for cid, label in choices.community_items():
            self.community.addItem(label, cid)
        self.organizer_kind = QComboBox()
        self.organizer_kind.addItems([k.value for k in OrganizerKind])
        self.organizer_name = QLineEdit()
        self.organizer_name.setMaxLength(100)
        self.organizer_name.setPlaceholderText(self.tr("社会组织或社区的名称"))
        self.worker = QComboBox()
        self.worker.addItem(self.tr("（未指定）"), None)
        for uid, label in choices.staff:
            self.worker.addItem(label, uid)
        self.participants = QSpinBox()
        self.participants.setRange(0, 100_000)
        self.participants.setSuffix(self.tr(" 人"))
        self.named_label = QLabel()
        self.named_button = QPushButton(self.tr("登记参与居民…"))
        named_row = QHBoxLayout()
        named_row.addWidget(self.named_label, 1)
        named_row.addWidget(self.named_button)
        self.volunteers = QSpinBox()
        self.volunteers.setRange(0, 10_000)
        self.volunteers.setSuffix(self.tr(" 人"))
        self.has_cost = QCheckBox(self.tr("填写"))
        self.cost = QDoubleSpinBox()
        self.cost.setRange(0, 100_000_000)
        self.cost.setDecimals(2)
        self.cost.setSuffix(self.tr(" 元"))
        self.cost.setEnabled(False)
        cost_row = QHBoxLayout()
        cost_row.addWidget(self.has_cost)
        cost_row.addWidget(self.cost, 1)
        self.record = QPlainTextEdit()
        self.record.setFixedHeight(90)
        self.record.setPlaceholderText(self.tr("活动过程、参与情况、成效和反馈"))
        self.form.addRow(self.tr("活动名称*："), self.title)
        self.form.addRow(self.tr("活动类型："), self.activity_type)
        self.form.addRow(self.tr("活动日期*："), self.held_on)
        self.form.addRow(self.tr("时间："), time_row)
        self.form.addRow(self.tr("社区（村）："), self.community)
        self.form.addRow(self.tr("主办方类别："), self.organizer_kind)
        self.form.addRow(self.tr("主办方名称："), self.organizer_name)
        self.form.addRow(self.tr("负责社工："), self.worker)
        self.form.addRow(self.tr("参与人数*（签到总数）："), self.participants)
        self.form.addRow(self.tr("其中登记姓名："), named_row)
        self.form.addRow(self.tr("参与志愿者："), self.volunteers)
        self.form.addRow(self.tr("活动经费："), cost_row)
        self.form.addRow(self.tr("活动记录："), self.record)
        self.highlight = QCheckBox(self.tr("列为工作亮点（写入月度工作报告的“工作亮点”）"))
        self.form.addRow("", self.highlight)
        for field, widget in (
            ("title", self.title),
            ("activity_type", self.activity_type),
            ("community_id", self.community),
            ("organizer_kind", self.organizer_kind),
            ("organizer_name", self.organizer_name),
            ("worker_id", self.worker),
            ("participants", self.participants),
            ("volunteers", self.volunteers),
            ("record", self.record),
        ):
            self.watch(field, widget)
        self.fields["held_on"] = self.held_on
        self.fields["start_time"] = self.start_time
        self.fields["end_time"] = self.end_time
        self.fields["cost_fen"] = self.cost
        self.fields["named"] = self.named_label
        for signal in (
            self.held_on.dateChanged,
            self.start_time.timeChanged,
            self.end_time.timeChanged,
            self.has_time.toggled,
            self.has_cost.toggled,
            self.cost.valueChanged,
            self.highlight.toggled,
        ):
            signal.connect(self._changed)
        self.has_time.toggled.connect(self.start_time.setEnabled)
        self.has_time.toggled.connect(self.end_time.setEnabled)
        self.has_cost.toggled.connect(self.cost.setEnabled)
        self.named_button.clicked.connect(self.pick_named)
        if actor.user_id is not None:
            select_data(self.worker, actor.user_id)
        if existing is not None:
            self._load(existing)
        self._show_named()
        self.check()

    def _load(self, a: Any) -> None:
        self.title.setText(a.title)
        self.activity_type.setCurrentText(a.activity_type)
        set_date(self.held_on, a.held_on)
        self.has_time.setChecked(a.start_time is not None)
        if a.start_time is not None:
            self.start_time.setTime(QTime(a.start_time.hour, a.start_time.minute))
        if a.end_time is not None:
            self.end_time.setTime(QTime(a.end_time.hour, a.end_time.minute))
        select_data(self.community, a.community_id)
        self.organizer_kind.setCurrentText(a.organizer_kind)
        self.organizer_name.setText(a.organizer_name)
        select_data(self.worker, a.worker_id)
        self.participants.setValue(a.participants)
        self.volunteers.setValue(a.volunteers)
        if a.cost_fen is not None:
            self.has_cost.setChecked(True)
            self.cost.setValue(a.cost_fen / 100)
        self.record.setPlainText(a.record)
        self.highlight.setChecked(a.is_highlight)

    def _show_named(self) -> None:
        names = "、".join(name for _rid, name in self.named[:8])
        more = self.tr(" 等") if len(self.named) > 8 else ""
        self.named_label.setText(
            self.tr("%d 人%s") % (len(self.named), f"：{names}{more}" if names else "")
        )

    def pick_named(self) -> None:
        picked = ResidentPickerDialog.ask(
            self.executor, self.actor, self.tr("登记参与居民"), self.named, self
        )
        if picked is None:
            return
        self.named = picked
        if self.participants.value() < len(picked):
            self.participants.setValue(len(picked))
        self._show_named()
        self._changed()

    def input(self) -> ActivityInput:
        timed = self.has_time.isChecked()
        return ActivityInput(
            title=self.title.text(),
            activity_type=self.activity_type.currentText(),
            held_on=date_of(self.held_on),
            participants=self.participants.value(),
            community_id=self.community.currentData(),
            start_time=_time_of(self.start_time) if timed else None,
            end_time=_time_of(self.end_time) if timed else None,
            organizer_kind=self.organizer_kind.currentText(),
            organizer_name=self.organizer_name.text(),
            worker_id=self.worker.currentData(),
            volunteers=self.volunteers.value(),
            cost_fen=round(self.cost.value() * 100) if self.has_cost.isChecked() else None,
            record=self.record.toPlainText(),
            named=[rid for rid, _name in self.named],
            is_highlight=self.highlight.isChecked(),
        )

    def problem(self) -> str:
        clean_activity(self.input())
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.activities.service import create_activity, update_activity

        if self.existing is None:
            return create_activity(session, self.actor, self.input())
        return update_activity(
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
        named: list[tuple[uuid.UUID, str]] | None = None,
        parent: QWidget | None = None,
    ) -> Any | None:
        """The saved ActivityRow, or None if cancelled."""
        dlg = cls(executor, actor, choices, existing=existing, named=named, parent=parent)
        dlg.exec()
        return dlg.result_value


class PhotosDialog(QDialog):
    """活动照片: add (copied into the data directory), open with the system viewer, remove."""

    def __init__(
        self, executor: DbExecutor, actor: Actor, activity: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.executor = executor
        self.actor = actor
        self.activity = activity
        self.changed = False
        self.setWindowTitle(self.tr("活动照片：%s") % activity.title)
        self.resize(520, 380)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        layout.addWidget(self.list)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("添加照片…"))
        self.open_button = QPushButton(self.tr("打开"))
        self.remove_button = QPushButton(self.tr("移除"))
        for b in (self.add_button, self.open_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        editable = actor.can(Resource.SERVICE, Action.UPDATE) and activity.deleted_at is None
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.add_button.clicked.connect(self.add)
        self.open_button.clicked.connect(self.open_photo)
        self.list.itemDoubleClicked.connect(lambda _i: self.open_photo())
        self.remove_button.clicked.connect(self.remove)
        self.refresh()

    def refresh(self) -> None:
        from wushe_desktop.activities.photos import list_photos

        actor, aid = self.actor, self.activity.id
        self.executor.query(lambda s: list_photos(s, actor, aid), self._on_loaded, parent=self)

    def _on_loaded(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.list.clear()
        for p in rows:
            label = p.file_name + (f"（{p.caption}）" if p.caption else "")
            item = QListWidgetItem(f"{label}　{p.size_bytes // 1024 or 1} KB")
            item.setData(256, p.id)
            self.list.addItem(item)

    def _selected(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        return item.data(256) if item is not None else None

    def add(self, files: list[str] | None = None) -> None:
        from wushe_desktop.activities.photos import PHOTO_SUFFIXES, add_photo

        if not files:
            pattern = " ".join(f"*{s}" for s in PHOTO_SUFFIXES)
            files, _ = QFileDialog.getOpenFileNames(
                self, self.tr("选择照片"), "", self.tr("图片 (%s)") % pattern
            )
        if not files:
            return
        actor, aid = self.actor, self.activity.id

        def save(session: Session) -> int:
            for name in files or []:
                add_photo(session, actor, aid, Path(name))
            return len(files or [])

        def done(_n: object) -> None:
            self.changed = True
            self.refresh()

        self.executor.query(save, done, lambda exc: errors.show_error(self, exc), parent=self)

    def open_photo(self) -> None:
        from PySide6.QtGui import QDesktopServices

        from wushe_desktop.activities.photos import photo_file

        pid = self._selected()
        if pid is None:
            return
        actor = self.actor

        def show(path: object) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        self.executor.query(lambda s: photo_file(s, actor, pid), show, parent=self)

    def remove(self) -> None:
        from wushe_desktop.activities.photos import remove_photo

        pid = self._selected()
        if pid is None or not msgbox.question(self, self.tr("确定移除这张照片吗？")):
            return
        actor = self.actor

        def done(_r: object) -> None:
            self.changed = True
            self.refresh()

        self.executor.query(lambda s: remove_photo(s, actor, pid), done, parent=self)

    @classmethod
    def ask(
        cls, executor: DbExecutor, actor: Actor, activity: Any, parent: QWidget | None = None
    ) -> bool:
        """True when photos were added or removed."""
        dlg = cls(executor, actor, activity, parent)
        dlg.exec()
        return dlg.changed
