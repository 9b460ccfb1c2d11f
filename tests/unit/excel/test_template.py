from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.unit.excel.conftest import leftovers
from wushe_desktop.infra.excel import Column, read_sheet, write_template

COMMUNITIES = tuple(
    f"幸福里第{i}社区居民委员会" for i in range(1, 30)
)  # too long for a literal list


@pytest.fixture
def template(tmp_path: Path, columns: list[Column]) -> Path:
    path = tmp_path / "居民导入模板.xlsx"
    cols = [*columns, Column("所属社区", "community", choices=COMMUNITIES, required=True)]
    write_template(
        path,
        cols,
        sheet_title="居民",
        instructions=["每位居民一行。", "=不是公式"],
        example={
            "name": "张三",
            "id_number": "320802199001011234",
            "birth_date": date(1990, 1, 1),
            "subsidy_fen": 12345,
            "lives_alone": True,
        },
    )
    return path


def _validation_for(ws: openpyxl.worksheet.worksheet.Worksheet, letter: str) -> str:
    for validation in ws.data_validations.dataValidation:
        if any(str(r).startswith(f"{letter}2") for r in validation.sqref.ranges):
            assert validation.type == "list"
            return str(validation.formula1)
    raise AssertionError(f"no drop-down on column {letter}")


def test_sheets_and_headers(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames[:2] == ["居民", "填写说明"]
    ws = wb["居民"]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "姓名*" and headers[1] == "性别" and headers[3] == "身份证号*"
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws.column_dimensions["D"].width == 22
    assert ws["A1"].comment is None  # no note on this column
    assert leftovers(template.parent) == [template.name]


def test_drop_downs(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    ws = wb["居民"]
    assert _validation_for(ws, "B") == '"男,女"'
    assert _validation_for(ws, "I") == '"是,否"'  # bool columns get 是/否
    long_list = _validation_for(ws, "K")
    assert long_list.startswith("'选项'!$K$1:$K$29")
    options = wb["选项"]
    assert options.sheet_state == "hidden"
    assert [options.cell(row=i, column=11).value for i in (1, 29)] == [
        COMMUNITIES[0],
        COMMUNITIES[28],
    ]


def test_text_columns_preformatted_as_text(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["居民"]
    for row in (2, 500, 2001):
        assert ws.cell(row=row, column=4).number_format == "@"  # 身份证号
        assert ws.cell(row=row, column=3).number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["D"].number_format == "@"  # rows beyond 2001 too


def test_instructions_sheet(template: Path) -> None:
    info = openpyxl.load_workbook(template)["填写说明"]
    values = [[c.value for c in row] for row in info.iter_rows()]
    flat = [v for row in values for v in row if v is not None]
    assert "每位居民一行。" in flat and "=不是公式" in flat
    header_at = next(
        i for i, row in enumerate(values) if row[:4] == ["列名", "是否必填", "说明", "可选值"]
    )
    table = values[header_at + 1 : header_at + 12]
    assert table[0][:2] == ["姓名", "必填"]
    assert table[1][:2] == ["性别", "选填"] and table[1][3] == "男、女"
    assert "2024-03-05" in table[2][2]  # date hint
    assert table[10][3].startswith(COMMUNITIES[0])
    example_header = next(
        i for i, row in enumerate(values) if row[:1] == ["姓名"] and i > header_at + 11
    )
    example = values[example_header + 1]
    assert example[0] == "张三" and example[3] == "320802199001011234"
    assert example[2].date() == date(1990, 1, 1)
    assert example[7] == pytest.approx(123.45) and example[8] == "是"


def test_empty_template_reads_back_with_no_rows(template: Path, columns: list[Column]) -> None:
    cols = [*columns, Column("所属社区", "community", choices=COMMUNITIES, required=True)]
    data = read_sheet(template, cols)
    assert data.sheet == "居民"
    assert data.rows == []
    assert data.present_keys == {c.key for c in cols}
