"""Checking the rows of a residents sheet: cells → ``ResidentInput`` → ``clean_resident``.

Pure apart from the station's community/grid names loaded once (``Places``). Every
problem becomes a (column key, message) pair so the importer can address it as sheet,
row and column.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from wushe_desktop.domain.dates import parse_date
from wushe_desktop.domain.idnumber import DocType
from wushe_desktop.domain.tags import parse_tags_text
from wushe_desktop.domain.text import cell_text
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.infra.excel import SheetData
from wushe_desktop.residents import excel_columns as cols
from wushe_desktop.residents.validation import CleanResident, ResidentInput, clean_resident
from wushe_desktop.stations.models import Community, Grid

__all__ = [
    "FREE_TEXT",
    "NUMERIC_ID_MESSAGE",
    "CellErrors",
    "Checked",
    "Places",
    "check_row",
    "clean_fields",
    "free_text",
    "input_fields",
]

NUMERIC_ID_MESSAGE = (
    "身份证号是数字格式，Excel 已改变其末几位，请将该列设置为“文本”格式后重新填写。"
)
_MASKED_ID = (
    "证件号码“{value}”含有“*”，这是隐藏了敏感信息的导出文件，不能用来导入或更新居民；"
    "请使用“完整导出”的文件，或填写完整的证件号码。"
)
_MASKED_PHONE = (
    "联系电话“{value}”含有“*”，这是隐藏了敏感信息的导出文件，不能用来导入或更新居民；"
    "请使用“完整导出”的文件，或填写完整的电话号码。"
)
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
#: A file whose ID numbers are (nearly) all masked is a masked export: say so once.
MASKED_FILE_ROWS = 5
MASKED_FILE_SHARE = 0.9
_NAME_SPACES = re.compile(r"\s+")

_T = TypeVar("_T")

#: (column key, message) pairs for one row.
CellErrors = list[tuple[str, str]]


def _key(name: str) -> str:
    """Names compare after NFKC and without spaces (（一） and (一) are the same)."""
    return _NAME_SPACES.sub("", unicodedata.normalize("NFKC", name))


#: Free text is taken as typed (edges trimmed): the reader's NFKC would turn Chinese
#: punctuation (，：（）) into ASCII and an exported file would no longer round-trip.
FREE_TEXT = frozenset({cols.NAME, cols.ADDRESS, cols.NOTES})


def free_text(raw: tuple[object, ...], index: int) -> object:
    """The cell at ``index`` of a raw row, strings only trimmed."""
    value = raw[index] if index < len(raw) else None
    if isinstance(value, str):
        return value.strip() or None
    return value


@dataclass
class Places:
    """The station's communities and grids by name (spaces ignored) and by id."""

    communities: dict[str, uuid.UUID] = field(default_factory=dict)
    community_names: dict[uuid.UUID, str] = field(default_factory=dict)
    grids: dict[tuple[uuid.UUID, str], uuid.UUID] = field(default_factory=dict)
    grid_names: dict[uuid.UUID, str] = field(default_factory=dict)
    grid_community: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, station_id: uuid.UUID) -> Places:
        places = cls()
        for cid, name in session.execute(
            select(Community.id, Community.name).where(Community.station_id == station_id)
        ):
            places.communities[_key(name)] = cid
            places.community_names[cid] = name
        for gid, cid, name in session.execute(
            select(Grid.id, Grid.community_id, Grid.name).where(Grid.station_id == station_id)
        ):
            places.grids[(cid, _key(name))] = gid
            places.grid_names[gid] = name
            places.grid_community[gid] = cid
        return places

    def community(self, text: str) -> uuid.UUID:
        """The community named ``text`` (also without its 社区/村 suffix when unambiguous)."""
        if not text:
            raise ValidationError("所属社区不能为空。", field="community")
        name = _key(text)
        found = self.communities.get(name)
        if found is None:
            options = {self.communities.get(name + suffix) for suffix in ("社区", "村")}
            options.discard(None)
            if len(options) == 1:
                found = options.pop()
        if found is None:
            known = "、".join(sorted(self.community_names.values())[:10]) or "（尚未添加社区）"
            raise ValidationError(
                f"所属社区“{text}”在本站点不存在，请先在“社区与网格”中添加，"
                f"或改为已有的社区：{known}。",
                field="community",
            )
        return found

    def grid(self, community_id: uuid.UUID, text: str) -> uuid.UUID | None:
        if not text:
            return None
        found = self.grids.get((community_id, _key(text)))
        if found is None:
            community = self.community_names[community_id]
            known = "、".join(
                sorted(
                    n for g, n in self.grid_names.items() if self.grid_community[g] == community_id
                )
            )
            hint = f"该社区的网格有：{known}。" if known else "该社区尚未添加网格，可留空。"
            raise ValidationError(f"网格“{text}”不属于“{community}”，{hint}", field="grid")
        return found


