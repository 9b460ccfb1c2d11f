"""志愿者: the registry, the shift schedule, front-desk check-in and service hours, one tab each.

What the tabs choose from (communities, teams, the station's volunteer rules) is loaded
once on the DB thread and handed to them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtWidgets import QTabWidget, QVBoxLayout
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.volunteers.settings import VolunteerRules


@dataclass(frozen=True)
class VolunteerChoices:
    communities: list[tuple[uuid.UUID, str]]
    teams: list[tuple[uuid.UUID, str]]
    rules: VolunteerRules


def load_volunteer_choices(session: Session, actor: Actor) -> VolunteerChoices:
    """Runs on the DB thread."""
    from wushe_desktop.stations.service import list_communities
    from wushe_desktop.volunteers.settings import get_rules
    from wushe_desktop.volunteers.teams import list_teams

    return VolunteerChoices(
        [(c.id, c.name) for c in list_communities(session, actor)],
        [(t.id, t.name) for t in list_teams(session, actor)],
        get_rules(session, actor.station_id),
    )


class VolunteersPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        from wushe_desktop.ui.pages.checkin import CheckinTab
        from wushe_desktop.ui.pages.shifts import ShiftsTab
        from wushe_desktop.ui.pages.volunteers_hours import HoursTab
        from wushe_desktop.ui.pages.volunteers_registry import RegistryTab

        super().__init__()
        self.ctx = ctx
        self.choices: VolunteerChoices | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.tabs = QTabWidget()
        self.registry = RegistryTab(ctx)
        self.shifts = ShiftsTab(ctx)
        self.checkin = CheckinTab(ctx)
        self.hours = HoursTab(ctx)
        self.tabs.addTab(self.registry, self.tr("志愿者名册"))
        self.tabs.addTab(self.shifts, self.tr("排班"))
        self.tabs.addTab(self.checkin, self.tr("签到"))
        self.tabs.addTab(self.hours, self.tr("服务时长与表彰"))
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        self.registry.changed.connect(self.shifts.refresh)
        self.registry.settings_changed.connect(self.load_choices)
        self.shifts.changed.connect(self.checkin.refresh)
        self.checkin.changed.connect(self.hours.refresh)
        self.load_choices()

    def load_choices(self) -> None:
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: load_volunteer_choices(s, actor), self._on_choices, parent=self
        )

    def _on_choices(self, choices: object) -> None:
        assert isinstance(choices, VolunteerChoices)
        self.choices = choices
        for tab in (self.registry, self.shifts, self.checkin, self.hours):
            tab.set_choices(choices)

    def _refresh_current(self) -> None:
        tab = self.tabs.currentWidget()
        refresh = getattr(tab, "refresh", None)
        if callable(refresh):
            refresh()

    def activated(self) -> None:
        self._refresh_current()

    def save_state(self, settings: UiSettings) -> None:
        for tab in (self.registry, self.shifts, self.hours):
            tab.save_state(settings)
