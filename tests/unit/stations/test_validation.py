"""The community and grid rules the services apply and the dialogs check as you type."""

from __future__ import annotations

import pytest

from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.stations.validation import (
    CommunityFields,
    GridFields,
    validate_community_fields,
    validate_grid_fields,
    validate_station_code,
)


def test_a_community_is_trimmed_and_kept() -> None:
    assert validate_community_fields(
        name=" 清河社区 ", kind="村", population=3200, households=1100
    ) == CommunityFields("清河社区", "村", 3200, 1100)
    assert validate_community_fields(name="里河村") == CommunityFields("里河村", "社区", 0, 0)
    # households without a known population are allowed (0 = not filled in)
    assert validate_community_fields(name="x", households=10).households == 10


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "　"}, "name", "请填写社区（村）名称。"),
        ({"name": "社" * 51}, "name", "社区（村）名称不能超过 50 个字。"),
        ({"kind": "街道"}, "kind", "类型只能是“社区”或“村”。"),
        ({"population": -1}, "population", "人口数不能为负数。"),
        ({"households": 10_000_001}, "households", "户数超出合理范围（不超过 1000 万）。"),
        ({"population": True}, "population", "人口数必须是整数。"),
        (
            {"population": 1_000, "households": 1_001},
            "households",
            "户数（1,001）不能多于常住人口（1,000），请核对。",
        ),
    ],
)
def test_community_mistakes_name_their_field(
    fields: dict[str, object], field: str, message: str
) -> None:
    values: dict[str, object] = {"name": "清河社区", **fields}
    with pytest.raises(ValidationError) as info:
        validate_community_fields(**values)  # type: ignore[arg-type]
    assert info.value.field == field and info.value.message == message


def test_a_grid_normalises_the_workers_phone() -> None:
    assert validate_grid_fields(
        name=" 第一网格 ", worker_name=" 王芳 ", worker_phone="+86 138-1234-5678"
    ) == GridFields("第一网格", "王芳", "13812345678")
    assert validate_grid_fields(name="第二网格") == GridFields("第二网格", "", "")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "网" * 51}, "name"),
        ({"worker_name": "王" * 51}, "worker_name"),
        ({"worker_phone": "12345"}, "worker_phone"),
    ],
)
def test_grid_mistakes_name_their_field(fields: dict[str, str], field: str) -> None:
    values = {"name": "第一网格", **fields}
    with pytest.raises(ValidationError) as info:
        validate_grid_fields(**values)
    assert info.value.field == field
    if field == "worker_phone":
        assert info.value.message.startswith("网格员电话：")


def test_station_code() -> None:
    assert validate_station_code(" QH01 ") == "QH01"
    for bad in ("", "清河", "a-b", "x" * 41):
        with pytest.raises(ValidationError):
            validate_station_code(bad)
