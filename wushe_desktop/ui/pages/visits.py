"""探访关爱: the visit to-dos with the overdue list per community and grid, and the visit
records (filters, edit, delete/restore, 转为个案, 导出Excel)."""

from __future__ import annotations

import uuid
from typing import Any

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

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import DateRange, fill_combo
from wushe_desktop.ui.models.community_work import (
    OVERDUE_COLUMNS,
    TODO_COLUMNS,
    VISIT_COLUMNS,
)
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.pages.community_work import Choices
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.tables import DataTable
from wushe_desktop.visits.overdue import DueStatus, TodoQuery
from wushe_desktop.visits.search import VisitQuery

PAGE_SIZE = 300


class VisitsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.tabs = QTabWidget()
        self.todos = TodoView(ctx)
        self.records = VisitRecordsView(ctx)
        self.tabs.addTab(self.todos, self.tr("待探访"))
        self.tabs.addTab(self.records, self.tr("探访记录"))
        layout.addWidget(self.tabs)
        self.todos.visit_recorded.connect(self.records.refresh)
        self.records.changed.connect(self.todos.refresh)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())

    def set_choices(self, choices: Choices) -> None:
        self.todos.set_choices(choices)
        self.records.set_choices(choices)

    def refresh(self) -> None:
        view = self.tabs.currentWidget()
        if isinstance(view, TodoView | VisitRecordsView):
            view.refresh()

    def save_state(self, settings: UiSettings) -> None:
        self.todos.save_state(settings)
        self.records.save_state(settings)


def _filter_bar() -> QHBoxLayout:
    bar = QHBoxLayout()
    bar.setContentsMargins(0, 0, 0, 0)
    return bar


