"""Volunteer service certificates (志愿服务证明): content, the issue register, verification.

The content follows the 2015 guideline (DOMAIN-RULES §1.2): the volunteer's name, document
type and *masked* number, volunteer number; the service hours and content (each approved
service with its date and hours, or a summary by activity when the list is long); the
issuing unit with its person in charge, handler and contact; the certificate number, the
date and other notes; a place for the seal. It is the station's own certificate: it never
calls itself a national or official certification, and says that the national / Jiangsu
system is the legal record of hours (§1.4).

Every certificate is registered with the exact content it printed (JSON) and its SHA-256,
so it can be verified by its number and reprinted identically (``certificate_pdf.py``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.masking import mask_id_number
from wushe_desktop.infra.db.base import utcnow
from wushe_desktop.infra.errors import NotFound, ValidationError
from wushe_desktop.scheduling.hours import local_date
from wushe_desktop.scheduling.models import Certificate, ServiceHours
from wushe_desktop.scheduling.statuses import APPROVED, CERTIFICATE_RECORD
from wushe_desktop.scheduling.timefmt import cn_date, hours_text
from wushe_desktop.stations.models import Station
from wushe_desktop.volunteers.models import Volunteer
from wushe_desktop.volunteers.settings import get_rules

__all__ = [
    "DETAIL_LIMIT",
    "CertificateContent",
    "CertificateRow",
    "ServiceLine",
    "build_content",
    "issue_certificate",
    "list_certificates",
    "load_certificate",
    "next_serial",
    "verify_certificate",
]

#: More services than this print as a summary by activity instead of one line each.
DETAIL_LIMIT = 40
TITLE = "志愿服务证明"


@dataclass(frozen=True)
class ServiceLine:
    """One printed line: a service (date, activity, content, hours) or a summary row."""

    when: str  # 2026年3月14日, or 2026年1月5日—2026年6月30日 for a summary
    title: str
    content: str
    times: int
    minutes: int

    @property
    def hours(self) -> str:
        return hours_text(self.minutes)


@dataclass(frozen=True)
class CertificateContent:
    """Everything the certificate prints; stored as JSON in the register."""

    serial: str
    issued_on: str  # ISO date
    name: str
    gender: str
    doc_type: str
    id_number_masked: str
    volunteer_no: str
    national_no: str
    period_from: str  # ISO
    period_to: str
    total_minutes: int
    services: int
    summarised: bool
    lines: list[ServiceLine] = field(default_factory=list)
    issuer: str = ""
    issuer_head: str = ""
    issuer_handler: str = ""
    issuer_contact: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def total_hours(self) -> str:
        return hours_text(self.total_minutes)

    def statement(self) -> str:
        """The certifying sentence of the body."""
        number = (
            f"{self.doc_type}号码：{self.id_number_masked}"
            if self.id_number_masked
            else "证件号码：未登记"
        )
        return (
            f"兹证明{self.name}（{number}，志愿者编号：{self.volunteer_no}）于"
            f"{cn_date(date.fromisoformat(self.period_from))}至"
            f"{cn_date(date.fromisoformat(self.period_to))}期间在{self.issuer}参加志愿服务"
            f" {self.services} 次，累计志愿服务时间 {self.total_hours} 小时。"
        )

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CertificateContent:
        data = json.loads(text)
        data["lines"] = [ServiceLine(**line) for line in data.get("lines", [])]
        return cls(**data)


@dataclass(frozen=True)
class CertificateRow:
    id: uuid.UUID
    serial: str
    volunteer_id: uuid.UUID
    name: str
    period_from: date
    period_to: date
    minutes: int
    issued_at: datetime
    issued_by: str
    prints: int
    intact: bool  # the stored content still matches its digest


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def next_serial(session: Session, station_id: uuid.UUID, year: int) -> str:
    """ZYZM-<station code>-<year>-NNNNN, numbered per station and year."""
    station = session.get(Station, station_id)
    prefix = f"ZYZM-{station.code if station else 'X'}-{year}-"
    last = session.scalar(
        select(func.max(Certificate.serial)).where(
            Certificate.station_id == station_id, Certificate.serial.startswith(prefix)
        )
    )
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:05d}"


def _lines(records: list[ServiceHours]) -> tuple[list[ServiceLine], bool]:
    if len(records) <= DETAIL_LIMIT:
        return [
            ServiceLine(cn_date(h.served_on), h.title, h.content, 1, h.minutes) for h in records
        ], False
    groups: dict[str, list[ServiceHours]] = {}
    for h in records:
        groups.setdefault(h.title, []).append(h)
    lines = [
        ServiceLine(
            f"{cn_date(items[0].served_on)}—{cn_date(items[-1].served_on)}",
            title,
            items[0].content,
            len(items),
            sum(h.minutes for h in items),
        )
        for title, items in sorted(
            groups.items(), key=lambda kv: (-sum(h.minutes for h in kv[1]), kv[0])
        )
    ]
    return lines, True


def build_content(
    session: Session,
    volunteer: Volunteer,
    date_from: date,
    date_to: date,
    *,
    serial: str,
    issued_on: date,
) -> CertificateContent:
    """The certificate of ``volunteer``'s approved hours from ``date_from`` to ``date_to``."""
    if date_to < date_from:
        raise ValidationError("证明期间的结束日期早于开始日期，请核对。", field="date_to")
    records = list(
        session.scalars(
            select(ServiceHours)
            .where(
                ServiceHours.volunteer_id == volunteer.id,
                ServiceHours.status == APPROVED,
                ServiceHours.served_on >= date_from,
                ServiceHours.served_on <= date_to,
            )
            .order_by(ServiceHours.served_on, ServiceHours.id)
        )
    )
    if not records:
        raise ValidationError(
            f"{volunteer.name}在{cn_date(date_from)}至{cn_date(date_to)}期间没有已审核的志愿服务记录，"
            "不能出具证明；请先审核其服务时长。",
            field="period",
        )
    rules = get_rules(session, volunteer.station_id)
    lines, summarised = _lines(records)
    notes = [
        "本证明依据本站志愿服务记录出具，服务时间为志愿者实际提供志愿服务的时间（不含往返交通时间），免费出具。",
        "本证明为本站出具的志愿服务记录证明；志愿服务时长以全国志愿服务信息系统（江苏志愿服务）的记录为准。",
    ]
    if summarised:
        notes.append(f"服务记录共 {len(records)} 条，按活动汇总列示；逐条记录可向出具单位查询。")
    return CertificateContent(
        serial=serial,
        issued_on=issued_on.isoformat(),
        name=volunteer.name,
        gender=volunteer.gender or "",
        doc_type=volunteer.doc_type,
        id_number_masked=mask_id_number(volunteer.id_number),
        volunteer_no=volunteer.volunteer_no,
        national_no=volunteer.national_no,
        period_from=date_from.isoformat(),
        period_to=date_to.isoformat(),
        total_minutes=sum(h.minutes for h in records),
        services=len(records),
        summarised=summarised,
        lines=lines,
        issuer=rules.issuer_name,
        issuer_head=rules.issuer_head,
        issuer_handler=rules.issuer_handler,
        issuer_contact=rules.issuer_contact,
        notes=notes,
    )


