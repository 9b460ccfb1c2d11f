"""定稿: locking a station's report for a period, and the director's texts for it.

Locking stores the report's whole content (figures, charts' series, highlights, texts and
the definitions in force) as canonical JSON with its SHA-256, so the printed report can be
reproduced identically later, even after late edits of the records; ``differences`` lists
what the live figures say now. Texts and locks are the director's (station-update grant)
and audited.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError, WusheError
from wushe_desktop.infra.progress import CancelToken, Progress, no_progress
from wushe_desktop.reports.content import ReportContent, build_content, figure_label
from wushe_desktop.reports.models import StationReport
from wushe_desktop.reports.periods import CHINA_TZ, Period
from wushe_desktop.reports.scope import Scope, ScopeKind

__all__ = [
    "RECORD_TYPE",
    "Difference",
    "LockInfo",
    "ReportNotes",
    "canonical",
    "differences",
    "get_notes",
    "lock_report",
    "locked_content",
    "save_notes",
    "unlock_report",
]

RECORD_TYPE = "station_report"
MAX_TEXT = 5_000


def canonical(data: dict[str, Any]) -> str:
    """The snapshot's canonical JSON text (sorted keys, no spaces): what the digest covers."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LockInfo:
    at: datetime
    by: str
    digest: str


@dataclass(frozen=True)
class ReportNotes:
    """The director's texts for a period and whether the report is locked."""

    problems: str
    plan: str
    version: int  # 0: nothing saved yet
    locked: LockInfo | None


def _station_of(actor: Actor, scope: Scope) -> uuid.UUID:
    if scope.kind is not ScopeKind.STATION or scope.station_id is None:
        raise ValidationError("问题、计划和定稿按站点保存，请选择一个站点（而不是社区或全区）。")
    actor.require_station(scope.station_id)
    return scope.station_id


def _row(session: Session, station_id: uuid.UUID, period: Period) -> StationReport | None:
    return session.scalars(
        select(StationReport).where(
            StationReport.station_id == station_id,
            StationReport.date_from == period.start,
            StationReport.date_to == period.end,
        )
    ).one_or_none()


def _lock_info(row: StationReport | None) -> LockInfo | None:
    if row is None or row.locked_at is None:
        return None
    return LockInfo(row.locked_at, row.locked_by, row.digest)


def get_notes(session: Session, actor: Actor, period: Period, scope: Scope) -> ReportNotes:
    """The texts saved for the period (empty when none) and its lock."""
    actor.require(Resource.SERVICE, Action.READ)
    if scope.kind is not ScopeKind.STATION or scope.station_id is None:
        return ReportNotes("", "", 0, None)
    row = _row(session, _station_of(actor, scope), period)
    if row is None:
        return ReportNotes("", "", 0, None)
    return ReportNotes(row.problems, row.plan, row.version, _lock_info(row))


def _require_director(actor: Actor) -> None:
    actor.require(Resource.STATION, Action.UPDATE)
    if actor.is_district:
        raise PermissionDenied("问题、计划和定稿由站长在本站填写，区级账户不能修改。")


def _text(value: str, label: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(f"{label}最长{MAX_TEXT}个字，当前为{len(text)}个字。", field=label)
    return text


def save_notes(
    session: Session,
    actor: Actor,
    period: Period,
    scope: Scope,
    *,
    problems: str,
    plan: str,
    expected_version: int | None = None,
) -> ReportNotes:
    """Save 存在问题 and 下月计划 for the period (the director's; refused once locked)."""
    _require_director(actor)
    station_id = _station_of(actor, scope)
    problems, plan = _text(problems, "存在问题"), _text(plan, "工作计划")
    row = _row(session, station_id, period)
    if row is not None and row.locked_at is not None:
        raise ConflictError(
            f"{period.label}的报告已定稿，问题和计划不能再修改；如需修改请先撤销定稿。"
        )
    if row is not None and expected_version is not None and row.version != expected_version:
        raise ConflictError("这份报告的文字刚被其他人修改过，请重新打开后再编辑。")
    old = {"problems": row.problems, "plan": row.plan} if row is not None else {}
    if row is None:
        row = StationReport(
            station_id=station_id,
            kind=period.kind.value,
            date_from=period.start,
            date_to=period.end,
        )
        session.add(row)
    row.problems, row.plan = problems, plan
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE if old else AuditAction.CREATE,
        record_type=RECORD_TYPE,
        record_id=row.id,
        label=f"{period.label}工作报告",
        changes=audit.diff(old, {"problems": problems, "plan": plan}),
    )
    return ReportNotes(row.problems, row.plan, row.version, None)


