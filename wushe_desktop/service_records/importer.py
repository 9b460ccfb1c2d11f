"""Excel import of historical service records (stations moving from paper or Excel).

Every row is checked (the rules of the form); residents are matched by ID number (a masked
number from an export matches by name and its visible digits; no number: by name when it
is unique); the worker by the name of a station account, else kept as a name. A row
identical to an existing record — same date, type, resident (or count and community),
worker and minutes — is "unchanged", counted as a multiset, so importing the same file
twice, or an exported file, writes nothing new. Valid rows go in as one bulk insert with
one audit entry; rejected rows come back as ``RowError``s and an error workbook.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.domain.dates import parse_date
from wushe_desktop.domain.text import parse_yes_no
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied, ValidationError, WusheError
from wushe_desktop.infra.excel import (
    RowError,
    SheetData,
    SheetRow,
    read_sheet,
    write_error_workbook,
)
from wushe_desktop.infra.progress import (
    CancelToken,
    Progress,
    check_cancel,
    no_progress,
    sub_progress,
)
from wushe_desktop.residents.importer import ImportReport, default_error_path
from wushe_desktop.residents.models import Resident
from wushe_desktop.service_records.excel_columns import ALIASES, import_columns
from wushe_desktop.service_records.models import ServiceRecord
from wushe_desktop.service_records.service import add_service_records
from wushe_desktop.service_records.validation import ServiceRecordInput, check_record
from wushe_desktop.stations.models import Community

__all__ = ["ImportReport", "import_service_records"]

#: ValidationError.field → column key (for the error's column header).
_FIELD_KEYS = {"resident_id": "id_number", "community_id": "community", "worker_id": "worker_name"}

Key = tuple[object, ...]


@dataclass
class _Lookup:
    """The station's residents, communities and accounts needed by the rows."""

    by_number: dict[str, list[tuple[uuid.UUID, str]]]
    by_name: dict[str, list[tuple[uuid.UUID, str]]]  # name → [(id, id_number)]
    communities: dict[str, uuid.UUID]
    users: dict[str, uuid.UUID]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _lookup(session: Session, station_id: uuid.UUID, rows: Sequence[SheetRow]) -> _Lookup:
    numbers = {_text(r.values.get("id_number")).upper() for r in rows} - {""}
    names = {_text(r.values.get("resident_name")) for r in rows} - {""}
    found = _Lookup({}, {}, {}, {})
    live = (Resident.station_id == station_id, Resident.deleted_at.is_(None))
    full = [n for n in numbers if "*" not in n]
    for start in range(0, len(full), 1000):
        stmt = select(Resident.id, Resident.name, Resident.id_number).where(
            *live, Resident.id_number.in_(full[start : start + 1000])
        )
        for rid, name, number in session.execute(stmt):
            found.by_number.setdefault(number or "", []).append((rid, name))
    name_list = sorted(names)
    for start in range(0, len(name_list), 1000):
        stmt = select(Resident.id, Resident.name, Resident.id_number).where(
            *live, Resident.name.in_(name_list[start : start + 1000])
        )
        for rid, name, number in session.execute(stmt):
            found.by_name.setdefault(name, []).append((rid, number or ""))
    found.communities = {
        name: cid
        for cid, name in session.execute(
            select(Community.id, Community.name).where(Community.station_id == station_id)
        )
    }
    found.users = {
        name: uid
        for uid, name in session.execute(
            select(User.id, User.display_name).where(User.station_id == station_id)
        )
    }
    return found


def _masked_match(pattern: str, number: str) -> bool:
    return len(pattern) == len(number) and all(
        p in ("*", n) for p, n in zip(pattern, number, strict=True)
    )


def _resident(values: dict[str, Any], found: _Lookup) -> uuid.UUID | None:
    number = _text(values.get("id_number")).upper()
    name = _text(values.get("resident_name"))
    if number and "*" not in number:
        matches = found.by_number.get(number, [])
        if not matches:
            raise ValidationError(
                f"证件号码对应的居民未在本站登记，请先登记居民“{name}”。", field="resident_id"
            )
        rid, registered = matches[0]
        if name and name != registered:
            raise ValidationError(
                f"证件号码登记的姓名是“{registered}”，与“{name}”不一致。", field="resident_name"
            )
        return rid
    if not name:
        if number:
            raise ValidationError("请填写服务对象姓名。", field="resident_name")
        return None
    candidates = found.by_name.get(name, [])
    if number:
        candidates = [c for c in candidates if _masked_match(number, c[1])]
        if not candidates:
            raise ValidationError(
                f"本站没有证件号码为 {number} 的居民“{name}”，请核对。", field="id_number"
            )
    if not candidates:
        raise ValidationError(
            f"居民“{name}”未在本站登记，请先登记或填写证件号码。", field="resident_name"
        )
    if len(candidates) > 1:
        raise ValidationError(
            f"本站有 {len(candidates)} 位名为“{name}”的居民，请填写证件号码区分。",
            field="id_number",
        )
    return candidates[0][0]


