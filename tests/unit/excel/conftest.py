from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from wushe_desktop.domain.masking import mask_id_number, mask_phone
from wushe_desktop.infra.excel import Column

ID_NUMBER = "320802199001011234"


@pytest.fixture
def columns() -> list[Column]:
    return [
        Column("姓名", "name", required=True, width=12),
        Column("性别", "gender", choices=("男", "女")),
        Column("出生日期", "birth_date", kind="date", width=12),
        Column("身份证号", "id_number", mask=mask_id_number, required=True, width=22),
        Column("联系电话", "phone", mask=mask_phone, width=16),
        Column("登记时间", "created_at", kind="datetime", width=18),
        Column("服务次数", "visits", kind="int"),
        Column("补贴金额", "subsidy_fen", kind="money_fen"),
        Column("独居", "lives_alone", kind="bool"),
        Column("备注", "notes", width=30),
    ]


@pytest.fixture
def sample_rows() -> list[dict[str, object]]:
    return [
        {
            "name": "张三",
            "gender": "男",
            "birth_date": date(1990, 1, 1),
            "id_number": ID_NUMBER,
            "phone": "13800001111",
            "created_at": datetime(2024, 3, 5, 9, 30),
            "visits": 3,
            "subsidy_fen": 123456,
            "lives_alone": True,
            "notes": "=1+1",
        },
        {
            "name": "李四",
            "gender": "女",
            "birth_date": None,
            "id_number": "11010519491231002X",
            "phone": None,
            "created_at": datetime(2024, 3, 5, 1, 30, tzinfo=UTC),
            "visits": 0,
            "subsidy_fen": 5,
            "lives_alone": False,
            "notes": "",
        },
    ]


def sheet_xml(path: Path, index: int = 1) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")


def leftovers(directory: Path) -> list[str]:
    """Files in ``directory`` (temporary files must never be left behind)."""
    return sorted(p.name for p in directory.iterdir())
