"""The conflict rules of assigning a volunteer to a shift, each with one clear message.

Pure: ``check`` reads facts loaded beforehand (``facts.py`` loads them for one volunteer
or for every volunteer of the station in a handful of queries), so the same rules serve
one assignment and the ranking of 3,000 candidates. Every conflict except a volunteer who
is not 在册 can be overridden by a coordinator with a reason (audited).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from wushe_desktop.scheduling.timefmt import cn_date, day_label, hours_text, span_text
from wushe_desktop.volunteers.availability import shift_slots, slots_text
from wushe_desktop.volunteers.settings import VolunteerRules

__all__ = ["Conflict", "ShiftFacts", "VolunteerFacts", "check"]


@dataclass(frozen=True)
class Conflict:
    code: str  # status | overlap | unavailable | availability | skill | qualification |
    #            insurance | cap | team
    message: str
    overridable: bool = True


@dataclass(frozen=True)
class ShiftFacts:
    id: uuid.UUID | None
    title: str
    day: date
    start_minute: int
    end_minute: int
    community_id: uuid.UUID | None
    required_skills: tuple[str, ...]
    required_qualifications: tuple[str, ...]
    needs_insurance: bool
    team_id: uuid.UUID | None
    team_name: str

    @property
    def minutes(self) -> int:
        return self.end_minute - self.start_minute


@dataclass(slots=True)
class VolunteerFacts:
    """What the rules need to know about one volunteer around one shift's date."""

    id: uuid.UUID
    name: str
    status: str
    community_id: uuid.UUID | None
    availability: int
    insurance_until: date | None
    skills: set[str] = field(default_factory=set)  # of the required ones
    qualifications: dict[str, date | None] = field(default_factory=dict)  # kind → valid until
    teams: set[uuid.UUID] = field(default_factory=set)
    unavailable: list[tuple[date, date, str]] = field(default_factory=list)  # covering the day
    same_day: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, title)
    month_minutes: int = 0  # planned and recorded in the shift's month, this shift excluded
    number: str = ""  # volunteer number, for lists


def _overlaps(shift: ShiftFacts, v: VolunteerFacts) -> list[Conflict]:
    return [
        Conflict(
            "overlap",
            f"{v.name}在{day_label(shift.day)} {span_text(start, end)} 已安排“{title}”，"
            "与本班次时间重叠。",
        )
        for start, end, title in v.same_day
        if start < shift.end_minute and end > shift.start_minute
    ]


def _unavailable(shift: ShiftFacts, v: VolunteerFacts) -> list[Conflict]:
    out = []
    for start, end, reason in v.unavailable:
        if start <= shift.day <= end:
            why = f"（{reason}）" if reason else ""
            out.append(
                Conflict(
                    "unavailable",
                    f"{v.name}在{cn_date(start)}至{cn_date(end)}不可服务{why}，"
                    f"本班次日期{cn_date(shift.day)}在此期间。",
                )
            )
    return out


def _availability(shift: ShiftFacts, v: VolunteerFacts) -> list[Conflict]:
    needed = shift_slots(shift.day.weekday(), shift.start_minute, shift.end_minute)
    missing = needed & ~v.availability
    if not missing:
        return []
    return [
        Conflict(
            "availability",
            f"本班次时段（{slots_text(missing)}）不在{v.name}登记的可服务时段内。",
        )
    ]


def _skills(shift: ShiftFacts, v: VolunteerFacts) -> list[Conflict]:
    missing = [s for s in shift.required_skills if s not in v.skills]
    if not missing:
        return []
    return [Conflict("skill", f"{v.name}缺少本班次所需技能：{'、'.join(missing)}。")]


def _qualifications(shift: ShiftFacts, v: VolunteerFacts) -> list[Conflict]:
    out = []
    for kind in shift.required_qualifications:
        if kind not in v.qualifications:
            out.append(Conflict("qualification", f"{v.name}没有本岗位所需的资格“{kind}”。"))
            continue
        until = v.qualifications[kind]
        if until is not None and until < shift.day:
            out.append(
                Conflict(
                    "qualification",
                    f"{v.name}的资格“{kind}”已于{cn_date(until)}到期，早于本班次日期。",
                )
            )
    return out


def _insurance(shift: ShiftFacts, v: VolunteerFacts) -> list[Conflict]:
    if v.insurance_until is not None and v.insurance_until < shift.day:
        return [
            Conflict(
                "insurance",
                f"{v.name}的志愿者保险已于{cn_date(v.insurance_until)}到期，请续保后再安排。",
            )
        ]
    if shift.needs_insurance and v.insurance_until is None:
        return [
            Conflict(
                "insurance",
                f"本班次要求有效的志愿者保险（志愿服务条例第17条），{v.name}未登记保险。",
            )
        ]
    return []


def _cap(shift: ShiftFacts, v: VolunteerFacts, rules: VolunteerRules) -> list[Conflict]:
    cap = rules.monthly_cap_minutes
    if cap <= 0 or v.month_minutes + shift.minutes <= cap:
        return []
    return [
        Conflict(
            "cap",
            f"{v.name}{shift.day.month}月已安排或服务 {hours_text(v.month_minutes)} 小时，"
            f"加上本班次 {hours_text(shift.minutes)} 小时将超过每月上限 "
            f"{hours_text(cap)} 小时。",
        )
    ]


def _team(shift: ShiftFacts, v: VolunteerFacts) -> list[Conflict]:
    if shift.team_id is None or shift.team_id in v.teams:
        return []
    return [Conflict("team", f"本班次仅限“{shift.team_name}”队员，{v.name}不是该队队员。")]


def check(shift: ShiftFacts, v: VolunteerFacts, rules: VolunteerRules) -> list[Conflict]:
    """Every rule the assignment breaks, most serious first; empty when it is fine."""
    if v.status != "在册":
        return [
            Conflict(
                "status",
                f"{v.name}的状态为“{v.status}”，不能安排班次；如已恢复服务，请先把状态改为“在册”。",
                overridable=False,
            )
        ]
    return [
        *_overlaps(shift, v),
        *_unavailable(shift, v),
        *_availability(shift, v),
        *_skills(shift, v),
        *_qualifications(shift, v),
        *_insurance(shift, v),
        *_team(shift, v),
        *_cap(shift, v, rules),
    ]
