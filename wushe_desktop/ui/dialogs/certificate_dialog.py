"""出具志愿服务证明: choose the period, see the approved hours it covers, issue and save the
PDF; earlier certificates of the volunteer can be reprinted identically."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.scheduling.timefmt import hours_text
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of
from wushe_desktop.ui.dialogs.export import documents_dir
from wushe_desktop.ui.models.table import Column, ListTableModel
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.widgets.tables import DataTable

REGISTER_COLUMNS: list[Column[Any]] = [
    Column("证明编号", lambda r: r.serial, width=190),
    Column("期间", lambda r: f"{r.period_from}—{r.period_to}", width=170),
    Column("时长（小时）", lambda r: hours_text(r.minutes), width=80),
    Column("出具人", lambda r: r.issued_by, width=70),
    Column("打印次数", lambda r: str(r.prints), width=60),
]


def _preview(
    session: Session, actor: Any, volunteer_id: uuid.UUID, start: date, end: date
) -> tuple[int, int, list[Any]]:
    """Runs on the DB thread: approved minutes and services in the period, and the register."""
    from sqlalchemy import func, select

    from wushe_desktop.scheduling.certificates import list_certificates
    from wushe_desktop.scheduling.models import ServiceHours
    from wushe_desktop.scheduling.statuses import APPROVED

    minutes, services = session.execute(
        select(func.coalesce(func.sum(ServiceHours.minutes), 0), func.count()).where(
            ServiceHours.volunteer_id == volunteer_id,
            ServiceHours.status == APPROVED,
            ServiceHours.served_on >= start,
            ServiceHours.served_on <= end,
        )
    ).one()
    return int(minutes), int(services), list_certificates(session, actor, volunteer_id=volunteer_id)


class CertificateDialog(QDialog):
    def __init__(
        self, ctx: AppContext, volunteer_id: uuid.UUID, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.volunteer_id = volunteer_id
        self.name = name
        self.issued: Any = None  # the CertificateContent of the last issue
        self.saved_path: Path | None = None
        self.setWindowTitle(self.tr("出具志愿服务证明 — %s") % name)
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        today = date.today()
        self.date_from = date_edit(date(today.year, 1, 1))
        self.date_to = date_edit(today)
        form.addRow(self.tr("服务期间自"), self.date_from)
        form.addRow(self.tr("至"), self.date_to)
        layout.addLayout(form)
        self.preview = QLabel()
        layout.addWidget(self.preview)
        note = QLabel(
            self.tr(
                "证明只计入已审核的服务时长；证件号码脱敏打印。本证明为本站出具的志愿服务记录证明，"
                "不是官方认证，时长以全国志愿服务信息系统的记录为准。"
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout.addWidget(note)
        self.message = ErrorLabel()
        layout.addWidget(self.message)
        self.register: ListTableModel[Any] = ListTableModel(REGISTER_COLUMNS)
        self.table = DataTable("certificate_register")
        self.table.set_model_with_widths(self.register, [c.width for c in REGISTER_COLUMNS])
        layout.addWidget(QLabel(self.tr("已出具的证明")))
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.issue_button = QPushButton(self.tr("出具并保存PDF…"))
        self.reprint_button = QPushButton(self.tr("补打所选…"))
        close = QPushButton(self.tr("关闭"))
        for b in (self.issue_button, self.reprint_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.issue_button.setEnabled(False)  # until the preview shows approved hours
        self.issue_button.clicked.connect(self.issue)
        self.reprint_button.clicked.connect(self.reprint)
        close.clicked.connect(self.accept)
        self.date_from.dateChanged.connect(lambda _d: self.refresh())
        self.date_to.dateChanged.connect(lambda _d: self.refresh())
        self.refresh()

    # -- hooks tests replace -------------------------------------------------------------------
    def ask_save_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存志愿服务证明"), str(documents_dir() / suggested), "PDF (*.pdf)"
        )
        return Path(name) if name else None

    # -- behaviour -----------------------------------------------------------------------------
    def refresh(self) -> None:
        start, end, actor, vid = (
            date_of(self.date_from),
            date_of(self.date_to),
            self.ctx.actor,
            self.volunteer_id,
        )

        def done(result: object) -> None:
            assert isinstance(result, tuple)
            minutes, services, register = result
            self.preview.setText(
                self.tr("该期间已审核的志愿服务：%d 次，共 %s 小时。")
                % (services, hours_text(minutes))
            )
            self.issue_button.setEnabled(services > 0 and end >= start)
            self.register.set_rows(register)

        self.ctx.executor.query(lambda s: _preview(s, actor, vid, start, end), done, parent=self)

    def issue(self) -> None:
        from wushe_desktop.scheduling.certificate_pdf import render_certificate
        from wushe_desktop.scheduling.certificates import issue_certificate

        path = self.ask_save_path(f"志愿服务证明_{self.name}.pdf")
        if path is None:
            return
        start, end, actor, vid = (
            date_of(self.date_from),
            date_of(self.date_to),
            self.ctx.actor,
            self.volunteer_id,
        )

        def work(session: Session) -> Any:
            content = issue_certificate(session, actor, vid, start, end)
            render_certificate(content, path)  # inside the unit of work: no number without a file
            return content

        def done(content: object) -> None:
            self.issued = content
            self.saved_path = path
            serial = getattr(content, "serial", "")
            self.message.show_ok(self.tr("已出具证明 %s，已保存到 %s") % (serial, path))
            msgbox.information(self, self.tr("已出具志愿服务证明 %s。") % serial)
            self.refresh()

        self.issue_button.setEnabled(False)
        self.ctx.executor.query(work, done, self._failed, parent=self)

    def reprint(self) -> None:
        from wushe_desktop.scheduling.certificate_pdf import render_certificate
        from wushe_desktop.scheduling.certificates import load_certificate

        row = self.register.row_at(self.table.current_row())
        if row is None:
            return
        path = self.ask_save_path(f"志愿服务证明_{self.name}_{row.serial}.pdf")
        if path is None:
            return
        actor, serial = self.ctx.actor, row.serial

        def work(session: Session) -> Any:
            content = load_certificate(session, actor, serial, reprint=True)
            render_certificate(content, path)
            return content

        def done(_content: object) -> None:
            self.saved_path = path
            self.message.show_ok(self.tr("已补打证明 %s，已保存到 %s") % (serial, path))
            self.refresh()

        self.ctx.executor.query(work, done, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self.message.show_message(str(exc))
        self.refresh()
