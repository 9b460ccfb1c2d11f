"""THE report figures, computed once for any period and scope.

The monthly/period PDF, its Excel twin, the locked snapshots, the district report and
on-screen summaries all call ``figures`` / ``figures_by`` / ``monthly_series``; each
figure's meaning is written in ``definitions.py`` (printed on the report's notes page and
in docs/metrics.md). Each section is a few grouped queries (never one query per row), so
a month on the ``large`` demo database takes a fraction of a second.

Sections whose room does not exist yet (organizations, charity, tasks, satisfaction) have
their figures as ``None``: "not recorded in this app", never 0.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.domain.tags import TAGS
from wushe_desktop.reports import m_cases, m_community_work, m_residents, m_volunteers
from wushe_desktop.reports.definitions import COVERAGE_GROUPS, DEFINITIONS, UNAVAILABLE_SECTIONS
from wushe_desktop.reports.periods import Period
from wushe_desktop.reports.scope import ALL, Ctx, Grouped, Scope, select_grouped
from wushe_desktop.reports.tally import KEYS, ServiceTally, as_uuid
from wushe_desktop.scheduling.models import ServiceHours
from wushe_desktop.scheduling.statuses import APPROVED
from wushe_desktop.service_records.metrics import TOTAL, ServiceCount
from wushe_desktop.service_records.validation import SERVICE_TYPES
from wushe_desktop.volunteers.models import Volunteer

__all__ = [
    "Calculator",
    "Figures",
    "Series",
    "all_codes",
    "figures",
    "figures_by",
    "require_read",
]

Value = int | None
Section = Callable[[Session, Ctx], Grouped]

#: Figures counted within the period.
_FLOWS: tuple[Section, ...] = (
    m_residents.resident_flow,
    m_cases.case_flow,
    m_community_work.group_figures,
    m_community_work.activity_figures,
    m_community_work.visit_flow,
    m_volunteers.volunteer_flow,
)
#: Figures as of the period's end (computed once per end date).
_STOCKS: tuple[Section, ...] = (
    m_residents.resident_total,
    m_cases.case_stock,
    m_community_work.visit_stock,
    m_volunteers.volunteer_stock,
)
_MEASURES = ("records", "attendances", "people", "minutes")


def all_codes() -> list[str]:
    """Every figure code a report shows, in report order (breakdowns after their base)."""
    codes: list[str] = []
    for code in DEFINITIONS:
        if code == "residents.group":
            codes += [f"residents.group.{g.key}" for g in COVERAGE_GROUPS]
        elif code == "residents.tag":
            codes += [f"residents.tag.{t}" for t in TAGS]
        elif code in ("cases.new.risk", "cases.open.risk"):
            codes += [f"{code}.{r}" for r in m_cases.RISKS]
        elif code == "cases.open.stage":
            codes += [f"{code}.{s}" for s in m_cases.OPEN_STAGE_ORDER]
        elif code.startswith("keygroups."):
            if code != "keygroups.coverage":
                codes += [f"{code}.{g.key}" for g in COVERAGE_GROUPS]
        else:
            codes.append(code)
            if code in (
                "services.records",
                "services.attendances",
                "services.people",
                "services.minutes",
            ):
                codes += [f"{code}.{t}" for t in SERVICE_TYPES]
    return codes


_CODES = all_codes()
_UNAVAILABLE = frozenset(c for c, d in DEFINITIONS.items() if d.section in UNAVAILABLE_SECTIONS)


def _complete(values: dict[str, int], codes: frozenset[str] | None = None) -> dict[str, Value]:
    """All codes (or those asked for) in report order: missing counts are 0, unrecorded
    sections None."""
    for grp in COVERAGE_GROUPS:
        values[f"keygroups.registered.{grp.key}"] = values.get(f"residents.group.{grp.key}", 0)
    out: dict[str, Value] = {}
    for code in _CODES:
        if codes is not None and code not in codes:
            continue
        out[code] = None if code in _UNAVAILABLE else int(values.get(code, 0))
    if codes is not None:
        return out
    # Stages outside the open ones (data edited by hand) are kept, never dropped.
    for code, value in values.items():
        if code not in out and code.startswith("cases.open.stage."):
            out[code] = value
    return out


def require_read(actor: Actor) -> None:
    """A report reads every room: the user needs read access to each."""
    for resource in (
        Resource.RESIDENT,
        Resource.CASE,
        Resource.SERVICE,
        Resource.VOLUNTEER,
        Resource.SHIFT,
    ):
        actor.require(resource, Action.READ)


@dataclass(frozen=True)
class Figures:
    """The figures of one scope and period: code → value (None: not recorded in this app)."""

    period: Period
    scope: Scope
    values: dict[str, Value]

    def __getitem__(self, code: str) -> Value:
        return self.values[code]

    def get(self, code: str) -> int:
        """The value as a number (0 for an unrecorded figure; check ``values`` for None)."""
        return self.values.get(code) or 0


@dataclass(frozen=True)
class Series:
    """Month-by-month values for the charts: first days of the months, one list per code."""

    months: list[date]
    values: dict[str, list[int]] = field(default_factory=dict)


def _service_codes(counts: dict[str, ServiceCount]) -> dict[str, int]:
    values: dict[str, int] = {}
    for kind, count in counts.items():
        for measure in _MEASURES:
            code = f"services.{measure}" if kind == TOTAL else f"services.{measure}.{kind}"
            values[code] = int(getattr(count, measure))
    total = counts.get(TOTAL)
    values["services.counted_only"] = total.counted_only if total else 0
    return values


class Calculator:
    """Figures of one scope for several periods, sharing the work between them.

    Figures as of a period's end are computed once per end date (a month and its year to
    date share them); the service records of all the periods (and of the charts' 12
    months) are read once (``ServiceTally``).
    """

    def __init__(
        self,
        session: Session,
        actor: Actor,
        scope: Scope,
        periods: Sequence[Period],
        *,
        series_end: Period | None = None,
        series_months: int = 12,
    ) -> None:
        require_read(actor)
        self.session = session
        self.actor = actor
        self.scope = scope
        self.series_months = series_months
        spans = list(periods)
        if series_end is not None:
            spans.append(_series_window(series_end, series_months))
        self._window = Period(min(p.start for p in spans), max(p.end for p in spans))
        self._ends = sorted({p.end for p in periods})
        self._tally: ServiceTally | None = None
        self._memo: dict[object, Any] = {}
        self._sqlite = session.get_bind().dialect.name == "sqlite"

    def ctx(
        self, period: Period, group: str | None = None, codes: frozenset[str] | None = None
    ) -> Ctx:
        return Ctx(self.actor, self.scope, period, group, self._sqlite, codes)

    # -- parts ------------------------------------------------------------------------------
    def tally(self, period: Period) -> ServiceTally:
        if self._tally is None or not self._tally.covers(period):
            inside = self._window.start <= period.start and period.end <= self._window.end
            window = self._window if inside else period
            self._tally = ServiceTally(
                self.session,
                self.actor,
                window,
                station_id=self.scope.station_id,
                community_id=self.scope.community_id,
            )
        return self._tally

    def _stock(self, section: Section, ctx: Ctx) -> Grouped:
        memo_key = (section, ctx.period.end, ctx.group, ctx.codes)
        if memo_key not in self._memo:
            self._memo[memo_key] = section(self.session, ctx)
        found: Grouped = self._memo[memo_key]
        return found

    def _tagged(self, period: Period) -> m_residents.TaggedResidents:
        tagged: m_residents.TaggedResidents | None = self._memo.get("tagged")
        if tagged is None or period.end not in tagged.ends:
            ends = sorted({*self._ends, period.end})
            tagged = m_residents.TaggedResidents(self.session, self.ctx(period), ends)
            self._memo["tagged"] = tagged
        return tagged

    def _raw(self, period: Period, group: str | None, codes: frozenset[str] | None) -> Grouped:
        ctx = self.ctx(period, group, codes)
        merged: Grouped = {}

        def take(part: Grouped) -> None:
            for key, values in part.items():
                merged.setdefault(key, {}).update(values)

        for section in _FLOWS:
            take(section(self.session, ctx))
        for section in _STOCKS:
            take(self._stock(section, ctx))
        if ctx.wants("residents.tag", "residents.group", "keygroups.registered"):
            take(self._tagged(period).counts(ctx))
        tally = self.tally(period)

        def norm(key: object) -> object:
            return ALL if group is None else as_uuid(key)

        take({norm(k): _service_codes(c) for k, c in tally.counts(period, group).items()})
        take({norm(k): {"cases.services": n} for k, n in tally.case_records(period, group).items()})
        if ctx.wants("keygroups.served", "keygroups.attendances"):
            served = tally.by_resident(period, self._tagged(period).members(ctx))
            for key, per_group in served.items():
                target = merged.setdefault(key, {})
                for grp, (people, attendances) in per_group.items():
                    target[f"keygroups.served.{grp}"] = people
                    target[f"keygroups.attendances.{grp}"] = attendances
        return merged

    # -- results ----------------------------------------------------------------------------
    def figures(self, period: Period, codes: Collection[str] | None = None) -> Figures:
        """Every figure of the scope for ``period`` (or only ``codes``: a comparison column
        needs a few, and the queries for the others are skipped)."""
        wanted = frozenset(codes) if codes is not None else None
        raw = self._raw(period, None, wanted).get(ALL, {})
        return Figures(period, self.scope, _complete(raw, wanted))

    def figures_by(
        self, period: Period, by: str, codes: Collection[str] | None = None
    ) -> dict[object, dict[str, Value]]:
        """Every figure (or only ``codes``) per community (``by="community"``; key None:
        records without a community) or per station (``by="station"``, for a district)."""
        if by not in KEYS:
            raise ValueError(f"unknown grouping {by!r}")
        wanted = frozenset(codes) if codes is not None else None
        return {k: _complete(v, wanted) for k, v in self._raw(period, by, wanted).items()}

    def series(self, last: Period) -> Series:
        """服务人次 and approved volunteer minutes for the months ending with ``last``'s end."""
        window = _series_window(last, self.series_months)
        months = [m.start for m in window.months()]
        attendances = self.tally(window).monthly_attendances(months)
        index = {(m.year, m.month): i for i, m in enumerate(months)}
        minutes = [0] * len(months)
        ctx = self.ctx(window)
        h = ServiceHours
        stmt: Any = (
            select_grouped(h.served_on, func.sum(h.minutes))
            .select_from(h)
            .join(Volunteer, Volunteer.id == h.volunteer_id)
            .where(
                *ctx.where(Volunteer.station_id, Volunteer.community_id),
                *ctx.station_only(h.station_id),
                Volunteer.deleted_at.is_(None),
                h.status == APPROVED,
                h.served_on >= window.start,
                h.served_on <= window.end,
            )
        )
        for day, total in self.session.execute(stmt):
            minutes[index[(day.year, day.month)]] += int(total or 0)
        return Series(months, {"services.attendances": attendances, "volunteers.minutes": minutes})


def _series_window(last: Period, count: int) -> Period:
    first = Period.month(last.end.year, last.end.month)
    for _ in range(count - 1):
        first = first.previous()
    return Period(first.start, last.end)


def figures(session: Session, actor: Actor, period: Period, scope: Scope) -> Figures:
    """Every figure of ``scope`` for ``period``."""
    return Calculator(session, actor, scope, [period]).figures(period)


def figures_by(
    session: Session, actor: Actor, period: Period, scope: Scope, by: str
) -> dict[object, dict[str, Value]]:
    """Every figure per community or per station (see ``Calculator.figures_by``)."""
    return Calculator(session, actor, scope, [period]).figures_by(period, by)
