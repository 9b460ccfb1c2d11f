"""The command line end to end: init, demo, check, backup/restore, template, export, import.

Runs ``cli.main.run`` in-process on SQLite files (the commands open their own database).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from wushe_desktop.accounts import passwords
from wushe_desktop.cli.main import run

PASSWORD = "Zz123456"


@pytest.fixture(autouse=True)
def _cheap_hasher() -> Iterator[None]:
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


@pytest.fixture
def dbfile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("WUSHE_DB", str(path))
    monkeypatch.setenv("WUSHE_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("WUSHE_PASSWORD", PASSWORD)
    monkeypatch.setenv("WUSHE_USER", "zhanzhang")
    return path


@pytest.fixture
def station_db(dbfile: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(["init", "--station", "清河街道社工站", "--township", "清河街道",
                "--district", "清江浦区", "--admin", "zhanzhang"]) == 0  # fmt: skip
    assert run(["demo", "--scale", "small", "--seed", "7"]) == 0
    capsys.readouterr()
    return dbfile


def test_init_creates_station_and_director(
    dbfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["init", "--station", "清河街道社工站", "--township", "清河街道", "--admin", "zz"])
    out = capsys.readouterr().out
    assert code == 0
    assert "清河街道社工站" in out and "QHJDSGZ" in out
    assert dbfile.exists()


def test_init_without_password_is_a_usage_error(
    dbfile: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("WUSHE_ADMIN_PASSWORD")
    assert run(["init", "--station", "站", "--township", "镇", "--admin", "zz"]) == 2
    assert "WUSHE_ADMIN_PASSWORD" in capsys.readouterr().err


def test_usage_errors_exit_2_in_chinese(dbfile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["export", "residents", "--out", "x.xlsx", "--bogus"]) == 2
    err = capsys.readouterr().err
    assert "无法识别的参数：--bogus" in err
    assert run(["demo", "--scale", "huge"]) == 2
    assert "取值“huge”无效" in capsys.readouterr().err
    assert run([]) == 2  # no GUI handed in: the bare command line says how to use it


def test_check_reports_state_and_integrity(
    station_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check"]) == 0
    out = capsys.readouterr().out
    assert "已是最新版本" in out and "完整性检查：通过" in out


def test_export_reimport_changes_nothing(
    station_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "全部居民.xlsx"
    assert run(["export", "residents", "--out", str(out), "--full"]) == 0
    assert "已导出 2000 条居民记录" in capsys.readouterr().out
    assert run(["import", "residents", str(out)]) == 0
    assert "新增 0，修改 0，未变 2000，有错误 0 行" in capsys.readouterr().out


def test_export_is_masked_by_default(station_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "脱敏.xlsx"
    assert run(["export", "residents", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()  # a read-only workbook keeps its file open until closed
    header = list(rows[0])
    ids = [r[header.index(next(h for h in header if h and "证件号码" in str(h)))] for r in rows[1:]]
    assert ids and all("*" in str(v) for v in ids if v)


def test_full_export_refused_for_a_coordinator(
    station_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        ["export", "residents", "--out", str(tmp_path / "x.xlsx"), "--full", "--user", "luru1"]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "协调员" in err and "Traceback" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_wrong_password_is_rejected(
    station_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("WUSHE_PASSWORD", "wrong-pass1")
    assert run(["export", "residents", "--out", "x.xlsx"]) == 1
    assert "用户名或密码错误" in capsys.readouterr().err


def _messy_roster(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "名册"
    ws.append([" 联系电话 ", "姓名", "身份证号码", "所属社区", "出生日期", "重点人群标签"])
    ws.append(
        [
            "+86 139-0517-0001",
            " 王 小明 ",
            "１１０１０５１９４９１２３１００２ｘ",
            "社区不存在",
            None,
            "",
        ]
    )
    ws.append(["13905170002", "李四", "110105194912310021", None, None, ""])  # bad check digit
    ws.append(["13905170003", "赵五", 110105194912310020, None, None, ""])  # a number
    ws.append(["139 0517 0004", "钱六", "", None, "2024年3月5日", "留守儿童"])
    ws.append(["12345", "孙七", "", None, "2024-13-01", ""])
    wb.save(path)


def test_messy_roster_rows_come_back_with_reasons(
    station_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from wushe_desktop.infra.db.engine import Database
    from wushe_desktop.stations.models import Community

    db = Database.open(station_db)
    with db.reader() as s:
        community = s.query(Community).order_by(Community.name).first()
        assert community is not None
        name = community.name
    db.dispose()
    roster = tmp_path / "名册.xlsx"
    _messy_roster(roster)
    wb = openpyxl.load_workbook(roster)
    ws = wb.active
    assert ws is not None
    for row in (3, 4, 5, 6):
        ws.cell(row=row, column=4, value=name)
    wb.save(roster)

    code = run(["import", "residents", str(roster)])
    captured = capsys.readouterr()
    assert code == 1
    err = captured.err
    assert "第2行" in err and "社区不存在" in err
    assert "第3行" in err and "校验" in err
    assert "第4行" in err and "文本" in err
    assert "第6行" in err and ("电话" in err or "日期" in err)
    assert "新增 1" in captured.out  # 钱六 is fine
    error_book = tmp_path / "名册_错误.xlsx"
    assert error_book.exists()
    ws2 = openpyxl.load_workbook(error_book).worksheets[0]
    header = [c.value for c in ws2[1]]
    assert header[-1] == "错误原因"
    assert ws2.max_row == 1 + 4  # the four rejected rows, with their reasons


def test_strict_import_writes_nothing(
    station_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "名册.xlsx"
    _messy_roster(roster)
    assert run(["import", "residents", str(roster), "--strict"]) == 1
    assert "严格模式" in capsys.readouterr().out


def test_backup_and_restore(
    station_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "备份.db"
    assert run(["backup", "--out", str(copy)]) == 0
    assert copy.exists() and "已校验" in capsys.readouterr().out
    assert run(["restore", str(copy)]) == 0
    assert "已从" in capsys.readouterr().out
    assert run(["restore", str(tmp_path / "none.db")]) == 1
    assert "不存在" in capsys.readouterr().err


def test_template_has_station_communities(station_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    assert run(["template", "residents", "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert "填写说明" in wb.sheetnames
    assert wb.worksheets[0].data_validations.dataValidation  # drop-downs present
