"""Volunteer rosters in Excel: the template, the (masked by default) export and the import.

One column list serves all three, so a full export imports again unchanged. Import
matches rows to the station's volunteers by (证件类型, 证件号码): a known volunteer is
updated (columns missing from the file keep their values; identical rows write nothing),
an unknown one is registered with the next volunteer number. Every row goes through
``clean_volunteer``; rejected rows come back as ``RowError``s and an error workbook.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.audit import service as audit
from wushe_desktop.audit.service import AuditAction
from wushe_desktop.domain.dates import parse_date
from wushe_desktop.domain.idnumber import DocType
from wushe_desktop.domain.masking import mask_id_number, mask_phone
from wushe_desktop.domain.text import cell_text
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied, ValidationError
from wushe_desktop.infra.excel import Column, RowError, read_sheet, write_table, write_template
from wushe_desktop.infra.progress import CancelToken, Progress, check_cancel, no_progress
from wushe_desktop.residents.importer import ImportReport, default_error_path
from wushe_desktop.stations.models import Community
from wushe_desktop.volunteers.availability import parse_availability
from wushe_desktop.volunteers.constants import (
    EDUCATION,
    POLITICAL_STATUSES,
    RECORD_TYPE,
    SKILLS,
    VolunteerStatus,
)
from wushe_desktop.volunteers.models import Volunteer
from wushe_desktop.volunteers.rows import VolunteerRow, build_rows, row_select
from wushe_desktop.volunteers.search import VolunteerQuery, conditions, count
from wushe_desktop.volunteers.service import (
    next_volunteer_numbers,
    register_many,
    update_from_clean,
)
from wushe_desktop.volunteers.settings import get_rules
from wushe_desktop.volunteers.validation import VolunteerInput, clean_volunteer, parse_skills

_WRITE_CHUNK = 500  # volunteers per flush in a roster import (progress and cancel between)

__all__ = [
    "ALIASES",
    "SHEET_TITLE",
    "export_volunteers",
    "import_volunteers",
    "volunteer_columns",
    "write_volunteer_template",
]

SHEET_TITLE = "志愿者名册"
_Errors = list[tuple[str, str]]
_NUMERIC_ID = "证件号码是数字格式，Excel 已改变其末几位，请将该列设为“文本”格式后重新填写。"
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")

ALIASES: dict[str, list[str]] = {
    "name": ["志愿者姓名", "名字"],
    "id_number": ["身份证号", "身份证号码", "证件号", "公民身份号码", "身份证件号码"],
    "phone": ["电话", "手机", "手机号", "手机号码", "联系方式"],
    "community": ["社区", "所属社区（村）", "村（社区）", "居住社区"],
    "skills": ["技能", "特长", "专业特长", "服务技能"],
    "availability": ["可服务时间", "服务时段", "空闲时间"],
    "registered_on": ["注册日期", "加入日期"],
    "national_no": ["全国志愿者编号", "志愿者统一编号", "中国志愿服务网编号"],
}

#: ValidationError.field → column key.
_FIELD_KEYS = {
    "name": "name",
    "doc_type": "doc_type",
    "id_number": "id_number",
    "gender": "gender",
    "birth_date": "birth_date",
    "phone": "phone",
    "community_id": "community",
    "political_status": "political_status",
    "education": "education",
    "skills": "skills",
    "availability": "availability",
    "registered_on": "registered_on",
    "status": "status",
    "status_reason": "status_reason",
    "emergency_phone": "emergency_phone",
    "consent_by": "consent_by",
    "consent_on": "consent_on",
    "guardian_relation": "guardian_relation",
}
_DATES = ("birth_date", "registered_on", "insurance_until", "consent_on")
_TEXTS = (
    "gender",
    "national_no",
    "political_status",
    "education",
    "occupation",
    "languages",
    "status",
    "status_reason",
    "emergency_name",
    "emergency_relation",
    "insurer",
    "insurance_policy",
    "consent_by",
    "guardian_relation",
    "notes",
)


def volunteer_columns(communities: Sequence[str] = ()) -> list[Column]:
    return [
        Column(
            "志愿者编号",
            "volunteer_no",
            width=20,
            note="导出时填写；导入时不读取，新志愿者自动编号。",
        ),
        Column("姓名", "name", width=10, required=True),
        Column(
            "证件类型",
            "doc_type",
            width=14,
            choices=[t.value for t in DocType],
            note="留空即为居民身份证。",
        ),
        Column(
            "证件号码",
            "id_number",
            width=22,
            mask=mask_id_number,
            required=True,
            note="请设为“文本”格式；按证件号码识别同一志愿者。",
        ),
        Column("性别", "gender", width=6, choices=("男", "女"), note="可不填，按身份证号码得出。"),
        Column("出生日期", "birth_date", kind="date", width=12, note="可不填，按身份证号码得出。"),
        Column("联系电话", "phone", width=15, mask=mask_phone, required=True),
        Column(
            "所属社区",
            "community",
            width=14,
            choices=tuple(communities),
            note="可留空（辖区外志愿者）；须与系统中的社区名称一致。",
        ),
        Column("全国志愿者编号", "national_no", width=18),
        Column("政治面貌", "political_status", width=10, choices=POLITICAL_STATUSES),
        Column("文化程度", "education", width=10, choices=EDUCATION),
        Column("职业", "occupation", width=12),
        Column(
            "专业技能",
            "skills",
            width=22,
            note=f"多项用顿号分隔，常用：{'、'.join(SKILLS)}，也可自定义。",
        ),
        Column("语言", "languages", width=12),
        Column(
            "可服务时段",
            "availability",
            width=24,
            note="如“周一全天、周三晚上、周末上午”“工作日晚上”；留空为全部时段。",
        ),
        Column("登记日期", "registered_on", kind="date", width=12, note="留空为导入当天。"),
        Column(
            "状态",
            "status",
            width=8,
            choices=[s.value for s in VolunteerStatus],
            note="留空为在册；暂停、退出须写原因。",
        ),
        Column("状态原因", "status_reason", width=16),
        Column("紧急联系人", "emergency_name", width=10),
        Column("紧急联系人关系", "emergency_relation", width=10),
        Column("紧急联系人电话", "emergency_phone", width=15, mask=mask_phone),
        Column("保险公司", "insurer", width=16),
        Column("保单号", "insurance_policy", width=18),
        Column("保险有效期至", "insurance_until", kind="date", width=12),
        Column(
            "同意记录日期",
            "consent_on",
            kind="date",
            width=12,
            note="志愿者（未成年人为监护人）同意登记其信息的日期。",
        ),
        Column(
            "同意人", "consent_by", width=10, note="未成年人填写监护人姓名；成年人可留空（本人）。"
        ),
        Column("监护人关系", "guardian_relation", width=10),
        Column("备注", "notes", width=20),
    ]


def _instructions() -> list[str]:
    return [
        "按“证件类型＋证件号码”识别志愿者：本站已有该证件的志愿者时更新其信息，内容相同的行不做修改；"
        "没有则新增并自动分配志愿者编号。同一文件可放心重复导入。",
        "文件中有的列会覆盖系统中的对应信息（单元格留空即清空该项）；文件中没有的列保持不变。",
        "未满监护人同意年龄（见“志愿者设置”）的志愿者须填写同意人（监护人）、监护人关系和同意记录日期。",
        "隐藏了证件号码或电话（含 *）的导出文件不能用来导入；请使用“完整导出”的文件。",
        "有错误的行不会导入，而是写入“原文件名_错误.xlsx”，改正后可直接导入该文件。",
    ]


def _communities(session: Session, station_id: uuid.UUID) -> dict[str, uuid.UUID]:
    return {
        name: cid
        for cid, name in session.execute(
            select(Community.id, Community.name).where(Community.station_id == station_id)
        )
    }


def write_volunteer_template(path: Path, session: Session | None, actor: Actor | None) -> None:
    names: list[str] = []
    if session is not None and actor is not None and actor.station_id is not None:
        actor.require(Resource.VOLUNTEER, Action.READ)
        names = sorted(_communities(session, actor.station_id))
    columns = [c for c in volunteer_columns(names) if c.key != "volunteer_no"]
    write_template(
        Path(path),
        columns,
        sheet_title=SHEET_TITLE,
        instructions=_instructions(),
        example={
            "name": "李梅",
            "doc_type": DocType.ID_CARD.value,
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "community": names[0] if names else "清河社区",
            "political_status": "中共党员",
            "education": "大专",
            "occupation": "退休教师",
            "skills": "教育辅导、文艺",
            "availability": "周一全天、周三晚上、周末上午",
            "registered_on": date(2024, 3, 5),
            "consent_on": date(2024, 3, 5),
        },
    )


# --------------------------------------------------------------------------- export


def _export_rows(session: Session, actor: Actor, query: VolunteerQuery) -> Iterator[dict[str, Any]]:
    conds = conditions(session, actor, query)
    stmt = row_select().where(*conds).order_by(Volunteer.volunteer_no)
    result = session.execute(stmt, execution_options={"yield_per": 1000})
    for part in result.partitions():
        for row in build_rows(session, list(part), reveal=True):
            yield _as_cells(row)


def _as_cells(row: VolunteerRow) -> dict[str, Any]:
    return {
        "volunteer_no": row.volunteer_no,
        "name": row.name,
        "doc_type": row.doc_type,
        "id_number": row.id_number,
        "gender": row.gender,
        "birth_date": row.birth_date,
        "phone": row.phone,
        "community": row.community_name,
        "national_no": row.national_no,
        "political_status": row.political_status,
        "education": row.education,
        "occupation": row.occupation,
        "skills": row.skills_text,
        "languages": row.languages,
        "availability": row.availability_text,
        "registered_on": row.registered_on,
        "status": row.status,
        "status_reason": row.status_reason,
        "emergency_name": row.emergency_name,
        "emergency_relation": row.emergency_relation,
        "emergency_phone": row.emergency_phone,
        "insurer": row.insurer,
        "insurance_policy": row.insurance_policy,
        "insurance_until": row.insurance_until,
        "consent_on": row.consent_on,
        "consent_by": row.consent_by,
        "guardian_relation": row.guardian_relation,
        "notes": row.notes,
    }


def export_volunteers(
    db: Database,
    actor: Actor,
    query: VolunteerQuery,
    path: Path,
    *,
    full: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the roster; ID numbers and phones masked unless ``full`` (needs the right)."""
    actor.require(Resource.VOLUNTEER, Action.EXPORT)
    if full:
        actor.require(Resource.VOLUNTEER, Action.EXPORT_SENSITIVE)
    with db.reader() as session:
        total = count(session, actor, query)
        written = write_table(
            Path(path),
            volunteer_columns(),
            _export_rows(session, actor, query),
            sheet_title=SHEET_TITLE,
            full=full,
            total=total,
            progress=progress,
            cancel=cancel,
        )
    kind = "含完整证件号码和电话" if full else "证件号码和电话已脱敏"
    with db.transaction() as session:
        audit.record(
            session,
            actor,
            AuditAction.EXPORT,
            record_type=RECORD_TYPE,
            label="志愿者名册",
            detail=f"导出志愿者 {written} 行（{kind}）；文件：{Path(path).name}",
        )
    return written


