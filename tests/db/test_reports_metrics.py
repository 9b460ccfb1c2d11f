"""Report metrics on a hand-built data set where every figure is known."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_actor
from tests.db.reports_support import EXPECTED_MARCH, Data, build
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied
from wushe_desktop.models import Station
from wushe_desktop.reports import metrics
from wushe_desktop.reports.definitions import DEFINITIONS, UNAVAILABLE_SECTIONS, label_of
from wushe_desktop.reports.periods import Period
from wushe_desktop.reports.scope import ScopeKind, resolve_scope
from wushe_desktop.reports.tally import ServiceTally
from wushe_desktop.service_records import metrics as service_metrics

MARCH = Period.month(2026, 3)


@pytest.fixture
def data(db: Database, station: Station) -> Data:
    return build(db, station)


def _figures(db: Database, actor: Actor, period: Period, **scope: object) -> metrics.Figures:
    with db.reader() as s:
        sc = resolve_scope(s, actor, **scope)  # type: ignore[arg-type]
        return metrics.figures(s, actor, period, sc)


def test_every_figure_of_march(db: Database, data: Data, director: Actor) -> None:
    got = _figures(db, director, MARCH)
    for code, value in got.values.items():
        section = DEFINITIONS[code].section if code in DEFINITIONS else ""
        if section in UNAVAILABLE_SECTIONS:
            assert value is None, code
        else:
            assert value == EXPECTED_MARCH.get(code, 0), f"{code} ({label_of(code)})"
    # Nothing expected is missing from the figures.
    assert set(EXPECTED_MARCH) <= set(got.values)


def test_unrecorded_sections_are_none_not_zero(db: Database, data: Data, director: Actor) -> None:
    got = _figures(db, director, MARCH)
    for code in (
        "organizations.engaged",
        "charity.money_in",
        "tasks.meetings",
        "satisfaction.rate",
    ):
        assert got.values[code] is None


def test_other_months_and_year_to_date(db: Database, data: Data, director: Actor) -> None:
    feb = _figures(db, director, Period.month(2026, 2))
    assert feb.values["residents.total"] == 4  # r1, r3, r4 and r5 (deleted in March)
    assert feb.values["residents.group.elderly"] == 2
    assert feb.values["residents.group.low_income"] == 2  # r3 低保, r5 特困
    assert feb.values["residents.group.all"] == 3
    assert feb.values["services.records"] == 1
    assert feb.values["keygroups.served.elderly"] == 1  # r5 served in February
    assert feb.values["cases.new"] == 1
    assert feb.values["cases.open"] == 2  # c1 and c3
    assert feb.values["cases.open.stage.预估"] == 1  # c1 went to 预估 on 20 February
    assert feb.values["volunteers.registered"] == 1  # v3 left on 15 February
    assert feb.values["volunteers.minutes"] == 45
    assert feb.values["groups.sessions"] == 1
    assert feb.values["activities.count"] == 1
    ytd = _figures(db, director, MARCH.year_to_date())
    assert ytd.values["services.records"] == 7
    assert ytd.values["services.attendances"] == 16
    assert ytd.values["services.people"] == 3
    last_year = _figures(db, director, MARCH.same_last_year())
    assert last_year.values["services.records"] == 1
    assert last_year.values["residents.total"] == 2  # r1 and r5


def test_community_scope_and_by_community(db: Database, data: Data, director: Actor) -> None:
    got = _figures(db, director, MARCH, community_id=data.b)
    assert got.values["residents.total"] == 2
    assert got.values["services.records"] == 2
    assert got.values["services.attendances"] == 2
    assert got.values["keygroups.served.all"] == 1
    assert got.values["cases.new"] == 1  # c2 of 王五 (西湖村)
    assert got.values["volunteers.registered"] == 1
    with db.reader() as s:
        sc = resolve_scope(s, director)
        by = metrics.figures_by(s, director, MARCH, sc, "community")
    assert by[data.a]["residents.total"] == 2
    assert by[data.a]["services.attendances"] == 12
    assert by[data.a]["keygroups.registered.all"] == 2
    assert by[data.a]["keygroups.served.all"] == 1
    assert by[data.b]["services.people"] == 2
    assert by[data.b]["keygroups.served.all"] == 1
    assert by[data.a]["groups.sessions"] == 2
    # Additive figures add up to the station's.
    whole = _figures(db, director, MARCH)
    for code in ("residents.total", "services.records", "cases.open", "visits.count"):
        assert sum(v[code] or 0 for v in by.values()) == whole.values[code]


def test_station_user_sees_only_own_station(db: Database, data: Data, director: Actor) -> None:
    with db.reader() as s, pytest.raises(PermissionDenied):
        resolve_scope(s, director, station_id=data.other_station_id)


def test_district_scope_and_by_station(db: Database, data: Data, station: Station) -> None:
    district = make_actor(None, Role.DISTRICT_ADMIN, "qu")
    got = _figures(db, district, MARCH)
    assert got.values["residents.total"] == 5  # + 周九 of the other station
    assert got.values["services.records"] == 6
    with db.reader() as s:
        sc = resolve_scope(s, district)
        assert sc.kind is ScopeKind.DISTRICT
        by = metrics.figures_by(s, district, MARCH, sc, "station")
    assert by[station.id]["services.records"] == 5
    assert by[data.other_station_id]["services.records"] == 1
    assert by[data.other_station_id]["keygroups.served.elderly"] == 1
    one = _figures(db, district, MARCH, station_id=data.other_station_id)
    assert one.values["residents.total"] == 1


def test_series_of_twelve_months(db: Database, data: Data, director: Actor) -> None:
    with db.reader() as s:
        sc = resolve_scope(s, director)
        series = metrics.Calculator(s, director, sc, [MARCH], series_end=MARCH).series(MARCH)
    assert series.months[0] == date(2025, 4, 1)
    assert series.months[-1] == date(2026, 3, 1)
    assert series.values["services.attendances"][-3:] == [1, 1, 14]
    assert sum(series.values["services.attendances"]) == 16
    assert series.values["volunteers.minutes"][-2:] == [45, 210]


@pytest.mark.parametrize(
    "period",
    [MARCH, Period.month(2026, 2), Period.between(date(2026, 2, 3), date(2026, 3, 16))],
)
def test_tally_counts_equal_service_counts(
    db: Database, data: Data, director: Actor, period: Period
) -> None:
    """The one-scan tally applies the service_records.metrics definitions exactly."""
    with db.reader() as s:
        tally = ServiceTally(s, director, Period.between(date(2025, 1, 1), date(2026, 12, 31)))
        assert tally.counts(period)[None] == service_metrics.service_counts(
            s, director, period.start, period.end
        )
        for community in (data.a, data.b):
            mine = ServiceTally(s, director, period, community_id=community).counts(period)
            theirs = service_metrics.service_counts(
                s, director, period.start, period.end, community
            )
            assert mine.get(None, {service_metrics.TOTAL: theirs[service_metrics.TOTAL]}) == theirs


def test_docs_list_every_definition() -> None:
    """docs/metrics.md carries every figure's definition as definitions.py has it."""
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    for code, d in DEFINITIONS.items():
        assert f"| `{code}` | {d.label} | {d.unit} | {d.definition} |" in docs, code
