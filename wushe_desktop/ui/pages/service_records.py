"""服务记录: every service in one list (casework, groups, activities, visits, consultations,
phone follow-ups) with filters, the month's 服务人次/服务人数, Excel import and export.

服务人次 counts each attendance (one person served twice = 2); 服务人数 counts distinct
named residents (service_records/metrics.py). Records made by a case, group session,
activity or visit are changed where they were made; hand-entered ones here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.service_records.search import ServiceRecordQuery
from wushe_desktop.service_records.validation import SERVICE_TYPES
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.case_widgets import date_edit, date_of
from wushe_desktop.ui.models.cases_model import ServiceRecordListModel
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.widgets.tables import DataTable


def month_start(today: date) -> date:
    return today.replace(day=1)


class ServiceRecordsPanel(QWidget):
    #: Emitted when the list shows a new query's result (row count).
    list_updated = Signal(int)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_buttons())
        layout.addLayout(self._build_filters())
        self.model = ServiceRecordListModel(ctx.executor, ctx.actor)
        self.table = DataTable("service_records")
        self.table.set_model_with_widths(self.model, [c.width for c in self.model.columns])
        self.table.restore_state(ctx.settings)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        layout.addWidget(self.table, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color:#444;")
        layout.addWidget(self.summary)
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(lambda exc: errors.show_error(self, exc))
        actor = ctx.actor

        def lists(s: Session) -> object:
            from wushe_desktop.ui.dialogs.case_service_record import load_staff_and_places

            return load_staff_and_places(s, actor)

        ctx.executor.query(lists, self._on_lists, parent=self)
        self.refresh()

    def _build_buttons(self) -> QHBoxLayout:
        ctx = self.ctx
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增服务记录"))
        self.edit_button = QPushButton(self.tr("修改"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.import_button = QPushButton(self.tr("导入Excel"))
        self.template_button = QPushButton(self.tr("下载导入模板"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        for b in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.import_button,
            self.template_button,
            self.export_button,
        ):
            row.addWidget(b)
        row.addStretch(1)
        self.add_button.setEnabled(ctx.can(Resource.SERVICE, Action.CREATE))
        self.edit_button.setEnabled(ctx.can(Resource.SERVICE, Action.UPDATE))
        self.delete_button.setEnabled(ctx.can(Resource.SERVICE, Action.DELETE))
        self.import_button.setEnabled(ctx.can(Resource.SERVICE, Action.IMPORT))
        self.template_button.setEnabled(ctx.can(Resource.SERVICE, Action.IMPORT))
        self.export_button.setEnabled(ctx.can(Resource.SERVICE, Action.EXPORT))
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.import_button.clicked.connect(self.import_file)
        self.template_button.clicked.connect(self.template)
        self.export_button.clicked.connect(self.export)
        return row

    def _build_filters(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索：服务对象、拼音首字母、服务人员或内容"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("全部类型"), None)
        for t in SERVICE_TYPES:
            self.kind.addItem(t, t)
        self.worker = QComboBox()
        self.worker.addItem(self.tr("全部人员"), None)
        self.community = QComboBox()
        self.community.addItem(self.tr("全部社区（村）"), None)
        today = date.today()
        self.date_from = date_edit(month_start(today))
        self.date_to = date_edit(today)
        self.highlight = QCheckBox(self.tr("只看亮点"))
        for w in (
            self.search,
            self.kind,
            self.worker,
            self.community,
            QLabel(self.tr("日期")),
            self.date_from,
            QLabel("至"),
            self.date_to,
            self.highlight,
        ):
            bar.addWidget(w)
        bar.addStretch(1)
        self.search.textEdited.connect(lambda _t: self.refresh())
        for combo in (self.kind, self.worker, self.community):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.highlight.toggled.connect(lambda _b: self.refresh())
        return bar

    def _on_lists(self, result: object) -> None:
        assert isinstance(result, tuple)
        staff, places = result
        for uid, name in staff:
            self.worker.addItem(name, uid)
        for cid, name in places:
            self.community.addItem(name, cid)

    def query(self) -> ServiceRecordQuery:
        return ServiceRecordQuery(
            text=self.search.text(),
            worker_id=self.worker.currentData(),
            service_type=self.kind.currentData(),
            community_id=self.community.currentData(),
            date_from=date_of(self.date_from),
            date_to=date_of(self.date_to),
            highlight_only=self.highlight.isChecked(),
        )

    def refresh(self) -> None:
        query = self.query()
        self.model.set_query(query)
        actor = self.ctx.actor
        assert query.date_from is not None and query.date_to is not None
        first, last, community = query.date_from, query.date_to, query.community_id

        def counts(s: Session) -> object:
            from wushe_desktop.service_records.metrics import service_counts

            return service_counts(s, actor, first, last, community)

        self.ctx.executor.query(counts, self._on_counts, parent=self)

    def _on_loaded(self, total: int) -> None:
        emit(self.list_updated, total)

    def _on_counts(self, result: object) -> None:
        from wushe_desktop.service_records.metrics import TOTAL, ServiceCount

        assert isinstance(result, dict)
        total = result.get(TOTAL, ServiceCount(0, 0, 0, 0))
        parts = [
            f"{kind} {c.records} 次/{c.attendances} 人次"
            for kind, c in result.items()
            if kind != TOTAL
        ]
        self.summary.setText(
            self.tr(
                "所选日期内：服务 %d 次，服务人次 %d（每人每次计 1），服务人数 %d（去重的登记居民），"
                "时长 %.1f 小时；%s"
            )
            % (
                total.records,
                total.attendances,
                total.people,
                total.minutes / 60,
                "，".join(parts) or "无",
            )
            + (
                self.tr("。另有只记人数的参与者 %d 人次，无法去重。") % total.counted_only
                if total.counted_only
                else ""
            )
        )

    # -- actions -------------------------------------------------------------------------------
    def add(self) -> None:
        from wushe_desktop.ui.dialogs.case_service_record import ServiceRecordDialog

        dlg = ServiceRecordDialog(self.ctx.executor, self.ctx.actor, parent=self)
        if dlg.exec():
            self.refresh()

    def _selected_manual(self) -> object:
        row = self.model.row_at(self.table.current_row())
        if row is None:
            return None
        if row.source_type:
            msgbox.information(
                self, self.tr("这条记录来自个案、小组、活动或探访，请在原记录中修改或删除。")
            )
            return None
        return row

    def edit(self) -> None:
        from wushe_desktop.service_records.rows import ServiceRecordRow
        from wushe_desktop.ui.dialogs.case_service_record import ServiceRecordDialog

        row = self._selected_manual()
        if isinstance(row, ServiceRecordRow):
            dlg = ServiceRecordDialog(self.ctx.executor, self.ctx.actor, row, parent=self)
            if dlg.exec():
                self.refresh()

    def delete(self) -> None:
        from wushe_desktop.service_records.rows import ServiceRecordRow
        from wushe_desktop.service_records.service import delete_service_record

        row = self._selected_manual()
        if not isinstance(row, ServiceRecordRow):
            return
        if not msgbox.question(
            self, self.tr("删除 %s 的这条服务记录吗？（可以从回收站恢复）") % row.served_on
        ):
            return
        actor, rid, version = self.ctx.actor, row.id, row.version
        self.ctx.executor.query(
            lambda s: delete_service_record(s, actor, rid, expected_version=version),
            lambda _r: self.refresh(),
            lambda e: errors.show_error(self, e),
            parent=self,
        )

    def ask_path(self, save: bool, title: str, suggested: str = "") -> Path | None:
        pattern = self.tr("Excel 工作簿 (*.xlsx)")
        if save:
            name, _ = QFileDialog.getSaveFileName(self, title, suggested, pattern)
        else:
            name, _ = QFileDialog.getOpenFileName(self, title, suggested, pattern)
        return Path(name) if name else None

    def template(self) -> None:
        from wushe_desktop.service_records.excel_columns import write_service_template
        from wushe_desktop.ui.dialogs.export import documents_dir

        path = self.ask_path(
            True, self.tr("保存导入模板"), str(documents_dir() / "服务记录导入模板.xlsx")
        )
        if path is None:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: write_service_template(path, s, actor),
            lambda _r: msgbox.information(self, self.tr("模板已保存到：\n%s") % path),
            lambda e: errors.show_error(self, e),
            parent=self,
        )

    def import_file(self) -> None:
        from wushe_desktop.service_records.importer import import_service_records

        path = self.ask_path(False, self.tr("选择要导入的服务记录"))
        if path is None:
            return
        db, actor = self.ctx.db, self.ctx.actor

        def done(report: object) -> None:
            from wushe_desktop.residents.importer import ImportReport

            assert isinstance(report, ImportReport)
            text = report.summary()
            book = report.error_workbook
            if book is not None:
                text += self.tr("\n有错误的行已另存为：%s，改正后可再次导入。") % book
            msgbox.information(self, text)
            self.refresh()

        self.ctx.executor.job(
            lambda p, c: import_service_records(db, actor, path, progress=p, cancel=c),
            done,
            lambda e: errors.show_error(self, e),
            title=self.tr("正在导入服务记录…"),
            parent=self,
        )

    def export(self) -> None:
        from wushe_desktop.service_records.exporter import export_service_records
        from wushe_desktop.ui.dialogs.export import ExportDialog

        db, actor, query = self.ctx.db, self.ctx.actor, self.query()
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出服务记录"),
            stem="服务记录",
            run=lambda path, full, p, c: export_service_records(
                db, actor, query, path, full=full, progress=p, cancel=c
            ),
            scope_text=self.tr("当前筛选的服务记录（%d 条）") % self.model.total,
            sensitive=True,
            full_allowed=self.ctx.can(Resource.SERVICE, Action.EXPORT_SENSITIVE),
            parent=self,
        )
