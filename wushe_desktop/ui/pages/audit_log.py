"""审计日志 (director): who did what to which record, filtered by user, date, type, action."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
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
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.table import Column, ListTableModel
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.labels import title_label
from wushe_desktop.ui.widgets.tables import DataTable

LIMIT = 1000

RECORD_TYPES = {
    "demo": "演示数据",
    "resident": "居民",
    "consent": "知情同意",
    "community": "社区",
    "grid": "网格",
    "user": "用户",
    "station": "站点",
}


#: Field names in the audit log's change lists, as people call them.
FIELD_LABELS = {
    "name": "名称/姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "doc_type": "证件类型",
    "id_number": "证件号码",
    "phone": "电话",
    "address": "住址",
    "community": "社区（村）",
    "grid": "网格",
    "tags": "重点人群",
    "notes": "备注",
    "username": "用户名",
    "display_name": "姓名",
    "role": "角色",
    "active": "启用",
    "township": "乡镇（街道）",
    "district": "区（县）",
    "code": "站点编码",
    "kind": "类型",
    "population": "常住人口",
    "households": "户数",
    "worker_name": "网格员",
    "worker_phone": "网格员电话",
    "scope": "同意范围",
    "sensitive": "单独同意",
    "given_by": "同意人",
    "guardian_relation": "与居民关系",
    "notice_version": "告知书版本",
    "method": "同意方式",
    "given_on": "同意日期",
    "withdrawn_on": "撤回日期",
}


def _shown(value: object) -> str:
    if value in (None, ""):
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def _local(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def changes_text(raw: str) -> str:
    """``{"phone": ["138****1234", "139****5678"]}`` → ``电话：138****1234 → 139****5678``."""
    if not raw:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(data, dict):
        return raw
    parts = []
    for key, value in data.items():
        if key.endswith("_id"):
            continue  # internal keys mean nothing to a reader
        label = FIELD_LABELS.get(key, key)
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{label}：{_shown(value[0])} → {_shown(value[1])}")
        else:
            parts.append(f"{label}：{_shown(value)}")
    return "；".join(parts)


def describe(entry: Any) -> str:
    text = changes_text(entry.changes)
    return "；".join(p for p in (entry.detail, text) if p)


COLUMNS: list[Column[Any]] = [
    Column("时间", lambda e: _local(e.at), width=150, sort_key=lambda e: e.at),
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
    from wushe_desktop.audit.service import AuditFilter, query

    flt = AuditFilter(
        username=username or None,
        record_type=record_type,
        actions=(action,) if action else (),
        since=since,
        until=until,
        limit=LIMIT,
    )
    return query(session, actor, flt)


def export_entries(
    db: Any, actor: Actor, filters: dict[str, Any], path: Path, *, progress: Any, cancel: Any
) -> int:
    """Runs on the DB thread: the filtered entries to Excel; the export is itself audited
    (entries name residents)."""
    from wushe_desktop.accounts.permissions import Action, Resource
    from wushe_desktop.audit.service import record
    from wushe_desktop.infra.excel import Column as XColumn
    from wushe_desktop.infra.excel import write_table

    actor.require(Resource.AUDIT, Action.EXPORT)
    with db.reader() as session:
        entries = query_entries(session, actor, **filters)
    rows = [
        {
            "at": _local(e.at),
            "username": e.username,
            "host": e.host,
            "action": e.action,
            "record_type": RECORD_TYPES.get(e.record_type, e.record_type),
            "label": e.record_label,
            "content": describe(e),
        }
        for e in entries
    ]
    columns = [
        XColumn("时间", "at", width=20),
        XColumn("用户", "username", width=12),
        XColumn("电脑", "host", width=14),
        XColumn("操作", "action", width=12),
        XColumn("记录类型", "record_type", width=10),
        XColumn("记录", "label", width=20),
        XColumn("内容", "content", width=60),
    ]
    written = write_table(
        path,
        columns,
        rows,
        sheet_title="审计日志",
        total=len(rows),
        progress=progress,
        cancel=cancel,
    )
    with db.transaction() as session:
        record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type="audit",
            label="审计日志",
            detail=f"导出审计日志 {written} 条到“{path.name}”",
        )
    return written


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
        from wushe_desktop.ui.dialogs.export import ExportDialog

        db, actor, filters = self.ctx.db, self.ctx.actor, self.filters()
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出审计日志"),
            stem="审计日志",
            run=lambda path, _full, p, c: export_entries(
                db, actor, filters, path, progress=p, cancel=c
            ),
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
