from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from tests.unit.excel.conftest import ID_NUMBER, leftovers, sheet_xml
from wushe_desktop.infra.errors import Cancelled, WusheError
from wushe_desktop.infra.excel import Column, write_table
from wushe_desktop.infra.progress import CancelToken


def _load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def test_layout_headers_frozen_widths_filter(
    tmp_path: Path, columns: list[Column], sample_rows: list[dict[str, object]]
) -> None:
    path = tmp_path / "居民.xlsx"
    assert write_table(path, columns, sample_rows, sheet_title="居民") == 2

    ws = _load(path)["居民"]
    assert [c.value for c in ws[1]] == [c.header for c in columns]
    assert all(c.font.bold for c in ws[1])
    assert ws["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 12
    assert ws.column_dimensions["D"].width == 22
    assert ws.auto_filter.ref == "A1:J3"
    assert ws.max_row == 3
    assert leftovers(tmp_path) == ["居民.xlsx"]


def test_cell_types_and_formats(
    tmp_path: Path, columns: list[Column], sample_rows: list[dict[str, object]]
) -> None:
    path = tmp_path / "out.xlsx"
    write_table(path, columns, sample_rows, full=True)
    ws = _load(path)["数据"]

    birth = ws["C2"]
    assert birth.is_date and birth.value == datetime(1990, 1, 1)
    assert birth.number_format == "yyyy-mm-dd"
    assert ws["C3"].value is None

    id_cell = ws["D2"]
    assert id_cell.value == ID_NUMBER and id_cell.data_type == "s"
    assert id_cell.number_format == "@"
    assert ws["D3"].value == "11010519491231002X"

    created = ws["F2"]
    assert created.value == datetime(2024, 3, 5, 9, 30)
    assert created.number_format == "yyyy-mm-dd hh:mm"
    # An aware time (stored as UTC) is shown in local time, without a time zone.
    expected_local = sample_rows[1]["created_at"].astimezone().replace(tzinfo=None)  # type: ignore[union-attr]
    assert ws["F3"].value == expected_local

    assert ws["G2"].value == 3 and ws["G3"].value == 0
    assert ws["H2"].value == pytest.approx(1234.56)
    assert ws["H2"].number_format == "#,##0.00"
    assert ws["H3"].value == pytest.approx(0.05)
    assert ws["I2"].value == "是" and ws["I3"].value == "否"
    assert ws["J3"].value is None


def test_masked_unless_full(
    tmp_path: Path, columns: list[Column], sample_rows: list[dict[str, object]]
) -> None:
    masked, full = tmp_path / "masked.xlsx", tmp_path / "full.xlsx"
    write_table(masked, columns, sample_rows)
    write_table(full, columns, sample_rows, full=True)

    ws = _load(masked)["数据"]
    assert ws["D2"].value == "320802********1234"
    assert ws["E2"].value == "138****1111"
    assert ws["A2"].value == "张三"  # no mask on this column
    assert ID_NUMBER not in sheet_xml(masked)

    ws = _load(full)["数据"]
    assert ws["D2"].value == ID_NUMBER
    assert ws["E2"].value == "13800001111"


def test_mask_on_a_date_column_writes_masked_text(tmp_path: Path) -> None:
    column = Column("出生日期", "birth", kind="date", mask=lambda s: s[:4] + "-**-**")
    path = tmp_path / "m.xlsx"
    write_table(path, [column], [{"birth": date(1990, 5, 6)}])
    assert _load(path)["数据"]["A2"].value == "1990-**-**"


FORMULA_LIKE = ["=1+1", "+8613800001111", "-5", "@SUM(A1:A2)", ' =HYPERLINK("x")', "\t=1", "#N/A"]


def test_formula_like_text_is_written_as_plain_strings(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    columns = [Column("备注", "notes"), Column("次数", "n", kind="int")]
    write_table(path, columns, [{"notes": v, "n": "=2+2"} for v in FORMULA_LIKE])

    xml = sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    ws = _load(path)["数据"]
    for row, expected in enumerate(FORMULA_LIKE, start=2):
        cell = ws.cell(row=row, column=1)
        assert cell.value == expected
        assert cell.data_type == "s"
        # A wrong type in a typed column falls back to (escaped) text as well.
        assert ws.cell(row=row, column=2).value == "=2+2"
        assert ws.cell(row=row, column=2).data_type == "s"
    # Excel's leading apostrophe keeps them text when someone edits the cell.
    assert ws["A2"].quotePrefix and ws["A3"].quotePrefix and ws["A5"].quotePrefix
    assert not ws["A8"].quotePrefix  # "#N/A" is a string cell, not formula-like


def test_rows_may_be_objects_and_missing_keys_are_empty(tmp_path: Path) -> None:
    path = tmp_path / "o.xlsx"
    columns = [Column("姓名", "name"), Column("地址", "address")]
    rows = [SimpleNamespace(name="王五", address="淮安市"), SimpleNamespace(name="赵六")]
    write_table(path, columns, rows)
    write_table(tmp_path / "m.xlsx", columns, [{"name": "钱七"}])
    ws = _load(path)["数据"]
    assert [[c.value for c in r] for r in ws.iter_rows(min_row=2)] == [
        ["王五", "淮安市"],
        ["赵六", None],
    ]
    assert _load(tmp_path / "m.xlsx")["数据"]["A2"].value == "钱七"


def test_title_rows_move_the_header_down(tmp_path: Path, columns: list[Column]) -> None:
    path = tmp_path / "t.xlsx"
    write_table(path, columns, [{"name": "张三"}], title_rows=["居民名单", "导出时间：2024-03-05"])
    ws = _load(path)["数据"]
    assert ws["A1"].value == "居民名单" and ws["A1"].font.bold
    assert ws["A3"].value == "姓名"
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == "A3:J4"


def test_illegal_control_characters_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    write_table(path, [Column("备注", "notes")], [{"notes": "第一行\x0b第二行\x00"}])
    assert _load(path)["数据"]["A2"].value == "第一行第二行"


def test_long_sheet_title_and_bad_characters(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_table(path, [Column("a", "a")], [], sheet_title="居民/名单[2024]:" + "很" * 40)
    title = _load(path).sheetnames[0]
    assert len(title) == 31 and "/" not in title and "[" not in title


def test_progress_reports_and_finishes(tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    rows = ({"a": str(i)} for i in range(2500))
    written = write_table(
        tmp_path / "p.xlsx",
        [Column("a", "a")],
        rows,
        total=2500,
        progress=lambda f, s: seen.append((f, s)),
    )
    assert written == 2500
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0
    assert any("1000 / 2500" in s for _, s in seen)


def test_cancel_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    path.write_bytes(b"old export")
    token = CancelToken()

    def rows() -> Iterator[dict[str, object]]:
        for i in range(5000):
            if i == 1500:
                token.cancel()
            yield {"a": str(i)}

    with pytest.raises(Cancelled):
        write_table(path, [Column("a", "a")], rows(), cancel=token)
    assert path.read_bytes() == b"old export"
    assert leftovers(tmp_path) == ["c.xlsx"]


def test_cancel_before_any_file_exists(tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        write_table(tmp_path / "x.xlsx", [Column("a", "a")], [{"a": "1"}], cancel=token)
    assert leftovers(tmp_path) == []


def test_error_while_reading_rows_leaves_no_file(tmp_path: Path) -> None:
    def rows() -> Iterator[dict[str, object]]:
        yield {"a": "1"}
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write_table(tmp_path / "x.xlsx", [Column("a", "a")], rows())
    assert leftovers(tmp_path) == []


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WusheError, match=r"文件夹.*不存在"):
        write_table(tmp_path / "nope" / "x.xlsx", [Column("a", "a")], [])


def test_money_is_exact_decimal_yuan(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    write_table(path, [Column("金额", "m", kind="money_fen")], [{"m": 10}, {"m": 199999999}])
    ws = _load(path)["数据"]
    assert Decimal(str(ws["A2"].value)) == Decimal("0.1")
    assert Decimal(str(ws["A3"].value)) == Decimal("1999999.99")


def test_more_rows_than_a_sheet_holds_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wushe_desktop.infra.excel import writer

    monkeypatch.setattr(writer, "MAX_SHEET_ROWS", 4)
    write_table(tmp_path / "ok.xlsx", [Column("a", "a")], [{"a": "1"}] * 3)
    with pytest.raises(WusheError, match="超过 Excel 单个工作表的上限"):
        write_table(tmp_path / "big.xlsx", [Column("a", "a")], [{"a": "1"}] * 4)
    assert leftovers(tmp_path) == ["ok.xlsx"]
