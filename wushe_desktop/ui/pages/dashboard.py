"""工作台: the station at a glance — residents, key groups by tag, communities.

The counts are read on the DB thread each time the page is shown (one grouped statement,
``residents.stats``); the page shows "…" until they arrive, so signing in never waits on them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.widgets.labels import title_label

if TYPE_CHECKING:
    from wushe_desktop.ui.pages.cases_todo import TodoPanel


@dataclass(frozen=True)
class DashboardCounts:
    residents: int
    communities: int
    grids: int
    tags: list[tuple[str, str, int]]  # (code, label, count) in display order
    places: list[tuple[uuid.UUID, str, int]]  # (community id, name, residents) by name


def load_counts(session: Session, actor: Actor) -> DashboardCounts:
    """Runs on the DB thread."""
    from wushe_desktop.domain.tags import TAGS
    from wushe_desktop.residents.stats import resident_stats

    stats = resident_stats(session, actor)
    return DashboardCounts(
        residents=stats.total,
        communities=len(stats.communities),
        grids=sum(c.grids for c in stats.communities),
        tags=[(code, tag.label, stats.tag(code)) for code, tag in TAGS.items()],
        places=[(c.id, c.name, c.residents) for c in stats.communities],
    )


class StatCard(QFrame):
    """A tile with a big number and a caption; clicking it opens the filtered list."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statCard")
        self.setStyleSheet(
            "QFrame#statCard { background: white; border: 1px solid #e0e0e0; border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        self.value = QLabel("…")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet("color: #c0392b;")
        self.caption = QLabel(caption)
        self.caption.setStyleSheet("color: #444;")
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setMinimumWidth(150)

    def set_value(self, value: int) -> None:
        self.value.setText(f"{value:,}")


class DashboardPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 20)
        station = ctx.station.name if ctx.station else self.tr("区级管理")
        outer.addWidget(title_label(station))
        self.greeting = QLabel(
            self.tr("您好，%s（%s）。") % (ctx.actor.display_name, ctx.actor.role.value)
        )
        outer.addWidget(self.greeting)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body_layout = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        top = QGridLayout()
        self.residents_card = StatCard(self.tr("在册居民（服务对象）"))
        self.communities_card = StatCard(self.tr("社区（村）"))
        self.grids_card = StatCard(self.tr("网格"))
        top.addWidget(self.residents_card, 0, 0)
        top.addWidget(self.communities_card, 0, 1)
        top.addWidget(self.grids_card, 0, 2)
        top.setColumnStretch(3, 1)
        self.body_layout.addLayout(top)
        self.todos = self._todo_panel()

        heading = QLabel(self.tr("重点人群"))
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.body_layout.addSpacing(12)
        self.body_layout.addWidget(heading)
        self.tag_grid = QGridLayout()
        self.body_layout.addLayout(self.tag_grid)
        self.tag_buttons: dict[str, QPushButton] = {}

        heading = QLabel(self.tr("各社区（村）居民"))
        heading.setFont(font)
        self.body_layout.addSpacing(12)
        self.body_layout.addWidget(heading)
        self.place_grid = QGridLayout()
        self.body_layout.addLayout(self.place_grid)
        self.place_buttons: dict[uuid.UUID, QPushButton] = {}
        self.body_layout.addStretch(1)
        self.status = QLabel()
        self.status.setStyleSheet("color: #777;")
        outer.addWidget(self.status)
        self.loaded: DashboardCounts | None = None

    def _todo_panel(self) -> TodoPanel | None:
        """我的待办 (issue 4): the case reminders, for roles that see cases."""
        from wushe_desktop.accounts.permissions import Action, Resource
        from wushe_desktop.ui.pages.cases_todo import TodoPanel

        if not self.ctx.can(Resource.CASE, Action.READ) or self.ctx.actor.station_id is None:
            return None
        panel = TodoPanel(self.ctx)
        panel.open_case.connect(lambda cid: emit(self.navigate_requested, "cases", cid))
        self.body_layout.addSpacing(12)
        self.body_layout.addWidget(panel)
        return panel

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.todos is not None:
            self.todos.refresh()
        self.status.setText(self.tr("正在统计…"))
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: load_counts(s, actor), self._on_counts, self._on_error, parent=self
        )

    def _on_error(self, exc: BaseException) -> None:
        from wushe_desktop.ui import errors

        self.status.setText(self.tr("统计失败。"))
        errors.show_error(self, exc)

    def _on_counts(self, counts: object) -> None:
        assert isinstance(counts, DashboardCounts)
        self.loaded = counts
        self.residents_card.set_value(counts.residents)
        self.communities_card.set_value(counts.communities)
        self.grids_card.set_value(counts.grids)
        columns = 4
        for i, (code, label, n) in enumerate(counts.tags):
            button = self.tag_buttons.get(code)
            if button is None:
                button = QPushButton()
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setMinimumHeight(40)
                button.setToolTip(self.tr("在居民列表中查看"))
                button.clicked.connect(
                    lambda _checked=False, c=code: emit(
                        self.navigate_requested, "residents", {"tag": c}
                    )
                )
                self.tag_grid.addWidget(button, i // columns, i % columns)
                self.tag_buttons[code] = button
            button.setText(f"{label}　{n:,} 人")
        self._show_places(counts.places)
        self.status.setText(self.tr("数据为当前数据库中的实时统计。"))

    def _show_places(self, places: list[tuple[uuid.UUID, str, int]]) -> None:
        """One button per community (opens its residents); rebuilt when the set changed."""
        if [p[0] for p in places] != list(self.place_buttons):
            for button in self.place_buttons.values():
                button.deleteLater()
            self.place_buttons.clear()
            for i, (cid, _name, _n) in enumerate(places):
                button = QPushButton()
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setToolTip(self.tr("在居民列表中查看"))
                button.clicked.connect(
                    lambda _checked=False, c=cid: emit(
                        self.navigate_requested, "residents", {"community_id": c}
                    )
                )
                self.place_grid.addWidget(button, i // 4, i % 4)
                self.place_buttons[cid] = button
        for cid, name, n in places:
            self.place_buttons[cid].setText(f"{name}　{n:,} 人")
