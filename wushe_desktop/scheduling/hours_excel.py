"""Service hours in Excel: export in the record layout of the national / Jiangsu volunteer
systems (one row per service, the fields of 2020 办法 Art.5 and Art.7) and import of
historical hours.

The export is what staff re-enter (or batch-import) into 全国志愿服务信息系统 / 江苏志愿服务,
which are the legal record of hours (DOMAIN-RULES §1.1, §1.4): hours as a number with one
decimal plus the exact minutes. ID numbers are masked unless the full export is asked for
(needs the export-sensitive right), because re-entry needs them.

Import matches volunteers by document number; a row identical to a stored imported record
(same volunteer, date, activity and minutes) is skipped, so a file can be imported twice.
Imported hours are approved when the importing user may approve, else pending.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.dates import parse_date
from wushe_desktop.domain.idnumber import DocType, normalize_doc_type
from wushe_desktop.domain.masking import mask_id_number
from wushe_desktop.domain.text import cell_text
from wushe_desktop.infra.db.base import new_id, utcnow
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied, ValidationError
from wushe_desktop.infra.excel import (
    Column,
    RowError,
    read_sheet,
    write_error_workbook,
    write_table,
    write_template,
)
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress
from wushe_desktop.residents.importer import ImportReport, default_error_path
from wushe_desktop.scheduling.hours import credit_minutes, is_late, local_date
from wushe_desktop.scheduling.models import ServiceHours
from wushe_desktop.scheduling.statuses import APPROVED, HOURS_RECORD, PENDING, VOID
from wushe_desktop.scheduling.workdays import load_calendar
from wushe_desktop.volunteers.models import Volunteer
from wushe_desktop.volunteers.settings import get_rules

__all__ = [
    "export_columns",
    "export_hours",
    "import_columns",
    "import_hours",
    "minutes_from_hours",
    "write_hours_template",
]

SHEET_TITLE = "志愿服务时长"


def export_columns() -> list[Column]:
    return [
        Column("志愿者姓名", "name", width=10),
        Column("证件类型", "doc_type", width=12),
        Column("证件号码", "id_number", width=22, mask=mask_id_number),
        Column("志愿者编号", "volunteer_no", width=20),
        Column("全国志愿者编号", "national_no", width=18),
        Column("活动名称", "title", width=20),
        Column("服务日期", "served_on", kind="date", width=12),
        Column("服务地点", "place", width=20),
        Column("服务内容", "content", width=28),
        Column("服务时长（小时）", "hours", kind="int", width=10),
        Column("服务时长（分钟）", "minutes", kind="int", width=10),
        Column("活动组织单位", "organiser", width=20),
        Column("活动负责人", "person_in_charge", width=10),
        Column("记录方式", "source", width=8),
        Column("审核状态", "status", width=8),
        Column("审核人", "approver", width=10),
        Column("记录日期", "recorded_on", kind="date", width=12),
        Column("超过记录时限", "late", kind="bool", width=8),
    ]


def import_columns() -> list[Column]:
    return [
        Column("志愿者姓名", "name", width=10, required=True),
        Column(
            "证件类型",
            "doc_type",
            width=12,
            choices=[t.value for t in DocType],
            note="留空即为居民身份证。",
        ),
        Column(
            "证件号码",
            "id_number",
            width=22,
            required=True,
            note="按证件号码找到本站已登记的志愿者。",
        ),
        Column("服务日期", "served_on", kind="date", width=12, required=True),
        Column("活动名称", "title", width=20, required=True),
        Column(
            "服务时长（小时）",
            "hours",
            width=10,
            required=True,
            note="实际服务时间，不含往返交通时间；可写小数，如 2.5。",
        ),
        Column("服务地点", "place", width=20),
        Column("服务内容", "content", width=28),
        Column("活动组织单位", "organiser", width=20, note="留空为本站。"),
        Column("活动负责人", "person_in_charge", width=10),
        Column("审核人", "approver", width=10, required=True, note="核实这条时长的人（证明人）。"),
        Column("备注", "notes", width=20),
    ]


_ALIASES = {
    "name": ["姓名"],
    "id_number": ["身份证号", "身份证号码", "证件号"],
    "served_on": ["日期", "活动日期"],
    "title": ["活动", "项目名称"],
    "hours": ["服务时长", "时长（小时）", "服务时间（小时）", "时长"],
    "organiser": ["组织单位"],
    "approver": ["证明人", "审核"],
}


def minutes_from_hours(value: object) -> int:
    """Hours as typed (2.5, "2.5", "2.5小时") → whole minutes, half up."""
    text = cell_text(value).replace("小时", "").strip()
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            f"服务时长“{text}”不是数字，请写小时数，如 2.5。", field="hours"
        ) from None
    if hours <= 0 or hours > 24:
        raise ValidationError(f"服务时长“{text}”应大于 0 且不超过 24 小时。", field="hours")
    return int((hours * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def write_hours_template(path: Path, session: Session | None, actor: Actor | None) -> None:
    write_template(
        Path(path),
        import_columns(),
        sheet_title=SHEET_TITLE,
        instructions=[
            "用于补录历史服务时长：每行一次服务。志愿者须已在本站登记，按证件号码识别。",
            "服务时长为实际服务时间（不含往返交通），按本站的取整规则和每日上限计入。",
            "与已导入记录完全相同（同一志愿者、日期、活动、时长）的行会跳过，可放心重复导入。",
        ],
        example={
            "name": "李梅",
            "doc_type": DocType.ID_CARD.value,
            "id_number": "11010519491231002X",
            "served_on": date(2024, 3, 5),
            "title": "学雷锋便民服务",
            "hours": "2.5",
            "place": "清河社区广场",
            "content": "义务理发、测量血压",
            "approver": "王站长",
        },
    )


# --------------------------------------------------------------------------- export


def _rows(
    session: Session, actor: Actor, date_from: date | None, date_to: date | None
) -> Iterator[dict[str, Any]]:
    stmt = (
        select(
            ServiceHours,
            Volunteer.name,
            Volunteer.doc_type,
            Volunteer.id_number,
            Volunteer.volunteer_no,
            Volunteer.national_no,
        )
        .join(Volunteer, Volunteer.id == ServiceHours.volunteer_id)
        .where(ServiceHours.status != VOID)
        .order_by(ServiceHours.served_on, Volunteer.volunteer_no, ServiceHours.id)
    )
    if not actor.is_district:
        stmt = stmt.where(ServiceHours.station_id == actor.station_id)
    if date_from is not None:
        stmt = stmt.where(ServiceHours.served_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(ServiceHours.served_on <= date_to)
    for h, name, doc_type, number, vno, national in session.execute(
        stmt, execution_options={"yield_per": 2000}
    ):
        yield {
            "name": name,
            "doc_type": doc_type,
            "id_number": number,
            "volunteer_no": vno,
            "national_no": national,
            "title": h.title,
            "served_on": h.served_on,
            "place": h.place,
            "content": h.content,
            "hours": (Decimal(h.minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
            "minutes": h.minutes,
            "organiser": h.organiser,
            "person_in_charge": h.person_in_charge,
            "source": h.source,
            "status": h.status,
            "approver": h.approver,
            "recorded_on": h.recorded_on,
            "late": h.late,
        }


def export_hours(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    full: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Export service records (voided ones left out) for re-entry into the national system."""
    actor.require(Resource.SHIFT, Action.EXPORT)
    if full:
        actor.require(Resource.VOLUNTEER, Action.EXPORT_SENSITIVE)
    period = f"{date_from or '最早'} 至 {date_to or '最新'}"
    with db.reader() as session:
        written = write_table(
            Path(path),
            export_columns(),
            _rows(session, actor, date_from, date_to),
            sheet_title=SHEET_TITLE,
            full=full,
            progress=progress,
            cancel=cancel,
            title_rows=(f"志愿服务时长记录（{period}）", "供录入全国/江苏志愿服务信息系统使用"),
        )
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type=HOURS_RECORD,
            label="志愿服务时长",
            detail=f"导出服务记录 {written} 行（{period}，{'含完整证件号码' if full else '证件号码已脱敏'}）；"
            f"文件：{Path(path).name}",
        )
    return written


