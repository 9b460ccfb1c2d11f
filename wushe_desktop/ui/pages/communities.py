"""社区与网格: the station's communities (villages) and, for the selected one, its grids.

Short lists: loaded whole on the DB thread. Changing them needs the director's rights; the
buttons are disabled for other roles (the services refuse anyway).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.infra.progress import CancelToken, Progress
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.table import RIGHT, Column, ListTableModel
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.labels import title_label
from wushe_desktop.ui.widgets.tables import DataTable


def _n(value: int) -> str:
    return f"{value:,}"


COMMUNITY_COLUMNS: list[Column[Any]] = [
    Column("名称", lambda r: r.name, width=180),
    Column("类型", lambda r: r.kind, width=60),
    Column("常住人口", lambda r: _n(r.population), RIGHT, lambda r: r.population, 90),
    Column("户数", lambda r: _n(r.households), RIGHT, lambda r: r.households, 80),
    Column("网格数", lambda r: _n(r.grid_count), RIGHT, lambda r: r.grid_count, 70),
    Column("在册居民", lambda r: _n(r.resident_count), RIGHT, lambda r: r.resident_count, 90),
]

GRID_COLUMNS: list[Column[Any]] = [
    Column("网格", lambda r: r.name, width=140),
    Column("网格员", lambda r: r.worker_name, width=90),
    Column("电话", lambda r: r.worker_phone, width=120),
    Column("在册居民", lambda r: _n(r.resident_count), RIGHT, lambda r: r.resident_count, 80),
]


def export_communities(
    session_factory: Any, actor: Actor, path: Path, progress: Progress, cancel: CancelToken
) -> int:
    """Runs on the DB thread: every community with its grid and resident counts."""
    from wushe_desktop.infra.excel import Column as XColumn
    from wushe_desktop.infra.excel import write_table
    from wushe_desktop.stations.service import list_communities

    with session_factory() as session:
        rows = list_communities(session, actor)
    columns = [
        XColumn("名称", "name", width=20),
        XColumn("类型", "kind", width=8),
        XColumn("常住人口", "population", "int", width=12),
        XColumn("户数", "households", "int", width=10),
        XColumn("网格数", "grid_count", "int", width=10),
        XColumn("在册居民", "resident_count", "int", width=12),
    ]
    return write_table(
        path,
        columns,
        rows,
        sheet_title="社区",
        total=len(rows),
        progress=progress,
        cancel=cancel,
    )


class CommunitiesPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        can_edit = ctx.can(Resource.COMMUNITY, Action.UPDATE)
        can_create = ctx.can(Resource.COMMUNITY, Action.CREATE)
        can_delete = ctx.can(Resource.COMMUNITY, Action.DELETE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        head = QHBoxLayout()
        head.addWidget(title_label(self.tr("社区与网格")))
        head.addStretch(1)
        self.add_button = QPushButton(self.tr("新增社区（村）"))
        self.edit_button = QPushButton(self.tr("修改"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        for b in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.export_button,
            self.refresh_button,
        ):
            head.addWidget(b)
        layout.addLayout(head)
        if not (can_edit and can_create and can_delete):
            note = QLabel(self.tr("只有站长可以新增、修改或删除社区和网格；您可以查看和导出。"))
            note.setStyleSheet("color: #555;")
            layout.addWidget(note)
        self.add_button.setEnabled(can_create)
        self._can_edit, self._can_delete, self._can_create = can_edit, can_delete, can_create
        self.export_button.setEnabled(ctx.can(Resource.COMMUNITY, Action.EXPORT))

        self.model: ListTableModel[Any] = ListTableModel(COMMUNITY_COLUMNS)
        self.table = DataTable("communities")
        self.table.set_model_with_widths(self.model, [c.width for c in COMMUNITY_COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

        grid_box = self._build_grid_panel()

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(grid_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.status = QLabel()
        self.status.setStyleSheet("color: #666;")
        layout.addWidget(self.status)

        ctx.settings.restore_splitter("communities", self.splitter)
        self.table.restore_state(ctx.settings)
        self.grid_table.restore_state(ctx.settings)

        self._connect()
        self._update_buttons()

    def _connect(self) -> None:
        self.add_button.clicked.connect(self.add_community)
        self.edit_button.clicked.connect(self.edit_community)
        self.delete_button.clicked.connect(self.delete_community)
        self.export_button.clicked.connect(self.export)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.doubleClicked.connect(lambda _i: self.edit_community())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.add_grid_button.clicked.connect(self.add_grid)
        self.edit_grid_button.clicked.connect(self.edit_grid)
        self.delete_grid_button.clicked.connect(self.delete_grid)
        self.grid_table.doubleClicked.connect(lambda _i: self.edit_grid())
        self.grid_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons()
        )

    def _build_grid_panel(self) -> QWidget:
        grid_box = QWidget()
        gl = QVBoxLayout(grid_box)
        gl.setContentsMargins(0, 0, 0, 0)
        grid_head = QHBoxLayout()
        self.grid_title = QLabel(self.tr("网格"))
        font = self.grid_title.font()
        font.setBold(True)
        self.grid_title.setFont(font)
        grid_head.addWidget(self.grid_title)
        grid_head.addStretch(1)
        self.add_grid_button = QPushButton(self.tr("新增网格"))
        self.edit_grid_button = QPushButton(self.tr("修改"))
        self.delete_grid_button = QPushButton(self.tr("删除"))
        for b in (self.add_grid_button, self.edit_grid_button, self.delete_grid_button):
            grid_head.addWidget(b)
        gl.addLayout(grid_head)
        self.grid_model: ListTableModel[Any] = ListTableModel(GRID_COLUMNS)
        self.grid_table = DataTable("grids")
        self.grid_table.set_model_with_widths(self.grid_model, [c.width for c in GRID_COLUMNS])
        self.grid_table.setSortingEnabled(True)
        self.grid_table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        gl.addWidget(self.grid_table)

        return grid_box

    # -- data ----------------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def refresh(self, select: uuid.UUID | None = None) -> None:
        from wushe_desktop.stations.service import list_communities

        actor = self.ctx.actor
        keep = select or self._selected_id()
        self.status.setText(self.tr("正在读取…"))
        self.ctx.executor.query(
            lambda s: list_communities(s, actor),
            lambda rows: self._on_loaded(rows, keep),
            parent=self,
        )

    def _on_loaded(self, rows: object, keep: uuid.UUID | None) -> None:
        assert isinstance(rows, list)
        self.model.set_rows(rows)
        total = sum(r.resident_count for r in rows)
        self.status.setText(
            self.tr("共 %d 个社区（村），%d 个网格，在册居民 %s 人。")
            % (len(rows), sum(r.grid_count for r in rows), f"{total:,}")
        )
        for i, row in enumerate(self.model.rows):
            if row.id == keep:
                self.table.selectRow(i)
                break
        else:
            if rows:
                self.table.selectRow(0)
            else:
                self.grid_model.set_rows([])
        self._update_buttons()

    def current_community(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def current_grid(self) -> Any:
        return self.grid_model.row_at(self.grid_table.current_row())

    def _selected_id(self) -> uuid.UUID | None:
        row = self.current_community()
        return row.id if row is not None else None

    def _on_selection(self, _sel: QItemSelection, _old: QItemSelection) -> None:
        self._update_buttons()
        self.load_grids()

    def load_grids(self, select: uuid.UUID | None = None) -> None:
        from wushe_desktop.stations.service import list_grids

        community = self.current_community()
        if community is None:
            self.grid_model.set_rows([])
            self.grid_title.setText(self.tr("网格"))
            return
        self.grid_title.setText(self.tr("“%s”的网格") % community.name)
        actor = self.ctx.actor
        cid = community.id

        def loaded(rows: object) -> None:
            current = self.current_community()
            if current is None or current.id != cid:
                return  # the user moved on meanwhile
            assert isinstance(rows, list)
            self.grid_model.set_rows(rows)
            for i, r in enumerate(self.grid_model.rows):
                if r.id == select:
                    self.grid_table.selectRow(i)
            self._update_buttons()

        self.ctx.executor.query(lambda s: list_grids(s, actor, cid), loaded, parent=self)

    def _update_buttons(self) -> None:
        has = self.current_community() is not None
        has_grid = self.current_grid() is not None
        self.edit_button.setEnabled(has and self._can_edit)
        self.delete_button.setEnabled(has and self._can_delete)
        self.add_grid_button.setEnabled(has and self._can_create)
        self.edit_grid_button.setEnabled(has_grid and self._can_edit)
        self.delete_grid_button.setEnabled(has_grid and self._can_delete)

    # -- actions -------------------------------------------------------------------------------
    def add_community(self) -> None:
        from wushe_desktop.ui.dialogs.community_edit import CommunityDialog

        row = CommunityDialog.ask(self.ctx.executor, self.ctx.actor, None, self)
        if row is not None:
            self.refresh(select=row.id)  # type: ignore[attr-defined]

    def edit_community(self) -> None:
        from wushe_desktop.ui.dialogs.community_edit import CommunityDialog

        current = self.current_community()
        if current is None or not self._can_edit:
            return
        row = CommunityDialog.ask(self.ctx.executor, self.ctx.actor, current, self)
        if row is not None:
            self.refresh(select=current.id)

    def delete_community(self) -> None:
        from wushe_desktop.stations.service import delete_community

        current = self.current_community()
        if current is None:
            return
        if not msgbox.question(
            self,
            self.tr("确定删除“%s”及其全部网格吗？（有在册居民的社区不能删除）") % current.name,
        ):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: delete_community(s, actor, current.id),
            lambda _r: self.refresh(),
            parent=self,
        )

    def add_grid(self) -> None:
        from wushe_desktop.ui.dialogs.grid_edit import GridDialog

        community = self.current_community()
        if community is None:
            return
        row = GridDialog.ask(
            self.ctx.executor,
            self.ctx.actor,
            community_id=community.id,
            community_name=community.name,
            parent=self,
        )
        if row is not None:
            self.refresh(select=community.id)
            self.load_grids(select=row.id)  # type: ignore[attr-defined]

    def edit_grid(self) -> None:
        from wushe_desktop.ui.dialogs.grid_edit import GridDialog

        community, grid = self.current_community(), self.current_grid()
        if community is None or grid is None or not self._can_edit:
            return
        row = GridDialog.ask(
            self.ctx.executor,
            self.ctx.actor,
            community_id=community.id,
            community_name=community.name,
            existing=grid,
            parent=self,
        )
        if row is not None:
            self.load_grids(select=grid.id)

    def delete_grid(self) -> None:
        from wushe_desktop.stations.service import delete_grid

        grid = self.current_grid()
        if grid is None:
            return
        if not msgbox.question(
            self, self.tr("确定删除网格“%s”吗？（有在册居民的网格不能删除）") % grid.name
        ):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: delete_grid(s, actor, grid.id),
            lambda _r: self.refresh(),
            parent=self,
        )

    def export(self) -> None:
        from wushe_desktop.ui.dialogs.export import ExportDialog

        db, actor = self.ctx.db, self.ctx.actor
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出社区（村）列表"),
            stem="社区列表",
            run=lambda path, _full, p, c: export_communities(db.reader, actor, path, p, c),
            scope_text=self.tr("全部社区（村），含网格数和在册居民数。"),
            parent=self,
        )

    def save_state(self, settings: UiSettings) -> None:
        settings.save_splitter("communities", self.splitter)
        self.table.save_state(settings)
        self.grid_table.save_state(settings)
