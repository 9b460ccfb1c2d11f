"""Add or edit a resident, checked by the core's ``clean_resident`` as you type.

The ID number shows the birth date and gender it encodes; a number already registered is
looked up on the DB thread and shown with a button that opens the existing resident.
A role without 查看敏感信息 edits with the ID number and phone masked: they are kept as
stored (``KEEP``) unless the user presses 更换 and types a new value.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.ui.widgets.combos import find_data, select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor

GENDERS = ("", "男", "女")
DUPLICATE_DELAY_MS = 250


@dataclass(frozen=True)
class JumpTo:
    """The dialog's result when the user chose to open the existing (duplicate) resident."""

    resident_id: uuid.UUID


@dataclass(frozen=True)
class Places:
    """Communities and their grids for the dependent combo boxes."""

    communities: list[Any]  # CommunityRow
    grids: dict[uuid.UUID, list[Any]]  # community id -> GridRow list


def load_places(session: Session, actor: Actor) -> Places:
    """Runs on the DB thread."""
    from wushe_desktop.stations.service import list_communities, list_grids

    communities = list_communities(session, actor)
    return Places(communities, {c.id: list_grids(session, actor, c.id) for c in communities})


class ResidentDialog(FormDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        actor: Actor,
        places: Places,
        existing: Any | None = None,
        parent: QWidget | None = None,
    ) -> None:
        from wushe_desktop.domain.idnumber import DocType
        from wushe_desktop.domain.tags import DISABILITY_CATEGORIES, DISABILITY_GRADES, TAGS

        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改居民信息") if existing else self.tr("新增居民"))
        self.setMinimumWidth(640)
        self.actor = actor
        self.places = places
        self.existing = existing
        self.duplicate: Any | None = None
        self._dup_checked: tuple[str, str] | None = None
        # Editing a resident whose full number/phone this role may not see (masked row).
        self.hidden = existing is not None and not actor.can(
            Resource.RESIDENT, Action.VIEW_SENSITIVE
        )
        self._kept = {"id_number": False, "phone": False}

        self.name = QLineEdit()
        self.name.setMaxLength(50)
        self.doc_type = QComboBox()
        self.doc_type.addItems([d.value for d in DocType])
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(30)
        self.id_number.setPlaceholderText(self.tr("可暂不填写；填写后自动识别出生日期和性别"))
        self.derived = QLabel()
        self.derived.setStyleSheet("color: #1b6e20;")
        self.gender = QComboBox()
        self.gender.addItems([g or self.tr("（未填）") for g in GENDERS])
        self.has_birth = QCheckBox(self.tr("填写"))
        self.birth = QDateEdit()
        self.birth.setDisplayFormat("yyyy-MM-dd")
        self.birth.setCalendarPopup(True)
        self.birth.setDateRange(QDate(1900, 1, 1), QDate.currentDate())
        self.birth.setDate(QDate(1960, 1, 1))
        self.birth.setEnabled(False)
        self.phone = QLineEdit()
        self.phone.setMaxLength(20)
        self.phone.setPlaceholderText(self.tr("手机号或带区号的固定电话"))
        self.community = QComboBox()
        self.community.addItem(self.tr("（请选择）"), None)
        for c in places.communities:
            self.community.addItem(c.name, c.id)
        self.grid = QComboBox()
        self.address = QLineEdit()
        self.address.setMaxLength(200)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)

        self.replace_id = QPushButton(self.tr("更换"))
        self.replace_phone = QPushButton(self.tr("更换"))
        self.replace_id.clicked.connect(lambda: self._toggle_kept("id_number"))
        self.replace_phone.clicked.connect(lambda: self._toggle_kept("phone"))
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_number, 1)
        id_row.addWidget(self.replace_id)
        phone_row = QHBoxLayout()
        phone_row.addWidget(self.phone, 1)
        phone_row.addWidget(self.replace_phone)
        self.replace_id.hide()
        self.replace_phone.hide()

        birth_row = QHBoxLayout()
        birth_row.addWidget(self.has_birth)
        birth_row.addWidget(self.birth, 1)
        self.form.addRow(self.tr("姓名*："), self.name)
        self.form.addRow(self.tr("证件类型："), self.doc_type)
        self.form.addRow(self.tr("证件号码："), id_row)
        self.form.addRow("", self.derived)
        self.form.addRow(self.tr("性别："), self.gender)
        self.form.addRow(self.tr("出生日期："), birth_row)
        self.form.addRow(self.tr("联系电话："), phone_row)
        self.form.addRow(self.tr("社区（村）*："), self.community)
        self.form.addRow(self.tr("网格："), self.grid)
        self.form.addRow(self.tr("住址："), self.address)

        # duplicate warning with a jump button
        self.dup_box = QWidget()
        dup_layout = QHBoxLayout(self.dup_box)
        dup_layout.setContentsMargins(0, 0, 0, 0)
        self.dup_label = QLabel()
        self.dup_label.setWordWrap(True)
        self.dup_label.setStyleSheet("color: #b3261e;")
        self.dup_button = QPushButton(self.tr("查看该居民"))
        self.dup_button.clicked.connect(self._jump_to_duplicate)
        dup_layout.addWidget(self.dup_label, 1)
        dup_layout.addWidget(self.dup_button)
        self.dup_box.hide()
        self.form.addRow(self.dup_box)

        tags_box = QGroupBox(self.tr("重点人群"))
        grid = QGridLayout(tags_box)
        self.tag_boxes: dict[str, QCheckBox] = {}
        for i, (code, tag) in enumerate(TAGS.items()):
            box = QCheckBox(tag.label)
            self.tag_boxes[code] = box
            grid.addWidget(box, i // 4, i % 4)
            box.toggled.connect(self._changed)
        row = (len(TAGS) + 3) // 4
        self.disability_category = QComboBox()
        self.disability_category.addItems(["", *DISABILITY_CATEGORIES])
        self.disability_grade = QComboBox()
        self.disability_grade.addItems(["", *DISABILITY_GRADES])
        self.disability_row = QWidget()
        dl = QHBoxLayout(self.disability_row)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(QLabel(self.tr("残疾类别：")))
        dl.addWidget(self.disability_category)
        dl.addWidget(QLabel(self.tr("等级：")))
        dl.addWidget(self.disability_grade)
        dl.addStretch(1)
        grid.addWidget(self.disability_row, row, 0, 1, 4)
        self.disability_row.setVisible(False)
        self.outer.insertWidget(1, tags_box)
        self.form.addRow(self.tr("备注："), self.notes)

        for field, widget in (
            ("name", self.name),
            ("doc_type", self.doc_type),
            ("id_number", self.id_number),
            ("gender", self.gender),
            ("birth_date", self.birth),
            ("phone", self.phone),
            ("community_id", self.community),
            ("grid_id", self.grid),
            ("address", self.address),
            ("notes", self.notes),
        ):
            self.watch(field, widget)
        self.fields["tags"] = tags_box
        self.disability_category.currentIndexChanged.connect(self._changed)
        self.disability_grade.currentIndexChanged.connect(self._changed)
        self.birth.dateChanged.connect(self._changed)
        self.has_birth.toggled.connect(self._on_has_birth)
        self.community.currentIndexChanged.connect(self._fill_grids)
        self.tag_boxes["disabled"].toggled.connect(self.disability_row.setVisible)

        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(DUPLICATE_DELAY_MS)
        self._dup_timer.timeout.connect(self._check_duplicate)

        self._fill_grids()
        if existing is not None:
            self._load(existing)
        self.check()
        self.name.setFocus()

    # -- filling -------------------------------------------------------------------------------
    def _fill_grids(self) -> None:
        cid = self.community.currentData()
        current = self.grid.currentData()
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.addItem(self.tr("（不指定）"), None)
        for g in self.places.grids.get(cid, []) if cid else []:
            self.grid.addItem(g.name, g.id)
        index = find_data(self.grid, current)
        self.grid.setCurrentIndex(max(0, index))
        self.grid.blockSignals(False)
        self.grid.setEnabled(cid is not None)

    def _on_has_birth(self, on: bool) -> None:
        self.birth.setEnabled(on)
        self._changed()

    def _load(self, row: Any) -> None:
        self.name.setText(row.name)
        self.doc_type.setCurrentText(row.doc_type)
        self.id_number.setText(row.id_number)
        self.gender.setCurrentIndex(
            max(0, GENDERS.index(row.gender) if row.gender in GENDERS else 0)
        )
        if row.birth_date is not None:
            self.has_birth.setChecked(True)
            self.birth.setDate(QDate(row.birth_date.year, row.birth_date.month, row.birth_date.day))
        self.phone.setText(row.phone)
        select_data(self.community, row.community_id)
        self._fill_grids()
        select_data(self.grid, row.grid_id)
        self.address.setText(row.address)
        for code, detail in row.tags.items():
            box = self.tag_boxes.get(code)
            if box is not None:
                box.setChecked(True)
            if code == "disabled" and "/" in detail:
                category, grade = detail.split("/", 1)
                self.disability_category.setCurrentText(category)
                self.disability_grade.setCurrentText(grade)
        self._dup_checked = (row.doc_type, row.id_number)
        if self.hidden:  # masked values: keep them unless the user replaces them
            for name, value in (("id_number", row.id_number), ("phone", row.phone)):
                if value:
                    self._set_kept(name, True)

    # -- kept (masked) values ------------------------------------------------------------------
    @property
    def kept_id(self) -> bool:
        return self._kept["id_number"]

    @property
    def kept_phone(self) -> bool:
        return self._kept["phone"]

    def _set_kept(self, name: str, kept: bool) -> None:
        """Show the stored value masked (kept as is) or clear the field for a new value."""
        assert self.existing is not None
        edit, button = (
            (self.id_number, self.replace_id)
            if name == "id_number"
            else (self.phone, self.replace_phone)
        )
        self._kept[name] = kept
        button.show()
        edit.setReadOnly(kept)
        if kept:
            edit.setText(getattr(self.existing, name))
            edit.setToolTip(self.tr("已隐藏：您的角色不能查看完整号码。不更换则保持原值。"))
            button.setText(self.tr("更换"))
            button.setToolTip(self.tr("填写新的号码替换原值"))
        else:
            edit.clear()
            edit.setToolTip(self.tr("填写新的号码；留空保存会删除原来登记的号码。"))
            button.setText(self.tr("不更换"))
            button.setToolTip(self.tr("保持原来登记的号码"))
            edit.setFocus()
        if name == "id_number":
            if kept:
                self.doc_type.setCurrentText(self.existing.doc_type)
            self.doc_type.setEnabled(not kept)

    def _toggle_kept(self, name: str) -> None:
        self._set_kept(name, not self._kept[name])
        self._changed()

    # -- validation ----------------------------------------------------------------------------
    def tags(self) -> dict[str, str]:
        tags: dict[str, str] = {}
        for code, box in self.tag_boxes.items():
            if box.isChecked():
                tags[code] = ""
        if "disabled" in tags:
            category = self.disability_category.currentText()
            grade = self.disability_grade.currentText()
            tags["disabled"] = f"{category}/{grade}" if category or grade else ""
        if self.existing is not None:  # keep custom tags the form does not show
            for code, detail in self.existing.tags.items():
                if code.startswith("custom:"):
                    tags[code] = detail
        return tags

    def resident_input(self) -> Any:
        from wushe_desktop.residents.validation import KEEP, ResidentInput

        cid = self.community.currentData()
        if cid is None:
            raise ValidationError("请选择居民所在的社区（村）。", field="community_id")
        birth: date | None = None
        if self.has_birth.isChecked():
            birth = self.birth.date().toPython()  # type: ignore[assignment]
        return ResidentInput(
            name=self.name.text(),
            community_id=cid,
            doc_type=self.doc_type.currentText(),
            id_number=KEEP if self.kept_id else self.id_number.text(),
            phone=KEEP if self.kept_phone else self.phone.text(),
            gender=GENDERS[self.gender.currentIndex()],
            birth_date=birth,
            address=self.address.text(),
            grid_id=self.grid.currentData(),
            notes=self.notes.toPlainText(),
            tags=self.tags(),
        )

    def problem(self) -> str:
        from wushe_desktop.residents.validation import clean_resident, resolve_kept

        self._show_derived()
        data = self.resident_input()
        # Kept values are not known here; the service checks them against the stored ones.
        data = resolve_kept(data, doc_type=data.doc_type, id_number=None, phone=None)
        clean = clean_resident(data)  # raises ValidationError(field=…)
        if clean.id_number and (clean.doc_type, clean.id_number) != self._dup_checked:
            self._dup_timer.start()
        if self.duplicate is not None:
            return self.tr("该证件号码已登记，不能重复新增。")
        return ""

    def _show_derived(self) -> None:
        from wushe_desktop.domain.idnumber import DocType, validate_document

        number = self.id_number.text().strip()
        locked = False
        if self.kept_id:
            # The stored number decides birth date and gender where its type encodes them.
            locked = self.doc_type.currentText() in (DocType.ID_CARD, DocType.RESIDENCE_PERMIT)
            self.derived.setText(
                self.tr("证件号码已隐藏；不更换则保持原号码，出生日期和性别以原号码为准。")
                if locked
                else self.tr("证件号码已隐藏；不更换则保持原号码。")
            )
        elif number:
            try:
                _n, info = validate_document(self.doc_type.currentText(), number)
            except ValidationError:
                info = None
            if info is not None:
                locked = True
                self.derived.setText(
                    self.tr("证件显示：出生日期 %s，%s")
                    % (info.birth_date.isoformat(), info.gender)
                )
                self.gender.setCurrentIndex(GENDERS.index(info.gender))
                self.has_birth.setChecked(True)
                d = info.birth_date
                self.birth.setDate(QDate(d.year, d.month, d.day))
        if not locked and not self.kept_id:
            self.derived.setText("")
        self.gender.setEnabled(not locked)
        self.has_birth.setEnabled(not locked)
        self.birth.setEnabled(not locked and self.has_birth.isChecked())

    # -- duplicates ----------------------------------------------------------------------------
    def _check_duplicate(self) -> None:
        from wushe_desktop.residents.service import find_by_document

        doc_type, number = self.doc_type.currentText(), self.id_number.text().strip()
        if not number or self.kept_id:
            return
        actor = self.actor
        key = (doc_type, number)

        def work(session: Session) -> Any:
            try:
                return key, find_by_document(session, actor, doc_type, number)
            except ValidationError:
                return key, None

        self.executor.query(work, self._on_duplicate, lambda _e: None, parent=self)

    def _on_duplicate(self, result: object) -> None:
        assert isinstance(result, tuple)
        key, found = result
        if key != (self.doc_type.currentText(), self.id_number.text().strip()):
            return  # the number changed meanwhile
        self._dup_checked = (found.doc_type, found.id_number) if found else None
        own = self.existing is not None and found is not None and found.id == self.existing.id
        if found is None or own:
            self.duplicate = None
            self.dup_box.hide()
        else:
            self.duplicate = found
            where = found.community_name + (f"·{found.grid_name}" if found.grid_name else "")
            state = self.tr("（在回收站中）") if found.deleted_at else ""
            self.dup_label.setText(
                self.tr("该证件号码已登记为“%s”（%s）%s。") % (found.name, where, state)
            )
            self.dup_box.show()
        self.check()

    def _jump_to_duplicate(self) -> None:
        if self.duplicate is not None:
            self.result_value = JumpTo(self.duplicate.id)
            self.accept()

    # -- saving --------------------------------------------------------------------------------
    def save(self, session: Session) -> object:
        from wushe_desktop.residents.service import create_resident, update_resident

        data = self.resident_input()
        if self.existing is None:
            return create_resident(session, self.actor, data)
        return update_resident(
            session, self.actor, self.existing.id, data, expected_version=self.existing.version
        )

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        places: Places,
        existing: Any | None = None,
        parent: QWidget | None = None,
    ) -> object | None:
        """The saved ResidentRow, a ``JumpTo`` for the duplicate, or None if cancelled."""
        dlg = cls(executor, actor, places, existing, parent)
        dlg.exec()
        return dlg.result_value
