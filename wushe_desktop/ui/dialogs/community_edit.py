"""Add or edit a community (社区) or village (村); checked by the core's
``validate_community_fields`` as you type."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.stations.validation import (
    COMMUNITY_KINDS,
    COMMUNITY_NAME_MAX,
    MAX_COUNT,
    validate_community_fields,
)
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


def _count_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, MAX_COUNT)
    box.setGroupSeparatorShown(True)
    return box


class CommunityDialog(FormDialog):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        existing: object | None = None,
        parent: QWidget | None = None,
    ) -> None:
        from wushe_desktop.stations.service import CommunityRow

        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改社区（村）") if existing else self.tr("新增社区（村）"))
        self.actor = actor
        self.existing = existing if isinstance(existing, CommunityRow) else None
        self.name = QLineEdit()
        self.name.setMaxLength(COMMUNITY_NAME_MAX)
        self.name.setPlaceholderText(self.tr("例如：幸福社区、王庄村"))
        self.kind = QComboBox()
        self.kind.addItems(COMMUNITY_KINDS)
        self.population = _count_box()
        self.population.setSuffix(self.tr(" 人"))
        self.households = _count_box()
        self.households.setSuffix(self.tr(" 户"))
        self.form.addRow(self.tr("名称*："), self.name)
        self.form.addRow(self.tr("类型："), self.kind)
        self.form.addRow(self.tr("常住人口："), self.population)
        self.form.addRow(self.tr("户数："), self.households)
        for field, widget in (
            ("name", self.name),
            ("kind", self.kind),
            ("population", self.population),
            ("households", self.households),
        ):
            self.watch(field, widget)
        if self.existing is not None:
            self.name.setText(self.existing.name)
            self.kind.setCurrentText(self.existing.kind)
            self.population.setValue(self.existing.population)
            self.households.setValue(self.existing.households)
        self.check()

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "kind": self.kind.currentText(),
            "population": self.population.value(),
            "households": self.households.value(),
        }

    def problem(self) -> str:
        validate_community_fields(**self.values())  # raises ValidationError(field=…)
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.stations.service import create_community, update_community

        values = self.values()
        if self.existing is None:
            return create_community(session, self.actor, **values)
        return update_community(
            session,
            self.actor,
            self.existing.id,
            expected_version=self.existing.version,
            **values,
        )

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        existing: object | None = None,
        parent: QWidget | None = None,
    ) -> object | None:
        """The saved CommunityRow, or None if cancelled."""
        dlg = cls(executor, actor, existing, parent)
        dlg.exec()
        return dlg.result_value
