"""Working days, statutory holidays and 调休 make-up workdays (DOMAIN-RULES §10).

The ``chinese_calendar`` package knows each year once the State Council has published
it; for a year it does not know it raises ``NotImplementedError``. Then this calendar
falls back to Monday–Friday and says so (``warnings``), unless the station has entered
that year's schedule itself (``StationHoliday`` rows, which also override known years
for local changes). Pure apart from ``load_calendar``, which reads the station's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.scheduling.models import StationHoliday

__all__ = [
    "HOLIDAY_NAMES",
    "OFF",
    "ON",
    "WorkCalendar",
    "list_station_days",
    "load_calendar",
    "remove_station_day",
    "set_station_day",
]

OFF, ON = "休", "班"

#: chinese_calendar's holiday names in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


@dataclass
class WorkCalendar:
    """Working-day questions for one station: its own days first, then the package."""

    station_days: Mapping[date, tuple[str, str]] = field(default_factory=dict)  # day → (kind, note)
    unknown_years: set[int] = field(default_factory=set)  # years that fell back to Mon–Fri

    def _station_years(self) -> set[int]:
        return {d.year for d in self.station_days}

    def _package(self, day: date) -> tuple[bool, str | None] | None:
        """(is holiday, holiday name) from chinese_calendar, or None for an unknown year."""
        import chinese_calendar

        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            if day.year not in self._station_years():
                self.unknown_years.add(day.year)
            return None
        return bool(on_holiday), (HOLIDAY_NAMES.get(name, name) if name else None)

    def is_workday(self, day: date) -> bool:
        own = self.station_days.get(day)
        if own is not None:
            return own[0] == ON
        found = self._package(day)
        if found is None:
            return day.weekday() < 5
        return not found[0]

    def holiday_name(self, day: date) -> str | None:
        """The statutory holiday's name on a day off that belongs to one (not a plain weekend)."""
        own = self.station_days.get(day)
        if own is not None:
            return (own[1] or "节假日") if own[0] == OFF else None
        found = self._package(day)
        if found is None or not found[0]:
            return None
        return found[1]

    def is_makeup_workday(self, day: date) -> bool:
        """A Saturday or Sunday that is a working day (调休上班)."""
        return day.weekday() >= 5 and self.is_workday(day)

    def add_workdays(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day`` (``day`` itself not counted)."""
        current, left = day, n
        while left > 0:
            current += timedelta(days=1)
            if self.is_workday(current):
                left -= 1
        return current

    def warnings(self) -> list[str]:
        """Visible notes for years answered by the Monday–Friday fallback."""
        return [
            f"{year}年的法定节假日安排尚未载入（节假日数据未更新），该年按周一至周五计算工作日；"
            "国务院公布安排后，可在“节假日设置”中录入。"
            for year in sorted(self.unknown_years)
        ]


def load_calendar(session: Session, station_id: uuid.UUID | None) -> WorkCalendar:
    """The station's calendar (its own entered days plus the package's data)."""
    days: dict[date, tuple[str, str]] = {}
    if station_id is not None:
        stmt = select(StationHoliday.day, StationHoliday.kind, StationHoliday.note).where(
            StationHoliday.station_id == station_id
        )
        days = {d: (k, n) for d, k, n in session.execute(stmt)}
    return WorkCalendar(days)


def list_station_days(
    session: Session, actor: Actor, year: int | None = None
) -> list[tuple[date, str, str]]:
    """The station's entered days (day, 休/班, note), by date."""
    actor.require(Resource.SHIFT, Action.READ)
    stmt = (
        select(StationHoliday.day, StationHoliday.kind, StationHoliday.note)
        .where(StationHoliday.station_id == actor.station_id)
        .order_by(StationHoliday.day)
    )
    if year is not None:
        stmt = stmt.where(
            StationHoliday.day >= date(year, 1, 1), StationHoliday.day <= date(year, 12, 31)
        )
    return [(d, k, n) for d, k, n in session.execute(stmt)]


def set_station_day(session: Session, actor: Actor, day: date, kind: str, note: str = "") -> None:
    """Enter or change one day of the station's calendar (休: day off, 班: working day)."""
    actor.require(Resource.SHIFT, Action.UPDATE)
    if kind not in (OFF, ON):
        raise ValidationError("类型应为“休”（放假）或“班”（调休上班）。", field="kind")
    if actor.station_id is None:
        raise ValidationError("区级账户不属于任何站点，不能录入节假日。", field="station")
    row = session.scalars(
        select(StationHoliday).where(
            StationHoliday.station_id == actor.station_id, StationHoliday.day == day
        )
    ).first()
    note = note.strip()[:50]
    if row is None:
        session.add(StationHoliday(station_id=actor.station_id, day=day, kind=kind, note=note))
    else:
        row.kind, row.note = kind, note
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type="volunteer_holiday",
        record_id=day.isoformat(),
        label=f"{day.isoformat()} {kind}",
        detail=note,
    )


def remove_station_day(session: Session, actor: Actor, day: date) -> None:
    actor.require(Resource.SHIFT, Action.UPDATE)
    row = session.scalars(
        select(StationHoliday).where(
            StationHoliday.station_id == actor.station_id, StationHoliday.day == day
        )
    ).first()
    if row is not None:
        session.delete(row)
        session.flush()
        audit.record(
            session,
            actor,
            AuditAction.DELETE,
            record_type="volunteer_holiday",
            record_id=day.isoformat(),
            label=day.isoformat(),
        )
