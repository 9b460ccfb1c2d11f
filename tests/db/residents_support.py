"""Shared helpers of the resident tests: valid ID numbers, a station with places."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from wushe_desktop.domain.idnumber import check_digit
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Community, Grid, Station


def make_id(birth: date, seq: int = 123, area: str = "320812") -> str:
    """A valid 18-digit number; an odd ``seq`` is a man, an even one a woman."""
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + check_digit(body)


@dataclass(frozen=True)
class Places:
    station_id: uuid.UUID
    qinghe: uuid.UUID  # 清河社区
    qinghe_grid1: uuid.UUID
    qinghe_grid2: uuid.UUID
    lihe: uuid.UUID  # 里河村
    lihe_grid: uuid.UUID


def make_places(db: Database, station: Station) -> Places:
    """Two communities of the station (the stations service is tested elsewhere)."""
    with db.transaction() as s:
        qinghe = Community(station_id=station.id, name="清河社区", kind="社区")
        lihe = Community(station_id=station.id, name="里河村", kind="村")
        s.add_all([qinghe, lihe])
        s.flush()
        g1 = Grid(station_id=station.id, community_id=qinghe.id, name="第一网格")
        g2 = Grid(station_id=station.id, community_id=qinghe.id, name="第二网格")
        g3 = Grid(station_id=station.id, community_id=lihe.id, name="里河网格")
        s.add_all([g1, g2, g3])
        s.flush()
        return Places(station.id, qinghe.id, g1.id, g2.id, lihe.id, g3.id)


def other_station(db: Database, code: str = "320812099") -> tuple[Station, uuid.UUID]:
    """A second station with one community (for scoping tests)."""
    with db.transaction() as s:
        st = Station(name="淮海街道社工站", township="淮海街道", district="清江浦区", code=code)
        s.add(st)
        s.flush()
        c = Community(station_id=st.id, name="淮海社区")
        s.add(c)
        s.flush()
        return st, c.id