def issue_certificate(
    session: Session,
    actor: Actor,
    volunteer_id: uuid.UUID,
    date_from: date,
    date_to: date,
    *,
    issued_on: date | None = None,
) -> CertificateContent:
    """Register a new certificate and return its content (print it with certificate_pdf)."""
    actor.require(Resource.SHIFT, Action.PRINT)
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.deleted_at is not None:
        raise NotFound("未找到该志愿者。")
    actor.require_station(volunteer.station_id)
    now = utcnow()
    issued_on = issued_on or local_date(now)
    serial = next_serial(session, volunteer.station_id, issued_on.year)
    content = build_content(
        session, volunteer, date_from, date_to, serial=serial, issued_on=issued_on
    )
    text = content.to_json()
    row = Certificate(
        station_id=volunteer.station_id,
        serial=serial,
        volunteer_id=volunteer.id,
        period_from=date_from,
        period_to=date_to,
        minutes=content.total_minutes,
        issued_at=now,
        issued_by=actor.display_name[:50],
        content=text,
        digest=_digest(text),
        prints=1,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.PRINT,
        record_type=CERTIFICATE_RECORD,
        record_id=row.id,
        label=f"{serial} {volunteer.name}",
        detail=f"出具志愿服务证明：{cn_date(date_from)}至{cn_date(date_to)}，"
        f"{content.total_hours} 小时（{content.services} 次）",
        station_id=volunteer.station_id,
    )
    return content


def _load(session: Session, actor: Actor, serial: str) -> Certificate:
    row = session.scalars(
        select(Certificate).where(Certificate.serial == serial.strip().upper())
    ).first()
    if row is None:
        raise NotFound(f"证明编号“{serial}”不存在，请核对编号。")
    actor.require_station(row.station_id)
    return row


def load_certificate(
    session: Session, actor: Actor, serial: str, *, reprint: bool = False
) -> CertificateContent:
    """The stored content of a certificate (a reprint is counted and audited)."""
    actor.require(Resource.SHIFT, Action.PRINT if reprint else Action.READ)
    row = _load(session, actor, serial)
    if _digest(row.content) != row.digest:
        raise ValidationError(
            f"证明“{row.serial}”的存档内容与校验值不符，可能已被改动，请联系管理员。"
        )
    if reprint:
        row.prints += 1
        session.flush()
        audit.record(
            session,
            actor,
            AuditAction.PRINT,
            record_type=CERTIFICATE_RECORD,
            record_id=row.id,
            label=row.serial,
            detail=f"补打志愿服务证明（第 {row.prints} 次打印）",
            station_id=row.station_id,
        )
    return CertificateContent.from_json(row.content)


def _row(row: Certificate, name: str) -> CertificateRow:
    return CertificateRow(
        row.id,
        row.serial,
        row.volunteer_id,
        name,
        row.period_from,
        row.period_to,
        row.minutes,
        row.issued_at,
        row.issued_by,
        row.prints,
        _digest(row.content) == row.digest,
    )


def verify_certificate(session: Session, actor: Actor, serial: str) -> CertificateRow:
    """Look a certificate up by its number (is it ours, whose, how many hours, intact?)."""
    actor.require(Resource.SHIFT, Action.READ)
    row = _load(session, actor, serial)
    volunteer = session.get(Volunteer, row.volunteer_id)
    return _row(row, volunteer.name if volunteer else "")


def list_certificates(
    session: Session, actor: Actor, *, volunteer_id: uuid.UUID | None = None, limit: int = 500
) -> list[CertificateRow]:
    """The issue register, newest first."""
    actor.require(Resource.SHIFT, Action.READ)
    stmt = (
        select(Certificate, Volunteer.name)
        .join(Volunteer, Volunteer.id == Certificate.volunteer_id)
        .order_by(Certificate.issued_at.desc(), Certificate.serial.desc())
        .limit(limit)
    )
    if not actor.is_district:
        stmt = stmt.where(Certificate.station_id == actor.station_id)
    if volunteer_id is not None:
        stmt = stmt.where(Certificate.volunteer_id == volunteer_id)
    return [_row(row, name) for row, name in session.execute(stmt)]
