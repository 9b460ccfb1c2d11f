"""个案: the case list with filters beside the case panel, and the 服务记录 list in a tab.

Filters (worker, stage, risk, community, intake dates, overdue, search text) run the
keyset search on the DB thread; the list grows as it scrolls. Everyone with the case-read
grant sees the list (who holds which case); the content opens only for its readers.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.cases.constants import STAGES, RiskLevel
from wushe_desktop.cases.search import CLOSED_FILTER, OPEN_FILTER, CaseQuery
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.case_widgets import date_edit, date_of
from wushe_desktop.ui.models.cases_model import CaseListModel
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.pages.case_detail import CaseDetailPanel
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.labels import title_label
from wushe_desktop.ui.widgets.tables import DataTable


def load_filters(
    session: Session, ctx_actor: object
) -> tuple[list[tuple[uuid.UUID, str]], list[tuple[uuid.UUID, str]]]:
    """Workers and communities for the filter combos (DB thread)."""
    from wushe_desktop.accounts.permissions import Actor
    from wushe_desktop.cases.service import list_case_workers
    from wushe_desktop.stations.service import list_communities

    assert isinstance(ctx_actor, Actor)
    workers = list_case_workers(session, ctx_actor)
    communities = [(c.id, c.name) for c in list_communities(session, ctx_actor)]
    return workers, communities


class CaseListPanel(QWidget):
    """Filters, the list and the case panel."""

    #: Emitted when the list shows a new query's result (row count).
    list_updated = Signal(int)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.deleted = False
        self._select_after: uuid.UUID | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._build_buttons())
        layout.addLayout(self._build_filters())
        self.model = CaseListModel(ctx.executor, ctx.actor)
        self.table = DataTable("cases")
        self.table.set_model_with_widths(self.model, [c.width for c in self.model.columns])
        self.table.restore_state(ctx.settings)
        self.detail = CaseDetailPanel(ctx)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([560, 800])
        ctx.settings.restore_splitter("cases", self.splitter)
        layout.addWidget(self.splitter, 1)
        self.status = QLabel()
        self.status.setStyleSheet("color:#666;")
        layout.addWidget(self.status)
        self.model.loaded.connect(self._on_loaded)
        self.model.failed.connect(lambda exc: errors.show_error(self, exc))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.detail.changed.connect(lambda _cid: self.refresh(keep=True))
        actor = ctx.actor
        ctx.executor.query(lambda s: load_filters(s, actor), self._on_filters, parent=self)
        if ctx.can(Resource.STATION, Action.UPDATE):
            ctx.executor.query(self._read_review, self._on_review, parent=self)
        self.refresh()

    # -- supervisor review setting -------------------------------------------------------------
    def _read_review(self, session: Session) -> bool:
        from wushe_desktop.cases.review import supervisor_review_enabled

        return supervisor_review_enabled(session, self.ctx.actor)

    def _on_review(self, enabled: object) -> None:
        self.review_box.blockSignals(True)
        self.review_box.setChecked(bool(enabled))
        self.review_box.blockSignals(False)
        self.review_box.setEnabled(True)
        self.review_box.toggled.connect(self._set_review)

    def _set_review(self, on: bool) -> None:
        from wushe_desktop.cases.review import set_supervisor_review

        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: set_supervisor_review(s, actor, on),
            lambda _r: self.detail.reload(),
            lambda e: errors.show_error(self, e),
            parent=self,
        )

    def edit_templates(self) -> None:
        from wushe_desktop.ui.dialogs.case_templates import CaseTemplatesDialog

        self.detail.exec_dialog(CaseTemplatesDialog(self.ctx, self))

    # -- construction --------------------------------------------------------------------------
    def _build_buttons(self) -> QHBoxLayout:
        ctx = self.ctx
        row = QHBoxLayout()
        self.new_button = QPushButton(self.tr("新建个案"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.reassign_button = QPushButton(self.tr("批量转移…"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.recycle_button = QPushButton(self.tr("回收站"))
        self.recycle_button.setCheckable(True)
        self.refresh_button = QPushButton(self.tr("刷新"))
        for b in (
            self.new_button,
            self.export_button,
            self.reassign_button,
            self.delete_button,
            self.recycle_button,
            self.refresh_button,
        ):
            row.addWidget(b)
        row.addStretch(1)
        self.templates_button = QPushButton(self.tr("个案模板…"))
        self.templates_button.setToolTip(self.tr("各类个案新建时自动生成的待办事项"))
        self.templates_button.setVisible(ctx.can(Resource.STATION, Action.UPDATE))
        self.templates_button.clicked.connect(self.edit_templates)
        row.addWidget(self.templates_button)
        self.review_box = QCheckBox(self.tr("督导审核（预估、计划、结案须经督导通过）"))
        self.review_box.setVisible(ctx.can(Resource.STATION, Action.UPDATE))
        self.review_box.setEnabled(False)
        row.addWidget(self.review_box)
        self.new_button.setEnabled(ctx.can(Resource.CASE, Action.CREATE))
        self.export_button.setEnabled(ctx.can(Resource.CASE, Action.EXPORT))
        self.reassign_button.setVisible(ctx.can(Resource.CASE, Action.ASSIGN))
        self.delete_button.setEnabled(ctx.can(Resource.CASE, Action.DELETE))
        self.recycle_button.setEnabled(ctx.can(Resource.CASE, Action.RESTORE))
        self.new_button.clicked.connect(self.new_case)
        self.export_button.clicked.connect(self.export)
        self.reassign_button.clicked.connect(self.bulk_reassign)
        self.delete_button.clicked.connect(self.delete_or_restore)
        self.recycle_button.toggled.connect(self._toggle_recycle)
        self.refresh_button.clicked.connect(lambda: self.refresh(keep=True))
        return row

    def _build_filters(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索：个案编号、姓名或拼音首字母"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.worker = QComboBox()
        self.worker.addItem(self.tr("全部社工"), None)
        self.stage = QComboBox()
        self.stage.addItem(self.tr("全部阶段"), None)
        self.stage.addItem(self.tr("在案（未结案）"), OPEN_FILTER)
        self.stage.addItem(self.tr("已结案（含回访）"), CLOSED_FILTER)
        for s in STAGES:
            self.stage.addItem(s.value, s.value)
        self.risk = QComboBox()
        self.risk.addItem(self.tr("全部风险"), None)
        for r in RiskLevel:
            self.risk.addItem(self.tr("%s风险") % r.value, r.value)
        self.community = QComboBox()
        self.community.addItem(self.tr("全部社区（村）"), None)
        self.use_dates = QCheckBox(self.tr("接案日期"))
        self.date_from = date_edit(date(date.today().year, 1, 1))
        self.date_to = date_edit()
        self.overdue = QCheckBox(self.tr("逾期/待跟进"))
        for w in (
            self.search,
            self.worker,
            self.stage,
            self.risk,
            self.community,
            self.use_dates,
            self.date_from,
            QLabel("至"),
            self.date_to,
            self.overdue,
        ):
            bar.addWidget(w)
        bar.addStretch(1)
        self.search.textEdited.connect(lambda _t: self.refresh())
        for combo in (self.worker, self.stage, self.risk, self.community):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for box in (self.use_dates, self.overdue):
            box.toggled.connect(lambda _b: self.refresh())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(
                lambda _d: self.refresh() if self.use_dates.isChecked() else None
            )
        return bar

    def _on_filters(self, result: object) -> None:
        assert isinstance(result, tuple)
        workers, communities = result
        for uid, name in workers:
            self.worker.addItem(name, uid)
        for cid, name in communities:
            self.community.addItem(name, cid)

    # -- querying ------------------------------------------------------------------------------
    def query(self) -> CaseQuery:
        dates = self.use_dates.isChecked()
        return CaseQuery(
            text=self.search.text(),
            worker_id=self.worker.currentData(),
            stage=self.stage.currentData(),
            risk_level=self.risk.currentData(),
            community_id=self.community.currentData(),
            opened_from=date_of(self.date_from) if dates else None,
            opened_to=date_of(self.date_to) if dates else None,
            overdue=self.overdue.isChecked(),
            deleted=self.deleted,
        )

    def refresh(self, *, keep: bool = False) -> None:
        if keep:
            self._select_after = self.detail.case_id
        self.status.setText(self.tr("正在查询…"))
        self.model.set_query(self.query())

    def _on_loaded(self, total: int) -> None:
        where = self.tr("回收站中") if self.deleted else ""
        self.status.setText(self.tr("%s共 %d 件个案。") % (where, total))
        target = self._select_after
        self._select_after = None
        if target is not None:
            self.select_case(target)
        emit(self.list_updated, total)

    def select_case(self, case_id: uuid.UUID) -> None:
        """Select the case in the list when it is loaded, and show it either way."""
        for i, row in enumerate(self.model.rows):
            if row.id == case_id:
                self.table.selectRow(i)
                break
        if self.detail.case_id != case_id:
            self.detail.load(case_id)

    def _on_current(self, current: object, _previous: object) -> None:
        from PySide6.QtCore import QModelIndex

        assert isinstance(current, QModelIndex)
        row = self.model.row_at(current.row())
        if row is not None and row.id != self.detail.case_id:
            self.detail.load(row.id)

    # -- actions -------------------------------------------------------------------------------
    def new_case(self) -> None:
        from wushe_desktop.ui.dialogs.case_new import CaseDialog

        dlg = CaseDialog(self.ctx.executor, self.ctx.actor, parent=self)
        if self.detail.exec_dialog(dlg):
            row = dlg.result_value
            self._select_after = row.id
            self.model.set_query(self.query())
            self.detail.load(row.id)

    def export(self) -> None:
        from wushe_desktop.cases.exporter import export_cases
        from wushe_desktop.ui.dialogs.export import ExportDialog

        db, actor, query = self.ctx.db, self.ctx.actor, self.query()
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出个案列表"),
            stem="个案",
            run=lambda path, _full, p, c: export_cases(
                db, actor, query, path, progress=p, cancel=c
            ),
            scope_text=self.tr("当前筛选的个案（%d 件）；个案内容只导出您有权查看的部分。")
            % self.model.total,
            parent=self,
        )

    def bulk_reassign(self) -> None:
        from wushe_desktop.ui.dialogs.case_misc import ReasonDialog

        workers = [
            (self.worker.itemText(i), self.worker.itemData(i))
            for i in range(1, self.worker.count())
        ]
        if len(workers) < 2:
            msgbox.information(self, self.tr("本站只有一位可负责个案的社工。"))
            return
        dlg = ReasonDialog(
            self.ctx.executor,
            self.tr("批量转移个案（社工离职或调岗）"),
            label="转移原因",
            choices=workers,
            choice_label="接手社工",
            parent=self,
        )
        source = self.worker.currentData()
        if source is None:
            msgbox.information(self, self.tr("请先在“社工”筛选中选择要转出个案的社工。"))
            return
        actor = self.ctx.actor

        def action(s: Session, reason: str, target: object) -> object:
            from wushe_desktop.cases.service import bulk_reassign

            assert isinstance(target, uuid.UUID)
            return bulk_reassign(s, actor, source, target, reason)

        dlg.action = action
        if self.detail.exec_dialog(dlg):
            msgbox.information(self, self.tr("已转移 %s 件在案个案。") % dlg.result_value)
            self.refresh(keep=True)

    def delete_or_restore(self) -> None:
        from wushe_desktop.cases.service import delete_case, restore_case

        row = self.model.row_at(self.table.current_row())
        if row is None:
            return
        actor, cid = self.ctx.actor, row.id
        if self.deleted:
            fn = lambda s: restore_case(s, actor, cid)  # noqa: E731
            question = self.tr("恢复个案 %s 吗？") % row.case_no
        else:
            fn = lambda s: delete_case(s, actor, cid)  # noqa: E731
            question = self.tr("把个案 %s 移到回收站吗？（可以恢复）") % row.case_no
        if not msgbox.question(self, question):
            return
        self.ctx.executor.query(
            fn, lambda _r: self._after_delete(), lambda e: errors.show_error(self, e), parent=self
        )

    def _after_delete(self) -> None:
        self.detail.load(None)
        self.refresh()

    def _toggle_recycle(self, on: bool) -> None:
        self.deleted = on
        self.delete_button.setText(self.tr("恢复") if on else self.tr("删除"))
        self.new_button.setEnabled(not on and self.ctx.can(Resource.CASE, Action.CREATE))
        self.detail.load(None)
        self.refresh()


class CasesPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        from wushe_desktop.ui.pages.service_records import ServiceRecordsPanel

        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(title_label(self.tr("个案与服务记录")))
        self.tabs = QTabWidget()
        self.cases = CaseListPanel(ctx)
        self.records = ServiceRecordsPanel(ctx)
        self.tabs.addTab(self.cases, self.tr("个案"))
        self.tabs.addTab(self.records, self.tr("服务记录"))
        layout.addWidget(self.tabs, 1)

    def activated(self) -> None:
        self.cases.refresh(keep=True)

    def open_argument(self, argument: object) -> None:
        if isinstance(argument, uuid.UUID):
            self.tabs.setCurrentWidget(self.cases)
            self.cases.select_case(argument)

    def save_state(self, settings: UiSettings) -> None:
        self.cases.table.save_state(settings)
        settings.save_splitter("cases", self.cases.splitter)
        self.records.table.save_state(settings)
