"""Widgets the visit, group and activity pages and dialogs share.

``ResidentFinder`` finds one resident as you type (the residents search on the DB thread);
``ResidentPickerDialog`` picks several (group members, named activity participants);
``DateRange`` is the 日期 filter of the lists; ``load_staff`` fills worker drop-downs.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.workers import DbExecutor

SEARCH_LIMIT = 30


@dataclass(frozen=True)
class Found:
    """A resident as the finders list them."""

    id: uuid.UUID
    name: str
    label: str  # 姓名（社区，年龄）


def find_residents(session: Session, actor: Actor, text: str) -> list[Found]:
    """Runs on the DB thread: residents matching a name, pinyin or ID number prefix."""
    from wushe_desktop.residents.search import ResidentQuery, search

    rows = search(session, actor, ResidentQuery(text=text), limit=SEARCH_LIMIT).rows
    found = []
    for r in rows:
        age = f"，{r.age}岁" if r.age is not None else ""
        found.append(Found(r.id, r.name, f"{r.name}（{r.community_name}{age}）"))
    return found


def load_staff(session: Session, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """Runs on the DB thread: the station's workers for drop-downs."""
    from wushe_desktop.community_work.common import station_staff

    return station_staff(session, actor)


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = value or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def date_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def set_date(edit: QDateEdit, day: date) -> None:
    edit.setDate(QDate(day.year, day.month, day.day))


