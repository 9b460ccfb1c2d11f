"""新建个案 (and 修改个案信息): the resident, source, problem areas, risk, worker, template.

The resident is found by typing a name, pinyin initials or ID number (the residents
search, on the DB thread); workers and templates are loaded when the dialog opens.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLineEdit,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.cases.constants import PROBLEM_AREAS, CaseSource, RiskLevel
from wushe_desktop.cases.rows import CaseRow
from wushe_desktop.cases.service import CaseInput, create_case, list_case_workers, update_case
from wushe_desktop.ui.dialogs.case_widgets import date_edit, date_of
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


@dataclass(frozen=True)
class CaseChoices:
    workers: list[tuple[uuid.UUID, str]]
    templates: list[tuple[str, str]]  # (key, label)


def load_choices(session: Session, actor: Actor) -> CaseChoices:
    from wushe_desktop.cases.templates import templates

    return CaseChoices(
        list_case_workers(session, actor),
        [(t.key, t.label) for t in templates(session, actor)],
    )


def find_residents(session: Session, actor: Actor, text: str) -> list[tuple[uuid.UUID, str]]:
    from wushe_desktop.residents.search import ResidentQuery, search

    rows = search(session, actor, ResidentQuery(text=text), limit=30).rows
    return [(r.id, f"{r.name}（{r.community_name}，{r.id_number or '无证件'}）") for r in rows]


class CaseDialog(FormDialog):
    """New case, or (with ``existing``) the header of an open case."""

    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        actor: Actor,
        existing: CaseRow | None = None,
        *,
        resident: tuple[uuid.UUID, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "修改个案信息" if existing else "新建个案", parent)
        self.actor = actor
        self.existing = existing
        self.choices: CaseChoices | None = None
        self.setMinimumWidth(560)
        self.resident_search = QLineEdit()
        self.resident_search.setPlaceholderText(self.tr("输入姓名、拼音首字母或身份证号查找居民"))
        self.resident = QComboBox()
        self.resident.setMinimumWidth(360)
        if existing is not None:
            self.resident.addItem(existing.resident_name, existing.resident_id)
            self.resident_search.setEnabled(False)
        elif resident is not None:
            self.resident.addItem(resident[1], resident[0])
        self.source = QComboBox()
        self.source.addItems([s.value for s in CaseSource])
        self.area_boxes: dict[str, QCheckBox] = {}
        areas = QWidget()
        grid = QGridLayout(areas)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, area in enumerate(PROBLEM_AREAS):
            box = QCheckBox(area)
            box.toggled.connect(self._changed)
            self.area_boxes[area] = box
            grid.addWidget(box, i // 3, i % 3)
        self.risk = QComboBox()
        self.risk.addItems([r.value for r in RiskLevel])
        self.risk.setCurrentText(RiskLevel.MEDIUM.value)
        self.opened_on = date_edit(existing.opened_on if existing else None)
        self.worker = QComboBox()
        self.template = QComboBox()
        self.template.addItem(self.tr("不使用模板"), "")
        self.form.addRow(self.tr("查找居民"), self.resident_search)
        self.form.addRow(self.tr("服务对象"), self.resident)
        self.form.addRow(self.tr("个案来源"), self.source)
        self.form.addRow(self.tr("问题领域"), areas)
        self.form.addRow(self.tr("风险等级"), self.risk)
        self.form.addRow(self.tr("接案日期"), self.opened_on)
        self.form.addRow(self.tr("负责社工"), self.worker)
        self.form.addRow(self.tr("个案模板（待办）"), self.template)
        if existing is not None:
            self.source.setCurrentText(existing.source)
            self.risk.setCurrentText(existing.risk_level)
            for area in existing.problem_areas:
                self.area_boxes[area].setChecked(True)
            self.worker.addItem(existing.worker_name, existing.worker_id)
            self.worker.setEnabled(False)
            self.template.setEnabled(False)
        self.watch("resident_id", self.resident)
        self.watch("source", self.source)
        self.watch("risk_level", self.risk)
        self.fields["problem_areas"] = areas
        self.opened_on.dateChanged.connect(self._changed)
        self.resident_search.textEdited.connect(self._search)
        if existing is None:
            executor.query(lambda s: load_choices(s, actor), self._on_choices, parent=self)
        self.check()

    @property
    def loaded(self) -> bool:
        return self.existing is not None or self.choices is not None

    def _on_choices(self, result: object) -> None:
        assert isinstance(result, CaseChoices)
        self.choices = result
        for uid, name in result.workers:
            self.worker.addItem(name, uid)
        select_data(self.worker, self.actor.user_id)
        self.worker.setEnabled(self.actor.can(Resource.CASE, Action.ASSIGN))
        for key, label in result.templates:
            self.template.addItem(label, key)
        self.check()

    def _search(self, text: str) -> None:
        if not text.strip():
            return
        actor = self.actor
        self.executor.query(lambda s: find_residents(s, actor, text), self._on_found, parent=self)

    def _on_found(self, result: object) -> None:
        assert isinstance(result, list)
        self.resident.clear()
        for rid, label in result:
            self.resident.addItem(label, rid)
        self.check()

    def areas(self) -> list[str]:
        return [a for a, box in self.area_boxes.items() if box.isChecked()]

    def case_input(self) -> CaseInput:
        return CaseInput(
            resident_id=self.resident.currentData(),
            source=self.source.currentText(),
            problem_areas=self.areas(),
            risk_level=self.risk.currentText(),
            opened_on=date_of(self.opened_on),
            worker_id=self.worker.currentData(),
            template_key=self.template.currentData() or "",
        )

    def problem(self) -> str:
        if self.resident.currentData() is None:
            return self.tr("请先查找并选择服务对象。")
        if not self.areas():
            return self.tr("请至少选择一个问题领域。")
        if not self.loaded:
            return self.tr("正在读取社工名单…")
        if self.worker.currentData() is None:
            return self.tr("请选择负责社工。")
        return ""

    def save(self, session: Session) -> Any:
        data = self.case_input()
        if self.existing is None:
            return create_case(session, self.actor, data)
        return update_case(
            session, self.actor, self.existing.id, data, expected_version=self.existing.version
        )
