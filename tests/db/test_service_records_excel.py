"""Service records ⇄ Excel: template, import edge cases (matching residents, accounts,
identical rows as a multiset, errors, strict, dry run), export masking and round trip,
and the command-line exchanges (service-records, cases)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.db.case_support import Staff, make_staff
from tests.db.residents_support import make_id
from tests.db.service_support import make_resident
from wushe_desktop.accounts import passwords
from wushe_desktop.cli.main import run
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied
from wushe_desktop.models import Station
from wushe_desktop.service_records import search
from wushe_desktop.service_records.excel_columns import write_service_template
from wushe_desktop.service_records.exporter import export_service_records
from wushe_desktop.service_records.importer import import_service_records

HEADERS = ["服务日期", "服务类型", "服务对象姓名", "证件号码", "参与人数", "社区（村）",
           "服务人员", "服务时长（分钟）", "服务内容", "亮点"]  # fmt: skip
ELDER_ID = make_id(date(1950, 4, 1), 124)


@pytest.fixture
def staff(db: Database, station: Station) -> Staff:
    return make_staff(db, station)


def _book(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_template_has_the_columns_and_communities(
    db: Database, staff: Staff, tmp_path: Path
) -> None:
    with db.reader() as s:
        write_service_template(tmp_path / "t.xlsx", s, staff.director)
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers[0] == "服务日期*" and "服务人员*" in headers
    formulas = [v.formula1 for v in wb.worksheets[0].data_validations.dataValidation]
    assert any("清河社区" in f for f in formulas) and any("电话回访" in f for f in formulas)


def test_import_matches_residents_accounts_and_counts(
    db: Database, staff: Staff, tmp_path: Path
) -> None:
    make_resident(db, staff.places, "张伟", date(1960, 1, 1), 131)
    make_resident(db, staff.places, "张伟", date(1961, 1, 1), 133)  # two of that name
    rows: list[list[object]] = [
        ["2024-03-05", "探访", "王秀英", ELDER_ID, None, None, "shegong1", 30, "上门探望", "是"],
        ["2024/3/6", "咨询", "王秀英", "", None, None, "网格员老李", 15, "政策咨询", None],
        ["2024-03-07", "社区活动", None, None, 40, "里河村", "shegong2", 120, "重阳节活动", None],
        [
            "2024-03-08",
            "咨询",
            "李小宝",
            "320802********1234",
            None,
            None,
            "shegong1",
            10,
            "",
            None,
        ],
        ["2024-03-09", "咨询", "张伟", None, None, None, "shegong1", 10, "", None],
        ["2024-03-10", "社区活动", None, None, 20, None, "shegong1", 60, "", None],
        ["2024-02-30", "咨询", "王秀英", ELDER_ID, None, None, "shegong1", 10, "", None],
        ["2024-03-11", "聊天", "王秀英", ELDER_ID, None, None, "shegong1", 10, "", None],
        ["2024-03-12", "咨询", "赵六", None, None, None, "shegong1", 10, "", None],
        ["2024-03-13", "咨询", "李四", ELDER_ID, None, None, "shegong1", 10, "", None],
    ]
    path = _book(tmp_path / "历史.xlsx", rows)
    report = import_service_records(db, staff.worker, path)
    assert (report.total, report.created, report.unchanged) == (10, 3, 0)
    reasons = {e.row: (e.column, e.message) for e in report.errors}
    assert reasons[5][0] == "证件号码" and "请核对" in reasons[5][1]  # masked number, not hers
    assert "2 位名为“张伟”" in reasons[6][1]
    assert reasons[7][0] == "社区(村)"  # headers come back NFKC-normalised
    assert reasons[8][0] == "服务日期"
    assert reasons[9][0] == "服务类型"
    assert "未在本站登记" in reasons[10][1]
    assert "不一致" in reasons[11][1]
    assert report.error_workbook is not None and report.error_workbook.exists()
    with db.reader() as s:
        rows_in = search.search(s, staff.director, search.ServiceRecordQuery()).rows
    by_type = {r.service_type: r for r in rows_in}
    assert by_type["探访"].worker_id == staff.worker.user_id and by_type["探访"].is_highlight
    assert by_type["咨询"].worker_id is None and by_type["咨询"].worker_name == "网格员老李"
    assert by_type["社区活动"].attendances == 40
    again = import_service_records(db, staff.worker, path)
    assert (again.created, again.unchanged) == (0, 3)


def test_identical_rows_count_as_a_multiset(db: Database, staff: Staff, tmp_path: Path) -> None:
    row: list[object] = [
        "2024-03-05",
        "咨询",
        "王秀英",
        ELDER_ID,
        None,
        None,
        "shegong1",
        15,
        "",
        None,
    ]
    first = import_service_records(db, staff.worker, _book(tmp_path / "a.xlsx", [row]))
    assert first.created == 1
    both = import_service_records(db, staff.worker, _book(tmp_path / "b.xlsx", [row, row]))
    assert (both.created, both.unchanged) == (1, 1)  # the same service twice that day


def test_strict_and_dry_run_write_nothing(db: Database, staff: Staff, tmp_path: Path) -> None:
    good: list[object] = [
        "2024-03-05",
        "咨询",
        "王秀英",
        ELDER_ID,
        None,
        None,
        "shegong1",
        15,
        "",
        None,
    ]
    bad: list[object] = [
        "2024-03-05",
        "咨询",
        "王秀英",
        ELDER_ID,
        None,
        None,
        "shegong1",
        -5,
        "",
        None,
    ]
    path = _book(tmp_path / "x.xlsx", [good, bad])
    strict = import_service_records(db, staff.worker, path, strict=True)
    assert strict.aborted and strict.created == 0
    dry = import_service_records(db, staff.worker, path, dry_run=True)
    assert dry.created == 1 and dry.dry_run
    with db.reader() as s:
        assert search.count(s, staff.worker, search.ServiceRecordQuery()) == 0
    with pytest.raises(PermissionDenied):
        import_service_records(db, staff.supervisor, path)


def test_export_masks_and_reimports_unchanged(db: Database, staff: Staff, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["2024-03-05", "探访", "王秀英", ELDER_ID, None, None, "shegong1", 30, "上门探望", None],
        ["2024-03-06", "咨询", "李小宝", None, None, None, "shegong1", 20, "学业咨询", None],
    ]
    import_service_records(db, staff.worker, _book(tmp_path / "in.xlsx", rows))
    out = tmp_path / "out.xlsx"
    assert export_service_records(db, staff.worker, search.ServiceRecordQuery(), out) == 2
    ws = openpyxl.load_workbook(out).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values[0]
    text = {r[header.index("服务对象姓名")]: r for r in values[1:]}
    assert "*" in text["王秀英"][header.index("证件号码")]  # masked
    assert text["李小宝"][header.index("服务内容")] == "（未成年人服务内容已隐藏）"
    assert text["王秀英"][header.index("服务内容")] == "上门探望"
    again = import_service_records(db, staff.worker, out)
    assert (again.created, again.unchanged, again.errors) == (0, 2, [])
    with pytest.raises(PermissionDenied):
        export_service_records(db, staff.worker, search.ServiceRecordQuery(), out, full=True)


# --------------------------------------------------------------------------- command line


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    passwords.set_hasher(passwords.cheap_hasher())
    path = tmp_path / "cli.db"
    for key, value in {"WUSHE_DB": str(path), "WUSHE_ADMIN_PASSWORD": "Zz123456",
                       "WUSHE_PASSWORD": "Zz123456", "WUSHE_USER": "zhanzhang"}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    assert run(["init", "--station", "清河街道社工站", "--township", "清河街道",
                "--admin", "zhanzhang"]) == 0  # fmt: skip
    yield path
    passwords.set_hasher(None)


def test_cli_exchanges(cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["demo", "--scale", "small", "--seed", "3"]) == 0
    capsys.readouterr()
    assert run(["template", "service-records", "--out", str(tmp_path / "t.xlsx")]) == 0
    assert (tmp_path / "t.xlsx").exists()
    out = tmp_path / "sr.xlsx"
    assert run(["export", "service-records", "--out", str(out),
                "--from", "2025-01-01", "--to", "2025-01-31"]) == 0  # fmt: skip
    ws = openpyxl.load_workbook(out).worksheets[0]
    days = [row[0].value for row in ws.iter_rows(min_row=2)]
    assert days and all(d.year == 2025 and d.month == 1 for d in days if d)
    capsys.readouterr()
    assert run(["import", "service-records", str(out)]) == 0
    assert "新增 0" in capsys.readouterr().out
    assert run(["export", "cases", "--out", str(tmp_path / "c.xlsx")]) == 0
    rows = list(
        openpyxl.load_workbook(tmp_path / "c.xlsx").worksheets[0].iter_rows(values_only=True)
    )
    assert rows[0][0] == "个案编号" and len(rows) > 100
    assert run(["import", "cases", str(out)]) != 0