# --------------------------------------------------------------------------- import


@dataclass
class _Plan:
    rows: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _plan(session: Session, actor: Actor, data: Any, cancel: CancelToken | None) -> _Plan:
    station_id = actor.station_id
    assert station_id is not None
    rules = get_rules(session, station_id)
    cal = load_calendar(session, station_id)
    people = {
        (doc, number): (vid, name)
        for vid, doc, number, name in session.execute(
            select(Volunteer.id, Volunteer.doc_type, Volunteer.id_number, Volunteer.name).where(
                Volunteer.station_id == station_id, Volunteer.deleted_at.is_(None)
            )
        )
    }
    stored = {
        (vid, day, title, minutes)
        for vid, day, title, minutes in session.execute(
            select(
                ServiceHours.volunteer_id,
                ServiceHours.served_on,
                ServiceHours.title,
                ServiceHours.minutes,
            ).where(
                ServiceHours.station_id == station_id,
                ServiceHours.source == "导入",
                ServiceHours.status != VOID,
            )
        )
    }
    today = local_date(utcnow())
    status = APPROVED if actor.can(Resource.SHIFT, Action.APPROVE) else PENDING
    plan = _Plan()
    for index, row in enumerate(data.rows):
        if index % 1000 == 0:
            check_cancel(cancel)
        values = row.values

        def err(key: str, message: str, row_number: int = row.row_number) -> None:
            plan.errors.append(
                RowError(data.sheet, row_number, data.header_of(key) if key else "", message)
            )

        try:
            doc = normalize_doc_type(
                cell_text(values.get("doc_type")) or DocType.ID_CARD.value
            ).value
            number = cell_text(values.get("id_number")).upper()
            found = people.get((doc, number))
            if found is None:
                err(
                    "id_number",
                    f"本站没有证件号码为 {mask_id_number(number)} 的志愿者，请先登记该志愿者。",
                )
                continue
            vid, name = found
            typed = cell_text(values.get("name"))
            if typed and typed != name:
                err("name", f"姓名“{typed}”与该证件号码登记的志愿者“{name}”不一致，请核对。")
                continue
            served = parse_date(values.get("served_on"), field="served_on")
            if served > today:
                err("served_on", "服务日期晚于今天，请核对。")
                continue
            title = cell_text(values.get("title"))[:100]
            approver = cell_text(values.get("approver"))[:50]
            if not title or not approver:
                err("title" if not title else "approver", "活动名称和审核人不能为空。")
                continue
            actual = minutes_from_hours(values.get("hours"))
        except ValidationError as exc:
            err(exc.field or "", exc.message)
            continue
        minutes = credit_minutes(actual, rules)
        key = (vid, served, title, minutes)
        if key in stored:
            plan.unchanged += 1
            continue
        stored.add(key)
        plan.rows.append(
            {
                "id": new_id(),
                "station_id": station_id,
                "volunteer_id": vid,
                "assignment_id": None,
                "activity_id": None,
                "served_on": served,
                "title": title,
                "place": cell_text(values.get("place"))[:200],
                "content": (cell_text(values.get("content")) or title)[:500],
                "organiser": (cell_text(values.get("organiser")) or rules.issuer_name)[:100],
                "person_in_charge": cell_text(values.get("person_in_charge"))[:50],
                "actual_minutes": actual,
                "minutes": minutes,
                "source": "导入",
                "status": status,
                "approver": approver,
                "approved_at": utcnow() if status == APPROVED else None,
                "recorded_on": today,
                "late": is_late(served, today, cal, rules),
                "notes": cell_text(values.get("notes"))[:500],
                "created_at": utcnow(),
                "updated_at": utcnow(),
                "version": 1,
            }
        )
    return plan


