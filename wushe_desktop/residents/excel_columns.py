"""The residents' spreadsheet columns, header aliases and the import template.

One column list serves the template, the export and the import, so an exported file
(``full=True``) imports again unchanged: the headers, the date cells and the tag text
("独居老人、残疾人（肢体/二级）") are the same both ways.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.domain.idnumber import DocType
from wushe_desktop.domain.masking import mask_id_number, mask_phone
from wushe_desktop.domain.tags import DISABILITY_CATEGORIES, TAGS
from wushe_desktop.domain.text import natural_key
from wushe_desktop.infra.excel import Column, write_template
from wushe_desktop.stations.models import Community, Grid

__all__ = [
    "ALIASES",
    "FIELD_KEYS",
    "SHEET_TITLE",
    "resident_columns",
    "station_places",
    "write_resident_template",
]

SHEET_TITLE = "居民信息"

NAME = "name"
DOC_TYPE = "doc_type"
ID_NUMBER = "id_number"
GENDER = "gender"
BIRTH_DATE = "birth_date"
PHONE = "phone"
COMMUNITY = "community"
GRID = "grid"
ADDRESS = "address"
TAGS_KEY = "tags"
NOTES = "notes"

#: Other header texts that rosters use for the same column (matched after normalisation).
ALIASES: dict[str, list[str]] = {
    NAME: ["名字", "居民姓名"],
    DOC_TYPE: ["证件种类", "证件名称"],
    ID_NUMBER: [
        "身份证号",
        "身份证号码",
        "身份证",
        "证件号码",
        "证件号",
        "公民身份号码",
        "身份证件号码",
    ],
    BIRTH_DATE: ["出生年月日", "出生年月", "生日"],
    PHONE: ["电话", "手机", "手机号", "手机号码", "电话号码", "联系方式", "联系电话号码"],
    COMMUNITY: [
        "社区",
        "村（社区）",
        "社区（村）",
        "社区/村",
        "村/社区",
        "所属村",
        "所属村（社区）",
    ],
    GRID: ["所属网格", "网格名称"],
    ADDRESS: ["地址", "住址", "现住址", "家庭住址", "居住地"],
    TAGS_KEY: ["标签", "人群标签", "重点人群", "人员类别"],
    NOTES: ["说明"],
}

#: ``ValidationError.field`` of the resident validators → column key.
FIELD_KEYS: dict[str, str] = {
    "name": NAME,
    "doc_type": DOC_TYPE,
    "id_number": ID_NUMBER,
    "gender": GENDER,
    "birth_date": BIRTH_DATE,
    "phone": PHONE,
    "community_id": COMMUNITY,
    "community": COMMUNITY,
    "grid_id": GRID,
    "grid": GRID,
    "address": ADDRESS,
    "tags": TAGS_KEY,
    "notes": NOTES,
}

_TAG_EXAMPLES = "独居老人、残疾人（肢体/二级）"


def resident_columns(communities: Sequence[str] = (), grids: Sequence[str] = ()) -> list[Column]:
    """The columns in sheet order; ``communities``/``grids`` become drop-down choices."""
    return [
        Column("姓名", NAME, width=10, required=True),
        Column(
            "证件类型",
            DOC_TYPE,
            width=14,
            choices=[t.value for t in DocType],
            note="留空即为居民身份证。",
        ),
        Column(
            "身份证号/证件号码",
            ID_NUMBER,
            width=22,
            mask=mask_id_number,
            required=True,
            note="本列必须保留，请设为“文本”格式；个别居民暂无证件号码时可留空。",
        ),
        Column("性别", GENDER, width=6, choices=("男", "女"), note="可不填，按身份证号码得出。"),
        Column("出生日期", BIRTH_DATE, kind="date", width=12, note="可不填，按身份证号码得出。"),
        Column("联系电话", PHONE, width=15, mask=mask_phone, note="手机号或带区号的固定电话。"),
        Column(
            "所属社区",
            COMMUNITY,
            width=14,
            choices=tuple(communities),
            required=True,
            note="须与系统“社区与网格”中的名称一致。",
        ),
        Column("网格", GRID, width=12, choices=tuple(grids), note="可留空；须属于所填社区。"),
        Column("居住地址", ADDRESS, width=30),
        Column(
            "重点人群标签",
            TAGS_KEY,
            width=28,
            note=f"多个标签用顿号分隔，如：{_TAG_EXAMPLES}。",
        ),
        Column("备注", NOTES, width=24),
    ]


def station_places(session: Session, station_id: uuid.UUID) -> tuple[list[str], list[str]]:
    """Community names and (distinct) grid names of a station, sorted, for drop-downs."""
    communities = session.scalars(
        select(Community.name).where(Community.station_id == station_id).order_by(Community.name)
    ).all()
    grids = session.scalars(select(Grid.name).where(Grid.station_id == station_id).distinct())
    return list(communities), sorted(grids, key=natural_key)  # 第二网格 before 第十网格


def _instructions() -> list[str]:
    builtin = "、".join(t.label for t in TAGS.values())
    return [
        "按“证件类型＋证件号码”识别居民：本站已有该证件的居民时更新其信息，"
        "内容完全相同的行不做任何修改；没有则新增。同一文件可放心重复导入。",
        "没有证件号码的行每次都会新增一位居民（无法判断是否重复），"
        "除非本站已有一位各项信息完全相同且同样没有证件号码的居民。",
        "文件中有的列会覆盖系统中的对应信息（单元格留空即清空该项）；文件中没有的列保持不变。",
        "性别、出生日期可不填，系统按身份证号码得出；填写时须与身份证号码一致。",
        "“所属社区”“网格”须与系统中“社区与网格”里的名称一致，网格须属于所填社区。",
        f"重点人群标签可用：{builtin}，也可以写自定义标签；残疾人须在括号中写明类别和等级"
        f"（类别：{'、'.join(DISABILITY_CATEGORIES)}；等级：一级至四级），"
        f"例如：{_TAG_EXAMPLES}。",
        "导入前可先“试导入”检查。有错误的行不会导入，而是写入“原文件名_错误.xlsx”，"
        "其最后一列“错误原因”说明问题；改正后可直接导入该文件。",
        "隐藏了证件号码或电话（含 *）的导出文件不能用来导入；请使用“完整导出”的文件。",
    ]


def _example(communities: Sequence[str], grids: Sequence[str]) -> dict[str, object]:
    return {
        NAME: "王芳",
        DOC_TYPE: DocType.ID_CARD.value,
        ID_NUMBER: "11010519491231002X",
        GENDER: "女",
        BIRTH_DATE: date(1949, 12, 31),
        PHONE: "13812345678",
        COMMUNITY: communities[0] if communities else "清河社区",
        GRID: grids[0] if grids else "第一网格",
        ADDRESS: "清河街道健康东路12号3幢201室",
        TAGS_KEY: _TAG_EXAMPLES,
        NOTES: "",
    }


def write_resident_template(
    path: Path, *, session: Session | None = None, actor: Actor | None = None
) -> None:
    """Write the residents import template.

    With a session and a station actor, the 所属社区 and 网格 columns get drop-down lists of
    the station's communities and grids; without, the template is generic (command line
    before sign-in).
    """
    communities: list[str] = []
    grids: list[str] = []
    if session is not None and actor is not None and actor.station_id is not None:
        actor.require(Resource.RESIDENT, Action.READ)
        communities, grids = station_places(session, actor.station_id)
    write_template(
        Path(path),
        resident_columns(communities, grids),
        sheet_title=SHEET_TITLE,
        instructions=_instructions(),
        example=_example(communities, grids),
    )
