"""排班: the week as a calendar grid (colour by fill level) or a list, the chosen shift's
volunteers (confirm, cancel, absent), new and recurring shifts, suggestions, the printed
roster, the Excel export, the call list and the notice text for the chat group."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.scheduling.timefmt import cn_date, day_label
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.export import documents_dir
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.models.volunteers_model import ASSIGNMENT_COLUMNS, SHIFT_COLUMNS
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.widgets.tables import DataTable

#: Cell colours of the week grid by fill state.
FILL_COLOURS = {"满员": "#d7f0d8", "未满": "#fff2c6", "空缺": "#f8d0cc", "已取消": "#e0e0e0"}
ShiftIdRole = Qt.ItemDataRole.UserRole + 10


def load_week(
    session: Session, actor: Actor, monday: date
) -> tuple[list[Any], list[str], list[str]]:
    """Runs on the DB thread: the week's shifts, the day notes (holidays, 调休) and warnings."""
    from wushe_desktop.scheduling.shifts import week_view
    from wushe_desktop.scheduling.workdays import load_calendar

    shifts = week_view(session, actor, monday)
    cal = load_calendar(session, actor.station_id)
    notes = []
    for i in range(7):
        day = monday + timedelta(days=i)
        name = cal.holiday_name(day)
        if name:
            notes.append(f"{day_label(day)}：{name}")
        elif cal.is_makeup_workday(day):
            notes.append(f"{day_label(day)}：调休上班")
    return shifts, notes, cal.warnings()


