"""A service record entered by hand (咨询, 电话回访, 探访 … without a case), or edited.

Either one resident (found by name, pinyin initials or ID number) — 1 人次 — or a number of
participants in a community (an activity counted, not named).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.service_records.rows import ServiceRecordRow
from wushe_desktop.service_records.validation import (
    SERVICE_TYPES,
    ServiceRecordInput,
    check_record,
)
from wushe_desktop.ui.dialogs.case_new import find_residents
from wushe_desktop.ui.dialogs.case_widgets import date_edit, date_of
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


def load_staff_and_places(session: Session, actor: Actor) -> tuple[list[Any], list[Any]]:
    from wushe_desktop.service_records.service import list_station_staff
    from wushe_desktop.stations.service import list_communities

    return (
        list_station_staff(session, actor),
        [(c.id, c.name) for c in list_communities(session, actor)],
    )


class ServiceRecordDialog(FormDialog):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        existing: ServiceRecordRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "修改服务记录" if existing else "新增服务记录", parent)
        self.actor, self.existing = actor, existing
        self.loaded = False
        self.served_on = date_edit(existing.served_on if existing else None)
        self.kind = QComboBox()
        self.kind.addItems(list(SERVICE_TYPES))
        self.kind.setCurrentText(existing.service_type if existing else "咨询")
        self.named = QRadioButton(self.tr("具体服务对象（计 1 人次）"))
        self.counted = QRadioButton(self.tr("只记人数（如社区活动）"))
        self.resident_search = QLineEdit()
        self.resident_search.setPlaceholderText(self.tr("输入姓名、拼音首字母或身份证号查找"))
        self.resident = QComboBox()
        self.participants = QSpinBox()
        self.participants.setRange(0, 100_000)
        self.community = QComboBox()
        self.community.addItem(self.tr("（服务对象所在社区）"), None)
        self.worker = QComboBox()
        self.worker.setEditable(True)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSingleStep(5)
        self.minutes.setSuffix(" 分钟")
        self.minutes.setValue(existing.duration_minutes if existing else 20)
        self.content = QPlainTextEdit(existing.content if existing else "")
        self.content.setFixedHeight(80)
        self.highlight = QCheckBox(self.tr("亮点服务（写入月报）"))
        if existing is not None:
            self.highlight.setChecked(existing.is_highlight)
            if existing.resident_id is not None:
                self.resident.addItem(existing.resident_name, existing.resident_id)
            self.participants.setValue(existing.participants)
        (self.counted if existing and existing.resident_id is None else self.named).setChecked(True)
        for label, widget in (
            ("服务日期", self.served_on),
            ("服务类型", self.kind),
            ("", self.named),
            ("查找居民", self.resident_search),
            ("服务对象", self.resident),
            ("", self.counted),
            ("参与人数", self.participants),
            ("社区（村）", self.community),
            ("服务人员", self.worker),
            ("时长", self.minutes),
            ("服务内容", self.content),
            ("", self.highlight),
        ):
            self.form.addRow(self.tr(label), widget)
        self.watch("served_on", self.served_on)
        self.served_on.dateChanged.connect(self._changed)
        self.named.toggled.connect(self._changed)
        self.watch("resident_id", self.resident)
        self.watch("participants", self.participants)
        self.watch("community_id", self.community)
        self.watch("duration_minutes", self.minutes)
        self.watch("content", self.content)
        self.resident_search.textEdited.connect(self._search)
        executor.query(lambda s: load_staff_and_places(s, actor), self._on_loaded, parent=self)
        self.check()

    def _on_loaded(self, result: object) -> None:
        assert isinstance(result, tuple)
        staff, places = result
        for uid, name in staff:
            self.worker.addItem(name, uid)
        for cid, name in places:
            self.community.addItem(name, cid)
        if self.existing is not None:
            if not select_data(self.worker, self.existing.worker_id):
                self.worker.setEditText(self.existing.worker_name)
            select_data(self.community, self.existing.community_id)
        else:
            select_data(self.worker, self.actor.user_id)
        self.loaded = True
        self.check()

    def _search(self, text: str) -> None:
        if text.strip():
            actor = self.actor
            self.executor.query(
                lambda s: find_residents(s, actor, text), self._on_found, parent=self
            )

    def _on_found(self, result: object) -> None:
        assert isinstance(result, list)
        self.resident.clear()
        for rid, label in result:
            self.resident.addItem(label, rid)
        self.check()

    def record(self) -> ServiceRecordInput:
        named = self.named.isChecked()
        text = self.worker.currentText().strip()
        index = self.worker.findText(text)
        worker_id: uuid.UUID | None = self.worker.itemData(index) if index >= 0 else None
        return ServiceRecordInput(
            served_on=date_of(self.served_on),
            service_type=self.kind.currentText(),
            duration_minutes=self.minutes.value(),
            content=self.content.toPlainText(),
            worker_id=worker_id,
            resident_id=self.resident.currentData() if named else None,
            participants=0 if named else self.participants.value(),
            community_id=self.community.currentData(),
            is_highlight=self.highlight.isChecked(),
            worker_name="" if worker_id else text,
            source_type=self.existing.source_type if self.existing else "",
            source_id=self.existing.source_id if self.existing else None,
        )

    def problem(self) -> str:
        if not self.loaded:
            return self.tr("正在读取工作人员名单…")
        if self.named.isChecked() and self.resident.currentData() is None:
            return self.tr("请查找并选择服务对象，或改为只记人数。")
        if not self.worker.currentText().strip():
            return self.tr("请填写服务人员。")
        check_record(self.record(), today=date.today())
        return ""

    def save(self, session: Session) -> Any:
        from wushe_desktop.service_records.service import (
            add_service_record,
            update_service_record,
        )

        if self.existing is None:
            return add_service_record(session, self.actor, self.record())
        return update_service_record(
            session,
            self.actor,
            self.existing.id,
            self.record(),
            expected_version=self.existing.version,
        )