class ResidentFinder(QWidget):
    """A search box and a drop-down of matches; ``changed`` when the choice changes."""

    changed = Signal()

    def __init__(self, executor: DbExecutor, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.actor = actor
        self._pending: str | None = None
        self._busy = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入姓名、拼音首字母或身份证号查找"))
        self.search.setClearButtonEnabled(True)
        self.combo = QComboBox()
        self.combo.setMinimumWidth(220)
        self.combo.addItem(self.tr("（请先查找居民）"), None)
        layout.addWidget(self.search, 1)
        layout.addWidget(self.combo, 1)
        self.search.textEdited.connect(self._on_text)
        self.combo.currentIndexChanged.connect(lambda _i: emit(self.changed))

    def set_resident(self, resident_id: uuid.UUID, label: str, *, locked: bool = False) -> None:
        self.combo.clear()
        self.combo.addItem(label, resident_id)
        self.search.setEnabled(not locked)
        emit(self.changed)

    def resident_id(self) -> uuid.UUID | None:
        value = self.combo.currentData()
        return value if isinstance(value, uuid.UUID) else None

    def resident_name(self) -> str:
        return self.combo.currentText().split("（", 1)[0]

    def _on_text(self, text: str) -> None:
        if not text.strip():
            return
        if self._busy:
            self._pending = text
            return
        self._run(text)

    def _run(self, text: str) -> None:
        self._busy = True
        actor = self.actor
        self.executor.query(
            lambda s: find_residents(s, actor, text.strip()), self._on_found, parent=self
        )

    def _on_found(self, rows: object) -> None:
        self._busy = False
        if self._pending is not None:
            text, self._pending = self._pending, None
            self._run(text)
            return
        assert isinstance(rows, list)
        self.combo.blockSignals(True)
        self.combo.clear()
        if not rows:
            self.combo.addItem(self.tr("（没有找到，请换个写法）"), None)
        for r in rows:
            self.combo.addItem(r.label, r.id)
        self.combo.blockSignals(False)
        emit(self.changed)


class ResidentPickerDialog(QDialog):
    """Pick several residents: search on the left, the chosen ones on the right."""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        title: str,
        chosen: list[tuple[uuid.UUID, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.executor = executor
        self.actor = actor
        self.setWindowTitle(title)
        self.resize(640, 440)
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("输入姓名、拼音首字母或身份证号查找居民"))
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        lists = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("查找结果（双击添加）")))
        self.results = QListWidget()
        self.results.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        left.addWidget(self.results)
        self.add_button = QPushButton(self.tr("添加 →"))
        left.addWidget(self.add_button)
        right = QVBoxLayout()
        self.chosen_label = QLabel()
        right.addWidget(self.chosen_label)
        self.chosen = QListWidget()
        self.chosen.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        right.addWidget(self.chosen)
        self.remove_button = QPushButton(self.tr("← 移除"))
        right.addWidget(self.remove_button)
        lists.addLayout(left, 1)
        lists.addLayout(right, 1)
        layout.addLayout(lists, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for rid, name in chosen or []:
            self._add_item(rid, name)
        self._update_count()
        self.search.textEdited.connect(self._on_text)
        self.results.itemDoubleClicked.connect(lambda _i: self.add_selected())
        self.add_button.clicked.connect(self.add_selected)
        self.remove_button.clicked.connect(self.remove_selected)

    def _on_text(self, text: str) -> None:
        if not text.strip():
            return
        actor = self.actor
        wanted = text.strip()
        self.executor.query(
            lambda s: find_residents(s, actor, wanted),
            lambda rows: self._on_found(wanted, rows),
            parent=self,
        )

    def _on_found(self, text: str, rows: object) -> None:
        if text != self.search.text().strip():
            return  # an older search
        assert isinstance(rows, list)
        self.results.clear()
        for r in rows:
            item = QListWidgetItem(r.label)
            item.setData(Qt.ItemDataRole.UserRole, (r.id, r.name))
            self.results.addItem(item)

    def _chosen_ids(self) -> set[uuid.UUID]:
        return {
            self.chosen.item(i).data(Qt.ItemDataRole.UserRole)[0]
            for i in range(self.chosen.count())
        }

    def _add_item(self, rid: uuid.UUID, name: str) -> None:
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, (rid, name))
        self.chosen.addItem(item)

    def add_selected(self) -> None:
        have = self._chosen_ids()
        items = self.results.selectedItems() or (
            [self.results.item(0)] if self.results.count() == 1 else []
        )
        for item in items:
            rid, name = item.data(Qt.ItemDataRole.UserRole)
            if rid not in have:
                self._add_item(rid, name)
                have.add(rid)
        self._update_count()

    def remove_selected(self) -> None:
        for item in self.chosen.selectedItems():
            self.chosen.takeItem(self.chosen.row(item))
        self._update_count()

    def _update_count(self) -> None:
        self.chosen_label.setText(self.tr("已选 %d 人") % self.chosen.count())

    def picked(self) -> list[tuple[uuid.UUID, str]]:
        return [
            self.chosen.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.chosen.count())
        ]

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        actor: Actor,
        title: str,
        chosen: list[tuple[uuid.UUID, str]] | None = None,
        parent: QWidget | None = None,
    ) -> list[tuple[uuid.UUID, str]] | None:
        """The picked residents, or None if cancelled."""
        dlg = cls(executor, actor, title, chosen, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.picked()


class DateRange(QWidget):
    """A date filter: presets (全部、本月、上月、今年、近 30 天) or 自定义 from–to."""

    changed = Signal()

    PRESETS = ("全部日期", "近30天", "本月", "上月", "今年", "去年", "自定义")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.preset = QComboBox()
        self.preset.addItems([self.tr(p) for p in self.PRESETS])
        today = date.today()
        self.date_from = date_edit(today.replace(day=1))
        self.date_to = date_edit(today)
        layout.addWidget(self.preset)
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel("—"))
        layout.addWidget(self.date_to)
        self._custom(False)
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.date_from.dateChanged.connect(lambda _d: emit(self.changed))
        self.date_to.dateChanged.connect(lambda _d: emit(self.changed))

    def _custom(self, on: bool) -> None:
        self.date_from.setVisible(on)
        self.date_to.setVisible(on)

    def _on_preset(self, _index: int) -> None:
        self._custom(self.preset.currentText() == self.tr("自定义"))
        emit(self.changed)

    def span(self, today: date | None = None) -> tuple[date | None, date | None]:
        """(from, to), inclusive; None where open."""
        today = today or date.today()
        choice = self.PRESETS[max(0, self.preset.currentIndex())]
        if choice == "近30天":
            return today - timedelta(days=29), today
        if choice == "本月":
            return today.replace(day=1), today
        if choice == "上月":
            end = today.replace(day=1) - timedelta(days=1)
            return end.replace(day=1), end
        if choice == "今年":
            return date(today.year, 1, 1), today
        if choice == "去年":
            return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        if choice == "自定义":
            return date_of(self.date_from), date_of(self.date_to)
        return None, None


def fill_combo(combo: QComboBox, first: str, items: list[tuple[Any, str]]) -> None:
    """Refill a filter combo (``first`` = the 全部 item with data None), keeping the choice."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(first, None)
    for value, label in items:
        combo.addItem(label, value)
    for i in range(combo.count()):
        if combo.itemData(i) == current:
            combo.setCurrentIndex(i)
            break
    combo.blockSignals(False)
