"""新增/修改志愿者: identity, contact, skills, the weekly availability grid, insurance, consent.

The form checks as you type with the core's own rules (``clean_volunteer``, the station's
age limits included), so 保存 is enabled only for a volunteer the core will accept.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor
from wushe_desktop.volunteers.availability import SLOT_NAMES, WEEKDAY_NAMES, bit
from wushe_desktop.volunteers.constants import EDUCATION, POLITICAL_STATUSES, SKILLS
from wushe_desktop.volunteers.settings import VolunteerRules
from wushe_desktop.volunteers.validation import VolunteerInput, clean_volunteer, parse_skills

__all__ = ["VolunteerDialog"]


def _line(text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setPlaceholderText(placeholder)
    return edit


def _combo(items: tuple[str, ...], current: str = "", blank: str = "（未填）") -> QComboBox:
    combo = QComboBox()
    combo.addItem(blank, "")
    for item in items:
        combo.addItem(item, item)
    select_data(combo, current)
    return combo


class AvailabilityGrid(QWidget):
    """7 weekdays × 上午/下午/晚上 check boxes."""

    def __init__(self, mask: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[tuple[int, int], QCheckBox] = {}
        for day, name in enumerate(WEEKDAY_NAMES):
            grid.addWidget(QLabel(name), 0, day + 1)
        for slot, slot_name in enumerate(SLOT_NAMES):
            grid.addWidget(QLabel(slot_name), slot + 1, 0)
            for day in range(7):
                box = QCheckBox()
                box.setChecked(bool(mask & bit(day, slot)))
                self.boxes[(day, slot)] = box
                grid.addWidget(box, slot + 1, day + 1)

    def value(self) -> int:
        return sum(bit(d, s) for (d, s), box in self.boxes.items() if box.isChecked())


class VolunteerDialog(FormDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        actor: Actor,
        rules: VolunteerRules,
        communities: list[tuple[uuid.UUID, str]],
        existing: Any | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        from wushe_desktop.domain.idnumber import DocType

        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改志愿者信息") if existing else self.tr("登记志愿者"))
        self.setMinimumWidth(680)
        self.actor = actor
        self.rules = rules
        self.existing = existing
        e = existing
        tabs = QTabWidget()
        self.outer.insertWidget(0, tabs)
        first = QWidget()
        basic_form = QFormLayout(first)
        tabs.addTab(first, self.tr("基本信息"))

        self.name = _line(e.name if e else "")
        self.doc_type = QComboBox()
        for t in DocType:
            self.doc_type.addItem(t.value, t.value)
        select_data(self.doc_type, e.doc_type if e else DocType.ID_CARD.value)
        self.id_number = _line(e.id_number if e else "", self.tr("实名登记，必填"))
        self.phone = _line(e.phone if e else "", self.tr("手机号或带区号的固定电话"))
        self.gender = _combo(("男", "女"), e.gender if e else "")
        self.community = QComboBox()
        self.community.addItem(self.tr("（辖区外/未填）"), None)
        for cid, cname in communities:
            self.community.addItem(cname, cid)
        if e is not None:
            select_data(self.community, e.community_id)
        self.registered = date_edit(e.registered_on if e else None)
        self.national_no = _line(e.national_no if e else "", self.tr("中国志愿服务网编号，可不填"))
        self.status = _combo(("在册", "暂停", "退出"), e.status if e else "在册", blank="在册")
        self.status_reason = _line(e.status_reason if e else "", self.tr("暂停或退出时填写"))
        basics: tuple[tuple[str, QWidget, str], ...] = (
            ("姓名", self.name, "name"),
            ("证件类型", self.doc_type, "doc_type"),
            ("证件号码", self.id_number, "id_number"),
            ("性别", self.gender, "gender"),
            ("联系电话", self.phone, "phone"),
            ("所属社区", self.community, "community_id"),
            ("登记日期", self.registered, "registered_on"),
            ("全国志愿者编号", self.national_no, "national_no"),
            ("状态", self.status, "status"),
            ("状态原因", self.status_reason, "status_reason"),
        )
        for label, widget, key in basics:
            basic_form.addRow(self.tr(label), widget)
            self.watch(key, widget)

        skills_tab = QWidget()
        sl = QVBoxLayout(skills_tab)
        have = set(e.skills) if e else set()
        box = QGroupBox(self.tr("专业技能"))
        grid = QGridLayout(box)
        self.skill_boxes: dict[str, QCheckBox] = {}
        for i, skill in enumerate(SKILLS):
            check = QCheckBox(skill)
            check.setChecked(skill in have)
            self.skill_boxes[skill] = check
            grid.addWidget(check, i // 5, i % 5)
        sl.addWidget(box)
        self.other_skills = _line("、".join(s for s in (e.skills if e else ()) if s not in SKILLS))
        self.other_skills.setPlaceholderText(self.tr("其他技能，用顿号分隔，如：摄影、烹饪"))
        sl.addWidget(self.other_skills)
        self.watch("skills", self.other_skills)
        row = QHBoxLayout()
        self.political = _combo(POLITICAL_STATUSES, e.political_status if e else "")
        self.education = _combo(EDUCATION, e.education if e else "")
        self.occupation = _line(e.occupation if e else "", self.tr("职业"))
        self.languages = _line(e.languages if e else "", self.tr("语言，如：普通话、英语"))
        for w in (self.political, self.education, self.occupation, self.languages):
            row.addWidget(w)
        sl.addLayout(row)
        grid_box = QGroupBox(self.tr("可服务时段（勾选通常有空的时段）"))
        gl = QVBoxLayout(grid_box)
        self.availability = AvailabilityGrid(e.availability if e else (1 << 21) - 1)
        gl.addWidget(self.availability)
        sl.addWidget(grid_box)
        sl.addStretch(1)
        tabs.addTab(skills_tab, self.tr("技能与时间"))

        other = QWidget()
        of = QFormLayout(other)
        self.emergency_name = _line(e.emergency_name if e else "")
        self.emergency_relation = _line(e.emergency_relation if e else "")
        self.emergency_phone = _line(e.emergency_phone if e else "")
        self.insurer = _line(e.insurer if e else "")
        self.policy = _line(e.insurance_policy if e else "")
        self.insured = QCheckBox(self.tr("已投保"))
        self.insured.setChecked(bool(e and e.insurance_until))
        self.insurance_until = date_edit(e.insurance_until if e and e.insurance_until else None)
        self.consented = QCheckBox(self.tr("已取得同意（书面或电子）"))
        self.consented.setChecked(bool(e.consent_on) if e else True)
        self.consent_on = date_edit(e.consent_on if e and e.consent_on else None)
        self.consent_by = _line(
            e.consent_by if e else "", self.tr("成年人可留空（本人）；未成年人填监护人")
        )
        self.guardian_relation = _line(e.guardian_relation if e else "", self.tr("如：母亲"))
        self.notes = QPlainTextEdit(e.notes if e else "")
        self.notes.setMaximumHeight(70)
        rows: tuple[tuple[str, QWidget, str], ...] = (
            ("紧急联系人", self.emergency_name, "emergency_name"),
            ("与志愿者关系", self.emergency_relation, "emergency_relation"),
            ("紧急联系人电话", self.emergency_phone, "emergency_phone"),
            ("保险公司", self.insurer, "insurer"),
            ("保单号", self.policy, "insurance_policy"),
            ("", self.insured, "insured"),
            ("保险有效期至", self.insurance_until, "insurance_until"),
            ("", self.consented, "consented"),
            ("同意日期", self.consent_on, "consent_on"),
            ("同意人", self.consent_by, "consent_by"),
            ("监护人关系", self.guardian_relation, "guardian_relation"),
            ("备注", self.notes, "notes"),
        )
        for label, widget, key in rows:
            of.addRow(self.tr(label), widget)
            self.watch(key, widget)
        for check in (self.insured, self.consented, *self.skill_boxes.values()):
            check.toggled.connect(self._changed)
        for edit in (self.registered, self.insurance_until, self.consent_on):
            edit.dateChanged.connect(self._changed)
        tabs.addTab(other, self.tr("保险、紧急联系人与同意"))
        self.check()

    def data(self) -> VolunteerInput:
        skills = [s for s, box in self.skill_boxes.items() if box.isChecked()]
        skills += list(parse_skills(self.other_skills.text()))
        return VolunteerInput(
            name=self.name.text(),
            id_number=self.id_number.text(),
            phone=self.phone.text(),
            doc_type=str(self.doc_type.currentData()),
            gender=str(self.gender.currentData() or ""),
            community_id=self.community.currentData(),
            resident_id=self.existing.resident_id if self.existing else None,
            national_no=self.national_no.text(),
            political_status=str(self.political.currentData() or ""),
            education=str(self.education.currentData() or ""),
            occupation=self.occupation.text(),
            skills=skills,
            languages=self.languages.text(),
            availability=self.availability.value(),
            registered_on=date_of(self.registered),
            status=str(self.status.currentData() or "在册"),
            status_reason=self.status_reason.text(),
            emergency_name=self.emergency_name.text(),
            emergency_relation=self.emergency_relation.text(),
            emergency_phone=self.emergency_phone.text(),
            insurer=self.insurer.text(),
            insurance_policy=self.policy.text(),
            insurance_until=date_of(self.insurance_until) if self.insured.isChecked() else None,
            consent_on=date_of(self.consent_on) if self.consented.isChecked() else None,
            consent_by=self.consent_by.text(),
            guardian_relation=self.guardian_relation.text(),
            notes=self.notes.toPlainText(),
        )

    def problem(self) -> str:
        if self.existing is not None and "*" in self.id_number.text() + self.phone.text():
            return self.tr("证件号码或电话是脱敏显示的，请点“查看完整信息”后再修改。")
        clean_volunteer(self.data(), self.rules, today=date.today())
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.volunteers.service import create_volunteer, update_volunteer

        if self.existing is None:
            return create_volunteer(session, self.actor, self.data())
        return update_volunteer(
            session,
            self.actor,
            self.existing.id,
            self.data(),
            expected_version=self.existing.version,
        )
