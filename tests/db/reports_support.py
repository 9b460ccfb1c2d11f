"""A hand-built data set where every report figure is known (report month: March 2026).

Rows are written straight through the models (not the services) so that dates and
timestamps (建档时间, deletions, stage events) are exactly what the expected figures say.
The expected values are in ``EXPECTED_MARCH`` and the tests next to it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from sqlalchemy.orm import Session

from tests.db.residents_support import make_id
from wushe_desktop.cases.models import CaseReferral
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import (
    ActivityParticipant,
    Case,
    CaseEvent,
    Community,
    CommunityActivity,
    GroupAttendance,
    GroupSession,
    Resident,
    ResidentTag,
    ServiceHours,
    ServiceRecord,
    Shift,
    Station,
    Visit,
    Volunteer,
    WorkGroup,
)
from wushe_desktop.scheduling.models import VolunteerActivity
from wushe_desktop.volunteers.models import VolunteerStar

CHINA = timezone(timedelta(hours=8))


def at(day: date, hour: int = 10) -> datetime:
    """A China-time moment as the UTC instant the app stores."""
    return datetime.combine(day, time(hour), CHINA).astimezone(UTC)


@dataclass
class Data:
    station_id: uuid.UUID
    other_station_id: uuid.UUID | None
    a: uuid.UUID  # 东风社区
    b: uuid.UUID  # 西湖村
    residents: dict[str, uuid.UUID]
    highlight_id: uuid.UUID


def _resident(
    s: Session,
    station: uuid.UUID,
    community: uuid.UUID,
    name: str,
    seq: int,
    created: date,
    tags: tuple[str, ...] = (),
    deleted: date | None = None,
) -> uuid.UUID:
    r = Resident(
        station_id=station,
        name=name,
        birth_date=date(1950, 1, 1),
        id_number=make_id(date(1950, 1, 1), seq),
        community_id=community,
        created_at=at(created),
        updated_at=at(created),
        deleted_at=at(deleted) if deleted else None,
    )
    s.add(r)
    s.flush()
    for tag in tags:
        s.add(
            ResidentTag(resident_id=r.id, tag=tag, detail="肢体/二级" if tag == "disabled" else "")
        )
    return r.id


def _record(
    s: Session,
    station: uuid.UUID,
    community: uuid.UUID,
    day: date,
    kind: str,
    resident: uuid.UUID | None,
    minutes: int,
    *,
    participants: int = 0,
    source_type: str = "",
    highlight: bool = False,
    deleted: bool = False,
    content: str = "",
) -> uuid.UUID:
    rec = ServiceRecord(
        station_id=station,
        served_on=day,
        service_type=kind,
        community_id=community,
        resident_id=resident,
        participants=participants,
        attendances=participants if resident is None else 1,
        duration_minutes=minutes,
        source_type=source_type,
        is_highlight=highlight,
        content=content,
        worker_name="社工甲",
        deleted_at=at(day) if deleted else None,
    )
    s.add(rec)
    s.flush()
    return rec.id


def build(db: Database, station: Station, *, other: bool = True) -> Data:
    """The data set; ``other`` adds a second station with one resident and one record."""
    with db.transaction() as s:
        sid = station.id
        a = Community(station_id=sid, name="东风社区")
        b = Community(station_id=sid, name="西湖村", kind="村")
        s.add_all([a, b])
        s.flush()
        R = {
            "r1": _resident(
                s, sid, a.id, "张三", 11, date(2025, 1, 10), ("elderly", "elderly_alone")
            ),
            "r2": _resident(s, sid, a.id, "李四", 12, date(2026, 3, 5), ("child",)),
            "r3": _resident(s, sid, b.id, "王五", 13, date(2025, 6, 1), ("disabled", "dibao")),
            "r4": _resident(s, sid, b.id, "赵六", 14, date(2026, 2, 10)),
            "r5": _resident(
                s, sid, b.id, "钱七", 15, date(2024, 1, 1), ("tekun", "elderly"), date(2026, 3, 20)
            ),
            "r6": _resident(s, sid, a.id, "孙八", 16, date(2026, 4, 2), ("dibao_edge",)),
        }
        other_id = None
        if other:
            st2 = Station(
                name="淮海街道社工站", township="淮海街道", district="清江浦区", code="T2"
            )
            s.add(st2)
            s.flush()
            oc = Community(station_id=st2.id, name="淮海社区")
            s.add(oc)
            s.flush()
            other_id = st2.id
            R["t1"] = _resident(s, st2.id, oc.id, "周九", 17, date(2025, 1, 1), ("elderly",))
            _record(s, st2.id, oc.id, date(2026, 3, 5), "探访", R["t1"], 30)
        r1, r2, r3, r4, r5 = (R[k] for k in ("r1", "r2", "r3", "r4", "r5"))
        # Service records.
        _record(s, sid, a.id, date(2026, 3, 2), "个案服务", r1, 60, source_type="case")
        _record(s, sid, a.id, date(2026, 3, 10), "探访", r1, 30)
        _record(s, sid, a.id, date(2026, 3, 15), "社区活动", None, 120, participants=10)
        highlight = _record(
            s,
            sid,
            b.id,
            date(2026, 3, 16),
            "社区活动",
            r3,
            120,
            highlight=True,
            content="王五参加了手工编织活动，作品在社区展出。",
        )
        _record(s, sid, b.id, date(2026, 3, 20), "咨询", r5, 20)
        _record(s, sid, a.id, date(2026, 3, 25), "咨询", r2, 20, deleted=True)
        _record(s, sid, b.id, date(2026, 2, 5), "探访", r5, 30)
        _record(s, sid, a.id, date(2025, 3, 10), "探访", r1, 30)
        _record(s, sid, b.id, date(2026, 1, 15), "咨询", r3, 15)
        # Cases.
        c1 = Case(
            station_id=sid,
            case_no="GA-1",
            resident_id=r1,
            source="居民求助",
            risk_level="高",
            stage="介入",
            opened_on=date(2026, 2, 10),
        )
        c2 = Case(
            station_id=sid,
            case_no="GA-2",
            resident_id=r3,
            source="居民求助",
            risk_level="中",
            stage="结案",
            opened_on=date(2026, 3, 3),
            closed_on=date(2026, 3, 28),
        )
        c3 = Case(
            station_id=sid,
            case_no="GA-3",
            resident_id=r4,
            source="居民求助",
            risk_level="低",
            stage="评估",
            opened_on=date(2025, 12, 1),
        )
        c4 = Case(
            station_id=sid,
            case_no="GA-4",
            resident_id=r2,
            source="居民求助",
            risk_level="高",
            opened_on=date(2026, 4, 5),
        )
        c5 = Case(
            station_id=sid,
            case_no="GA-5",
            resident_id=r2,
            source="居民求助",
            risk_level="高",
            opened_on=date(2026, 3, 6),
            deleted_at=at(date(2026, 3, 7)),
        )
        s.add_all([c1, c2, c3, c4, c5])
        s.flush()
        for case_id, day, frm, to in (
            (c1.id, date(2026, 2, 10), "", "接案"),
            (c1.id, date(2026, 2, 20), "接案", "预估"),
            (c1.id, date(2026, 3, 5), "预估", "计划"),
            (c1.id, date(2026, 4, 10), "计划", "介入"),
            (c2.id, date(2026, 3, 3), "", "接案"),
            (c2.id, date(2026, 3, 28), "评估", "结案"),
            (c3.id, date(2025, 12, 1), "", "接案"),
        ):
            s.add(
                CaseEvent(
                    station_id=sid,
                    case_id=case_id,
                    on_date=day,
                    at=at(day),
                    kind="阶段推进",
                    from_stage=frm,
                    to_stage=to,
                )
            )
        s.add(
            CaseReferral(
                station_id=sid,
                case_id=c1.id,
                target_kind="政府部门",
                target_name="区民政局",
                referred_on=date(2026, 3, 12),
            )
        )
        # Group work.
        g1 = WorkGroup(
            station_id=sid,
            name="快乐老人小组",
            group_type="支持",
            stage="形成",
            community_id=a.id,
            start_date=date(2026, 3, 1),
        )
        s.add(g1)
        s.flush()
        sessions = []
        for number, day, deleted in (
            (1, date(2026, 3, 8), False),
            (2, date(2026, 3, 22), False),
            (3, date(2026, 2, 20), False),
            (4, date(2026, 3, 29), True),
        ):
            gs = GroupSession(
                station_id=sid,
                group_id=g1.id,
                number=number,
                held_on=day,
                topic=f"第{number}节",
                deleted_at=at(day) if deleted else None,
            )
            s.add(gs)
            s.flush()
            sessions.append(gs.id)
        for session_id, resident, present in (
            (sessions[0], r1, True),
            (sessions[0], r2, True),
            (sessions[0], r3, False),
            (sessions[1], r1, True),
            (sessions[2], r1, True),
            (sessions[3], r3, True),
        ):
            s.add(GroupAttendance(session_id=session_id, resident_id=resident, present=present))
        # Community activities.
        for title, day, community, participants, volunteers, organizer, deleted in (
            ("三八节活动", date(2026, 3, 15), a.id, 10, 3, "社工站", False),
            ("手工编织", date(2026, 3, 16), b.id, 1, 0, "社会组织", False),
            ("已删除的活动", date(2026, 3, 17), b.id, 50, 5, "社工站", True),
            ("二月活动", date(2026, 2, 17), b.id, 7, 1, "社工站", False),
        ):
            act = CommunityActivity(
                station_id=sid,
                title=title,
                activity_type="文体",
                held_on=day,
                community_id=community,
                organizer_kind=organizer,
                participants=participants,
                volunteers=volunteers,
                deleted_at=at(day) if deleted else None,
            )
            s.add(act)
            s.flush()
            if title == "手工编织":
                s.add(ActivityParticipant(activity_id=act.id, resident_id=r3))
        # Visits.
        for resident, day, mode, risk in (
            (r1, date(2026, 3, 10), "入户", True),
            (r1, date(2026, 2, 1), "电话", False),
            (r3, date(2026, 3, 11), "电话", False),
            (r1, date(2026, 4, 1), "入户", False),
        ):
            s.add(
                Visit(
                    station_id=sid,
                    resident_id=resident,
                    visited_on=day,
                    mode=mode,
                    visitor_kind="社工",
                    risk_found=risk,
                )
            )
        # Volunteers, hours, shifts, stars.
        vols = {}
        for vkey, vno, community, registered, status, since in (
            ("v1", "VOL-1", a.id, date(2025, 5, 1), "在册", None),
            ("v2", "VOL-2", b.id, date(2026, 3, 10), "在册", None),
            ("v3", "VOL-3", a.id, date(2024, 1, 1), "退出", date(2026, 2, 15)),
            ("v4", "VOL-4", a.id, date(2026, 4, 1), "在册", None),
        ):
            vol = Volunteer(
                station_id=sid,
                volunteer_no=vno,
                name=f"志愿者{vno}",
                community_id=community,
                registered_on=registered,
                status=status,
                status_since=since,
            )
            s.add(vol)
            s.flush()
            vols[vkey] = vol.id
        for vol_key, day, minutes, status in (
            ("v1", date(2026, 3, 5), 120, "已审核"),
            ("v2", date(2026, 3, 12), 90, "已审核"),
            ("v1", date(2026, 3, 20), 60, "待审核"),
            ("v1", date(2026, 3, 21), 30, "已作废"),
            ("v1", date(2026, 2, 10), 45, "已审核"),
        ):
            s.add(
                ServiceHours(
                    station_id=sid,
                    volunteer_id=vols[vol_key],
                    served_on=day,
                    title="助老服务",
                    minutes=minutes,
                    status=status,
                    recorded_on=day,
                )
            )
        va = VolunteerActivity(station_id=sid, title="助老服务")
        s.add(va)
        s.flush()
        for day, cancelled in ((date(2026, 3, 5), False), (date(2026, 3, 6), True)):
            s.add(
                Shift(
                    station_id=sid,
                    activity_id=va.id,
                    day=day,
                    start_minute=540,
                    end_minute=660,
                    cancelled=cancelled,
                )
            )
        s.add(VolunteerStar(volunteer_id=vols["v1"], level=1, awarded_on=date(2026, 3, 30)))
        return Data(sid, other_id, a.id, b.id, R, highlight)


#: Every non-zero figure of the station for March 2026 (all other available figures are 0).
EXPECTED_MARCH: dict[str, int] = {
    "residents.total": 4,
    "residents.new": 1,
    "residents.group.elderly": 1,
    "residents.group.child": 1,
    "residents.group.disabled": 1,
    "residents.group.low_income": 1,
    "residents.group.all": 3,
    "residents.tag.elderly": 1,
    "residents.tag.elderly_alone": 1,
    "residents.tag.child": 1,
    "residents.tag.disabled": 1,
    "residents.tag.dibao": 1,
    "cases.new": 1,
    "cases.open": 2,
    "cases.closed": 1,
    "cases.services": 1,
    "cases.referrals": 1,
    "cases.new.risk.中": 1,
    "cases.open.risk.高": 1,
    "cases.open.risk.低": 1,
    "cases.open.stage.接案": 1,
    "cases.open.stage.计划": 1,
    "groups.count": 1,
    "groups.new": 1,
    "groups.sessions": 2,
    "groups.attendances": 3,
    "groups.people": 2,
    "activities.count": 2,
    "activities.participants": 11,
    "activities.volunteers": 3,
    "activities.org_led": 1,
    "services.records": 5,
    "services.attendances": 14,
    "services.people": 3,
    "services.minutes": 350,
    "services.counted_only": 10,
    "services.records.个案服务": 1,
    "services.attendances.个案服务": 1,
    "services.people.个案服务": 1,
    "services.minutes.个案服务": 60,
    "services.records.探访": 1,
    "services.attendances.探访": 1,
    "services.people.探访": 1,
    "services.minutes.探访": 30,
    "services.records.社区活动": 2,
    "services.attendances.社区活动": 11,
    "services.people.社区活动": 1,
    "services.minutes.社区活动": 240,
    "services.records.咨询": 1,
    "services.attendances.咨询": 1,
    "services.people.咨询": 1,
    "services.minutes.咨询": 20,
    "keygroups.registered.elderly": 1,
    "keygroups.registered.child": 1,
    "keygroups.registered.disabled": 1,
    "keygroups.registered.low_income": 1,
    "keygroups.registered.all": 3,
    "keygroups.served.elderly": 1,
    "keygroups.attendances.elderly": 2,
    "keygroups.served.disabled": 1,
    "keygroups.attendances.disabled": 1,
    "keygroups.served.low_income": 1,
    "keygroups.attendances.low_income": 1,
    "keygroups.served.all": 2,
    "keygroups.attendances.all": 3,
    "visits.count": 2,
    "visits.people": 2,
    "visits.home": 1,
    "visits.risk": 1,
    "visits.scheduled": 1,
    "visits.overdue": 1,
    "volunteers.registered": 2,
    "volunteers.new": 1,
    "volunteers.active": 2,
    "volunteers.services": 2,
    "volunteers.minutes": 210,
    "volunteers.pending_minutes": 60,
    "volunteers.shifts": 1,
    "volunteers.stars": 1,
}
