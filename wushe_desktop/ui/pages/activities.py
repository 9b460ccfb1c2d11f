"""社区活动: the activity list (filters, 场次 and 人次), edit with named participants,
photos, delete/restore and 导出Excel."""

from __future__ import annotations

import uuid
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
    QWidget,
)

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.activities.search import ActivityQuery
from wushe_desktop.activities.validation import ActivityType
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import DateRange, fill_combo
from wushe_desktop.ui.models.community_work import ACTIVITY_COLUMNS
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.pages.community_work import Choices
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.tables import DataTable

PAGE_SIZE = 300


class ActivitiesTab(QWidget):
    #: Emitted when the list shows a new result (row count shown).
    list_updated = Signal(int)

    def __init__(self, ctx: AppContext) -> None:  # noqa: PLR0915 - widget construction
        super().__init__()
        self.ctx = ctx
        self.choices: Choices | None = None
        self.recycle = False
        self._cursor: tuple[Any, uuid.UUID] | None = None
        self._generation = 0
        can = ctx.can
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("活动名称或主办方"))
        self.search.setClearButtonEnabled(True)
        self.activity_type = QComboBox()
        fill_combo(
            self.activity_type, self.tr("全部类型"), [(t.value, t.value) for t in ActivityType]
        )
        self.community = QComboBox()
        self.community.addItem(self.tr("全部社区（村）"), None)
        self.worker = QComboBox()
        self.worker.addItem(self.tr("全部社工"), None)
        self.dates = DateRange()
        bar.addWidget(self.search, 1)
        for w in (self.activity_type, self.community, self.worker, self.dates):
            bar.addWidget(w)
        layout.addLayout(bar)
        head = QHBoxLayout()
        self.add_button = QPushButton(self.tr("登记活动"))
        self.edit_button = QPushButton(self.tr("修改"))
        self.photos_button = QPushButton(self.tr("照片"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.restore_button = QPushButton(self.tr("恢复"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.recycle_button = QPushButton(self.tr("回收站"))
        self.recycle_button.setCheckable(True)
        self.more_button = QPushButton(self.tr("加载更多"))
        for b in (
            self.add_button,
            self.edit_button,
            self.photos_button,
            self.delete_button,
            self.restore_button,
            self.export_button,
            self.recycle_button,
        ):
            head.addWidget(b)
        head.addStretch(1)
        self.count_label = QLabel()
        head.addWidget(self.count_label)
        head.addWidget(self.more_button)
        layout.addLayout(head)
        self.restore_button.hide()
        self.add_button.setEnabled(can(Resource.SERVICE, Action.CREATE))
        self.export_button.setEnabled(can(Resource.SERVICE, Action.EXPORT))
        self.recycle_button.setEnabled(can(Resource.SERVICE, Action.RESTORE))

        self.model: ListTableModel[Any] = ListTableModel(ACTIVITY_COLUMNS)
        self.table = DataTable("activities")
        self.table.set_model_with_widths(self.model, [c.width for c in ACTIVITY_COLUMNS])
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout.addWidget(self.splitter, 1)
        self.table.restore_state(ctx.settings)

        self.search.textChanged.connect(lambda _t: self.refresh())
        for combo in (self.activity_type, self.community, self.worker):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.dates.changed.connect(self.refresh)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.photos_button.clicked.connect(self.photos)
        self.delete_button.clicked.connect(self.delete)
        self.restore_button.clicked.connect(self.restore)
        self.export_button.clicked.connect(self.export)
        self.recycle_button.toggled.connect(self.set_recycle)
        self.more_button.clicked.connect(self.load_more)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selection())
        self._on_selection()

    def set_choices(self, choices: Choices) -> None:
        self.choices = choices
        fill_combo(self.community, self.tr("全部社区（村）"), choices.community_items())
        fill_combo(self.worker, self.tr("全部社工"), list(choices.staff))

    def query(self) -> ActivityQuery:
        date_from, date_to = self.dates.span()
        return ActivityQuery(
            text=self.search.text(),
            worker_id=self.worker.currentData(),
            community_id=self.community.currentData(),
            activity_type=self.activity_type.currentData(),
            date_from=date_from,
            date_to=date_to,
            deleted=self.recycle,
        )

    def refresh(self) -> None:
        self._load(None)

    def load_more(self) -> None:
        if self._cursor is not None:
            self._load(self._cursor)

    def _load(self, after: tuple[Any, uuid.UUID] | None) -> None:
        from wushe_desktop.activities.search import count_activities, list_activities

        actor, query = self.ctx.actor, self.query()
        self._generation += 1
        generation = self._generation

        def load(session: Any) -> tuple[Any, tuple[int, int] | None]:
            page = list_activities(session, actor, query, after=after, limit=PAGE_SIZE)
            return page, count_activities(session, actor, query) if after is None else None

        def done(result: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(result, tuple)
            page, counts = result
            rows = page.rows if after is None else [*self.model.rows, *page.rows]
            self.model.set_rows(rows)
            self._cursor = page.next_cursor
            self.more_button.setEnabled(page.next_cursor is not None)
            if counts is not None:
                self._counts = counts
            total, people = getattr(self, "_counts", (len(rows), 0))
            self.count_label.setText(
                self.tr("共 %d 场、参与 %s 人次，已显示 %d 场") % (total, f"{people:,}", len(rows))
            )
            self._on_selection()
            emit(self.list_updated, len(rows))

        self.ctx.executor.query(load, done, parent=self)

    def current(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def _on_selection(self) -> None:
        row = self.current()
        can = self.ctx.can
        live = row is not None and not self.recycle
        self.edit_button.setEnabled(live and can(Resource.SERVICE, Action.UPDATE))
        self.delete_button.setEnabled(live and can(Resource.SERVICE, Action.DELETE))
        self.photos_button.setEnabled(row is not None)
        self.restore_button.setEnabled(row is not None and self.recycle)
        if row is None:
            self.detail.setText("")
            return
        cost = f"，经费 {row.cost_fen / 100:,.2f} 元" if row.cost_fen is not None else ""
        text = self.tr("%s（%s）%s 参与 %d 人（登记姓名 %d 人），志愿者 %d 人%s。\n%s") % (
            row.title,
            row.activity_type,
            row.community_name,
            row.participants,
            row.named,
            row.volunteers,
            cost,
            row.record,
        )
        if row.is_highlight:
            text = self.tr("★ 工作亮点　") + text
        self.detail.setText(text)
        if can(Resource.SHIFT, Action.READ):
            self._load_volunteers(row.id, text)

    def _load_volunteers(self, activity_id: uuid.UUID, text: str) -> None:
        """Append 参与志愿者 (names and approved hours) from shifts linked to the activity."""
        from wushe_desktop.scheduling.community_link import volunteers_for_community_activity

        actor = self.ctx.actor

        def done(result: object) -> None:
            current = self.current()
            if not isinstance(result, list) or not result or current is None:
                return
            if current.id != activity_id:
                return
            people = "、".join(f"{v.name}（{v.minutes / 60:.1f} 小时）" for v in result)
            self.detail.setText(
                text
                + "\n"
                + self.tr("参与志愿者（来自关联班次，%d 人）：%s") % (len(result), people)
            )

        self.ctx.executor.query(
            lambda s: volunteers_for_community_activity(s, actor, activity_id), done, parent=self
        )

    def set_recycle(self, on: bool) -> None:
        self.recycle = on
        self.restore_button.setVisible(on)
        self.add_button.setVisible(not on)
        self.refresh()

    def add(self) -> None:
        from wushe_desktop.ui.dialogs.activity_edit import ActivityDialog

        if self.choices is None:
            return
        if ActivityDialog.ask(self.ctx.executor, self.ctx.actor, self.choices, parent=self):
            self.refresh()

    def edit(self) -> None:
        from wushe_desktop.activities.service import list_named

        row = self.current()
        if row is None or self.recycle or self.choices is None:
            return
        if not self.ctx.can(Resource.SERVICE, Action.UPDATE):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: list_named(s, actor, row.id),
            lambda named: self._edit_with(row, named),
            parent=self,
        )

    def _edit_with(self, row: Any, named: object) -> None:
        from wushe_desktop.ui.dialogs.activity_edit import ActivityDialog

        assert isinstance(named, list)
        saved = ActivityDialog.ask(
            self.ctx.executor,
            self.ctx.actor,
            self.choices,
            existing=row,
            named=[(n.resident_id, n.name) for n in named],
            parent=self,
        )
        if saved is not None:
            self.refresh()

    def photos(self) -> None:
        from wushe_desktop.ui.dialogs.activity_edit import PhotosDialog

        row = self.current()
        if row is not None and PhotosDialog.ask(self.ctx.executor, self.ctx.actor, row, self):
            self.refresh()

    def delete(self) -> None:
        from wushe_desktop.activities.service import delete_activity

        row = self.current()
        if row is None:
            return
        text = self.tr("确定删除活动“%s”（%s）吗？（对应的服务记录一并移入回收站）") % (
            row.title,
            row.held_on.isoformat(),
        )
        if not msgbox.question(self, text):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: delete_activity(s, actor, row.id), lambda _r: self.refresh(), parent=self
        )

    def restore(self) -> None:
        from wushe_desktop.activities.service import restore_activity

        row = self.current()
        if row is None:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: restore_activity(s, actor, row.id), lambda _r: self.refresh(), parent=self
        )

    def export(self) -> None:
        from wushe_desktop.activities.exporter import export_activities
        from wushe_desktop.ui.dialogs.export import ExportDialog

        db, actor, query = self.ctx.db, self.ctx.actor, self.query()
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出社区活动"),
            stem="社区活动",
            run=lambda path, _full, p, c: export_activities(
                db, actor, query, path, progress=p, cancel=c
            ),
            scope_text=self.tr("当前筛选下的全部活动（不只是已显示的部分）。"),
            parent=self,
        )

    def save_state(self, settings: UiSettings) -> None:
        self.table.save_state(settings)