class TodoView(QWidget):
    """Who is due a visit, most overdue first, beside the counts per community and grid."""

    #: Emitted after a visit was recorded from the to-do list.
    visit_recorded = Signal()
    #: Emitted when the to-do list shows a new result (row count).
    list_updated = Signal(int)

    def __init__(self, ctx: AppContext) -> None:  # noqa: PLR0915 - widget construction
        from wushe_desktop.visits.schedule import DEFAULT_FREQUENCIES

        super().__init__()
        self.ctx = ctx
        self.choices: Choices | None = None
        layout = QVBoxLayout(self)
        bar = _filter_bar()
        self.status = QComboBox()
        for s in DueStatus:
            self.status.addItem(s.value, s)
        self.community = QComboBox()
        self.community.addItem(self.tr("全部社区（村）"), None)
        self.grid = QComboBox()
        self.grid.addItem(self.tr("全部网格"), None)
        self.tag = QComboBox()
        from wushe_desktop.domain.tags import tag_label

        fill_combo(
            self.tag, self.tr("全部重点人群"), [(t, tag_label(t)) for t in DEFAULT_FREQUENCIES]
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名或拼音首字母"))
        self.search.setClearButtonEnabled(True)
        for w in (self.status, self.community, self.grid, self.tag):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        self.visit_button = QPushButton(self.tr("登记探访"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.frequency_button = QPushButton(self.tr("探访频次…"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        for b in (
            self.visit_button,
            self.export_button,
            self.frequency_button,
            self.refresh_button,
        ):
            bar.addWidget(b)
        layout.addLayout(bar)
        self.visit_button.setEnabled(False)
        self.export_button.setEnabled(ctx.can(Resource.SERVICE, Action.EXPORT))
        self.frequency_button.setEnabled(ctx.can(Resource.SERVICE, Action.READ))

        self.model: ListTableModel[Any] = ListTableModel(TODO_COLUMNS)
        self.table = DataTable("visit_todos")
        self.table.set_model_with_widths(self.model, [c.width for c in TODO_COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.summary: ListTableModel[Any] = ListTableModel(OVERDUE_COLUMNS)
        self.summary_table = DataTable("visit_overdue")
        self.summary_table.set_model_with_widths(self.summary, [c.width for c in OVERDUE_COLUMNS])
        summary_box = QWidget()
        sl = QVBoxLayout(summary_box)
        sl.setContentsMargins(0, 0, 0, 0)
        head = QLabel(self.tr("逾期统计（点击一行按社区/网格筛选）"))
        font = head.font()
        font.setBold(True)
        head.setFont(font)
        sl.addWidget(head)
        sl.addWidget(self.summary_table)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(summary_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #666;")
        layout.addWidget(self.count_label)
        ctx.settings.restore_splitter("visit_todos", self.splitter)
        self.table.restore_state(ctx.settings)

        # Filters reload the list only; the overdue counts are the station's (刷新 reloads both).
        self.status.currentIndexChanged.connect(lambda _i: self.refresh(summary=False))
        self.community.currentIndexChanged.connect(lambda _i: self._on_community())
        self.grid.currentIndexChanged.connect(lambda _i: self.refresh(summary=False))
        self.tag.currentIndexChanged.connect(lambda _i: self.refresh(summary=False))
        self.search.textChanged.connect(lambda _t: self.refresh(summary=False))
        self.refresh_button.clicked.connect(lambda _checked: self.refresh())
        self.visit_button.clicked.connect(self.record_visit)
        self.table.doubleClicked.connect(lambda _i: self.record_visit())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.summary_table.clicked.connect(lambda index: self._on_summary(index.row()))
        self.export_button.clicked.connect(self.export)
        self.frequency_button.clicked.connect(self.edit_frequencies)
        self._generation = 0

    def set_choices(self, choices: Choices) -> None:
        self.choices = choices
        self.community.blockSignals(True)
        fill_combo(self.community, self.tr("全部社区（村）"), choices.community_items())
        self.community.blockSignals(False)
        self._fill_grids()
        self.refresh()

    def _fill_grids(self) -> None:
        items = self.choices.grid_items(self.community.currentData()) if self.choices else []
        fill_combo(self.grid, self.tr("全部网格"), items)
        self.grid.setEnabled(bool(items))

    def _on_community(self) -> None:
        self._fill_grids()
        self.refresh(summary=False)

    def query(self) -> TodoQuery:
        status = self.status.currentData()  # Qt hands the StrEnum back as a plain str
        return TodoQuery(
            status=DueStatus(status) if status else DueStatus.DUE,
            community_id=self.community.currentData(),
            grid_id=self.grid.currentData(),
            tag=self.tag.currentData(),
            text=self.search.text(),
        )

    def refresh(self, *, summary: bool = True) -> None:
        """Reload the to-do list (and, unless ``summary`` is False, the overdue counts)."""
        from wushe_desktop.visits.overdue import overdue_summary, visit_todos

        actor = self.ctx.actor
        query = self.query()
        self._generation += 1
        generation = self._generation

        def load(session: Any) -> tuple[list[Any], list[Any] | None]:
            counts = overdue_summary(session, actor) if summary else None
            return visit_todos(session, actor, query), counts

        def done(result: object) -> None:
            if generation != self._generation:
                return  # a newer query is on its way
            assert isinstance(result, tuple)
            todos, counts = result
            self.model.set_rows(todos)
            if counts is not None:
                self.summary.set_rows(counts)
            overdue = sum(1 for t in todos if t.overdue_days > 0)
            never = sum(1 for t in todos if t.never_visited)
            self.count_label.setText(
                self.tr("共 %d 人，其中逾期 %d 人、从未探访 %d 人。") % (len(todos), overdue, never)
            )
            self._update_buttons()
            emit(self.list_updated, len(todos))

        self.ctx.executor.query(load, done, parent=self)

    def current(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def _update_buttons(self) -> None:
        self.visit_button.setEnabled(
            self.current() is not None and self.ctx.can(Resource.SERVICE, Action.CREATE)
        )

    def _on_summary(self, row: int) -> None:
        line = self.summary.row_at(row)
        if line is None:
            return
        from wushe_desktop.ui.widgets.combos import select_data

        self.community.blockSignals(True)
        select_data(self.community, line.community_id)
        self.community.blockSignals(False)
        self._fill_grids()
        self.grid.blockSignals(True)
        select_data(self.grid, None if line.is_total else line.grid_id)
        self.grid.blockSignals(False)
        self.refresh(summary=False)

    def record_visit(self) -> None:
        from wushe_desktop.ui.dialogs.visit_edit import VisitDialog

        todo = self.current()
        if todo is None or not self.ctx.can(Resource.SERVICE, Action.CREATE):
            return
        staff = self.choices.staff if self.choices else []
        row = VisitDialog.ask(
            self.ctx.executor,
            self.ctx.actor,
            staff,
            resident=(todo.resident_id, todo.name),
            parent=self,
        )
        if row is not None:
            self.refresh()
            emit(self.visit_recorded)

    def export(self) -> None:
        from wushe_desktop.ui.dialogs.export import ExportDialog
        from wushe_desktop.visits.exporter import export_todos

        db, actor, query = self.ctx.db, self.ctx.actor, self.query()
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出待探访名单"),
            stem=f"待探访名单_{query.status.value}",
            run=lambda path, _full, p, c: export_todos(
                db, actor, query, path, progress=p, cancel=c
            ),
            scope_text=self.tr("当前筛选下的居民（%s）。") % query.status.value,
            parent=self,
        )

    def edit_frequencies(self) -> None:
        from wushe_desktop.visits.schedule import list_frequencies

        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: list_frequencies(s, actor), self._show_frequencies, parent=self
        )

    def _show_frequencies(self, rows: object) -> None:
        from wushe_desktop.ui.dialogs.visit_frequency import FrequencyDialog

        assert isinstance(rows, list)
        if FrequencyDialog.ask(self.ctx.executor, self.ctx.actor, rows, self):
            self.refresh()

    def save_state(self, settings: UiSettings) -> None:
        settings.save_splitter("visit_todos", self.splitter)
        self.table.save_state(settings)


class VisitRecordsView(QWidget):
    """Visit records, newest first, a page at a time, with their details below."""

    #: Emitted after a visit was added, changed, deleted or restored.
    changed = Signal()
    #: Emitted when the list shows a new result (row count shown).
    list_updated = Signal(int)

    def __init__(self, ctx: AppContext) -> None:  # noqa: PLR0915 - widget construction
        from wushe_desktop.visits.cases_link import cases_available

        super().__init__()
        self.ctx = ctx
        self.choices: Choices | None = None
        self.recycle = False
        self._cursor: tuple[Any, uuid.UUID] | None = None
        self._generation = 0
        layout = QVBoxLayout(self)
        bar = _filter_bar()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("居民姓名、拼音首字母或探访人"))
        self.search.setClearButtonEnabled(True)
        self.community = QComboBox()
        self.community.addItem(self.tr("全部社区（村）"), None)
        self.worker = QComboBox()
        self.worker.addItem(self.tr("全部社工"), None)
        self.dates = DateRange()
        self.risk_only = QCheckBox(self.tr("仅发现风险"))
        bar.addWidget(self.search, 1)
        for w in (self.community, self.worker, self.dates, self.risk_only):
            bar.addWidget(w)
        layout.addLayout(bar)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("登记探访"))
        self.edit_button = QPushButton(self.tr("修改"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.restore_button = QPushButton(self.tr("恢复"))
        self.case_button = QPushButton(self.tr("转为个案"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.recycle_button = QPushButton(self.tr("回收站"))
        self.recycle_button.setCheckable(True)
        self.more_button = QPushButton(self.tr("加载更多"))
        for b in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.restore_button,
            self.case_button,
            self.export_button,
            self.recycle_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.count_label = QLabel()
        buttons.addWidget(self.count_label)
        buttons.addWidget(self.more_button)
        layout.addLayout(buttons)
        self.restore_button.hide()
        self.case_button.setVisible(cases_available() and ctx.can(Resource.CASE, Action.CREATE))
        self.add_button.setEnabled(ctx.can(Resource.SERVICE, Action.CREATE))
        self.export_button.setEnabled(ctx.can(Resource.SERVICE, Action.EXPORT))
        self.recycle_button.setEnabled(ctx.can(Resource.SERVICE, Action.RESTORE))

        self.model: ListTableModel[Any] = ListTableModel(VISIT_COLUMNS)
        self.table = DataTable("visit_records")
        self.table.set_model_with_widths(self.model, [c.width for c in VISIT_COLUMNS])
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(60)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)
        self.table.restore_state(ctx.settings)

        self.search.textChanged.connect(lambda _t: self.refresh())
        self.community.currentIndexChanged.connect(lambda _i: self.refresh())
        self.worker.currentIndexChanged.connect(lambda _i: self.refresh())
        self.dates.changed.connect(self.refresh)
        self.risk_only.toggled.connect(lambda _on: self.refresh())
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.delete_button.clicked.connect(self.delete)
        self.restore_button.clicked.connect(self.restore)
        self.case_button.clicked.connect(self.open_case)
        self.export_button.clicked.connect(self.export)
        self.recycle_button.toggled.connect(self.set_recycle)
        self.more_button.clicked.connect(self.load_more)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selection())
        self._on_selection()

    def set_choices(self, choices: Choices) -> None:
        self.choices = choices
        fill_combo(self.community, self.tr("全部社区（村）"), choices.community_items())
        fill_combo(self.worker, self.tr("全部社工"), list(choices.staff))

    def query(self) -> VisitQuery:
        date_from, date_to = self.dates.span()
        return VisitQuery(
            text=self.search.text(),
            community_id=self.community.currentData(),
            visitor_user_id=self.worker.currentData(),
            date_from=date_from,
            date_to=date_to,
            risk_only=self.risk_only.isChecked(),
            deleted=self.recycle,
        )

    def refresh(self) -> None:
        self._load(None)

    def load_more(self) -> None:
        if self._cursor is not None:
            self._load(self._cursor)

    def _load(self, after: tuple[Any, uuid.UUID] | None) -> None:
        from wushe_desktop.visits.search import count_visits, list_visits

        actor, query = self.ctx.actor, self.query()
        self._generation += 1
        generation = self._generation

        def load(session: Any) -> tuple[Any, int]:
            page = list_visits(session, actor, query, after=after, limit=PAGE_SIZE)
            return page, count_visits(session, actor, query) if after is None else -1

        def done(result: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(result, tuple)
            page, total = result
            rows = page.rows if after is None else [*self.model.rows, *page.rows]
            self.model.set_rows(rows)
            self._cursor = page.next_cursor
            self.more_button.setEnabled(page.next_cursor is not None)
            if total >= 0:
                self._total = total
            self.count_label.setText(
                self.tr("共 %d 条，已显示 %d 条") % (getattr(self, "_total", len(rows)), len(rows))
            )
            self._on_selection()
            emit(self.list_updated, len(rows))

        self.ctx.executor.query(load, done, parent=self)

    def current(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def _on_selection(self) -> None:
        row = self.current()
        can = self.ctx.can
        self.edit_button.setEnabled(
            row is not None and not self.recycle and can(Resource.SERVICE, Action.UPDATE)
        )
        self.delete_button.setEnabled(
            row is not None and not self.recycle and can(Resource.SERVICE, Action.DELETE)
        )
        self.restore_button.setEnabled(row is not None and self.recycle)
        self.case_button.setEnabled(row is not None and not self.recycle and row.case_id is None)
        if row is None:
            self.detail.setText("")
            return
        parts = [self.tr("探访发现：%s") % (row.findings or self.tr("（未填写）"))]
        if row.risk_found:
            parts.append(self.tr("发现风险：%s") % row.risk_description)
        if row.case_id is not None:
            parts.append(self.tr("已由此次探访转为个案。"))
        self.detail.setText("\n".join(parts))

    def set_recycle(self, on: bool) -> None:
        self.recycle = on
        self.restore_button.setVisible(on)
        self.add_button.setVisible(not on)
        self.refresh()

    def _after_change(self, *_a: object) -> None:
        self.refresh()
        emit(self.changed)

    def add(self) -> None:
        from wushe_desktop.ui.dialogs.visit_edit import VisitDialog

        staff = self.choices.staff if self.choices else []
        if VisitDialog.ask(self.ctx.executor, self.ctx.actor, staff, parent=self) is not None:
            self._after_change()

    def edit(self) -> None:
        from wushe_desktop.ui.dialogs.visit_edit import VisitDialog

        row = self.current()
        if row is None or self.recycle or not self.ctx.can(Resource.SERVICE, Action.UPDATE):
            return
        staff = self.choices.staff if self.choices else []
        if VisitDialog.ask(self.ctx.executor, self.ctx.actor, staff, existing=row, parent=self):
            self._after_change()

    def delete(self) -> None:
        from wushe_desktop.visits.service import delete_visit

        row = self.current()
        if row is None:
            return
        text = self.tr("确定删除 %s 对“%s”的探访记录吗？（对应的服务记录一并移入回收站）") % (
            row.visited_on.isoformat(),
            row.resident_name,
        )
        if not msgbox.question(self, text):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: delete_visit(s, actor, row.id), self._after_change, parent=self
        )

    def restore(self) -> None:
        from wushe_desktop.visits.service import restore_visit

        row = self.current()
        if row is None:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: restore_visit(s, actor, row.id), self._after_change, parent=self
        )

    def open_case(self) -> None:
        from wushe_desktop.ui.dialogs.visit_frequency import OpenCaseDialog

        row = self.current()
        if row is None or row.case_id is not None:
            return
        case = OpenCaseDialog.ask(self.ctx.executor, self.ctx.actor, row, self)
        if case is not None:
            msgbox.information(
                self,
                self.tr("已为“%s”开案，个案编号 %s。请到“个案”页继续接案。")
                % (row.resident_name, getattr(case, "case_no", "")),
            )
            self.refresh()

    def export(self) -> None:
        from wushe_desktop.ui.dialogs.export import ExportDialog
        from wushe_desktop.visits.exporter import export_visits

        db, actor, query = self.ctx.db, self.ctx.actor, self.query()
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出探访记录"),
            stem="探访记录",
            run=lambda path, _full, p, c: export_visits(
                db, actor, query, path, progress=p, cancel=c
            ),
            scope_text=self.tr("当前筛选下的全部探访记录（不只是已显示的部分）。"),
            parent=self,
        )

    def save_state(self, settings: UiSettings) -> None:
        self.table.save_state(settings)
