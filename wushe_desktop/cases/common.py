"""Helpers the case services share: events, audit entries, settings, versions."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.cases.access import RECORD_TYPE
from wushe_desktop.cases.constants import SUPERVISOR_REVIEW_KEY
from wushe_desktop.cases.models import Case, CaseEvent
from wushe_desktop.infra.errors import ConflictError
from wushe_desktop.stations.settings import get_setting

#: Content values never go into the audit log (the log is read by others): only which
#: fields changed.
HIDDEN = "***"


def flush(session: Session, what: str = "该个案") -> None:
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(f"{what}已被其他用户修改，请刷新后再操作。") from None


def check_version(obj: Case, expected: int | None, what: str = "该个案") -> None:
    if expected is not None and obj.version != expected:
        raise ConflictError(f"{what}已被其他用户修改，请刷新后再操作。")


def event(
    session: Session,
    actor: Actor,
    case: Case,
    kind: str,
    text: str = "",
    *,
    on: date | None = None,
    from_stage: str = "",
    to_stage: str = "",
) -> None:
    session.add(
        CaseEvent(
            station_id=case.station_id,
            case_id=case.id,
            on_date=on or date.today(),
            kind=kind,
            from_stage=from_stage,
            to_stage=to_stage,
            text=text,
            actor_name=actor.display_name,
        )
    )


def log(
    session: Session,
    actor: Actor,
    action: AuditAction,
    case: Case,
    *,
    record_type: str = RECORD_TYPE,
    record_id: uuid.UUID | None = None,
    changes: audit.Changes | None = None,
    detail: str = "",
) -> None:
    audit.record(
        session,
        actor,
        action,
        record_type=record_type,
        record_id=record_id or case.id,
        label=f"个案 {case.case_no}",
        changes=changes,
        detail=detail,
        station_id=case.station_id,
    )


def hidden_changes(old: dict[str, object], new: dict[str, object]) -> audit.Changes:
    """Which content fields changed, without their values."""
    return {k: [HIDDEN, HIDDEN] for k in audit.diff(old, new)}


def review_on(session: Session, actor: Actor, station_id: uuid.UUID) -> bool:
    """The station's 督导审核 setting (off unless the director turned it on)."""
    return bool(get_setting(session, actor, SUPERVISOR_REVIEW_KEY, False, station_id=station_id))
