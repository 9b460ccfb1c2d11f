"""审计日志 (director): who did what to which record, filtered by user, date, type, action."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.audit.text import RECORD_TYPES, changes_text, describe, local_time
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.table import Column, ListTableModel
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.labels import title_label
from wushe_desktop.ui.widgets.tables import DataTable

LIMIT = 1000

# Re-exported: the resident detail's history tab reads entries the same way.
__all__ = ["LIMIT", "RECORD_TYPES", "AuditPage", "changes_text", "describe", "query_entries"]


COLUMNS: list[Column[Any]] = [
    Column("时间", lambda e: local_time(e.at), width=150, sort_key=lambda e: e.at),
    Column("用户", lambda e: e.username, width=90),
    Column("电脑", lambda e: e.host, width=100),
    Column("操作", lambda e: e.action, width=90),
    Column("记录类型", lambda e: RECORD_TYPES.get(e.record_type, e.record_type), width=80),
    Column("记录", lambda e: e.record_label, width=120),
    Column("内容", describe, width=400, tooltip=describe),
]


def query_entries(
    session: Session,
    actor: Actor,
    *,
    username: str,
    record_type: str | None,
    action: str | None,
    since: datetime,
    until: datetime,
) -> list[Any]:
    """Runs on the DB thread."""
    from wushe_desktop.audit.service import query

    flt = audit_filter(
        username=username, record_type=record_type, action=action, since=since, until=until
    )
    return query(session, actor, flt)


def audit_filter(
    *, username: str, record_type: str | None, action: str | None, since: datetime, until: datetime
) -> Any:
    """The page's filters as the core's ``AuditFilter`` (at most ``LIMIT`` entries)."""
    from wushe_desktop.audit.service import AuditFilter

    return AuditFilter(
        username=username or None,
        record_type=record_type,
        actions=(action,) if action else (),
        since=since,
        until=until,
        limit=LIMIT,
    )


def _day_start(d: QDate) -> datetime:
    """Local midnight of ``d`` as an aware UTC datetime."""
    local = datetime.combine(d.toPython(), time())  # type: ignore[arg-type]
    return local.astimezone().astimezone(UTC)


class AuditPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(title_label(self.tr("审计日志")))
        bar = QHBoxLayout()
        self.user = QLineEdit()
        self.user.setPlaceholderText(self.tr("用户名（留空为全部）"))
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        self.record_type = QComboBox()
        self.record_type.addItem(self.tr("全部类型"), None)
        for code, label in RECORD_TYPES.items():
            self.record_type.addItem(label, code)
        self.action = QComboBox()
        self.action.addItem(self.tr("全部操作"), None)
        for a in AuditAction:
            self.action.addItem(a.value, a.value)
        self.search_button = QPushButton(self.tr("查询"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        bar.addWidget(QLabel(self.tr("用户：")))
        bar.addWidget(self.user, 1)
        bar.addWidget(QLabel(self.tr("日期：")))
        bar.addWidget(self.since)
        bar.addWidget(QLabel(self.tr("至")))
        bar.addWidget(self.until)
        bar.addWidget(self.record_type)
        bar.addWidget(self.action)
        bar.addWidget(self.search_button)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.model: ListTableModel[Any] = ListTableModel(COLUMNS)
        self.table = DataTable("audit")
        self.table.set_model_with_widths(self.model, [c.width for c in COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.restore_state(ctx.settings)
        layout.addWidget(self.table, 1)
        self.status = QLabel()
        self.status.setStyleSheet("color: #666;")
        layout.addWidget(self.status)
        self.search_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export)
        self.user.returnPressed.connect(self.refresh)
        self.record_type.currentIndexChanged.connect(lambda _i: self.refresh())
        self.action.currentIndexChanged.connect(lambda _i: self.refresh())

    def activated(self) -> None:
        self.refresh()

    def filters(self) -> dict[str, Any]:
        return {
            "username": self.user.text().strip(),
            "record_type": self.record_type.currentData(),
            "action": self.action.currentData(),
            "since": _day_start(self.since.date()),
            "until": _day_start(self.until.date()) + timedelta(days=1),
        }

    def refresh(self) -> None:
        actor, filters = self.ctx.actor, self.filters()
        self.status.setText(self.tr("正在查询…"))
        self.ctx.executor.query(
            lambda s: query_entries(s, actor, **filters), self._on_loaded, parent=self
        )

    def export(self) -> None:
        from wushe_desktop.audit.export import export_audit
        from wushe_desktop.ui.dialogs.export import ExportDialog

        db, actor, flt = self.ctx.db, self.ctx.actor, audit_filter(**self.filters())
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出审计日志"),
            stem="审计日志",
            run=lambda path, _full, p, c: export_audit(db, actor, flt, path, progress=p, cancel=c),
            scope_text=self.tr("当前查询条件下的记录（最多 %d 条）；导出本身也会记入审计日志。")
            % LIMIT,
            parent=self,
        )

    def _on_loaded(self, rows: object) -> None:
        assert isinstance(rows, list)
        self.model.set_rows(rows)
        more = self.tr("（只显示最近 %d 条，请缩小范围）") % LIMIT if len(rows) >= LIMIT else ""
        self.status.setText(self.tr("共 %d 条记录%s。审计日志不可修改或删除。") % (len(rows), more))

    def save_state(self, settings: UiSettings) -> None:
        self.table.save_state(settings)
