"""小组工作: the groups (filters, plan, stage), and for the selected group its members and
sessions (节) with attendance."""

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.groups.search import GroupQuery
from wushe_desktop.groups.validation import GROUP_STAGES, GroupType
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import DateRange, fill_combo
from wushe_desktop.ui.models.community_work import GROUP_COLUMNS, MEMBER_COLUMNS, SESSION_COLUMNS
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.pages.community_work import Choices
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.tables import DataTable


def _button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    return row


class GroupsTab(QWidget):
    #: Emitted when the group list shows a new result (row count).
    list_updated = Signal(int)
    #: Emitted when the selected group's members and sessions are shown.
    detail_loaded = Signal()

    def __init__(self, ctx: AppContext) -> None:  # noqa: PLR0915 - widget construction
        super().__init__()
        self.ctx = ctx
        self.choices: Choices | None = None
        self.recycle = False
        self._generation = 0
        self.members: list[Any] = []
        self.sessions: list[Any] = []
        can = ctx.can
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("小组名称"))
        self.search.setClearButtonEnabled(True)
        self.stage = QComboBox()
        fill_combo(self.stage, self.tr("全部阶段"), [(s, s) for s in GROUP_STAGES])
        self.group_type = QComboBox()
        fill_combo(self.group_type, self.tr("全部类型"), [(t.value, t.value) for t in GroupType])
        self.facilitator = QComboBox()
        self.facilitator.addItem(self.tr("全部社工"), None)
        self.community = QComboBox()
        self.community.addItem(self.tr("全部社区（村）"), None)
        self.dates = DateRange()
        bar.addWidget(self.search, 1)
        for w in (self.stage, self.group_type, self.facilitator, self.community, self.dates):
            bar.addWidget(w)
        layout.addLayout(bar)
        self.add_button = QPushButton(self.tr("新建小组"))
        self.edit_button = QPushButton(self.tr("修改"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.restore_button = QPushButton(self.tr("恢复"))
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.recycle_button = QPushButton(self.tr("回收站"))
        self.recycle_button.setCheckable(True)
        head = _button_row(
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.restore_button,
            self.export_button,
            self.recycle_button,
        )
        self.count_label = QLabel()
        head.addWidget(self.count_label)
        layout.addLayout(head)
        self.restore_button.hide()
        self.add_button.setEnabled(can(Resource.SERVICE, Action.CREATE))
        self.export_button.setEnabled(can(Resource.SERVICE, Action.EXPORT))
        self.recycle_button.setEnabled(can(Resource.SERVICE, Action.RESTORE))

        self.model: ListTableModel[Any] = ListTableModel(GROUP_COLUMNS)
        self.table = DataTable("groups")
        self.table.set_model_with_widths(self.model, [c.width for c in GROUP_COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.detail = QTabWidget()
        self.plan = QLabel()
        self.plan.setWordWrap(True)
        self.plan.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.plan.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.addTab(self.plan, self.tr("小组计划"))
        self.detail.addTab(self._members_panel(), self.tr("组员"))
        self.detail.addTab(self._sessions_panel(), self.tr("活动记录（节）"))
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        ctx.settings.restore_splitter("groups", self.splitter)
        self.table.restore_state(ctx.settings)

        self.search.textChanged.connect(lambda _t: self.refresh())
        for combo in (self.stage, self.group_type, self.facilitator, self.community):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.dates.changed.connect(self.refresh)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.delete_button.clicked.connect(self.delete)
        self.restore_button.clicked.connect(self.restore)
        self.export_button.clicked.connect(self.export)
        self.recycle_button.toggled.connect(self.set_recycle)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self.load_detail())
        self._update_buttons()

    def _members_panel(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.add_member_button = QPushButton(self.tr("添加组员"))
        self.leave_button = QPushButton(self.tr("登记退组"))
        self.remove_member_button = QPushButton(self.tr("移除"))
        layout.addLayout(
            _button_row(self.add_member_button, self.leave_button, self.remove_member_button)
        )
        self.member_model: ListTableModel[Any] = ListTableModel(MEMBER_COLUMNS)
        self.member_table = DataTable("group_members")
        self.member_table.set_model_with_widths(
            self.member_model, [c.width for c in MEMBER_COLUMNS]
        )
        layout.addWidget(self.member_table)
        self.add_member_button.clicked.connect(self.add_members)
        self.leave_button.clicked.connect(self.member_leaves)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.member_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons()
        )
        return box

    def _sessions_panel(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.add_session_button = QPushButton(self.tr("新增一节"))
        self.edit_session_button = QPushButton(self.tr("修改"))
        self.delete_session_button = QPushButton(self.tr("删除"))
        self.session_bin_button = QPushButton(self.tr("已删除的节次…"))
        self.session_bin_button.setToolTip(self.tr("查看并恢复这个小组已删除的节次"))
        layout.addLayout(
            _button_row(
                self.add_session_button,
                self.edit_session_button,
                self.delete_session_button,
                self.session_bin_button,
            )
        )
        self.session_model: ListTableModel[Any] = ListTableModel(SESSION_COLUMNS)
        self.session_table = DataTable("group_sessions")
        self.session_table.set_model_with_widths(
            self.session_model, [c.width for c in SESSION_COLUMNS]
        )
        layout.addWidget(self.session_table)
        self.add_session_button.clicked.connect(self.add_session)
        self.edit_session_button.clicked.connect(self.edit_session)
        self.session_table.doubleClicked.connect(lambda _i: self.edit_session())
        self.delete_session_button.clicked.connect(self.delete_session)
        self.session_bin_button.clicked.connect(self.session_bin)
        self.session_table.selectionModel().selectionChanged.connect(
            lambda *_a: self._update_buttons()
        )
        return box

    # -- data --------------------------------------------------------------------------------
    def set_choices(self, choices: Choices) -> None:
        self.choices = choices
        fill_combo(self.facilitator, self.tr("全部社工"), list(choices.staff))
        fill_combo(self.community, self.tr("全部社区（村）"), choices.community_items())

    def query(self) -> GroupQuery:
        date_from, date_to = self.dates.span()
        return GroupQuery(
            text=self.search.text(),
            facilitator_id=self.facilitator.currentData(),
            community_id=self.community.currentData(),
            stage=self.stage.currentData(),
            group_type=self.group_type.currentData(),
            date_from=date_from,
            date_to=date_to,
            deleted=self.recycle,
        )

    def refresh(self, select: uuid.UUID | None = None) -> None:
        from wushe_desktop.groups.search import list_groups

        actor, query = self.ctx.actor, self.query()
        keep = select or (self.current().id if self.current() is not None else None)
        self._generation += 1
        generation = self._generation

        def done(rows: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(rows, list)
            self.model.set_rows(rows)
            self.count_label.setText(
                self.tr("共 %d 个小组，服务 %s 人次")
                % (len(rows), f"{sum(r.attendances for r in rows):,}")
            )
            for i, row in enumerate(self.model.rows):
                if row.id == keep:
                    self.table.selectRow(i)
                    break
            else:
                if rows:
                    self.table.selectRow(0)
            self.load_detail()
            emit(self.list_updated, len(rows))

        self.ctx.executor.query(lambda s: list_groups(s, actor, query), done, parent=self)

    def current(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def load_detail(self) -> None:
        from wushe_desktop.groups.service import list_members
        from wushe_desktop.groups.sessions import list_sessions

        group = self.current()
        self._show_plan(group)
        if group is None:
            self.member_model.set_rows([])
            self.session_model.set_rows([])
            self._update_buttons()
            return
        actor, gid = self.ctx.actor, group.id

        def load(session: Any) -> tuple[list[Any], list[Any]]:
            return list_members(session, actor, gid), list_sessions(session, actor, gid)

        def done(result: object) -> None:
            current = self.current()
            if current is None or current.id != gid:
                return
            assert isinstance(result, tuple)
            self.members, self.sessions = result
            self.member_model.set_rows(self.members)
            self.session_model.set_rows(self.sessions)
            self._update_buttons()
            emit(self.detail_loaded)

        self.ctx.executor.query(load, done, parent=self)

    def _show_plan(self, g: Any) -> None:
        if g is None:
            self.plan.setText(self.tr("请在左侧选择一个小组。"))
            return
        end = g.end_date.isoformat() if g.end_date else self.tr("进行中")
        lines = [
            f"<b>{g.name}</b>（{g.group_type}小组，{g.stage}阶段）",
            self.tr("带领社工：%s　社区（村）：%s")
            % (g.facilitator_name or "—", g.community_name or "全站"),
            self.tr("时间：%s 至 %s　计划 %d 节，已开展 %d 节；组员 %d 人，服务 %d 人次")
            % (
                g.start_date.isoformat(),
                end,
                g.planned_sessions,
                g.sessions_held,
                g.members,
                g.attendances,
            ),
            self.tr("<b>小组目标：</b>%s") % (g.goal or "—"),
            self.tr("<b>目标组员：</b>%s") % (g.target_members or "—"),
            self.tr("<b>招募方式：</b>%s") % (g.recruitment or "—"),
        ]
        if g.closing_evaluation:
            lines.append(self.tr("<b>结束评估：</b>%s") % g.closing_evaluation)
        self.plan.setText("<br>".join(line.replace("\n", "<br>") for line in lines))

    def _update_buttons(self) -> None:
        can = self.ctx.can
        group = self.current()
        live = group is not None and not self.recycle
        self.edit_button.setEnabled(live and can(Resource.SERVICE, Action.UPDATE))
        self.delete_button.setEnabled(live and can(Resource.SERVICE, Action.DELETE))
        self.restore_button.setEnabled(group is not None and self.recycle)
        member = self.member_model.row_at(self.member_table.current_row())
        session = self.session_model.row_at(self.session_table.current_row())
        update = live and can(Resource.SERVICE, Action.UPDATE)
        self.add_member_button.setEnabled(update)
        self.leave_button.setEnabled(update and member is not None and member.left_on is None)
        self.remove_member_button.setEnabled(update and member is not None and member.attended == 0)
        self.add_session_button.setEnabled(live and can(Resource.SERVICE, Action.CREATE))
        self.edit_session_button.setEnabled(update and session is not None)
        self.delete_session_button.setEnabled(
            live and session is not None and can(Resource.SERVICE, Action.DELETE)
        )
        self.session_bin_button.setEnabled(live)

    # -- group actions -----------------------------------------------------------------------
    def set_recycle(self, on: bool) -> None:
        self.recycle = on
        self.restore_button.setVisible(on)
        self.add_button.setVisible(not on)
        self.refresh()

    def add(self) -> None:
        from wushe_desktop.ui.dialogs.group_edit import GroupDialog

        if self.choices is None:
            return
        row = GroupDialog.ask(self.ctx.executor, self.ctx.actor, self.choices, parent=self)
        if row is not None:
            self.refresh(select=row.id)

    def edit(self) -> None:
        from wushe_desktop.ui.dialogs.group_edit import GroupDialog

        group = self.current()
        if group is None or self.recycle or self.choices is None:
            return
        if not self.ctx.can(Resource.SERVICE, Action.UPDATE):
            return
        row = GroupDialog.ask(
            self.ctx.executor, self.ctx.actor, self.choices, existing=group, parent=self
        )
        if row is not None:
            self.refresh(select=group.id)

    def delete(self) -> None:
        from wushe_desktop.groups.service import delete_group

        group = self.current()
        if group is None:
            return
        text = self.tr("确定删除小组“%s”吗？（各节的服务记录一并移入回收站）") % group.name
        if not msgbox.question(self, text):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: delete_group(s, actor, group.id), lambda _r: self.refresh(), parent=self
        )

    def restore(self) -> None:
        from wushe_desktop.groups.service import restore_group

        group = self.current()
        if group is None:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: restore_group(s, actor, group.id), lambda _r: self.refresh(), parent=self
        )

    def export(self) -> None:
        from wushe_desktop.groups.exporter import export_groups
        from wushe_desktop.ui.dialogs.export import ExportDialog

        db, actor, query = self.ctx.db, self.ctx.actor, self.query()
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出小组列表"),
            stem="小组列表",
            run=lambda path, _full, p, c: export_groups(
                db, actor, query, path, progress=p, cancel=c
            ),
            scope_text=self.tr("当前筛选下的小组，含节数、组员人数和服务人次。"),
            parent=self,
        )

    # -- members -----------------------------------------------------------------------------
    def add_members(self) -> None:
        from wushe_desktop.groups.service import add_members
        from wushe_desktop.ui.dialogs.community_widgets import ResidentPickerDialog

        group = self.current()
        if group is None:
            return
        picked = ResidentPickerDialog.ask(
            self.ctx.executor, self.ctx.actor, self.tr("添加组员：%s") % group.name, parent=self
        )
        if not picked:
            return
        actor, ids = self.ctx.actor, [rid for rid, _name in picked]
        self.ctx.executor.query(
            lambda s: add_members(s, actor, group.id, ids),
            lambda _n: self.refresh(select=group.id),
            parent=self,
        )

    def _member(self) -> Any:
        return self.member_model.row_at(self.member_table.current_row())

    def member_leaves(self) -> None:
        from wushe_desktop.ui.dialogs.group_edit import LeaveDialog

        group, member = self.current(), self._member()
        if group is None or member is None:
            return
        if LeaveDialog.ask(self.ctx.executor, self.ctx.actor, group, member, self):
            self.refresh(select=group.id)

    def remove_member(self) -> None:
        from wushe_desktop.groups.service import remove_member

        group, member = self.current(), self._member()
        if group is None or member is None:
            return
        if not msgbox.question(self, self.tr("确定把“%s”从小组中移除吗？") % member.name):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: remove_member(s, actor, group.id, member.resident_id),
            lambda _r: self.refresh(select=group.id),
            parent=self,
        )

    # -- sessions ----------------------------------------------------------------------------
    def add_session(self) -> None:
        from wushe_desktop.ui.dialogs.group_edit import SessionDialog

        group = self.current()
        if group is None:
            return
        number = max((s.number for s in self.sessions), default=0) + 1
        row = SessionDialog.ask(
            self.ctx.executor, self.ctx.actor, group, self.members, number=number, parent=self
        )
        if row is not None:
            self.refresh(select=group.id)

    def _session(self) -> Any:
        return self.session_model.row_at(self.session_table.current_row())

    def edit_session(self) -> None:
        from wushe_desktop.ui.dialogs.group_edit import SessionDialog

        group, found = self.current(), self._session()
        if group is None or found is None or self.recycle:
            return
        row = SessionDialog.ask(
            self.ctx.executor, self.ctx.actor, group, self.members, existing=found, parent=self
        )
        if row is not None:
            self.refresh(select=group.id)

    def delete_session(self) -> None:
        from wushe_desktop.groups.sessions import delete_session

        group, found = self.current(), self._session()
        if group is None or found is None:
            return
        text = self.tr("确定删除第 %d 节（%s）的记录吗？（出席组员的服务记录一并移入回收站）") % (
            found.number,
            found.held_on.isoformat(),
        )
        if not msgbox.question(self, text):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: delete_session(s, actor, found.id),
            lambda _r: self.refresh(select=group.id),
            parent=self,
        )

    def session_bin(self) -> None:
        """The group's deleted sessions, to restore one (refreshes when any came back)."""
        from wushe_desktop.ui.dialogs.group_sessions_bin import DeletedSessionsDialog

        group = self.current()
        if group is None:
            return
        if DeletedSessionsDialog.show_for(self.ctx, group.id, group.name, self):
            self.refresh(select=group.id)

    def save_state(self, settings: UiSettings) -> None:
        settings.save_splitter("groups", self.splitter)
        self.table.save_state(settings)