def lock_report(
    session: Session,
    actor: Actor,
    period: Period,
    scope: Scope,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> tuple[ReportContent, LockInfo]:
    """定稿: compute the report now and keep it, with the texts saved for the period."""
    _require_director(actor)
    station_id = _station_of(actor, scope)
    row = _row(session, station_id, period)
    if row is not None and row.locked_at is not None:
        raise ConflictError(
            f"{period.label}的报告已于{_local(row.locked_at)}由{row.locked_by}定稿。"
        )
    if period.end >= datetime.now(CHINA_TZ).date():
        raise ValidationError(f"{period.label}尚未结束，结束后才能定稿。", field="period")
    if row is None:
        row = StationReport(
            station_id=station_id,
            kind=period.kind.value,
            date_from=period.start,
            date_to=period.end,
            problems="",
            plan="",
        )
        session.add(row)
        session.flush()
    content = build_content(
        session,
        actor,
        period,
        scope,
        problems=row.problems,
        plan=row.plan,
        progress=progress,
        cancel=cancel,
    )
    text = canonical(content.data)
    row.snapshot = text
    row.digest = _digest(text)
    row.locked_at = utcnow()
    row.locked_by = actor.display_name
    row.locked_by_id = actor.user_id
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=row.id,
        label=f"{period.label}工作报告",
        detail=f"定稿，校验码 {row.digest}",
    )
    info = LockInfo(row.locked_at, row.locked_by, row.digest)
    content.data["locked"] = _lock_json(info)
    return content, info


def unlock_report(
    session: Session, actor: Actor, period: Period, scope: Scope, *, reason: str
) -> None:
    """撤销定稿 (the director, with a reason; audited with the discarded digest)."""
    _require_director(actor)
    reason = _text(reason, "撤销原因")
    if not reason:
        raise ValidationError("请填写撤销定稿的原因。", field="reason")
    row = _row(session, _station_of(actor, scope), period)
    if row is None or row.locked_at is None:
        raise ConflictError(f"{period.label}的报告尚未定稿。")
    digest = row.digest
    row.locked_at, row.locked_by, row.locked_by_id = None, "", None
    row.snapshot, row.digest = "", ""
    audit.record(
        session,
        actor,
        AuditAction.UPDATE,
        record_type=RECORD_TYPE,
        record_id=row.id,
        label=f"{period.label}工作报告",
        detail=f"撤销定稿（原校验码 {digest}）：{reason}",
    )


def _local(moment: datetime) -> str:
    local = moment.astimezone(CHINA_TZ)
    return f"{local.year}年{local.month}月{local.day}日"


def _lock_json(info: LockInfo) -> dict[str, str]:
    return {
        "at": info.at.astimezone(CHINA_TZ).isoformat(timespec="seconds"),
        "by": info.by,
        "digest": info.digest,
    }


def locked_content(
    session: Session, actor: Actor, period: Period, scope: Scope
) -> ReportContent | None:
    """The locked report exactly as it was locked (checked against its digest), or None."""
    actor.require(Resource.SERVICE, Action.READ)
    if scope.kind is not ScopeKind.STATION or scope.station_id is None:
        return None
    row = _row(session, _station_of(actor, scope), period)
    if row is None or row.locked_at is None:
        return None
    if _digest(row.snapshot) != row.digest:
        raise WusheError(
            f"{period.label}定稿报告的数据校验失败（内容与校验码不符），可能已被改动；"
            "请联系管理员从备份恢复。"
        )
    data: dict[str, Any] = json.loads(row.snapshot)
    info = _lock_info(row)
    assert info is not None
    data["locked"] = _lock_json(info)
    return ReportContent(data)


@dataclass(frozen=True)
class Difference:
    code: str
    label: str
    locked: int | None
    live: int | None


def differences(locked: ReportContent, live: ReportContent) -> list[Difference]:
    """Figures of the period whose live value differs from the locked one (late edits)."""
    old, new = locked.values, live.values
    return [
        Difference(code, figure_label(live.data, code), old.get(code), new.get(code))
        for code in dict.fromkeys([*old, *new])
        if old.get(code) != new.get(code)
    ]