# --------------------------------------------------------------------------- import


@dataclass
class _Plan:
    creates: list[tuple[int, Any]] = field(default_factory=list)  # (row, clean)
    updates: list[tuple[int, uuid.UUID, Any]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def _existing_input(v: Volunteer) -> dict[str, object]:
    return {
        "name": v.name,
        "id_number": v.id_number or "",
        "phone": v.phone or "",
        "doc_type": v.doc_type,
        "gender": v.gender or "",
        "birth_date": v.birth_date,
        "community_id": v.community_id,
        "resident_id": v.resident_id,
        "national_no": v.national_no,
        "political_status": v.political_status,
        "education": v.education,
        "occupation": v.occupation,
        "skills": [s.skill for s in v.skills],
        "languages": v.languages,
        "availability": v.availability,
        "registered_on": v.registered_on,
        "status": v.status,
        "status_reason": v.status_reason,
        "emergency_name": v.emergency_name,
        "emergency_relation": v.emergency_relation,
        "emergency_phone": v.emergency_phone,
        "insurer": v.insurer,
        "insurance_policy": v.insurance_policy,
        "insurance_until": v.insurance_until,
        "consent_on": v.consent_on,
        "consent_by": v.consent_by,
        "guardian_relation": v.guardian_relation,
        "notes": v.notes,
    }


def _identity(
    values: dict[str, object], present: frozenset[str], out: dict[str, object], errors: _Errors
) -> None:
    raw_id = values.get("id_number")
    if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
        errors.append(("id_number", _NUMERIC_ID))
    id_text = cell_text(raw_id)
    if "*" in id_text or _SCIENTIFIC.fullmatch(id_text):
        errors.append(
            (
                "id_number",
                f"证件号码“{id_text}”不完整（含 * 或为科学计数法），请填写完整的证件号码。",
            )
        )
    out["id_number"] = id_text
    out["name"] = cell_text(values.get("name"))
    if "doc_type" in present:
        out["doc_type"] = cell_text(values.get("doc_type")) or DocType.ID_CARD.value
    for key in ("phone", "emergency_phone"):
        if key in present:
            text = cell_text(values.get(key))
            if "*" in text:
                errors.append((key, f"电话“{text}”含有“*”，这是脱敏的导出文件，请填写完整的号码。"))
            out[key] = text


def _parsed(
    values: dict[str, object],
    present: frozenset[str],
    places: dict[str, uuid.UUID],
    out: dict[str, object],
    errors: _Errors,
) -> None:
    for key in _DATES:
        if key in present:
            raw = values.get(key)
            try:
                out[key] = None if raw in (None, "") else parse_date(raw, field=key)
            except ValidationError as exc:
                errors.append((key, exc.message))
    if "community" in present:
        name = cell_text(values.get("community"))
        if name and name not in places:
            errors.append(
                ("community", f"社区“{name}”不在本站的社区列表中，请与“社区与网格”中的名称一致。")
            )
        out["community_id"] = places.get(name) if name else None
    try:
        if "skills" in present:
            out["skills"] = list(parse_skills(cell_text(values.get("skills"))))
        if "availability" in present:
            out["availability"] = parse_availability(cell_text(values.get("availability")))
    except ValidationError as exc:
        errors.append((exc.field or "", exc.message))


def _cells(
    values: dict[str, object], present: frozenset[str], places: dict[str, uuid.UUID]
) -> tuple[dict[str, object], _Errors]:
    """VolunteerInput fields from the cells present, and (column, message) errors."""
    out: dict[str, object] = {}
    errors: _Errors = []
    _identity(values, present, out, errors)
    for key in _TEXTS:
        if key in present:
            out[key] = cell_text(values.get(key))
    _parsed(values, present, places, out, errors)
    return out, errors


def _plan(
    session: Session, actor: Actor, data: Any, progress: Progress, cancel: CancelToken | None
) -> _Plan:
    station_id = actor.station_id
    assert station_id is not None
    rules = get_rules(session, station_id)
    places = _communities(session, station_id)
    existing = {
        (v.doc_type, v.id_number): v
        for v in session.scalars(select(Volunteer).where(Volunteer.station_id == station_id))
    }
    present = data.present_keys
    plan = _Plan()
    seen: dict[tuple[str, str], int] = {}
    today = date.today()
    for index, row in enumerate(data.rows):
        if index % 500 == 0:
            check_cancel(cancel)
            progress(index / max(1, len(data.rows)), f"正在检查第 {index + 1} 行")
        fields, errors = _cells(row.values, present, places)
        if errors:
            plan.errors.extend(
                RowError(data.sheet, row.row_number, data.header_of(k), m) for k, m in errors
            )
            continue
        try:
            first = clean_volunteer(VolunteerInput(**fields), rules, today=today)  # type: ignore[arg-type]
        except ValidationError as exc:
            column = _FIELD_KEYS.get(exc.field or "", "")
            plan.errors.append(
                RowError(
                    data.sheet,
                    row.row_number,
                    data.header_of(column) if column else "",
                    exc.message,
                )
            )
            continue
        doc = (first.doc_type, first.id_number)
        if doc in seen:
            plan.errors.append(
                RowError(
                    data.sheet,
                    row.row_number,
                    data.header_of("id_number"),
                    f"与第{seen[doc]}行的证件号码相同，同一志愿者只能出现一次。",
                )
            )
            continue
        seen[doc] = row.row_number
        old = existing.get(doc)
        if old is None:
            plan.creates.append((row.row_number, first))
            continue
        merged = _existing_input(old) | fields
        clean = clean_volunteer(VolunteerInput(**merged), rules, today=today)  # type: ignore[arg-type]
        if old.deleted_at is not None:
            plan.errors.append(
                RowError(
                    data.sheet,
                    row.row_number,
                    "",
                    f"志愿者“{old.name}”在回收站中，请先恢复再导入。",
                )
            )
        elif _same(old, clean):
            plan.unchanged += 1
        else:
            plan.updates.append((row.row_number, old.id, clean))
    return plan


def _same(old: Volunteer, clean: Any) -> bool:
    current = _existing_input(old)
    for key, value in current.items():
        new = getattr(clean, key, value)
        if key == "skills":
            if sorted(value) != sorted(new):  # type: ignore[call-overload]
                return False
        elif key in ("gender",):
            if (value or None) != (new or None):
                return False
        elif new != value and not (value in ("", None) and new in ("", None)):
            return False
    return True


def import_volunteers(
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
    """Import a roster into the actor's station (see the module docstring)."""
    from wushe_desktop.infra.excel import write_error_workbook

    actor.require(Resource.VOLUNTEER, Action.IMPORT)
    if actor.station_id is None:
        raise PermissionDenied("区级账户不属于任何站点，不能导入志愿者；请用站点账户登录后导入。")
    path = Path(path)
    data = read_sheet(
        path,
        volunteer_columns(),
        aliases=ALIASES,
        progress=lambda f, s: progress(f * 0.2, s),
        cancel=cancel,
    )
    opener = db.reader if dry_run else db.transaction
    with opener() as session:
        plan = _plan(session, actor, data, lambda f, s: progress(0.2 + f * 0.4, s), cancel)
        report = ImportReport.planned(
            total=len(data.rows),
            created=len(plan.creates),
            updated=len(plan.updates),
            unchanged=plan.unchanged,
            errors=plan.errors,
            dry_run=dry_run,
            strict=strict,
        )
        if plan.errors and (error_out is not None or not dry_run):
            target = error_out or default_error_path(path)
            write_error_workbook(target, data, plan.errors)
            report.error_workbook = target
        if not dry_run and not report.aborted:
            numbers = next_volunteer_numbers(session, actor.station_id, len(plan.creates))
            items = [(clean, n) for (_row, clean), n in zip(plan.creates, numbers, strict=True)]
            for done in range(0, len(items), _WRITE_CHUNK):
                check_cancel(cancel)
                progress(0.6 + 0.4 * done / max(1, len(items)), f"正在写入（{done}/{len(items)}）")
                register_many(session, actor, items[done : done + _WRITE_CHUNK])
            for _row, vid, clean in plan.updates:
                update_from_clean(session, actor, vid, clean, expected_version=None)
            audit.record(
                session,
                actor,
                AuditAction.IMPORT,
                record_type=RECORD_TYPE,
                label="志愿者名册导入",
                detail=f"{path.name}：{report.summary()}",
            )
    progress(1.0, report.summary())
    return report
