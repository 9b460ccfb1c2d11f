"""``package export|import|init-district`` and ``report district`` end to end on two SQLite
files: two stations export, a district database imports both and prints the district
report (stations side by side, rankings)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.db.reports_support import build
from wushe_desktop.accounts import passwords
from wushe_desktop.cli.main import run
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Station

PASSWORD = "Zz123456"


@pytest.fixture(autouse=True)
def _cheap_hasher() -> Iterator[None]:
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


def _station(tmp_path: Path, name: str, code: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / f"{code}.db"
    monkeypatch.setenv("WUSHE_DB", str(path))
    assert run(["init", "--station", name, "--township", name[:4], "--district", "清江浦区",
                "--code", code, "--admin", "zhanzhang"]) == 0  # fmt: skip
    db = Database.open(path)
    with db.reader() as s:
        station = s.scalars(select(Station).where(Station.code == code)).one()
    build(db, station, other=False)
    db.dispose()
    return path


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WUSHE_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("WUSHE_PASSWORD", PASSWORD)
    monkeypatch.setenv("WUSHE_USER", "zhanzhang")


def test_two_stations_to_the_district(
    env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    packages = []
    for name, code in (("清河街道社工站", "QH"), ("淮海街道社工站", "HH")):
        _station(tmp_path, name, code, monkeypatch)
        out = tmp_path / f"{code}.wspkg"
        assert run(["package", "export", "--all", "--to", "2026-11-30", "--out", str(out)]) == 0
        assert "已导出" in capsys.readouterr().out
        packages.append(out)
    district_db = tmp_path / "district.db"
    monkeypatch.setenv("WUSHE_DB", str(district_db))
    assert run(["package", "init-district", "--admin", "quji"]) == 0
    monkeypatch.setenv("WUSHE_USER", "quji")
    broken = tmp_path / "broken.wspkg"
    broken.write_text("not a package", encoding="utf-8")
    capsys.readouterr()
    assert run(["package", "import", *map(str, packages), str(broken)]) == 1
    captured = capsys.readouterr()
    assert captured.out.count("已导入") == 2 and "冲突 0 条" in captured.out
    assert "不是五社联动工作站的数据包" in captured.err
    # Importing again changes nothing.
    assert run(["package", "import", str(packages[0])]) == 0
    assert "新增 0 条，更新 0 条" in capsys.readouterr().out
    pdf, xlsx = tmp_path / "全区.pdf", tmp_path / "全区.xlsx"
    assert run(["report", "district", "--month", "2026-03", "--out", str(pdf),
                "--xlsx", str(xlsx), "--json"]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    assert data["figures"]["services.records"] == 10  # 5 per station
    assert [s["name"] for s in data["stations"]] == ["淮海街道社工站", "清河街道社工站"]
    assert all(s["figures"]["services.attendances"] == 14 for s in data["stations"])
    assert pdf.read_bytes()[:5] == b"%PDF-"
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert {"各站对比", "站点排名", "社区排名"} <= set(wb.sheetnames)
    rows = {r[0]: r[3:] for r in wb["各站对比"].iter_rows(min_row=4, values_only=True)}
    assert rows["services.attendances"] == (14, 14, 28)
    # A station user cannot make the district report; the district cannot export a package.
    assert run(["package", "export", "--all", "--out", str(tmp_path / "x.wspkg")]) == 1


def test_export_needs_a_period(env: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _station(tmp_path, "清河街道社工站", "QH", monkeypatch)
    assert run(["package", "export", "--out", str(tmp_path / "x.wspkg")]) == 2
    assert run(["package", "init-district", "--admin", "quji"]) == 1  # a station database
