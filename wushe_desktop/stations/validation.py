"""The rules for a station, a community (社区/村) and a grid (网格), in one place.

Pure: no session. The services apply them before writing; the GUI dialogs call the same
functions as the user types, so a form never accepts what the core would refuse.
Name uniqueness needs the database and stays in ``stations.service``.
"""

from __future__ import annotations

from dataclasses import dataclass

from wushe_desktop.infra.errors import ValidationError

__all__ = [
    "COMMUNITY_KINDS",
    "COMMUNITY_NAME_MAX",
    "GRID_NAME_MAX",
    "MAX_COUNT",
    "STATION_TEXT_MAX",
    "WORKER_NAME_MAX",
    "CommunityFields",
    "GridFields",
    "clean_text",
    "validate_community_fields",
    "validate_grid_fields",
    "validate_station_code",
]

COMMUNITY_KINDS = ("社区", "村")
MAX_COUNT = 10_000_000  # population/households: far above any township, far below int32
COMMUNITY_NAME_MAX = 50
GRID_NAME_MAX = 50
WORKER_NAME_MAX = 50
STATION_TEXT_MAX = 100
STATION_CODE_MAX = 40


@dataclass(frozen=True)
class CommunityFields:
    name: str
    kind: str
    population: int
    households: int


@dataclass(frozen=True)
class GridFields:
    name: str
    worker_name: str
    worker_phone: str  # normalised, "" when not given


def clean_text(value: str, label: str, field: str, max_len: int, *, required: bool = True) -> str:
    """Trimmed text; refused when required and empty, or longer than ``max_len``."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"请填写{label}。", field=field)
    if len(text) > max_len:
        raise ValidationError(f"{label}不能超过 {max_len} 个字。", field=field)
    return text


def _count(value: int, label: str, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label}必须是整数。", field=field)
    if value < 0:
        raise ValidationError(f"{label}不能为负数。", field=field)
    if value > MAX_COUNT:
        raise ValidationError(f"{label}超出合理范围（不超过 1000 万）。", field=field)
    return value


def _kind(value: str) -> str:
    kind = (value or "").strip()
    if kind not in COMMUNITY_KINDS:
        raise ValidationError("类型只能是“社区”或“村”。", field="kind")
    return kind


def validate_station_code(value: str) -> str:
    code = (value or "").strip()
    if not code:
        raise ValidationError("请填写站点编码。", field="code")
    if not (code.isascii() and code.isalnum()):
        raise ValidationError("站点编码只能包含英文字母和数字。", field="code")
    if len(code) > STATION_CODE_MAX:
        raise ValidationError(f"站点编码不能超过 {STATION_CODE_MAX} 个字符。", field="code")
    return code


def validate_community_fields(
    *, name: str, kind: str = "社区", population: int = 0, households: int = 0
) -> CommunityFields:
    """A community's fields as typed → stored values; ``ValidationError`` names the field.

    Every household has at least one member, so once the population is known the
    households cannot outnumber it (0 means "not filled in").
    """
    fields = CommunityFields(
        name=clean_text(name, "社区（村）名称", "name", COMMUNITY_NAME_MAX),
        kind=_kind(kind),
        population=_count(population, "人口数", "population"),
        households=_count(households, "户数", "households"),
    )
    if fields.households > fields.population > 0:
        raise ValidationError(
            f"户数（{fields.households:,}）不能多于常住人口（{fields.population:,}），请核对。",
            field="households",
        )
    return fields


def validate_grid_fields(*, name: str, worker_name: str = "", worker_phone: str = "") -> GridFields:
    """A grid's fields as typed → stored values (the worker's phone normalised)."""
    return GridFields(
        name=clean_text(name, "网格名称", "name", GRID_NAME_MAX),
        worker_name=clean_text(
            worker_name, "网格员姓名", "worker_name", WORKER_NAME_MAX, required=False
        ),
        worker_phone=_phone(worker_phone),
    )


def _phone(value: str) -> str:
    text = (value or "").strip()
    if not text:
        return ""
    from wushe_desktop.domain.phone import normalize_phone

    try:
        return normalize_phone(text)
    except ValidationError as exc:
        raise ValidationError(f"网格员电话：{exc.message}", field="worker_phone") from exc
