"""居民: the pattern page — search as you type, filters, lazy list, detail panel, recycle bin.

Search as you type without a fixed debounce: a keystroke runs the query at once when none
is in flight; keystrokes that arrive while one runs are coalesced into a single follow-up
query for the newest text. The list therefore updates one query time (a few ms) after the
last keystroke, and fast typing never piles queries up on the DB thread; the model drops
any result that is not the newest.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.residents.search import ResidentQuery
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.resident_edit import JumpTo, Places, load_places
from wushe_desktop.ui.models.residents_model import COLUMNS, ResidentListModel
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.pages.resident_detail import ResidentDetail
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.labels import title_label
from wushe_desktop.ui.widgets.tables import DataTable


class ResidentsPage(Page):
    #: Emitted when the list shows the result of the latest query (row count).
    list_updated = Signal(int)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.places: Places | None = None
        self._pending_community: uuid.UUID | None = None  # to select once places arrive
        self.recycle_mode = False
        self._select_after_load: uuid.UUID | None = None
        self._typed_at: float | None = None
        self._rerun = False  # the text changed while a query was running
        #: Milliseconds from the last keystroke to the list update (for the benchmark).
        self.last_latency_ms: float | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addLayout(self._build_header())
        layout.addLayout(self._build_filters())

        self.model = ResidentListModel(ctx.executor, ctx.actor)
        self.table = DataTable("residents")
        self.table.set_model_with_widths(self.model, [c.width for c in COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.restore_state(ctx.settings)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.detail = ResidentDetail(ctx)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 360])
        ctx.settings.restore_splitter("residents", self.splitter)
        layout.addWidget(self.splitter, 1)
        self.status = QLabel()
        self.status.setStyleSheet("color: #666;")
        layout.addWidget(self.status)

        self._connect()
        self._update_buttons()
        self.load_places()
        self.run_query()

    # -- construction --------------------------------------------------------------------------
    def _build_header(self) -> QHBoxLayout:
        ctx = self.ctx
        head = QHBoxLayout()
        self.title = title_label(self.tr("居民"))
        head.addWidget(self.title)
        head.addStretch(1)
        self.add_button = QPushButton(self.tr("新增居民"))
        self.edit_button = QPushButton(self.tr("修改"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.restore_button = QPushButton(self.tr("恢复"))
        self.import_button = QPushButton(self.tr("导入Excel"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.recycle_button = QPushButton(self.tr("回收站"))
        self.recycle_button.setCheckable(True)
        self.refresh_button = QPushButton(self.tr("刷新"))
        for b in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.restore_button,
            self.import_button,
            self.export_button,
            self.recycle_button,
            self.refresh_button,
        ):
            head.addWidget(b)
        self.add_button.setEnabled(ctx.can(Resource.RESIDENT, Action.CREATE))
        self.import_button.setEnabled(ctx.can(Resource.RESIDENT, Action.IMPORT))
        self.export_button.setEnabled(ctx.can(Resource.RESIDENT, Action.EXPORT))
        self.recycle_button.setEnabled(ctx.can(Resource.RESIDENT, Action.RESTORE))
        self.restore_button.hide()
        return head

    def _build_filters(self) -> QHBoxLayout:
        from wushe_desktop.domain.tags import TAGS

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("搜索：姓名、拼音首字母（如 zs）、全拼、身份证号或电话")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(320)
        self.community = QComboBox()
        self.community.addItem(self.tr("全部社区（村）"), None)
        self.community.setMinimumWidth(140)
        self.grid = QComboBox()
        self.grid.addItem(self.tr("全部网格"), None)
        self.grid.setMinimumWidth(110)
        self.grid.setEnabled(False)
        self.tag = QComboBox()
        self.tag.addItem(self.tr("全部人群"), None)
        for code, tag in TAGS.items():
            self.tag.addItem(tag.label, code)
        self.tag.setMinimumWidth(130)
        self.count_label = QLabel()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.community, 1)
        bar.addWidget(self.grid, 1)
        bar.addWidget(self.tag, 1)
        bar.addWidget(self.count_label)
        return bar

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_text_changed)
        self.community.currentIndexChanged.connect(self._on_community_changed)
        self.grid.currentIndexChanged.connect(lambda _i: self.run_query())
        self.tag.currentIndexChanged.connect(lambda _i: self.run_query())
        self.model.query_loaded.connect(self._on_query_loaded)
        self.model.load_failed.connect(self._on_load_failed)
        self.model.modelReset.connect(self._on_selection)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selection())
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.delete_button.clicked.connect(self.delete)
        self.restore_button.clicked.connect(self.restore)
        self.import_button.clicked.connect(self.import_excel)
        self.export_button.clicked.connect(self.export_excel)
        self.recycle_button.toggled.connect(self.set_recycle_mode)
        self.refresh_button.clicked.connect(self.refresh)

    # -- places (communities/grids for filters and the form) -----------------------------------
    def load_places(self) -> None:
        actor = self.ctx.actor
        self.ctx.executor.query(lambda s: load_places(s, actor), self._on_places, parent=self)

    def _on_places(self, places: object) -> None:
        assert isinstance(places, Places)
        self.places = places
        pending, self._pending_community = self._pending_community, None
        current = pending or self.community.currentData()
        self.community.blockSignals(True)
        self.community.clear()
        self.community.addItem(self.tr("全部社区（村）"), None)
        for c in places.communities:
            self.community.addItem(c.name, c.id)
        select_data(self.community, current)
        self.community.blockSignals(False)
        self._fill_grid_filter()
        if pending is not None:
            self.run_query()

    def _fill_grid_filter(self) -> None:
        cid = self.community.currentData()
        current = self.grid.currentData()
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.addItem(self.tr("全部网格"), None)
        if cid is not None and self.places is not None:
            for g in self.places.grids.get(cid, []):
                self.grid.addItem(g.name, g.id)
        select_data(self.grid, current)
        self.grid.setEnabled(cid is not None)
        self.grid.blockSignals(False)

    def _on_community_changed(self, _index: int) -> None:
        self._fill_grid_filter()
        self.run_query()

    # -- querying ------------------------------------------------------------------------------
    def current_query(self) -> ResidentQuery:
        return replace(
            self.model.query,
            text=self.search.text().strip(),
            community_id=self.community.currentData(),
            grid_id=self.grid.currentData(),
            tag=self.tag.currentData(),
            deleted=self.recycle_mode,
        )

    def _on_text_changed(self, _text: str) -> None:
        self._typed_at = time.perf_counter()
        if self.model.loading:
            self._rerun = True  # run once more with the newest text when this one is done
        else:
            self.run_query()

    def run_query(self) -> None:
        self._rerun = False
        self.count_label.setText(self.tr("正在查找…"))
        self.model.set_query(self.current_query())

    def _on_load_failed(self, exc: object) -> None:
        if self._rerun:
            self.run_query()
            return
        self.count_label.setText("")
        errors.show_error(self, exc if isinstance(exc, BaseException) else Exception(exc))

    def refresh(self) -> None:
        self.load_places()
        self.run_query()

    def activated(self) -> None:
        if self.model.total or not self.model.loading:
            self.model.reload()

    def _on_query_loaded(self, total: int) -> None:
        if self._rerun:
            self.run_query()  # the text changed meanwhile: show the newest query instead
            return
        if self._typed_at is not None:
            self.last_latency_ms = (time.perf_counter() - self._typed_at) * 1000
            self._typed_at = None
        where = self.tr("回收站中") if self.recycle_mode else ""
        self.count_label.setText(self.tr("%s共 %s 人") % (where, f"{total:,}"))
        column, order = self.model.sort_column()
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)
        target = self._select_after_load
        self._select_after_load = None
        if target is not None:
            row = self.model.find_row(target)
            if row >= 0:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        elif total:
            self.table.selectRow(0)
        self._on_selection()
        self.status.setText(
            self.tr("证件号码和电话已部分隐藏。")
            if not self.recycle_mode
            else self.tr("回收站中的居民不出现在列表和统计中，可恢复。")
        )
        emit(self.list_updated, total)

    # -- selection -----------------------------------------------------------------------------
    def current_row(self) -> Any:
        row = self.table.current_row()
        return self.model.row(row) if row >= 0 else None

    def _on_selection(self) -> None:
        row = self.current_row()
        if self.detail.row is None or row is None or row.id != self.detail.row.id:
            self.detail.show_row(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ctx = self.ctx
        has = self.current_row() is not None
        live = not self.recycle_mode
        self.add_button.setVisible(live)
        self.edit_button.setVisible(live)
        self.delete_button.setVisible(live)
        self.import_button.setVisible(live)
        self.restore_button.setVisible(not live)
        self.edit_button.setEnabled(has and ctx.can(Resource.RESIDENT, Action.UPDATE))
        self.delete_button.setEnabled(has and ctx.can(Resource.RESIDENT, Action.DELETE))
        self.restore_button.setEnabled(has and ctx.can(Resource.RESIDENT, Action.RESTORE))

    # -- navigation ----------------------------------------------------------------------------
    def open_argument(self, argument: object) -> None:
        if isinstance(argument, dict) and "tag" in argument:
            self.set_recycle_mode(False)
            self.search.clear()
            self.community.setCurrentIndex(0)
            select_data(self.tag, argument["tag"])
            self.run_query()
        elif isinstance(argument, dict) and "community_id" in argument:
            self.set_recycle_mode(False)
            self.search.clear()
            self.tag.setCurrentIndex(0)
            self._pending_community = argument["community_id"]
            self.load_places()  # the combo may not hold it yet (still loading, or new)
        elif isinstance(argument, uuid.UUID):
            self.show_resident(argument)

    def show_resident(self, resident_id: uuid.UUID) -> None:
        """Find one resident (e.g. the duplicate a form found) and select it."""
        from wushe_desktop.residents.service import get_resident

        actor = self.ctx.actor

        def found(row: object) -> None:
            self._select_after_load = resident_id
            deleted = getattr(row, "deleted_at", None) is not None
            self.recycle_button.blockSignals(True)
            self.recycle_button.setChecked(deleted)
            self.recycle_button.blockSignals(False)
            self.recycle_mode = deleted
            self.community.setCurrentIndex(0)
            self.tag.setCurrentIndex(0)
            self.search.blockSignals(True)
            self.search.setText(getattr(row, "name", ""))
            self.search.blockSignals(False)
            self.run_query()

        self.ctx.executor.query(lambda s: get_resident(s, actor, resident_id), found, parent=self)

    def set_recycle_mode(self, on: bool) -> None:
        self.recycle_mode = on
        if self.recycle_button.isChecked() != on:
            self.recycle_button.setChecked(on)
        self.title.setText(self.tr("居民 · 回收站") if on else self.tr("居民"))
        self.recycle_button.setText(self.tr("返回列表") if on else self.tr("回收站"))
        self._update_buttons()
        self.run_query()

    # -- actions -------------------------------------------------------------------------------
    def add(self) -> None:
        self._open_form(None)

    def edit(self) -> None:
        row = self.current_row()
        if row is None or self.recycle_mode or not self.edit_button.isEnabled():
            return
        from wushe_desktop.residents.service import get_resident

        actor = self.ctx.actor
        # Without 查看敏感信息 the form gets the masked row and keeps those values (KEEP).
        reveal = self.ctx.can(Resource.RESIDENT, Action.VIEW_SENSITIVE)
        self.ctx.executor.query(
            lambda s: get_resident(s, actor, row.id, reveal=reveal),
            self._open_form,
            parent=self,
        )

    def _open_form(self, existing: object | None) -> None:
        from wushe_desktop.ui.dialogs.resident_edit import ResidentDialog

        if self.places is None:
            msgbox.information(self, self.tr("正在读取社区列表，请稍后再试。"))
            return
        if not self.places.communities:
            msgbox.information(self, self.tr("请先在“社区与网格”中新增至少一个社区（村）。"))
            return
        result = ResidentDialog.ask(
            self.ctx.executor, self.ctx.actor, self.places, existing, parent=self
        )
        if isinstance(result, JumpTo):
            self.show_resident(result.resident_id)
        elif result is not None:
            self._select_after_load = result.id  # type: ignore[attr-defined]
            if existing is None:
                self.search.blockSignals(True)
                self.search.setText(result.name)  # type: ignore[attr-defined]
                self.search.blockSignals(False)
            self.detail.row = None
            self.run_query()

    def delete(self) -> None:
        from wushe_desktop.residents.recycle import delete_resident

        row = self.current_row()
        if row is None:
            return
        if not msgbox.question(
            self,
            self.tr("把“%s”移到回收站吗？\n移到回收站后不再出现在列表和统计中，可以恢复。")
            % row.name,
        ):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: delete_resident(s, actor, row.id, expected_version=row.version),
            lambda _r: self._after_change(self.tr("已把“%s”移到回收站。") % row.name),
            parent=self,
        )

    def restore(self) -> None:
        from wushe_desktop.residents.recycle import restore_resident

        row = self.current_row()
        if row is None:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: restore_resident(s, actor, row.id),
            lambda _r: self._after_change(self.tr("已恢复“%s”。") % row.name),
            parent=self,
        )

    def _after_change(self, message: str) -> None:
        self.status.setText(message)
        self.detail.row = None
        self.model.reload()

    def export_excel(self) -> None:
        from wushe_desktop.ui.dialogs.resident_import_export import export_residents_dialog

        export_residents_dialog(self, self.ctx, self.current_query(), self.describe_filter())

    def import_excel(self) -> None:
        from wushe_desktop.ui.dialogs.resident_import_export import ResidentImportDialog

        if ResidentImportDialog.ask(self.ctx, parent=self):
            self.refresh()

    def describe_filter(self) -> str:
        parts = []
        if self.recycle_mode:
            parts.append(self.tr("回收站"))
        if self.search.text().strip():
            parts.append(self.tr("搜索“%s”") % self.search.text().strip())
        for combo in (self.community, self.grid, self.tag):
            if combo.currentData() is not None:
                parts.append(combo.currentText())
        shown = "，".join(parts) if parts else self.tr("全部居民")
        return self.tr("%s（%s 人）") % (shown, f"{self.model.total:,}")

    def save_state(self, settings: UiSettings) -> None:
        settings.save_splitter("residents", self.splitter)
        self.table.save_state(settings)
