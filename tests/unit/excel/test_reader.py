from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from tests.unit.excel.conftest import ID_NUMBER, leftovers, sheet_xml
from wushe_desktop.domain.dates import parse_date
from wushe_desktop.infra.errors import Cancelled, ValidationError
from wushe_desktop.infra.excel import (
    Column,
    RowError,
    SheetData,
    read_sheet,
    write_error_workbook,
    write_table,
)
from wushe_desktop.infra.progress import CancelToken

COLUMNS = [
    Column("姓名", "name", required=True),
    Column("身份证号", "id_number", required=True),
    Column("出生日期", "birth_date", kind="date"),
    Column("联系电话", "phone"),
    Column("服务次数", "visits", kind="int"),
]
ALIASES = {"id_number": ["身份证号码", "证件号码"]}


def _xlsx(
    path: Path, rows: Sequence[Sequence[object]], *, title: str = "居民", at: str = "A1"
) -> Path:
    """A workbook as Excel writes it (shared strings, normal mode), data starting at ``at``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    start = ws[at]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = ws.cell(row=start.row + r, column=start.column + c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
    wb.save(path)
    return path


def test_columns_in_any_order_extra_columns_ignored(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "in.xlsx",
        [
            ["备用列", "联系电话", "身份证号", "姓名"],
            ["x", "13800001111", ID_NUMBER, "张三"],
        ],
    )
    data = read_sheet(path, COLUMNS)
    assert data.sheet == "居民" and data.header_row == 1
    assert data.headers == ["备用列", "联系电话", "身份证号", "姓名"]
    (row,) = data.rows
    assert row.row_number == 2
    assert row.values == {
        "name": "张三",
        "id_number": ID_NUMBER,
        "birth_date": None,
        "phone": "13800001111",
        "visits": None,
    }
    assert row.raw == ("x", "13800001111", ID_NUMBER, "张三")
    assert data.present_keys == {"name", "id_number", "phone"}
    assert data.header_of("id_number") == "身份证号"


def test_spaces_and_full_width_are_normalised(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "in.xlsx",
        [
            ["　姓  名　", "身份证号（必填）", "＊联系电话"],
            [
                "\u3000张三\u00a0",
                "３２０８０２１９９００１０１１２３４",
                " １３８００００１１１１ ",
            ],
        ],
    )
    (row,) = read_sheet(path, COLUMNS).rows
    assert row.values["name"] == "张三"
    assert row.values["id_number"] == ID_NUMBER
    assert row.values["phone"] == "13800001111"


def test_alias_headers_and_required_mark(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "in.xlsx", [["姓名*", "身份证号码"], ["张三", ID_NUMBER]])
    data = read_sheet(path, COLUMNS, aliases=ALIASES)
    assert data.rows[0].values["id_number"] == ID_NUMBER
    assert data.header_of("id_number") == "身份证号码"


def test_missing_required_header_names_columns_and_sheet(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "in.xlsx", [["联系电话", "备注"], ["13800001111", ""]], title="花名册")
    with pytest.raises(ValidationError) as caught:
        read_sheet(path, COLUMNS)
    message = str(caught.value)
    assert message.startswith("工作表“花名册”缺少必填列“姓名”、“身份证号”")
    assert "导入模板" in message


def test_no_known_header_at_all(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "in.xlsx", [["a", "b"], ["1", "2"]])
    with pytest.raises(ValidationError, match="没有可识别的列名"):
        read_sheet(path, [Column("姓名", "name")])


def test_duplicate_header_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "in.xlsx", [["姓名", "身份证号", "姓名 "], ["a", "b", "c"]])
    with pytest.raises(ValidationError, match="有两列都是“姓名”（A列和C列）"):
        read_sheet(path, COLUMNS)


def test_empty_sheet(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "in.xlsx", [])
    with pytest.raises(ValidationError, match="工作表“居民”是空的"):
        read_sheet(path, COLUMNS)


def test_row_numbers_blank_rows_and_offset_table(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "in.xlsx",
        [
            ["姓名", "身份证号"],
            ["张三", "1"],
            [None, None],
            ["  ", "\u3000"],
            ["李四", "2"],
        ],
        at="C3",
    )
    data = read_sheet(path, COLUMNS)
    assert data.header_row == 3
    assert [(r.row_number, r.values["name"]) for r in data.rows] == [(4, "张三"), (7, "李四")]


def test_title_rows_above_the_header(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "in.xlsx",
        [["居民名单"], ["导出时间：2024-03-05"], ["姓名", "身份证号"], ["张三", ID_NUMBER]],
    )
    data = read_sheet(path, COLUMNS)
    assert data.header_row == 3
    assert [r.row_number for r in data.rows] == [4]


def test_dates_in_every_form_pass_parse_date(tmp_path: Path) -> None:
    forms: list[object] = [
        date(2024, 3, 5),
        datetime(2024, 3, 5, 8, 0),
        "2024-3-5",
        "2024.3.5",
        "2024/03/05",
        "2024年3月5日",
        "２０２４年３月５日",
        "20240305",
        20240305,
        45356,
    ]
    path = _xlsx(
        tmp_path / "in.xlsx", [["姓名", "身份证号", "出生日期"], *[["a", "1", f] for f in forms]]
    )
    values = [row.values["birth_date"] for row in read_sheet(path, COLUMNS).rows]
    assert isinstance(values[0], date) and isinstance(values[1], datetime)
    assert [parse_date(v) for v in values] == [date(2024, 3, 5)] * len(forms)


def test_numbers_stay_numbers(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "in.xlsx",
        [
            ["姓名", "身份证号", "服务次数", "联系电话"],
            ["张三", 320802199001011234, 3, 13800001111],
            ["李四", "320802199001011234", 2.5, True],
        ],
    )
    first, second = read_sheet(path, COLUMNS).rows
    # The ID arrived as a number: Excel already lost digits; the caller must refuse it.
    assert isinstance(first.values["id_number"], int)
    assert first.values["id_number"] != 320802199001011234  # float lost the last digits
    assert first.values["visits"] == 3 and isinstance(first.values["visits"], int)
    assert first.values["phone"] == 13800001111
    assert second.values["id_number"] == ID_NUMBER
    assert second.values["visits"] == 2.5
    assert second.values["phone"] is True


def test_first_visible_sheet_is_read(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "旧数据"
    hidden.append(["姓名", "身份证号"])
    hidden.append(["不该读到", "0"])
    hidden.sheet_state = "hidden"
    visible = wb.create_sheet("居民")
    visible.append(["姓名", "身份证号"])
    visible.append(["张三", ID_NUMBER])
    wb.save(tmp_path / "in.xlsx")
    data = read_sheet(tmp_path / "in.xlsx", COLUMNS)
    assert data.sheet == "居民" and data.rows[0].values["name"] == "张三"


@pytest.mark.parametrize(
    "content", [b"name,id\nzhang,1\n", b"", b"PK\x03\x04 broken zip"], ids=["csv", "empty", "zip"]
)
def test_corrupt_file_message(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "名单.xlsx"
    path.write_bytes(content)
    with pytest.raises(
        ValidationError, match=r"^文件“名单\.xlsx”无法作为 Excel 工作簿读取："
    ) as caught:
        read_sheet(path, COLUMNS)
    assert caught.value.field == "file"


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ValidationError, match="无法作为 Excel 工作簿读取"):
        read_sheet(path, COLUMNS)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="不存在"):
        read_sheet(tmp_path / "none.xlsx", COLUMNS)


def test_round_trip_of_an_export(
    tmp_path: Path, columns: list[Column], sample_rows: list[dict[str, object]]
) -> None:
    path = tmp_path / "export.xlsx"
    write_table(path, columns, sample_rows, full=True, title_rows=["居民名单"])
    data = read_sheet(path, columns)
    assert data.header_row == 2
    first, second = data.rows
    assert first.values["name"] == "张三"
    assert first.values["id_number"] == ID_NUMBER
    assert first.values["birth_date"] == date(1990, 1, 1)
    assert first.values["created_at"] == datetime(2024, 3, 5, 9, 30)
    assert first.values["visits"] == 3
    assert first.values["subsidy_fen"] == pytest.approx(1234.56)
    assert first.values["lives_alone"] == "是"
    assert first.values["notes"] == "=1+1"  # read as the text it is, not a formula result
    assert second.values["birth_date"] is None
    assert second.values["id_number"] == "11010519491231002X"


def test_progress_and_cancel(tmp_path: Path) -> None:
    rows = [["姓名", "身份证号"], *[[f"人{i}", str(i)] for i in range(2500)]]
    path = _xlsx(tmp_path / "in.xlsx", rows)
    seen: list[float] = []
    data = read_sheet(path, COLUMNS, progress=lambda f, _s: seen.append(f))
    assert len(data.rows) == 2500
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 3

    token = CancelToken()

    def cancel_on_progress(fraction: float, _status: str) -> None:
        if fraction > 0:
            token.cancel()

    with pytest.raises(Cancelled):
        read_sheet(path, COLUMNS, progress=cancel_on_progress, cancel=token)


def test_row_error_text() -> None:
    assert str(RowError("居民", 12, "身份证号", "校验位不正确。")) == (
        "工作表“居民”第12行“身份证号”列：校验位不正确。"
    )
    assert str(RowError("居民", 3, "", "与第2行重复。")) == "工作表“居民”第3行：与第2行重复。"


def _bad_import(tmp_path: Path) -> tuple[SheetData, list[RowError]]:
    path = _xlsx(
        tmp_path / "in.xlsx",
        [
            ["姓名", "身份证号", "出生日期", "备注"],
            ["张三", ID_NUMBER, date(1990, 1, 1), "好"],
            ["李四", 320802199001011234, "2024-13-01", "=1+1"],
            ["王五", "", None, None],
            ["赵六", "1", "1990-1-1", ""],
        ],
    )
    data = read_sheet(path, COLUMNS)
    errors = [
        RowError(data.sheet, 3, "身份证号", "身份证号是数字格式，请把该列设为文本后重新填写。"),
        RowError(
            data.sheet, 3, "出生日期", "日期“2024-13-01”无法识别，请写成 2024-03-05 这样的格式。"
        ),
        RowError(data.sheet, 4, "身份证号", "身份证号不能为空。"),
        RowError(data.sheet, 4, "身份证号", "身份证号不能为空。"),  # duplicate message, once
    ]
    return data, errors


def test_error_workbook(tmp_path: Path) -> None:
    data, errors = _bad_import(tmp_path)
    out = tmp_path / "错误行.xlsx"
    write_error_workbook(out, data, errors)

    assert "<f>" not in sheet_xml(out)
    ws = openpyxl.load_workbook(out)["居民"]
    assert [c.value for c in ws[1]] == ["姓名", "身份证号", "出生日期", "备注", "错误原因"]
    assert ws.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 2
    assert rows[0][0] == "李四" and rows[0][2] == "2024-13-01" and rows[0][3] == "=1+1"
    assert ws["D2"].data_type == "s"
    assert rows[0][4] == (
        "身份证号：身份证号是数字格式，请把该列设为文本后重新填写；"
        "出生日期：日期“2024-13-01”无法识别，请写成 2024-03-05 这样的格式。"
    )
    assert rows[1][0] == "王五" and rows[1][4] == "身份证号：身份证号不能为空。"
    # The ID column is text-formatted, also where it is empty or held a number.
    assert ws["B2"].number_format == "@" and ws["B3"].number_format == "@"
    assert ws["B3"].value is None
    assert leftovers(tmp_path) == ["in.xlsx", "错误行.xlsx"]


def test_error_workbook_reimports(tmp_path: Path) -> None:
    data, errors = _bad_import(tmp_path)
    out = tmp_path / "错误行.xlsx"
    write_error_workbook(out, data, errors)
    again = read_sheet(out, COLUMNS)
    assert [r.values["name"] for r in again.rows] == ["李四", "王五"]
    assert again.rows[0].values["birth_date"] == "2024-13-01"
    assert again.headers[-1] == "错误原因"


def test_error_workbook_keeps_dates_as_dates(tmp_path: Path) -> None:
    data, _ = _bad_import(tmp_path)
    out = tmp_path / "e.xlsx"
    write_error_workbook(out, data, [RowError(data.sheet, 2, "", "与已有居民重复。")])
    ws = openpyxl.load_workbook(out)["居民"]
    assert ws["C2"].is_date and ws["C2"].value == datetime(1990, 1, 1)
    assert ws["E2"].value == "与已有居民重复。"


def test_error_workbook_of_an_error_workbook_has_one_reason_column(tmp_path: Path) -> None:
    data, errors = _bad_import(tmp_path)
    first = tmp_path / "错误行.xlsx"
    write_error_workbook(first, data, errors)
    again = read_sheet(first, COLUMNS)
    second = tmp_path / "错误行2.xlsx"
    write_error_workbook(second, again, [RowError(again.sheet, 3, "姓名", "新的问题。")])
    ws = openpyxl.load_workbook(second)["居民"]
    assert [c.value for c in ws[1]] == ["姓名", "身份证号", "出生日期", "备注", "错误原因"]
    assert [c.value for c in ws[2]] == ["王五", None, None, None, "姓名：新的问题。"]
