"""Activities that need volunteers, their shifts, recurring series, and the week view.

A recurring series is generated once into concrete shifts (bulk insert); each shift can
then be edited or cancelled on its own. Moving a shift moves its assignments' copies of
the date and times (they are denormalised for the overlap and load queries).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.base import new_id, utcnow
from wushe_desktop.infra.errors import ConflictError, NotFound, ValidationError
from wushe_desktop.scheduling.models import Assignment, Shift, ShiftSeries, VolunteerActivity
from wushe_desktop.scheduling.recurrence import Occurrences, Rule, generate
from wushe_desktop.scheduling.statuses import (
    ACTIVE,
    ACTIVITY_RECORD,
    CANCELLED,
    CHECKED_IN,
    SHIFT_RECORD,
    WAITLIST,
)
from wushe_desktop.scheduling.timefmt import cn_date, span_text
from wushe_desktop.scheduling.workdays import load_calendar
from wushe_desktop.stations.models import Community, Station
from wushe_desktop.volunteers.models import VolunteerTeam
from wushe_desktop.volunteers.validation import clean_skills, parse_skills

__all__ = [
    "ActivityInput",
    "ActivityRow",
    "SeriesResult",
    "ShiftInput",
    "ShiftRow",
    "cancel_shift",
    "create_activity",
    "create_series",
    "create_shift",
    "get_activity",
    "get_shift",
    "list_activities",
    "list_shifts",
    "load_shift",
    "preview_series",
    "shift_rows",
    "update_activity",
    "update_shift",
    "week_view",
]


@dataclass
class ActivityInput:
    title: str
    content: str = ""
    category: str = ""
    organiser: str = ""  # empty: the station's name
    person_in_charge: str = ""
    place: str = ""
    community_id: uuid.UUID | None = None
    starts_on: date | None = None
    what_to_bring: str = ""
    source_kind: str = ""
    source_id: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ActivityRow:
    id: uuid.UUID
    title: str
    content: str
    category: str
    organiser: str
    person_in_charge: str
    place: str
    community_id: uuid.UUID | None
    starts_on: date | None
    what_to_bring: str
    notes: str
    version: int
    source_kind: str = ""  # "community_activity" when linked to one (community_link)
    source_id: str = ""


@dataclass
class ShiftInput:
    day: date
    start_minute: int
    end_minute: int
    needed: int = 1
    place: str = ""  # empty: the activity's place
    community_id: uuid.UUID | None = None
    role: str = ""
    required_skills: Sequence[str] = field(default_factory=tuple)
    required_qualifications: Sequence[str] = field(default_factory=tuple)
    needs_insurance: bool = False
    team_id: uuid.UUID | None = None
    notes: str = ""


@dataclass(frozen=True)
class ShiftRow:
    id: uuid.UUID
    activity_id: uuid.UUID
    activity_title: str
    series_id: uuid.UUID | None
    day: date
    start_minute: int
    end_minute: int
    place: str
    community_id: uuid.UUID | None
    community_name: str
    role: str
    needed: int
    filled: int  # 已报名 + 已确认 + 已签到
    confirmed: int  # 已确认 + 已签到
    checked_in: int
    waitlist: int
    required_skills: tuple[str, ...]
    required_qualifications: tuple[str, ...]
    needs_insurance: bool
    team_id: uuid.UUID | None
    team_name: str
    cancelled: bool
    notes: str
    version: int

    @property
    def time_text(self) -> str:
        return span_text(self.start_minute, self.end_minute)

    @property
    def minutes(self) -> int:
        return self.end_minute - self.start_minute

    @property
    def open_places(self) -> int:
        return max(0, self.needed - self.filled)

    @property
    def fill_state(self) -> str:
        """已取消 | 空缺 (nobody) | 未满 | 满员 — the week view colours by it."""
        if self.cancelled:
            return "已取消"
        if self.filled >= self.needed:
            return "满员"
        return "空缺" if self.filled == 0 else "未满"


# --------------------------------------------------------------------------- activities


def _text(value: str, limit: int, label: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"{label}不能为空。", field=label)
    if len(text) > limit:
        raise ValidationError(f"{label}最长{limit}个字，当前为{len(text)}个字。", field=label)
    return text


def _station_scope(actor: Actor) -> uuid.UUID:
    if actor.station_id is None:
        raise ValidationError("区级账户不属于任何站点，不能安排志愿服务。", field="station")
    return actor.station_id


def _check_community(
    session: Session, station_id: uuid.UUID, community_id: uuid.UUID | None
) -> str:
    if community_id is None:
        return ""
    community = session.get(Community, community_id)
    if community is None or community.station_id != station_id:
        raise ValidationError("所选社区不存在或不属于本站点，请重新选择。", field="community_id")
    return community.name


def _activity_row(a: VolunteerActivity) -> ActivityRow:
    return ActivityRow(
        a.id,
        a.title,
        a.content,
        a.category,
        a.organiser,
        a.person_in_charge,
        a.place,
        a.community_id,
        a.starts_on,
        a.what_to_bring,
        a.notes,
        a.version,
        a.source_kind,
        a.source_id,
    )


def _apply_activity(session: Session, a: VolunteerActivity, data: ActivityInput) -> None:
    _check_community(session, a.station_id, data.community_id)
    station = session.get(Station, a.station_id)
    a.title = _text(data.title, 100, "活动名称", required=True)
    a.content = _text(data.content, 500, "服务内容")
    a.category = _text(data.category, 30, "服务类别")
    a.organiser = _text(data.organiser, 100, "组织单位") or (station.name if station else "")
    a.person_in_charge = _text(data.person_in_charge, 50, "活动负责人")
    a.place = _text(data.place, 200, "地点")
    a.community_id = data.community_id
    a.starts_on = data.starts_on
    a.what_to_bring = _text(data.what_to_bring, 200, "需携带物品")
    a.source_kind = _text(data.source_kind, 30, "关联类型")
    a.source_id = _text(data.source_id, 40, "关联记录")
    _check_link(session, a.station_id, a.source_kind, a.source_id)
    a.notes = _text(data.notes, 2000, "备注")


def _check_link(session: Session, station_id: uuid.UUID, kind: str, source_id: str) -> None:
    """A link to a community activity must name a live one of the same station."""
    from wushe_desktop.scheduling.community_link import SOURCE_KIND

    if kind != SOURCE_KIND:
        return
    from wushe_desktop.activities.models import CommunityActivity

    try:
        found = session.get(CommunityActivity, uuid.UUID(source_id))
    except ValueError:
        found = None
    if found is None or found.station_id != station_id or found.deleted_at is not None:
        raise ValidationError(
            "关联的社区活动不存在、已删除或不属于本站，请重新选择。", field="source_id"
        )


def _activity_snapshot(session: Session, a: VolunteerActivity) -> dict[str, object]:
    from wushe_desktop.scheduling.community_link import linked_label

    return {
        "title": a.title,
        "content": a.content,
        "organiser": a.organiser,
        "person_in_charge": a.person_in_charge,
        "place": a.place,
        "starts_on": a.starts_on,
        "what_to_bring": a.what_to_bring,
        "linked_activity": linked_label(session, a.source_kind, a.source_id),
    }


def create_activity(session: Session, actor: Actor, data: ActivityInput) -> ActivityRow:
    actor.require(Resource.SHIFT, Action.CREATE)
    activity = VolunteerActivity(station_id=_station_scope(actor))
    _apply_activity(session, activity, data)
    session.add(activity)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=ACTIVITY_RECORD,
        record_id=activity.id,
        label=activity.title,
        changes=audit.diff({}, _activity_snapshot(session, activity)),
    )
    return _activity_row(activity)


def _load_activity(session: Session, actor: Actor, activity_id: uuid.UUID) -> VolunteerActivity:
    activity = session.get(VolunteerActivity, activity_id)
    if activity is None:
        raise NotFound("未找到该志愿服务活动，可能已被删除。")
    actor.require_station(activity.station_id)
    return activity


def get_activity(session: Session, actor: Actor, activity_id: uuid.UUID) -> ActivityRow:
    """One volunteer activity, for its edit form."""
    actor.require(Resource.SHIFT, Action.READ)
    return _activity_row(_load_activity(session, actor, activity_id))


def update_activity(
    session: Session,
    actor: Actor,
    activity_id: uuid.UUID,
    data: ActivityInput,
    *,
    expected_version: int | None = None,
) -> ActivityRow:
    actor.require(Resource.SHIFT, Action.UPDATE)
    activity = _load_activity(session, actor, activity_id)
    if expected_version is not None and activity.version != expected_version:
        raise ConflictError(f"活动“{activity.title}”已被其他用户修改，请刷新后再编辑。")
    before = _activity_snapshot(session, activity)
    _apply_activity(session, activity, data)
    changes = audit.diff(before, _activity_snapshot(session, activity))
    session.flush()
    if changes:
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type=ACTIVITY_RECORD,
            record_id=activity.id,
            label=activity.title,
            changes=changes,
        )
    return _activity_row(activity)


def list_activities(
    session: Session, actor: Actor, *, since: date | None = None
) -> list[ActivityRow]:
    actor.require(Resource.SHIFT, Action.READ)
    stmt = select(VolunteerActivity).order_by(
        VolunteerActivity.starts_on.desc(), VolunteerActivity.title
    )
    if not actor.is_district:
        stmt = stmt.where(VolunteerActivity.station_id == actor.station_id)
    if since is not None:
        stmt = stmt.where(VolunteerActivity.starts_on >= since)
    return [_activity_row(a) for a in session.scalars(stmt)]


# --------------------------------------------------------------------------- shifts


@dataclass(frozen=True)
class _CleanShift:
    day: date
    start_minute: int
    end_minute: int
    needed: int
    place: str
    community_id: uuid.UUID | None
    role: str
    required_skills: str
    required_qualifications: str
    needs_insurance: bool
    team_id: uuid.UUID | None
    notes: str


def _clean_shift(
    session: Session, station_id: uuid.UUID, activity: VolunteerActivity, data: ShiftInput
) -> _CleanShift:
    if not 0 <= data.start_minute < data.end_minute <= 24 * 60:
        raise ValidationError("班次的结束时间应晚于开始时间（同一天内）。", field="end_minute")
    if not 1 <= data.needed <= 500:
        raise ValidationError("所需人数应在 1～500 之间。", field="needed")
    _check_community(session, station_id, data.community_id)
    if data.team_id is not None:
        team = session.get(VolunteerTeam, data.team_id)
        if team is None or team.station_id != station_id:
            raise ValidationError("所选服务队不存在或不属于本站点。", field="team_id")
    skills = clean_skills(list(data.required_skills))
    quals = clean_skills(list(data.required_qualifications))
    return _CleanShift(
        day=data.day,
        start_minute=data.start_minute,
        end_minute=data.end_minute,
        needed=data.needed,
        place=_text(data.place, 200, "地点") or activity.place,
        community_id=data.community_id or activity.community_id,
        role=_text(data.role, 50, "岗位"),
        required_skills="、".join(skills),
        required_qualifications="、".join(quals),
        needs_insurance=data.needs_insurance,
        team_id=data.team_id,
        notes=_text(data.notes, 500, "备注"),
    )


def _shift_values(clean: _CleanShift) -> dict[str, object]:
    return {
        "day": clean.day,
        "start_minute": clean.start_minute,
        "end_minute": clean.end_minute,
        "needed": clean.needed,
        "place": clean.place,
        "community_id": clean.community_id,
        "role": clean.role,
        "required_skills": clean.required_skills,
        "required_qualifications": clean.required_qualifications,
        "needs_insurance": clean.needs_insurance,
        "team_id": clean.team_id,
        "notes": clean.notes,
    }


def _shift_label(title: str, day: date, start: int, end: int) -> str:
    return f"{title} {cn_date(day)} {span_text(start, end)}"


def create_shift(
    session: Session, actor: Actor, activity_id: uuid.UUID, data: ShiftInput
) -> ShiftRow:
    """One shift of an activity."""
    actor.require(Resource.SHIFT, Action.CREATE)
    activity = _load_activity(session, actor, activity_id)
    clean = _clean_shift(session, activity.station_id, activity, data)
    shift = Shift(station_id=activity.station_id, activity_id=activity.id, **_shift_values(clean))
    session.add(shift)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=SHIFT_RECORD,
        record_id=shift.id,
        label=_shift_label(activity.title, shift.day, shift.start_minute, shift.end_minute),
    )
    return shift_rows(session, [shift.id])[0]


def preview_series(session: Session, actor: Actor, rule: Rule) -> Occurrences:
    """The dates a rule would give (for the dialog's preview), nothing written."""
    actor.require(Resource.SHIFT, Action.READ)
    return generate(rule, load_calendar(session, actor.station_id))


@dataclass(frozen=True)
class SeriesResult:
    series_id: uuid.UUID
    shift_ids: list[uuid.UUID]
    occurrences: Occurrences

    def summary(self) -> str:
        text = f"已生成 {len(self.shift_ids)} 个班次"
        if self.occurrences.skipped:
            text += f"，跳过 {len(self.occurrences.skipped)} 天"
        return text + "。"


def create_series(
    session: Session, actor: Actor, activity_id: uuid.UUID, rule: Rule, template: ShiftInput
) -> SeriesResult:
    """Generate a recurring series as concrete shifts (one bulk insert)."""
    actor.require(Resource.SHIFT, Action.CREATE)
    activity = _load_activity(session, actor, activity_id)
    occurrences = generate(rule, load_calendar(session, activity.station_id))
    if not occurrences.days:
        raise ValidationError(
            "按此规则没有可生成的班次（可能都落在节假日），请调整规则。", field="rule"
        )
    clean = _clean_shift(session, activity.station_id, activity, template)
    series = ShiftSeries(
        station_id=activity.station_id,
        activity_id=activity.id,
        rule=rule.to_json(),
        description=rule.describe()[:200],
    )
    session.add(series)
    session.flush()
    now = utcnow()
    base = _shift_values(clean)
    rows = []
    for day in occurrences.days:
        values = dict(base, day=day)
        rows.append(
            {
                **values,
                "id": new_id(),
                "station_id": activity.station_id,
                "activity_id": activity.id,
                "series_id": series.id,
                "cancelled": False,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    session.execute(insert(Shift), rows)
    audit.record(
        session,
        actor,
        AuditAction.CREATE,
        record_type=SHIFT_RECORD,
        record_id=series.id,
        label=f"{activity.title}（重复排班）",
        detail=f"{series.description}；生成 {len(rows)} 个班次，"
        f"{span_text(clean.start_minute, clean.end_minute)}，每班 {clean.needed} 人",
    )
    return SeriesResult(series.id, [r["id"] for r in rows], occurrences)  # type: ignore[misc]


def load_shift(session: Session, actor: Actor, shift_id: uuid.UUID) -> Shift:
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise NotFound("未找到该班次，可能已被删除。")
    actor.require_station(shift.station_id)
    return shift


def update_shift(
    session: Session,
    actor: Actor,
    shift_id: uuid.UUID,
    data: ShiftInput,
    *,
    expected_version: int | None = None,
) -> ShiftRow:
    """Edit one shift (of a series too); its assignments follow a new date or time."""
    actor.require(Resource.SHIFT, Action.UPDATE)
    shift = load_shift(session, actor, shift_id)
    if expected_version is not None and shift.version != expected_version:
        raise ConflictError("该班次已被其他用户修改，请刷新后再编辑。")
    activity = _load_activity(session, actor, shift.activity_id)
    clean = _clean_shift(session, shift.station_id, activity, data)
    values = _shift_values(clean)
    before = {k: getattr(shift, k) for k in values}
    changes = audit.diff(before, values)
    if not changes:
        return shift_rows(session, [shift.id])[0]
    for key, value in values.items():
        setattr(shift, key, value)
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("该班次已被其他用户修改，请刷新后再编辑。") from None
    session.execute(
        update(Assignment)
        .where(Assignment.shift_id == shift.id)
        .values(day=shift.day, start_minute=shift.start_minute, end_minute=shift.end_minute)
    )
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=SHIFT_RECORD,
        record_id=shift.id,
        label=_shift_label(activity.title, shift.day, shift.start_minute, shift.end_minute),
        changes=changes,
    )
    return shift_rows(session, [shift.id])[0]


def cancel_shift(session: Session, actor: Actor, shift_id: uuid.UUID, reason: str) -> int:
    """Cancel a shift and every place in it; returns how many volunteers to tell."""
    actor.require(Resource.SHIFT, Action.UPDATE)
    reason = _text(reason, 200, "取消原因", required=True)
    shift = load_shift(session, actor, shift_id)
    if shift.cancelled:
        return 0
    checked = session.scalar(
        select(func.count()).where(Assignment.shift_id == shift.id, Assignment.status == CHECKED_IN)
    )
    if checked:
        raise ConflictError("该班次已有志愿者签到，不能整班取消；请逐个处理。")
    shift.cancelled = True
    result = session.execute(
        update(Assignment)
        .where(Assignment.shift_id == shift.id, Assignment.status.in_([*ACTIVE, WAITLIST]))
        .values(
            status=CANCELLED, cancel_reason=f"班次取消：{reason}", version=Assignment.version + 1
        )
        .execution_options(synchronize_session=False)
    )
    session.flush()
    activity = session.get(VolunteerActivity, shift.activity_id)
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=SHIFT_RECORD,
        record_id=shift.id,
        label=_shift_label(
            activity.title if activity else "", shift.day, shift.start_minute, shift.end_minute
        ),
        detail=f"取消班次：{reason}",
    )
    return int(getattr(result, "rowcount", 0) or 0)


# --------------------------------------------------------------------------- reading


def _counts(session: Session, shift_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    found: dict[uuid.UUID, dict[str, int]] = {}
    for start in range(0, len(shift_ids), 900):
        part = list(shift_ids[start : start + 900])
        stmt = (
            select(Assignment.shift_id, Assignment.status, func.count())
            .where(Assignment.shift_id.in_(part))
            .group_by(Assignment.shift_id, Assignment.status)
        )
        for sid, status, n in session.execute(stmt):
            found.setdefault(sid, {})[status] = int(n)
    return found


def _rows(session: Session, shifts: Sequence[Shift]) -> list[ShiftRow]:
    counts = _counts(session, [s.id for s in shifts])
    titles = {
        k: v
        for k, v in session.execute(
            select(VolunteerActivity.id, VolunteerActivity.title).where(
                VolunteerActivity.id.in_({s.activity_id for s in shifts})
            )
        )
    }
    communities = {
        k: v
        for k, v in session.execute(
            select(Community.id, Community.name).where(
                Community.id.in_({s.community_id for s in shifts if s.community_id})
            )
        )
    }
    teams = {
        k: v
        for k, v in session.execute(
            select(VolunteerTeam.id, VolunteerTeam.name).where(
                VolunteerTeam.id.in_({s.team_id for s in shifts if s.team_id})
            )
        )
    }
    rows = []
    for s in shifts:
        c = counts.get(s.id, {})
        filled = sum(c.get(status, 0) for status in ACTIVE)
        rows.append(
            ShiftRow(
                id=s.id,
                activity_id=s.activity_id,
                activity_title=titles.get(s.activity_id, ""),
                series_id=s.series_id,
                day=s.day,
                start_minute=s.start_minute,
                end_minute=s.end_minute,
                place=s.place,
                community_id=s.community_id,
                community_name=communities.get(s.community_id, "") if s.community_id else "",
                role=s.role,
                needed=s.needed,
                filled=filled,
                confirmed=filled - c.get(ACTIVE[0], 0),
                checked_in=c.get(CHECKED_IN, 0),
                waitlist=c.get(WAITLIST, 0),
                required_skills=parse_skills(s.required_skills),
                required_qualifications=parse_skills(s.required_qualifications),
                needs_insurance=s.needs_insurance,
                team_id=s.team_id,
                team_name=teams.get(s.team_id, "") if s.team_id else "",
                cancelled=s.cancelled,
                notes=s.notes,
                version=s.version,
            )
        )
    return rows


def shift_rows(session: Session, shift_ids: Sequence[uuid.UUID]) -> list[ShiftRow]:
    shifts = list(session.scalars(select(Shift).where(Shift.id.in_(list(shift_ids)))))
    order = {sid: i for i, sid in enumerate(shift_ids)}
    shifts.sort(key=lambda s: order[s.id])
    return _rows(session, shifts)


def get_shift(session: Session, actor: Actor, shift_id: uuid.UUID) -> ShiftRow:
    actor.require(Resource.SHIFT, Action.READ)
    shift = load_shift(session, actor, shift_id)
    return _rows(session, [shift])[0]


def list_shifts(
    session: Session,
    actor: Actor,
    date_from: date,
    date_to: date,
    *,
    activity_id: uuid.UUID | None = None,
    community_id: uuid.UUID | None = None,
    include_cancelled: bool = True,
) -> list[ShiftRow]:
    """Shifts from ``date_from`` to ``date_to`` (inclusive), by day and start time."""
    actor.require(Resource.SHIFT, Action.READ)
    stmt = select(Shift).where(Shift.day >= date_from, Shift.day <= date_to)
    if not actor.is_district:
        stmt = stmt.where(Shift.station_id == actor.station_id)
    if activity_id is not None:
        stmt = stmt.where(Shift.activity_id == activity_id)
    if community_id is not None:
        stmt = stmt.where(Shift.community_id == community_id)
    if not include_cancelled:
        stmt = stmt.where(Shift.cancelled.is_(False))
    stmt = stmt.order_by(Shift.day, Shift.start_minute, Shift.id)
    return _rows(session, list(session.scalars(stmt)))


def week_view(session: Session, actor: Actor, any_day: date) -> list[ShiftRow]:
    """The shifts of the week (Monday to Sunday) holding ``any_day``."""
    monday = any_day - timedelta(days=any_day.weekday())
    return list_shifts(session, actor, monday, monday + timedelta(days=6))