@dataclass
class Checked:
    """A row that passed every check: what it said (``fields``) and the clean resident."""

    row_number: int
    fields: dict[str, object]  # ResidentInput keyword arguments from the columns present
    clean: CleanResident


def _id_number(value: object, errors: CellErrors) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        errors.append((cols.ID_NUMBER, NUMERIC_ID_MESSAGE))
        return ""
    text = cell_text(value)
    if "*" in text:
        errors.append((cols.ID_NUMBER, _MASKED_ID.format(value=text)))
    elif _SCIENTIFIC.fullmatch(text):
        errors.append((cols.ID_NUMBER, NUMERIC_ID_MESSAGE))
    return text


def masked_file_problem(data: SheetData) -> str | None:
    """One message for a masked export offered for import, instead of two per row."""
    masked: list[tuple[int, str]] = []
    filled = 0
    for row in data.rows:
        value = row.values.get(cols.ID_NUMBER)
        if value is None or value == "":
            continue
        filled += 1
        if isinstance(value, str) and "*" in value:
            masked.append((row.row_number, value))
    if len(masked) < MASKED_FILE_ROWS or len(masked) < MASKED_FILE_SHARE * filled:
        return None
    first_row, sample = masked[0]
    return (
        f"工作表“{data.sheet}”是隐藏了敏感信息的导出文件：{len(masked)} 行的证件号码含有“*”"
        f"（如第{first_row}行“{sample}”），不能用来导入或更新居民。请由有“查看敏感信息”权限的"
        "账户使用“完整导出”生成文件，或填写完整的证件号码后再导入。"
    )


def _guard(key: str, errors: CellErrors, parse: Callable[..., _T], *args: object) -> _T | None:
    """Run ``parse(*args)``; a ValidationError becomes an error of column ``key``."""
    try:
        return parse(*args)
    except ValidationError as exc:
        errors.append((key, exc.message))
        return None


def _as_text(key: str, value: object) -> str:
    """Cell text; strings from ``read_sheet`` are normalised already (free text: trimmed)."""
    if isinstance(value, str):
        return value.strip() if key in FREE_TEXT else value
    return cell_text(value)


def input_fields(
    values: Mapping[str, object], present: frozenset[str], places: Places, errors: CellErrors
) -> dict[str, object]:
    """``ResidentInput`` keyword arguments from the cells of the columns present."""
    out: dict[str, object] = {}
    text = {key: _as_text(key, values.get(key)) for key in present if key != cols.ID_NUMBER}
    out["name"] = text.get(cols.NAME, "")
    if cols.DOC_TYPE in present:
        out["doc_type"] = text[cols.DOC_TYPE] or DocType.ID_CARD.value
    out["id_number"] = _id_number(values.get(cols.ID_NUMBER), errors)
    for key in (cols.GENDER, cols.ADDRESS, cols.NOTES):
        if key in present:
            out[key] = text[key]
    if cols.PHONE in present:
        phone = text[cols.PHONE]
        if "*" in phone:
            errors.append((cols.PHONE, _MASKED_PHONE.format(value=phone)))
        out["phone"] = phone
    if cols.BIRTH_DATE in present:
        raw = values.get(cols.BIRTH_DATE)
        out["birth_date"] = (
            None if raw is None or raw == "" else _guard(cols.BIRTH_DATE, errors, _parse_birth, raw)
        )
    if cols.TAGS_KEY in present:
        tags = text[cols.TAGS_KEY]
        out["tags"] = (_guard(cols.TAGS_KEY, errors, parse_tags_text, tags) or {}) if tags else {}
    community = _guard(cols.COMMUNITY, errors, places.community, text.get(cols.COMMUNITY, ""))
    if isinstance(community, uuid.UUID):
        out["community_id"] = community
        if cols.GRID in present:
            out["grid_id"] = _guard(cols.GRID, errors, places.grid, community, text[cols.GRID])
    return out


def _parse_birth(raw: object) -> date:
    return parse_date(raw, field="birth_date")


def clean_fields(
    fields: Mapping[str, object], today: date
) -> tuple[CleanResident | None, CellErrors]:
    """``clean_resident`` over the fields; a ValidationError names its column."""
    try:
        return clean_resident(ResidentInput(**fields), today=today), []  # type: ignore[arg-type]
    except ValidationError as exc:
        key = cols.FIELD_KEYS.get(exc.field or "", "")
        return None, [(key, exc.message)]


def check_row(
    row_number: int,
    values: Mapping[str, object],
    present: frozenset[str],
    places: Places,
    today: date,
) -> Checked | CellErrors:
    """The checked row, or its errors (cell problems first; then the resident rules)."""
    errors: CellErrors = []
    fields = input_fields(values, present, places, errors)
    if errors:
        return errors
    clean, errors = clean_fields(fields, today)
    if clean is None:
        return errors
    return Checked(row_number, fields, clean)
