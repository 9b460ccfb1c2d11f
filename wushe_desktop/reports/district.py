"""The district's report: every station's figures side by side with the totals, and the
stations and communities ranked by key-group coverage (三级联动).

Computed from the records the district database holds (imported station packages) with
the same metrics as every station report, so each column equals that station's own report.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop import __version__
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.infra.errors import PermissionDenied
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress
from wushe_desktop.reports.content import SUMMARY_CODES, ReportContent, coverage_ratio
from wushe_desktop.reports.definitions import COVERAGE_GROUPS, DEFINITIONS
from wushe_desktop.reports.metrics import Calculator
from wushe_desktop.reports.periods import CHINA_TZ, Period
from wushe_desktop.reports.scope import ScopeKind, resolve_scope
from wushe_desktop.stations.models import Community, Station

__all__ = ["DISTRICT_CODES", "build_district_content", "ranked"]

#: The rows of the stations-side-by-side table.
DISTRICT_CODES: tuple[str, ...] = (
    *SUMMARY_CODES[:-6],
    "keygroups.registered.all",
    *SUMMARY_CODES[-6:],
    "visits.overdue",
)


def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with ``registered``/``served`` sorted by coverage (highest first; none last),
    each given its rank (ties share a rank)."""

    def key(row: dict[str, Any]) -> tuple[int, Decimal, str]:
        ratio = coverage_ratio(row["served"], row["registered"])
        return (0 if ratio is not None else 1, -(ratio or Decimal(0)), row["name"])

    out = sorted(rows, key=key)
    previous: Decimal | None = None
    rank = 0
    for index, row in enumerate(out, 1):
        ratio = coverage_ratio(row["served"], row["registered"])
        if ratio != previous:
            rank = index
            previous = ratio
        row["rank"] = rank if ratio is not None else None
        row["coverage"] = str(ratio) if ratio is not None else None
    return out


def build_district_content(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ReportContent:
    """The district report of ``period`` over every station of this database."""
    if not actor.is_district:
        raise PermissionDenied("区级汇总报表需要区级账户。")
    scope = resolve_scope(session, actor)
    assert scope.kind is ScopeKind.DISTRICT
    calc = Calculator(session, actor, scope, [period])
    progress(0.1, "正在统计全区合计……")
    total = calc.figures(period).values
    check_cancel(cancel)
    progress(0.4, "正在统计各站点……")
    by_station = calc.figures_by(
        period,
        "station",
        {
            *DISTRICT_CODES,
            *(f"keygroups.{m}.{g.key}" for m in ("registered", "served") for g in COVERAGE_GROUPS),
        },
    )
    check_cancel(cancel)
    progress(0.7, "正在统计各社区……")
    by_community = calc.figures_by(
        period, "community", ("keygroups.registered.all", "keygroups.served.all")
    )
    stations = list(session.execute(select(Station.id, Station.name).order_by(Station.name)))
    communities: dict[object, tuple[str, str]] = {
        cid: (name, station)
        for cid, name, station in session.execute(
            select(Community.id, Community.name, Station.name).join(
                Station, Station.id == Community.station_id
            )
        )
    }
    station_rows = [
        {
            "id": str(sid),
            "name": name,
            "values": {c: by_station.get(sid, {}).get(c, 0) for c in DISTRICT_CODES},
        }
        for sid, name in stations
    ]
    groups = {
        g.key: ranked(
            [
                {
                    "name": r["name"],
                    "registered": by_station.get(sid, {}).get(f"keygroups.registered.{g.key}", 0),
                    "served": by_station.get(sid, {}).get(f"keygroups.served.{g.key}", 0),
                }
                for r, (sid, _n) in zip(station_rows, stations, strict=True)
            ]
        )
        for g in COVERAGE_GROUPS
    }
    community_rows = ranked(
        [
            {
                "name": communities[cid][0],
                "station": communities[cid][1],
                "registered": values.get("keygroups.registered.all", 0),
                "served": values.get("keygroups.served.all", 0),
            }
            for cid, values in by_community.items()
            if cid in communities
        ]
    )
    data: dict[str, Any] = {
        "format": 1,
        "kind": "district",
        "title": f"{scope.district}{period.label}社会工作服务站工作汇总报告",
        "period": period.as_json(),
        "scope": scope.as_json(),
        "generated_at": datetime.now(CHINA_TZ).isoformat(timespec="seconds"),
        "generated_by": actor.display_name,
        "app_version": __version__,
        "columns": [{"heading": "全区合计", "period": period.as_json(), "values": total}],
        "stations": station_rows,
        "station_ranking": groups,
        "community_ranking": community_rows,
        "definitions": {
            code: [d.label, d.unit, d.section, d.definition] for code, d in DEFINITIONS.items()
        },
        "coverage_groups": [[g.key, g.label] for g in COVERAGE_GROUPS],
        "locked": None,
    }
    progress(0.9, "统计完成")
    return ReportContent(data)
