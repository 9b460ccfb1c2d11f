"""Add or edit a community (社区) or village (村)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor

KINDS = ("社区", "村")
NAME_MAX = 100
COUNT_MAX = 10_000_000


def _count_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, COUNT_MAX)
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
        self.name.setMaxLength(NAME_MAX)
        self.name.setPlaceholderText(self.tr("例如：幸福社区、王庄村"))
        self.kind = QComboBox()
        self.kind.addItems(KINDS)
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

    def problem(self) -> str:
        if not self.name.text().strip():
            return self.tr("请填写社区（村）名称。")
        if self.households.value() > self.population.value() > 0:
            return self.tr("户数不能多于常住人口，请核对。")
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.stations.service import create_community, update_community

        values = {
            "name": self.name.text().strip(),
            "kind": self.kind.currentText(),
            "population": self.population.value(),
            "households": self.households.value(),
        }
        if self.existing is None:
            return create_community(session, self.actor, **values)  # type: ignore[arg-type]
        return update_community(
            session,
            self.actor,
            self.existing.id,
            expected_version=self.existing.version,
            **values,  # type: ignore[arg-type]
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
