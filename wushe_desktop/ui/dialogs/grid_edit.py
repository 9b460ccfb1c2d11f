"""Add or edit a grid (网格) of a community, with its grid worker (网格员); checked by the
core's ``validate_grid_fields`` as you type."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.stations.validation import (
    GRID_NAME_MAX,
    WORKER_NAME_MAX,
    validate_grid_fields,
)
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


class GridDialog(FormDialog):
    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        *,
        community_id: uuid.UUID,
        community_name: str,
        existing: object | None = None,
        parent: QWidget | None = None,
    ) -> None:
        from wushe_desktop.stations.service import GridRow

        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("修改网格") if existing else self.tr("新增网格"))
        self.actor = actor
        self.community_id = community_id
        self.existing = existing if isinstance(existing, GridRow) else None
        self.name = QLineEdit()
        self.name.setMaxLength(GRID_NAME_MAX)
        self.name.setPlaceholderText(self.tr("例如：第一网格"))
        self.worker_name = QLineEdit()
        self.worker_name.setMaxLength(WORKER_NAME_MAX)
        self.worker_phone = QLineEdit()
        self.worker_phone.setMaxLength(20)
        self.worker_phone.setPlaceholderText(self.tr("手机或固定电话，可不填"))
        self.form.addRow(self.tr("所属社区（村）："), QLabel(community_name))
        self.form.addRow(self.tr("网格名称*："), self.name)
        self.form.addRow(self.tr("网格员："), self.worker_name)
        self.form.addRow(self.tr("网格员电话："), self.worker_phone)
        self.watch("name", self.name)
        self.watch("worker_name", self.worker_name)
        self.watch("worker_phone", self.worker_phone)
        if self.existing is not None:
            self.name.setText(self.existing.name)
            self.worker_name.setText(self.existing.worker_name)
            self.worker_phone.setText(self.existing.worker_phone)
        self.check()

    def values(self) -> dict[str, str]:
        return {
            "name": self.name.text(),
            "worker_name": self.worker_name.text(),
            "worker_phone": self.worker_phone.text(),
        }

    def problem(self) -> str:
        validate_grid_fields(**self.values())  # raises ValidationError(field=…)
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.stations.service import create_grid, update_grid

        if self.existing is None:
            return create_grid(session, self.actor, self.community_id, **self.values())
        return update_grid(
            session,
            self.actor,
            self.existing.id,
            expected_version=self.existing.version,
            **self.values(),
        )

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        *,
        community_id: uuid.UUID,
        community_name: str,
        existing: object | None = None,
        parent: QWidget | None = None,
    ) -> object | None:
        dlg = cls(
            executor,
            actor,
            community_id=community_id,
            community_name=community_name,
            existing=existing,
            parent=parent,
        )
        dlg.exec()
        return dlg.result_value
