"""社区服务: visiting the vulnerable, group work and community activities, one tab each.

The station's communities, grids and workers are loaded once (on the DB thread) and handed
to the tabs, which fill their filters and dialogs from them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.settings import UiSettings


@dataclass(frozen=True)
class Choices:
    """What the filters and dialogs choose from."""

    communities: list[Any]  # CommunityRow
    grids: dict[uuid.UUID, list[Any]]  # community id -> GridRow list
    staff: list[tuple[uuid.UUID, str]]

    def community_items(self) -> list[tuple[Any, str]]:
        return [(c.id, c.name) for c in self.communities]

    def grid_items(self, community_id: uuid.UUID | None) -> list[tuple[Any, str]]:
        if community_id is None:
            return []
        return [(g.id, g.name) for g in self.grids.get(community_id, [])]


def load_choices(session: Session, actor: Actor) -> Choices:
    """Runs on the DB thread."""
    from wushe_desktop.ui.dialogs.community_widgets import load_staff
    from wushe_desktop.ui.dialogs.resident_edit import load_places

    places = load_places(session, actor)
    return Choices(places.communities, places.grids, load_staff(session, actor))


class CommunityWorkPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        from wushe_desktop.ui.pages.activities import ActivitiesTab
        from wushe_desktop.ui.pages.groups import GroupsTab
        from wushe_desktop.ui.pages.visits import VisitsTab

        super().__init__()
        self.ctx = ctx
        self.choices: Choices | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.tabs = QTabWidget()
        self.visits = VisitsTab(ctx)
        self.groups = GroupsTab(ctx)
        self.activities = ActivitiesTab(ctx)
        self.tabs.addTab(self.visits, self.tr("探访关爱"))
        self.tabs.addTab(self.groups, self.tr("小组工作"))
        self.tabs.addTab(self.activities, self.tr("社区活动"))
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        self.load_choices()

    def load_choices(self) -> None:
        actor = self.ctx.actor
        self.ctx.executor.query(lambda s: load_choices(s, actor), self._on_choices, parent=self)

    def _on_choices(self, choices: object) -> None:
        assert isinstance(choices, Choices)
        self.choices = choices
        for tab in (self.visits, self.groups, self.activities):
            tab.set_choices(choices)

    def _refresh_current(self) -> None:
        tab = self.tabs.currentWidget()
        refresh = getattr(tab, "refresh", None)
        if callable(refresh):
            refresh()

    def activated(self) -> None:
        self._refresh_current()

    def save_state(self, settings: UiSettings) -> None:
        for tab in (self.visits, self.groups, self.activities):
            tab.save_state(settings)
