"""Service records' spreadsheet columns, header aliases and the import template.

One column list serves template, export and import, so an exported file imports again as
"unchanged" (the match ignores the extra export columns and the content).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.domain.masking import mask_id_number
from wushe_desktop.infra.excel import Column, write_template
from wushe_desktop.service_records.validation import SERVICE_TYPES
from wushe_desktop.stations.models import Community

SHEET_TITLE = "服务记录"

ALIASES: dict[str, list[str]] = {
    "served_on": ["日期", "服务时间", "时间"],
    "service_type": ["类型", "服务方式"],
    "resident_name": ["姓名", "服务对象", "居民姓名"],
    "id_number": ["身份证号", "身份证号码", "证件号码", "证件号", "公民身份号码"],
    "participants": ["人数", "参加人数", "参与人次"],
    "community": ["社区", "村（社区）", "社区/村", "所属社区"],
    "worker_name": ["社工", "服务社工", "记录人", "工作人员"],
    "duration_minutes": ["时长", "服务时长", "时长（分钟）", "服务时长(分钟)"],
    "content": ["内容", "服务内容摘要", "备注"],
    "is_highlight": ["是否亮点", "亮点服务"],
}


def import_columns(communities: tuple[str, ...] = ()) -> list[Column]:
    return [
        Column("服务日期", "served_on", "date", 12, required=True, note="如 2024-03-05"),
        Column("服务类型", "service_type", choices=SERVICE_TYPES, required=True, width=12),
        Column("服务对象姓名", "resident_name", width=12, note="具体服务对象；活动只填参与人数"),
        Column(
            "证件号码",
            "id_number",
            width=22,
            mask=mask_id_number,
            note="用于匹配居民；同名居民须填写",
        ),
        Column("参与人数", "participants", "int", 10, note="未登记姓名的活动填写人数"),
        Column("社区（村）", "community", choices=communities, width=14, note="只填人数时必填"),
        Column("服务人员", "worker_name", required=True, width=12, note="本站账户的姓名或其他人员"),
        Column("服务时长（分钟）", "duration_minutes", "int", 12, required=True),
        Column("服务内容", "content", width=40),
        Column("亮点", "is_highlight", "bool", 8, note="是/否，月报中的亮点服务"),
    ]


def export_columns() -> list[Column]:
    return [
        *import_columns(),
        Column("服务人次", "attendances", "int", 10),
        Column("来源", "source_label", width=10),
    ]


def station_communities(session: Session, actor: Actor) -> tuple[str, ...]:
    if actor.station_id is None:
        return ()
    stmt = (
        select(Community.name)
        .where(Community.station_id == actor.station_id)
        .order_by(Community.name)
    )
    return tuple(session.scalars(stmt))


INSTRUCTIONS = (
    "每行一条服务记录。服务具体居民时填写姓名和证件号码（按证件号码匹配居民；无证件号码时按姓名，",
    "同名居民须填写证件号码），计 1 人次；未登记姓名的活动只填“参与人数”和“社区（村）”，计人数对应的人次。",
    "服务人员填写本站账户的姓名即关联到该账户，否则按填写的姓名保存（如网格员、志愿者）。",
    "与已有记录完全相同（日期、类型、服务对象或人数与社区、服务人员、时长均相同）的行视为已导入，不会重复写入。",
    "服务人次：每次服务每人计 1 人次（同一人服务两次计 2 人次）；服务人数：去重后的具体居民人数。",
)


def write_service_template(out: Path, session: Session | None, actor: Actor | None) -> None:
    communities = station_communities(session, actor) if session and actor else ()
    write_template(
        out,
        import_columns(communities),
        sheet_title=SHEET_TITLE,
        instructions=INSTRUCTIONS,
        example={
            "served_on": "2024-03-05",
            "service_type": "探访",
            "resident_name": "王秀英",
            "id_number": "320802195003051234",
            "worker_name": "张敏",
            "duration_minutes": 30,
            "content": "上门探望，了解身体状况",
            "is_highlight": "否",
        },
    )