def _row_input(values: dict[str, Any], found: _Lookup) -> ServiceRecordInput:
    served_on = parse_date(values.get("served_on"), field="served_on")
    resident_id = _resident(values, found)
    community_name = _text(values.get("community"))
    community_id = None
    if community_name:
        community_id = found.communities.get(community_name)
        if community_id is None:
            raise ValidationError(f"社区（村）“{community_name}”不存在。", field="community_id")
    elif resident_id is None:
        raise ValidationError("只填参与人数时，请填写社区（村）。", field="community_id")
    participants = values.get("participants")
    if participants is not None and not isinstance(participants, int):
        raise ValidationError(f"参与人数“{participants}”不是整数。", field="participants")
    minutes = values.get("duration_minutes")
    if not isinstance(minutes, int):
        raise ValidationError(f"服务时长“{minutes}”不是整数分钟。", field="duration_minutes")
    worker = _text(values.get("worker_name"))
    if not worker:
        raise ValidationError("请填写服务人员。", field="worker_name")
    return check_record(
        ServiceRecordInput(
            served_on=served_on,
            service_type=_text(values.get("service_type")),
            duration_minutes=minutes,
            content=_text(values.get("content")),
            worker_id=found.users.get(worker),
            resident_id=resident_id,
            participants=0 if resident_id is not None else (participants or 0),
            community_id=community_id,
            is_highlight=bool(parse_yes_no(values.get("is_highlight"), field="is_highlight")),
            worker_name=worker,
        )
    )


def _key(item: ServiceRecordInput, worker_name: str) -> Key:
    place = None if item.resident_id else (item.participants, item.community_id)
    return (
        item.served_on,
        item.service_type,
        item.resident_id,
        place,
        worker_name,
        item.duration_minutes,
    )


def _existing(session: Session, station_id: uuid.UUID, first: date, last: date) -> Counter[Key]:
    stmt = (
        select(
            ServiceRecord.served_on,
            ServiceRecord.service_type,
            ServiceRecord.resident_id,
            ServiceRecord.participants,
            ServiceRecord.community_id,
            ServiceRecord.worker_name,
            ServiceRecord.duration_minutes,
            func.count(),
        )
        .where(
            ServiceRecord.station_id == station_id,
            ServiceRecord.deleted_at.is_(None),
            ServiceRecord.served_on >= first,
            ServiceRecord.served_on <= last,
        )
        .group_by(
            ServiceRecord.served_on,
            ServiceRecord.service_type,
            ServiceRecord.resident_id,
            ServiceRecord.participants,
            ServiceRecord.community_id,
            ServiceRecord.worker_name,
            ServiceRecord.duration_minutes,
        )
    )
    found: Counter[Key] = Counter()
    for day, kind, rid, people, cid, worker, minutes, n in session.execute(stmt):
        place = None if rid else (people, cid)
        found[(day, kind, rid, place, worker, minutes)] += n
    return found


def _check_rows(
    data: SheetData, found: _Lookup, cancel: CancelToken | None
) -> tuple[list[tuple[ServiceRecordInput, str]], list[RowError]]:
    good: list[tuple[ServiceRecordInput, str]] = []
    errors: list[RowError] = []
    for n, row in enumerate(data.rows):
        if n % 1000 == 0:
            check_cancel(cancel)
        try:
            item = _row_input(row.values, found)
        except ValidationError as exc:
            key = _FIELD_KEYS.get(exc.field or "", exc.field or "")
            header = data.header_of(key) if key in data.present_keys else ""
            errors.append(RowError(data.sheet, row.row_number, header, exc.message))
            continue
        good.append((item, _text(row.values.get("worker_name"))))
    return good, errors


def _error_workbook(
    source: Path, data: SheetData, errors: list[RowError], error_out: Path | None, dry_run: bool
) -> Path | None:
    """The rejected rows beside the source (or at ``error_out``); not in a dry run unless
    asked. A default location that cannot be written is skipped."""
    if not errors or (error_out is None and dry_run):
        return None
    target = Path(error_out) if error_out is not None else default_error_path(source)
    try:
        write_error_workbook(target, data, errors)
    except WusheError:
        if error_out is not None:
            raise
        return None
    return target


def import_service_records(
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
    """Import the service records of the first sheet of ``path`` into the actor's station."""
    actor.require(Resource.SERVICE, Action.IMPORT)
    station_id = actor.station_id
    if station_id is None:
        raise PermissionDenied("区级账户不属于任何站点，不能导入服务记录；请用站点账户登录。")
    path = Path(path)
    data = read_sheet(
        path,
        import_columns(),
        aliases=ALIASES,
        progress=sub_progress(progress, 0.0, 0.3),
        cancel=cancel,
    )
    opener = db.reader if dry_run else db.transaction
    with opener() as session:
        progress(0.3, "正在检查每一行…")
        good, errors = _check_rows(data, _lookup(session, station_id, data.rows), cancel)
        creates: list[ServiceRecordInput] = []
        unchanged = 0
        if good:
            days = [item.served_on for item, _ in good]
            existing = _existing(session, station_id, min(days), max(days))
            for item, worker in good:
                key = _key(item, worker)
                if existing[key] > 0:
                    existing[key] -= 1
                    unchanged += 1
                else:
                    creates.append(item)
        report = ImportReport.planned(
            total=len(data.rows),
            created=len(creates),
            updated=0,
            unchanged=unchanged,
            errors=errors,
            dry_run=dry_run,
            strict=strict,
        )
        report.error_workbook = _error_workbook(path, data, errors, error_out, dry_run)
        if not dry_run and not report.aborted and creates:
            progress(0.7, "正在写入…")
            check_cancel(cancel)
            add_service_records(session, actor, creates, label=f"Excel 导入“{path.name}”")
    progress(1.0, report.summary())
    return report
