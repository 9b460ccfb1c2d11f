"""签到: the front-desk screen. A volunteer types a name (or pinyin) or the last four digits
of a phone, finds today's place and presses 签到 or 签退; staff can also check in or out a
whole shift at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.scheduling.timefmt import cn_date, hours_text, span_text
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.models.volunteers_model import DESK_COLUMNS
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.widgets.tables import DataTable

SEARCH_DELAY_MS = 150


def desk_lookup(session: Session, actor: Actor, day: date, text: str) -> list[Any]:
    """Runs on the DB thread: today's places of the volunteers the text finds (all when empty)."""
    from wushe_desktop.scheduling.checkin import desk_items
    from wushe_desktop.volunteers.search import front_desk

    if not text.strip():
        return desk_items(session, actor, day)
    found = front_desk(session, actor, text)
    if not found:
        return []
    return desk_items(session, actor, day, volunteer_ids=[v.id for v in found])


def today_shifts(session: Session, actor: Actor, day: date) -> list[Any]:
    from wushe_desktop.scheduling.shifts import list_shifts

    return list_shifts(session, actor, day, day, include_cancelled=False)


class CheckinTab(QWidget):
    #: Emitted after someone checked in or out.
    changed = Signal()
    #: Emitted when the list shows a new result (row count).
    list_updated = Signal(int)

    def __init__(self, ctx: AppContext) -> None:  # noqa: PLR0915 - widget construction
        super().__init__()
        self.ctx = ctx
        self.day = date.today()
        self._generation = 0
        layout = QVBoxLayout(self)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入姓名、拼音首字母，或手机号后四位"))
        self.search.setClearButtonEnabled(True)
        big = self.search.font()
        big.setPointSizeF(big.pointSizeF() * 1.5)
        self.search.setFont(big)
        layout.addWidget(self.search)
        self.model: ListTableModel[Any] = ListTableModel(DESK_COLUMNS)
        self.table = DataTable("volunteer_desk")
        self.table.set_model_with_widths(self.model, [c.width for c in DESK_COLUMNS])
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.check_in_button = QPushButton(self.tr("签到"))
        self.check_out_button = QPushButton(self.tr("签退"))
        for b in (self.check_in_button, self.check_out_button):
            b.setMinimumHeight(44)
            b.setFont(big)
            actions.addWidget(b)
        layout.addLayout(actions)
        bulk = QHBoxLayout()
        bulk.addWidget(QLabel(self.tr("整班操作：")))
        self.shift_combo = QComboBox()
        bulk.addWidget(self.shift_combo, 1)
        self.bulk_in = QPushButton(self.tr("全部签到"))
        self.bulk_out = QPushButton(self.tr("全部签退"))
        bulk.addWidget(self.bulk_in)
        bulk.addWidget(self.bulk_out)
        layout.addLayout(bulk)
        self.message = ErrorLabel()
        layout.addWidget(self.message)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._enter)
        self.check_in_button.clicked.connect(lambda: self.act("签到"))
        self.check_out_button.clicked.connect(lambda: self.act("签退"))
        self.table.doubleClicked.connect(lambda _i: self._enter())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.bulk_in.clicked.connect(lambda: self.bulk("签到"))
        self.bulk_out.clicked.connect(lambda: self.bulk("签退"))
        allowed = ctx.can(Resource.SHIFT, Action.UPDATE)
        self.bulk_in.setEnabled(allowed)
        self.bulk_out.setEnabled(allowed)
        self._update_buttons()

    def set_choices(self, _choices: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.day = date.today()
        self.title.setText(self.tr("签到 — %s") % cn_date(self.day))
        actor, day, text = self.ctx.actor, self.day, self.search.text()
        self._generation += 1
        generation = self._generation

        def load(session: Session) -> tuple[list[Any], list[Any]]:
            return desk_lookup(session, actor, day, text), today_shifts(session, actor, day)

        def done(result: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(result, tuple)
            items, shifts = result
            self.model.set_rows(items)
            if items:
                self.table.selectRow(0)
            current = self.shift_combo.currentData()
            self.shift_combo.clear()
            for s in shifts:
                self.shift_combo.addItem(
                    f"{span_text(s.start_minute, s.end_minute)} {s.activity_title}（{s.filled}人）",
                    s.id,
                )
                if s.id == current:
                    self.shift_combo.setCurrentIndex(self.shift_combo.count() - 1)
            self._update_buttons()
            emit(self.list_updated, len(items))

        self.ctx.executor.query(load, done, parent=self)

    def current(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def _update_buttons(self) -> None:
        item = self.current()
        allowed = self.ctx.can(Resource.SHIFT, Action.UPDATE)
        self.check_in_button.setEnabled(allowed and item is not None and item.action == "签到")
        self.check_out_button.setEnabled(allowed and item is not None and item.action == "签退")
        has_shift = self.shift_combo.count() > 0
        self.bulk_in.setEnabled(allowed and has_shift)
        self.bulk_out.setEnabled(allowed and has_shift)

    def _enter(self) -> None:
        item = self.current()
        if item is not None and item.action in ("签到", "签退"):
            self.act(item.action)

    def act(self, what: str) -> None:
        from wushe_desktop.scheduling.checkin import check_in, check_out

        item = self.current()
        if item is None or item.action != what:
            return
        actor = self.ctx.actor

        def work(session: Session) -> int | None:
            if what == "签到":
                check_in(session, actor, item.assignment_id)
                return None
            return check_out(session, actor, item.assignment_id)

        def done(minutes: object) -> None:
            if what == "签到":
                self.message.show_ok(self.tr("%s 签到成功，欢迎！") % item.name)
            else:
                self.message.show_ok(
                    self.tr("%s 签退成功，本次服务 %s 小时，感谢您的付出！")
                    % (item.name, hours_text(int(minutes)))  # type: ignore[call-overload]
                )
            self.search.clear()
            emit(self.changed)
            self.refresh()

        self.ctx.executor.query(
            work, done, lambda exc: self.message.show_message(str(exc)), parent=self
        )

    def bulk(self, what: str) -> None:
        from wushe_desktop.scheduling.checkin import bulk_check_in, bulk_check_out

        shift_id = self.shift_combo.currentData()
        if shift_id is None:
            return
        actor = self.ctx.actor
        run = bulk_check_in if what == "签到" else bulk_check_out

        def done(n: object) -> None:
            self.message.show_ok(self.tr("已为 %d 名志愿者%s。") % (int(n), what))  # type: ignore[call-overload]
            emit(self.changed)
            self.refresh()

        self.ctx.executor.query(
            lambda s: run(s, actor, shift_id),
            done,
            lambda exc: self.message.show_message(str(exc)),
            parent=self,
        )
