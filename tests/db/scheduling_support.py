"""Helpers of the scheduling tests: an activity with a shift, China-time moments."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.scheduling.shifts import ActivityInput, ShiftInput, create_activity, create_shift


def china(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """A moment given in China time, as the aware UTC datetime the services take."""
    local = datetime(day.year, day.month, day.day, hh, mm, ss)
    return (local - timedelta(hours=8)).replace(tzinfo=UTC)


def make_activity(
    db: Database, actor: Actor, title: str = "社区助老服务", **kw: object
) -> uuid.UUID:
    with db.transaction() as s:
        return create_activity(
            s,
            actor,
            ActivityInput(
                title=title,
                content="陪伴老人、测量血压",
                place="清河社区服务中心",
                **kw,  # type: ignore[arg-type]
            ),
        ).id


def make_shift(
    db: Database,
    actor: Actor,
    activity_id: uuid.UUID,
    day: date,
    start: str = "09:00",
    end: str = "11:30",
    **kw: object,
) -> uuid.UUID:
    from wushe_desktop.scheduling.timefmt import parse_clock

    with db.transaction() as s:
        return create_shift(
            s,
            actor,
            activity_id,
            ShiftInput(day=day, start_minute=parse_clock(start), end_minute=parse_clock(end), **kw),  # type: ignore[arg-type]
        ).id
