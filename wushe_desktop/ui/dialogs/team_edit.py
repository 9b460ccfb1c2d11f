"""志愿服务队: the station's teams with their members; create, rename, choose the leader,
add members (found by name, pinyin, phone or number) and remove them, through
``volunteers.teams`` (which audits every change)."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of, fill_combo
from wushe_desktop.ui.widgets.combos import select_data
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor

__all__ = ["MemberPickerDialog", "TeamEditDialog", "TeamsDialog"]

Member = tuple[uuid.UUID, str, str]


class TeamEditDialog(FormDialog):
    """New team (name, community, founded, description) or an existing one (also the leader,
    chosen among its members)."""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        communities: list[tuple[uuid.UUID, str]],
        *,
        team: Any = None,
        members: list[Member] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, "", parent)
        self.actor = actor
        self.team = team
        self.setWindowTitle(self.tr("修改服务队") if team else self.tr("新建志愿服务队"))
        self.name = QLineEdit(team.name if team else "")
        self.name.setPlaceholderText(self.tr("如：清河街道助老志愿服务队"))
        self.community = QComboBox()
        fill_combo(self.community, self.tr("不限社区（村）"), communities)
        if team and team.community_id:
            select_data(self.community, team.community_id)
        self.leader = QComboBox()
        self.leader.addItem(self.tr("暂不指定"), None)
        for vid, name, number in members or []:
            self.leader.addItem(f"{name}（{number}）", vid)
        if team and team.leader_id:
            select_data(self.leader, team.leader_id)
        self.founded_on = date_edit(team.founded_on if team and team.founded_on else None)
        # A team recorded without a founding date keeps none unless the user picks one.
        self._founded_picked = bool(team is None or team.founded_on)
        self.founded_on.dateChanged.connect(self._pick_founded)
        self.description = QLineEdit(team.description if team else "")
        self.form.addRow(self.tr("服务队名称 *"), self.name)
        self.form.addRow(self.tr("所属社区（村）"), self.community)
        self.form.addRow(self.tr("队长"), self.leader)
        self.form.addRow(self.tr("成立日期"), self.founded_on)
        if team is None:
            hint = QLabel(self.tr("建队后再添加队员，并从队员中指定队长。"))
            hint.setStyleSheet("color: #666;")
            self.leader.setEnabled(False)
        self.form.addRow(self.tr("简介"), self.description)
        if team is None:
            self.form.addRow("", hint)
        self.watch("name", self.name)
        self.watch("description", self.description)
        self.check()

    def _pick_founded(self, *_args: object) -> None:
        self._founded_picked = True
        self._changed()

    def problem(self) -> str:
        name = self.name.text().strip()
        if not name:
            return self.tr("服务队名称不能为空。")
        if len(name) > 100:
            return self.tr("服务队名称最长100个字。")
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.volunteers.teams import create_team, update_team

        if self.team is None:
            return create_team(
                session,
                self.actor,
                name=self.name.text(),
                community_id=self.community.currentData(),
                founded_on=date_of(self.founded_on),
                description=self.description.text(),
            )
        return update_team(
            session,
            self.actor,
            self.team.id,
            name=self.name.text(),
            leader_id=self.leader.currentData(),
            description=self.description.text(),
            community_id=self.community.currentData(),
            founded_on=date_of(self.founded_on) if self._founded_picked else None,
            expected_version=self.team.version,
        )


class MemberPickerDialog(QDialog):
    """Search the registry and tick the volunteers to add."""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        exclude: set[uuid.UUID],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.executor = executor
        self.actor = actor
        self.exclude = exclude
        self._generation = 0
        self.setWindowTitle(self.tr("添加队员"))
        self.resize(460, 420)
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名、拼音首字母、电话或志愿者编号"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #666;")
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("加入服务队"))
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.results.itemSelectionChanged.connect(self._selection)
        self.refresh()

    def refresh(self) -> None:
        from wushe_desktop.volunteers.search import VolunteerQuery, search

        actor, text = self.actor, self.search.text()
        self._generation += 1
        generation = self._generation

        def load(session: Session) -> list[Member]:
            rows = search(session, actor, VolunteerQuery(text=text, status="在册"), limit=100).rows
            return [(r.id, r.name, r.volunteer_no) for r in rows]

        def done(rows: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(rows, list)
            self.results.clear()
            for vid, name, number in rows:
                if vid in self.exclude:
                    continue
                item = QListWidgetItem(f"{name}　{number}")
                item.setData(Qt.ItemDataRole.UserRole, vid)
                self.results.addItem(item)
            self.hint.setText(
                self.tr("找到 %d 人（已在队中的不再列出）；可多选。") % self.results.count()
            )

        self.executor.query(load, done, parent=self)

    def _selection(self) -> None:
        n = len(self.results.selectedItems())
        self.ok_button.setEnabled(n > 0)
        self.ok_button.setText(self.tr("加入服务队（%d 人）") % n if n else self.tr("加入服务队"))

    def chosen(self) -> list[uuid.UUID]:
        return [i.data(Qt.ItemDataRole.UserRole) for i in self.results.selectedItems()]


class TeamsDialog(QDialog):
    """The station's teams on the left, the chosen team's members on the right."""

    def __init__(  # noqa: PLR0915 - widget construction
        self,
        ctx: AppContext,
        communities: list[tuple[uuid.UUID, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.communities = communities
        self.changed = False
        self.teams: list[Any] = []
        self.members: list[Member] = []
        self.setWindowTitle(self.tr("志愿服务队"))
        self.resize(860, 520)
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.addWidget(QLabel(self.tr("服务队")))
        self.team_list = QListWidget()
        left_box.addWidget(self.team_list, 1)
        team_bar = QHBoxLayout()
        self.new_button = QPushButton(self.tr("新建服务队…"))
        self.edit_button = QPushButton(self.tr("修改…"))
        self.delete_button = QPushButton(self.tr("删除"))
        for b in (self.new_button, self.edit_button, self.delete_button):
            team_bar.addWidget(b)
        left_box.addLayout(team_bar)
        right = QWidget()
        right_box = QVBoxLayout(right)
        self.team_info = QLabel(self.tr("请在左侧选择服务队。"))
        self.team_info.setWordWrap(True)
        right_box.addWidget(self.team_info)
        self.member_list = QListWidget()
        right_box.addWidget(self.member_list, 1)
        member_bar = QHBoxLayout()
        self.add_member_button = QPushButton(self.tr("添加队员…"))
        self.remove_member_button = QPushButton(self.tr("移出队员"))
        member_bar.addWidget(self.add_member_button)
        member_bar.addWidget(self.remove_member_button)
        member_bar.addStretch(1)
        right_box.addLayout(member_bar)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.new_button.setEnabled(ctx.can(Resource.VOLUNTEER, Action.CREATE))
        self.new_button.clicked.connect(self.new_team)
        self.edit_button.clicked.connect(self.edit_team)
        self.delete_button.clicked.connect(self.delete_team)
        self.add_member_button.clicked.connect(self.add_members)
        self.remove_member_button.clicked.connect(self.remove_member)
        self.team_list.currentRowChanged.connect(lambda _r: self._on_team())
        self.member_list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self._update_buttons()
        self.refresh()

    # -- hooks tests replace -------------------------------------------------------------------
    def exec_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def _fail(self, exc: BaseException) -> None:
        errors.show_error(self, exc)

    # -- loading -------------------------------------------------------------------------------
    def current_team(self) -> Any:
        row = self.team_list.currentRow()
        return self.teams[row] if 0 <= row < len(self.teams) else None

    def refresh(self, select: uuid.UUID | None = None) -> None:
        from wushe_desktop.volunteers.teams import list_teams

        actor = self.ctx.actor
        keep = select or getattr(self.current_team(), "id", None)

        def done(teams: object) -> None:
            assert isinstance(teams, list)
            self.teams = teams
            self.team_list.blockSignals(True)
            self.team_list.clear()
            for t in teams:
                self.team_list.addItem(f"{t.name}（{t.members} 人）")
            self.team_list.blockSignals(False)
            index = next((i for i, t in enumerate(teams) if t.id == keep), 0 if teams else -1)
            self.team_list.setCurrentRow(index)
            self._on_team()

        self.ctx.executor.query(lambda s: list_teams(s, actor), done, self._fail, parent=self)

    def _on_team(self) -> None:
        from wushe_desktop.volunteers.teams import team_members

        team = self.current_team()
        self.member_list.clear()
        self.members = []
        self._update_buttons()
        if team is None:
            self.team_info.setText(self.tr("还没有服务队，请先新建。"))
            return
        parts = [f"<b>{team.name}</b>", f"队长：{team.leader_name or '未指定'}"]
        if team.founded_on:
            parts.append(f"成立于 {team.founded_on.isoformat()}")
        info = "　".join(parts) + (f"<br>{team.description}" if team.description else "")
        self.team_info.setText(info)
        actor, team_id = self.ctx.actor, team.id

        def done(rows: object) -> None:
            assert isinstance(rows, list)
            if getattr(self.current_team(), "id", None) != team_id:
                return
            self.members = rows
            self.member_list.clear()
            for vid, name, number in rows:
                leader = "　【队长】" if vid == team.leader_id else ""
                self.member_list.addItem(f"{name}　{number}{leader}")
            self._update_buttons()

        self.ctx.executor.query(
            lambda s: team_members(s, actor, team_id), done, self._fail, parent=self
        )

    def _update_buttons(self) -> None:
        chosen = self.current_team() is not None
        can_update = self.ctx.can(Resource.VOLUNTEER, Action.UPDATE)
        self.edit_button.setEnabled(chosen and can_update)
        self.delete_button.setEnabled(chosen and self.ctx.can(Resource.VOLUNTEER, Action.DELETE))
        self.add_member_button.setEnabled(chosen and can_update)
        self.remove_member_button.setEnabled(
            chosen and can_update and self.member_list.currentRow() >= 0
        )

    # -- actions -------------------------------------------------------------------------------
    def _after(self, select: uuid.UUID | None = None) -> None:
        self.changed = True
        self.refresh(select)

    def new_team(self) -> None:
        dialog = TeamEditDialog(self.ctx.executor, self.ctx.actor, self.communities, parent=self)
        if self.exec_dialog(dialog) and dialog.result_value is not None:
            self._after(dialog.result_value.id)

    def edit_team(self) -> None:
        team = self.current_team()
        if team is None:
            return
        dialog = TeamEditDialog(
            self.ctx.executor,
            self.ctx.actor,
            self.communities,
            team=team,
            members=self.members,
            parent=self,
        )
        if self.exec_dialog(dialog) and dialog.result_value is not None:
            self._after(team.id)

    def delete_team(self) -> None:
        from wushe_desktop.volunteers.teams import delete_team

        team = self.current_team()
        if team is None:
            return
        question = self.tr("删除服务队“%s”？队员本身不会被删除，只是不再属于该队。") % team.name
        if not msgbox.question(self, question):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: delete_team(s, actor, team.id),
            lambda _r: self._after(),
            self._fail,
            parent=self,
        )

    def add_members(self) -> None:
        from wushe_desktop.volunteers.teams import add_members

        team = self.current_team()
        if team is None:
            return
        picker = MemberPickerDialog(
            self.ctx.executor, self.ctx.actor, {m[0] for m in self.members}, self
        )
        if not self.exec_dialog(picker):
            return
        ids = picker.chosen()
        if not ids:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: add_members(s, actor, team.id, ids),
            lambda _n: self._after(team.id),
            self._fail,
            parent=self,
        )

    def remove_member(self) -> None:
        from wushe_desktop.volunteers.teams import remove_member

        team = self.current_team()
        row = self.member_list.currentRow()
        if team is None or not 0 <= row < len(self.members):
            return
        vid, name, _number = self.members[row]
        if not msgbox.question(self, self.tr("把“%s”移出服务队“%s”？") % (name, team.name)):
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: remove_member(s, actor, team.id, vid),
            lambda _r: self._after(team.id),
            self._fail,
            parent=self,
        )
