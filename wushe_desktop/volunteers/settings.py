"""The station's volunteer rules (age limits, hours cap, rounding, star thresholds, issuer).

Stored as one row per station; a station that never saved its settings gets the defaults
(DOMAIN-RULES §1–2: stars at 100/300/600/1000/1500 hours, records due in 10 working days).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.stations.models import Station
from wushe_desktop.volunteers.models import VolunteerSetting

__all__ = ["ROUNDING_STEPS", "VolunteerRules", "get_rules", "save_rules"]

#: The rounding steps a station may choose (minutes; credited time is rounded down).
ROUNDING_STEPS = (1, 5, 10, 15, 30)


@dataclass(frozen=True)
class VolunteerRules:
    min_age: int = 7  # younger people are not registered (local practice, e.g. 东营: 6 and under)
    guardian_under: int = 18  # below this age the record needs a guardian's consent
    accompany_under: int = 10  # below this age a guardian accompanies the volunteer
    monthly_cap_minutes: int = 60 * 60  # planned + served per calendar month; 0: no cap
    daily_cap_minutes: int = 12 * 60  # most minutes one service record may credit
    rounding_minutes: int = 1  # credited minutes are rounded down to this step
    record_deadline_workdays: int = 10  # 2020 办法 Art.11
    star_hours: tuple[int, ...] = (100, 300, 600, 1000, 1500)
    star_months: tuple[int, ...] = (0, 0, 0, 0, 0)  # minimum membership per level
    qualification_warn_days: int = 30
    issuer_name: str = ""  # 出具单位; empty: the station's name
    issuer_head: str = ""  # 负责人
    issuer_handler: str = ""  # 经办人
    issuer_contact: str = ""
    uses_national_system: bool = False  # hours are also entered in 江苏志愿服务

    def validate(self) -> None:
        """Raise ``ValidationError`` for settings that cannot work."""
        if not 0 <= self.min_age <= 18:
            raise ValidationError("最低登记年龄应在 0～18 岁之间。", field="min_age")
        if not self.min_age <= self.guardian_under <= 18:
            raise ValidationError(
                "需监护人同意的年龄上限应在最低登记年龄与 18 岁之间。", field="guardian_under"
            )
        if self.monthly_cap_minutes < 0 or self.daily_cap_minutes <= 0:
            raise ValidationError("时长上限不能为负数，每日上限须大于 0。", field="caps")
        if self.rounding_minutes not in ROUNDING_STEPS:
            steps = "、".join(str(s) for s in ROUNDING_STEPS)
            raise ValidationError(
                f"时长取整单位只能是 {steps} 分钟之一。", field="rounding_minutes"
            )
        if not 1 <= self.record_deadline_workdays <= 60:
            raise ValidationError("记录时限应在 1～60 个工作日之间。", field="deadline")
        hours = self.star_hours
        if len(hours) != 5 or any(h <= 0 for h in hours) or list(hours) != sorted(set(hours)):
            raise ValidationError(
                "星级时长门槛应为五个逐级递增的正数（如 100、300、600、1000、1500）。",
                field="star_hours",
            )
        if len(self.star_months) != 5 or any(m < 0 for m in self.star_months):
            raise ValidationError("星级最短注册月数应为五个不小于 0 的整数。", field="star_months")


def _ints(text: str, default: tuple[int, ...]) -> tuple[int, ...]:
    try:
        values = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        return default
    return values if len(values) == len(default) else default


def _from_row(row: VolunteerSetting) -> VolunteerRules:
    base = VolunteerRules()
    return VolunteerRules(
        min_age=row.min_age,
        guardian_under=row.guardian_under,
        accompany_under=row.accompany_under,
        monthly_cap_minutes=row.monthly_cap_minutes,
        daily_cap_minutes=row.daily_cap_minutes,
        rounding_minutes=row.rounding_minutes,
        record_deadline_workdays=row.record_deadline_workdays,
        star_hours=_ints(row.star_hours, base.star_hours),
        star_months=_ints(row.star_months, base.star_months),
        qualification_warn_days=row.qualification_warn_days,
        issuer_name=row.issuer_name,
        issuer_head=row.issuer_head,
        issuer_handler=row.issuer_handler,
        issuer_contact=row.issuer_contact,
        uses_national_system=row.uses_national_system,
    )


def get_rules(session: Session, station_id: uuid.UUID | None) -> VolunteerRules:
    """The station's rules (defaults until saved); the issuer defaults to the station."""
    row = None
    if station_id is not None:
        row = session.scalars(
            select(VolunteerSetting).where(VolunteerSetting.station_id == station_id)
        ).first()
    rules = _from_row(row) if row is not None else VolunteerRules()
    if not rules.issuer_name and station_id is not None:
        station = session.get(Station, station_id)
        if station is not None:
            rules = replace(rules, issuer_name=station.name)
    return rules


def save_rules(session: Session, actor: Actor, rules: VolunteerRules) -> VolunteerRules:
    """Store the actor's station's rules (audited as a diff)."""
    actor.require(Resource.VOLUNTEER, Action.UPDATE)
    actor.require(Resource.SHIFT, Action.APPROVE)
    if actor.station_id is None:
        raise ValidationError("区级账户不属于任何站点，不能修改志愿者设置。", field="station")
    rules.validate()
    row = session.scalars(
        select(VolunteerSetting).where(VolunteerSetting.station_id == actor.station_id)
    ).first()
    before = asdict(_from_row(row)) if row is not None else asdict(VolunteerRules())
    if row is None:
        row = VolunteerSetting(station_id=actor.station_id)
        session.add(row)
    for f in fields(VolunteerRules):
        value = getattr(rules, f.name)
        if f.name in ("star_hours", "star_months"):
            value = ",".join(str(v) for v in value)
        setattr(row, f.name, value)
    session.flush()
    after = asdict(rules)
    changes = audit.diff(before, after)
    if changes:
        audit.record(
            session,
            actor,
            AuditAction.UPDATE,
            record_type="volunteer_setting",
            record_id=row.id,
            label="志愿者设置",
            changes=changes,
        )
    return get_rules(session, actor.station_id)
