"""What every page and dialog needs, passed in through constructors (no global singletons)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from wushe_desktop.accounts.permissions import Action, Actor, Resource

if TYPE_CHECKING:
    from wushe_desktop.infra.db.engine import Database
    from wushe_desktop.ui.settings import UiSettings
    from wushe_desktop.ui.workers import DbExecutor


@dataclass(frozen=True)
class StationLabel:
    """The few station facts the window shows (status bar, title, exports)."""

    name: str
    township: str
    district: str
    code: str


@dataclass
class AppContext:
    """The signed-in session: database, its executor, UI settings and the actor."""

    db: Database
    executor: DbExecutor
    settings: UiSettings
    actor: Actor
    station: StationLabel | None = None

    def can(self, resource: Resource, action: Action) -> bool:
        return self.actor.can(resource, action)