class ShiftsTab(QWidget):
    #: Emitted after shifts or places changed.
    changed = Signal()
    #: Emitted when the week is shown (number of shifts).
    week_loaded = Signal(int)
    #: Emitted when the chosen shift's volunteers are shown.
    assignments_loaded = Signal(int)

    def __init__(self, ctx: AppContext) -> None:  # noqa: PLR0915 - widget construction
        super().__init__()
        self.ctx = ctx
        self.choices: Any = None
        today = date.today()
        self.monday = today - timedelta(days=today.weekday())
        self.shifts: list[Any] = []
        self.current_shift: Any = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name in ("◀ 上一周", "本周", "下一周 ▶"):
            button = QPushButton(self.tr(name))
            self.buttons[name] = button
            bar.addWidget(button)
        self.week_label = QLabel()
        bar.addWidget(self.week_label, 1)
        self.view_button = QPushButton(self.tr("列表视图"))
        bar.addWidget(self.view_button)
        layout.addLayout(bar)
        bar = QHBoxLayout()
        for name in (
            "新建班次…",
            "编辑活动…",
            "推荐志愿者…",
            "取消班次…",
            "通知文本",
            "通知名单",
            "打印排班表…",
            "导出Excel",
            "节假日设置…",
        ):
            button = QPushButton(self.tr(name))
            self.buttons[name] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #8a5a00;")
        layout.addWidget(self.notes)

        self.grid = QTableWidget(0, 7)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setWordWrap(True)
        self.grid.verticalHeader().setVisible(False)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setDefaultSectionSize(62)
        self.list_model: ListTableModel[Any] = ListTableModel(SHIFT_COLUMNS)
        self.list = DataTable("volunteer_shifts")
        self.list.set_model_with_widths(self.list_model, [c.width for c in SHIFT_COLUMNS])
        self.views = QStackedWidget()
        self.views.addWidget(self.grid)
        self.views.addWidget(self.list)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.shift_label = QLabel(self.tr("请在左侧选择一个班次。"))
        self.shift_label.setWordWrap(True)
        rl.addWidget(self.shift_label)
        self.places: ListTableModel[Any] = ListTableModel(ASSIGNMENT_COLUMNS)
        self.places_table = DataTable("volunteer_shift_places")
        self.places_table.set_model_with_widths(self.places, [c.width for c in ASSIGNMENT_COLUMNS])
        rl.addWidget(self.places_table, 1)
        pb = QHBoxLayout()
        for name in ("确认", "取消安排…", "标记缺席"):
            button = QPushButton(self.tr(name))
            self.buttons[name] = button
            pb.addWidget(button)
        rl.addLayout(pb)
        self.message = ErrorLabel()
        rl.addWidget(self.message)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.views)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        legend = QLabel(
            "&nbsp;&nbsp;".join(
                f"<span style='background-color:{c}'>&nbsp;&nbsp;&nbsp;&nbsp;</span> {k}"
                for k, c in FILL_COLOURS.items()
            )
        )
        legend.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(legend)
        ctx.settings.restore_splitter("volunteer_shifts", self.splitter)
        self.list.restore_state(ctx.settings)

        b = self.buttons
        b["◀ 上一周"].clicked.connect(lambda: self.go(-7))
        b["下一周 ▶"].clicked.connect(lambda: self.go(7))
        b["本周"].clicked.connect(self.this_week)
        self.view_button.clicked.connect(self.toggle_view)
        b["新建班次…"].clicked.connect(self.new_shift)
        b["编辑活动…"].clicked.connect(self.edit_activity)
        b["编辑活动…"].setToolTip(self.tr("修改所选班次所属的志愿服务活动，或把它关联到社区活动"))
        b["推荐志愿者…"].clicked.connect(self.suggest)
        b["取消班次…"].clicked.connect(self.cancel_shift)
        b["通知文本"].clicked.connect(self.notice)
        b["通知名单"].clicked.connect(self.call_list)
        b["打印排班表…"].clicked.connect(self.print_roster)
        b["导出Excel"].clicked.connect(self.export)
        b["节假日设置…"].clicked.connect(self.edit_holidays)
        b["节假日设置…"].setEnabled(ctx.can(Resource.SHIFT, Action.UPDATE))
        b["确认"].clicked.connect(self.confirm)
        b["取消安排…"].clicked.connect(self.cancel_place)
        b["标记缺席"].clicked.connect(self.absent)
        self.grid.itemSelectionChanged.connect(self._on_grid_selection)
        self.list.selectionModel().selectionChanged.connect(lambda *_a: self._on_list_selection())
        self.grid.itemDoubleClicked.connect(lambda _i: self.suggest())
        self._update_buttons()

    # -- hooks tests replace -------------------------------------------------------------------
    def exec_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def ask_text(self, title: str, label: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label)
        return value.strip() if ok and value.strip() else None

    def ask_save_path(self, suggested: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存"), str(documents_dir() / suggested), pattern
        )
        return Path(name) if name else None

    # -- loading -------------------------------------------------------------------------------
    def set_choices(self, choices: Any) -> None:
        self.choices = choices
        self.refresh()

    def go(self, days: int) -> None:
        self.monday += timedelta(days=days)
        self.refresh()

    def this_week(self) -> None:
        today = date.today()
        self.monday = today - timedelta(days=today.weekday())
        self.refresh()

    def show_week_of(self, day: date) -> None:
        self.monday = day - timedelta(days=day.weekday())
        self.refresh()

    def toggle_view(self) -> None:
        grid = self.views.currentWidget() is self.grid
        self.views.setCurrentWidget(self.list if grid else self.grid)
        self.view_button.setText(self.tr("周视图") if grid else self.tr("列表视图"))

    def refresh(self) -> None:
        actor, monday = self.ctx.actor, self.monday
        selected = self.current_shift.id if self.current_shift is not None else None

        def done(result: object) -> None:
            assert isinstance(result, tuple)
            shifts, notes, warnings = result
            if monday != self.monday:
                return
            self.shifts = shifts
            self._fill(shifts)
            sunday = monday + timedelta(days=6)
            under = sum(1 for s in shifts if s.fill_state in ("空缺", "未满"))
            self.week_label.setText(
                self.tr("%s — %s　共 %d 个班次，未排满 %d 个")
                % (cn_date(monday), cn_date(sunday), len(shifts), under)
            )
            self.notes.setText("；".join(notes + warnings))
            self.notes.setVisible(bool(notes or warnings))
            if selected is not None:
                self.select_shift(selected)
            emit(self.week_loaded, len(shifts))

        self.ctx.executor.query(lambda s: load_week(s, actor, monday), done, parent=self)

    def _fill(self, shifts: list[Any]) -> None:
        by_day: dict[int, list[Any]] = {i: [] for i in range(7)}
        for s in shifts:
            by_day[(s.day - self.monday).days].append(s)
        rows = max((len(v) for v in by_day.values()), default=0)
        self.grid.blockSignals(True)
        self.grid.clearContents()
        self.grid.setRowCount(max(rows, 1))
        self.grid.setHorizontalHeaderLabels(
            [day_label(self.monday + timedelta(days=i)) for i in range(7)]
        )
        for col, day_shifts in by_day.items():
            for row, s in enumerate(day_shifts):
                item = QTableWidgetItem(
                    f"{s.time_text}\n{s.activity_title}\n{s.filled}/{s.needed}"
                    + (f" 候补{s.waitlist}" if s.waitlist else "")
                )
                item.setData(ShiftIdRole, s.id)
                item.setBackground(QBrush(QColor(FILL_COLOURS[s.fill_state])))
                item.setToolTip(f"{s.activity_title}\n{s.place}\n{s.fill_state}")
                self.grid.setItem(row, col, item)
        self.grid.blockSignals(False)
        self.list_model.set_rows(shifts)

    def select_shift(self, shift_id: uuid.UUID) -> None:
        for row in range(self.grid.rowCount()):
            for col in range(7):
                item = self.grid.item(row, col)
                if item is not None and item.data(ShiftIdRole) == shift_id:
                    self.grid.setCurrentItem(item)
                    self._show_shift(shift_id)
                    return

    def _on_grid_selection(self) -> None:
        item = self.grid.currentItem()
        shift_id = item.data(ShiftIdRole) if item is not None else None
        if shift_id is not None:
            self._show_shift(shift_id)

    def _on_list_selection(self) -> None:
        row = self.list_model.row_at(self.list.current_row())
        if row is not None:
            self._show_shift(row.id)

    def _show_shift(self, shift_id: uuid.UUID) -> None:
        self.current_shift = next((s for s in self.shifts if s.id == shift_id), None)
        self._update_buttons()
        self.load_places()

    def load_places(self) -> None:
        from wushe_desktop.scheduling.assignments import list_assignments

        shift = self.current_shift
        if shift is None:
            self.places.set_rows([])
            return
        actor = self.ctx.actor
        self.shift_label.setText(
            self.tr("%s　%s %s　%s　需要 %d 人，已排 %d 人%s")
            % (
                shift.activity_title,
                day_label(shift.day),
                shift.time_text,
                shift.place,
                shift.needed,
                shift.filled,
                self.tr("（已取消）") if shift.cancelled else "",
            )
        )

        def done(rows: object) -> None:
            assert isinstance(rows, list)
            self.places.set_rows(rows)
            emit(self.assignments_loaded, len(rows))

        self.ctx.executor.query(lambda s: list_assignments(s, actor, shift.id), done, parent=self)

    def _update_buttons(self) -> None:
        can = self.ctx.can
        chosen = self.current_shift is not None and not self.current_shift.cancelled
        self.buttons["新建班次…"].setEnabled(can(Resource.SHIFT, Action.CREATE))
        self.buttons["推荐志愿者…"].setEnabled(chosen)
        self.buttons["编辑活动…"].setEnabled(
            self.current_shift is not None and can(Resource.SHIFT, Action.UPDATE)
        )
        self.buttons["取消班次…"].setEnabled(chosen and can(Resource.SHIFT, Action.UPDATE))
        self.buttons["通知文本"].setEnabled(self.current_shift is not None)
        self.buttons["打印排班表…"].setEnabled(can(Resource.SHIFT, Action.PRINT))
        self.buttons["导出Excel"].setEnabled(can(Resource.SHIFT, Action.EXPORT))
        for name in ("确认", "取消安排…", "标记缺席"):
            self.buttons[name].setEnabled(chosen and can(Resource.SHIFT, Action.ASSIGN))

    def _changed(self, text: str = "") -> None:
        if text:
            self.message.show_ok(text)
        emit(self.changed)
        self.refresh()

    # -- shift actions -------------------------------------------------------------------------
    def new_shift(self) -> None:
        from wushe_desktop.scheduling.community_link import community_activity_choices
        from wushe_desktop.scheduling.shifts import list_activities

        actor = self.ctx.actor
        can_link = self.ctx.can(Resource.SERVICE, Action.READ)

        def load(s: Any) -> tuple[object, object]:
            linked = community_activity_choices(s, actor) if can_link else []
            return list_activities(s, actor), linked

        self.ctx.executor.query(load, self._open_new_shift, parent=self)

    def _open_new_shift(self, result: object) -> None:
        from wushe_desktop.ui.dialogs.shift_edit import ShiftDialog

        assert isinstance(result, tuple)
        activities, linked = result
        assert isinstance(activities, list) and isinstance(linked, list)
        choices = self.choices
        seen: dict[str, uuid.UUID] = {}
        for a in activities:
            seen.setdefault(a.title, a.id)
        dialog = ShiftDialog(
            self.ctx.executor,
            self.ctx.actor,
            activities=[(aid, title) for title, aid in seen.items()],
            communities=choices.communities if choices else [],
            teams=choices.teams if choices else [],
            community_activities=linked,
            day=max(date.today(), self.monday),
            parent=self,
        )
        if self.exec_dialog(dialog):
            result = dialog.result_value
            self._changed(result if isinstance(result, str) else self.tr("已新建班次。"))

    def edit_activity(self) -> None:
        """The selected shift's volunteer activity, in its edit form."""
        from wushe_desktop.scheduling.community_link import (
            community_activity_choices,
            linked_label,
        )
        from wushe_desktop.scheduling.shifts import get_activity

        shift = self.current_shift
        if shift is None:
            return
        actor, aid = self.ctx.actor, shift.activity_id
        can_link = self.ctx.can(Resource.SERVICE, Action.READ)

        def load(s: Any) -> tuple[Any, list[Any], str]:
            activity = get_activity(s, actor, aid)
            choices = community_activity_choices(s, actor) if can_link else []
            return activity, choices, linked_label(s, activity.source_kind, activity.source_id)

        self.ctx.executor.query(
            load, self._open_activity, lambda exc: errors.show_error(self, exc), parent=self
        )

    def _open_activity(self, result: object) -> None:
        from wushe_desktop.ui.dialogs.volunteer_activity_edit import VolunteerActivityDialog

        assert isinstance(result, tuple)
        activity, linked, label = result
        dialog = VolunteerActivityDialog(
            self.ctx.executor,
            self.ctx.actor,
            activity,
            communities=self.choices.communities if self.choices else [],
            community_activities=linked,
            linked_label=label,
            parent=self,
        )
        if self.exec_dialog(dialog):
            self._changed(self.tr("已保存活动“%s”。") % dialog.result_value.title)

    def suggest(self) -> None:
        from wushe_desktop.ui.dialogs.suggest_dialog import SuggestDialog

        if self.current_shift is None or self.current_shift.cancelled:
            return
        dialog = SuggestDialog(self.ctx, self.current_shift, self)
        dialog.changed.connect(self._changed)
        self.exec_dialog(dialog)

    def cancel_shift(self) -> None:
        from wushe_desktop.scheduling.shifts import cancel_shift

        shift = self.current_shift
        if shift is None:
            return
        reason = self.ask_text(self.tr("取消班次"), self.tr("取消原因（将通知已安排的志愿者）："))
        if not reason:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: cancel_shift(s, actor, shift.id, reason),
            lambda n: self._changed(self.tr("已取消班次，需通知 %d 名志愿者。") % int(n)),
            parent=self,
        )

    def notice(self) -> None:
        from wushe_desktop.scheduling.roster import notice_text

        shift = self.current_shift
        if shift is None:
            return
        actor = self.ctx.actor

        def done(text: object) -> None:
            QGuiApplication.clipboard().setText(str(text))
            self.message.show_ok(self.tr("通知文本已复制，可粘贴到志愿者群。"))
            msgbox.information(self, str(text), title=self.tr("通知文本（已复制）"))

        self.ctx.executor.query(lambda s: notice_text(s, actor, shift.id), done, parent=self)

    def call_list(self) -> None:
        from wushe_desktop.scheduling.roster import call_list

        actor, monday = self.ctx.actor, self.monday
        reveal = self.ctx.can(Resource.VOLUNTEER, Action.VIEW_SENSITIVE)

        def done(items: object) -> None:
            assert isinstance(items, list)
            if not items:
                msgbox.information(self, self.tr("本周没有待确认的志愿者。"))
                return
            lines = [f"{i.day.isoformat()} {i.time} {i.title}　{i.name}　{i.phone}" for i in items]
            text = "\n".join(lines)
            QGuiApplication.clipboard().setText(text)
            msgbox.information(
                self,
                self.tr("待电话确认 %d 人（已复制）：\n") % len(items) + text,
                title=self.tr("通知名单"),
            )

        self.ctx.executor.query(
            lambda s: call_list(s, actor, monday, monday + timedelta(days=13), reveal=reveal),
            done,
            parent=self,
        )

    def print_roster(self) -> None:
        from wushe_desktop.scheduling.print_pdf import print_roster

        path = self.ask_save_path(f"排班表_{self.monday.isoformat()}.pdf", "PDF (*.pdf)")
        if path is None:
            return
        actor, monday = self.ctx.actor, self.monday
        self.ctx.executor.query(
            lambda s: print_roster(s, actor, monday, path),
            lambda _n: self.message.show_ok(self.tr("排班表已保存到 %s") % path),
            parent=self,
        )

    def export(self) -> None:
        from wushe_desktop.scheduling.shifts_excel import export_shifts

        path = self.ask_save_path(f"排班表_{self.monday.isoformat()}.xlsx", "Excel (*.xlsx)")
        if path is None:
            return
        db, actor, monday = self.ctx.db, self.ctx.actor, self.monday
        self.ctx.executor.job(
            lambda p, c: export_shifts(
                db, actor, path, monday, monday + timedelta(days=6), progress=p, cancel=c
            ),
            lambda n: self.message.show_ok(self.tr("已导出 %d 个班次到 %s") % (int(n), path)),
            title=self.tr("正在导出排班表…"),
            parent=self,
        )

    def edit_holidays(self) -> None:
        from wushe_desktop.ui.dialogs.volunteer_settings import HolidayDialog

        self.exec_dialog(HolidayDialog(self.ctx, (self.monday + timedelta(days=6)).year, self))
        self.refresh()

    # -- place actions -------------------------------------------------------------------------
    def chosen_place(self) -> Any:
        return self.places.row_at(self.places_table.current_row())

    def confirm(self) -> None:
        from wushe_desktop.scheduling.assignments import confirm

        place = self.chosen_place()
        if place is None:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: confirm(s, actor, [place.id]),
            lambda _n: self._changed(self.tr("已确认 %s。") % place.name),
            parent=self,
        )

    def cancel_place(self) -> None:
        from wushe_desktop.scheduling.assignments import cancel_assignment

        place = self.chosen_place()
        if place is None:
            return
        reason = self.ask_text(self.tr("取消安排"), self.tr("取消 %s 的安排，原因：") % place.name)
        if not reason:
            return
        actor = self.ctx.actor

        def done(promoted: object) -> None:
            text = self.tr("已取消 %s 的安排。") % place.name
            if promoted:
                text += self.tr("候补的 %s 已递补。") % promoted
            self._changed(text)

        self.ctx.executor.query(
            lambda s: cancel_assignment(s, actor, place.id, reason), done, parent=self
        )

    def absent(self) -> None:
        from wushe_desktop.scheduling.assignments import mark_absent

        place = self.chosen_place()
        if place is None:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: mark_absent(s, actor, place.id),
            lambda _n: self._changed(self.tr("已将 %s 标记为缺席。") % place.name),
            parent=self,
        )

    def save_state(self, settings: UiSettings) -> None:
        settings.save_splitter("volunteer_shifts", self.splitter)
        self.list.save_state(settings)