def import_hours(
    db: Database,
    actor: Actor,
    path: Path,
    *,
    dry_run: bool = False,
    strict: bool = False,
    error_out: Path | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Import historical service hours (see the module docstring)."""
    actor.require(Resource.SHIFT, Action.IMPORT)
    if actor.station_id is None:
        raise PermissionDenied("区级账户不属于任何站点，不能导入服务时长。")
    path = Path(path)
    data = read_sheet(path, import_columns(), aliases=_ALIASES, cancel=cancel)
    progress(0.3, "正在检查")
    opener = db.reader if dry_run else db.transaction
    with opener() as session:
        plan = _plan(session, actor, data, cancel)
        report = ImportReport.planned(
            total=len(data.rows),
            created=len(plan.rows),
            updated=0,
            unchanged=plan.unchanged,
            errors=plan.errors,
            dry_run=dry_run,
            strict=strict,
        )
        if plan.errors and (error_out is not None or not dry_run):
            target = error_out or default_error_path(path)
            write_error_workbook(target, data, plan.errors)
            report.error_workbook = target
        if not dry_run and not report.aborted and plan.rows:
            progress(0.7, "正在写入")
            session.execute(insert(ServiceHours), plan.rows)
            audit.record(
                session,
                actor,
                AuditAction.IMPORT,
                record_type=HOURS_RECORD,
                label="志愿服务时长导入",
                detail=f"{path.name}：{report.summary()}（{plan.rows[0]['status']}）",
            )
    progress(1.0, report.summary())
    return report
