"""``report monthly|period|lock`` end to end on a SQLite file (the hand-built data set)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.db.reports_support import EXPECTED_MARCH, build
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


@pytest.fixture
def dbfile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("WUSHE_DB", str(path))
    monkeypatch.setenv("WUSHE_ADMIN_PASSWORD", PASSWORD)
    monkeypatch.setenv("WUSHE_PASSWORD", PASSWORD)
    monkeypatch.setenv("WUSHE_USER", "zhanzhang")
    assert run(["init", "--station", "清河街道社工站", "--township", "清河街道",
                "--district", "清江浦区", "--admin", "zhanzhang"]) == 0  # fmt: skip
    db = Database.open(path)
    with db.reader() as s:
        station = s.scalars(select(Station).where(Station.name == "清河街道社工站")).one()
    build(db, station)
    db.dispose()
    capsys.readouterr()
    return path


def test_monthly_pdf_xlsx_and_json(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf, xlsx = tmp_path / "月报.pdf", tmp_path / "月报.xlsx"
    code = run(["report", "monthly", "--month", "2026-03", "--out", str(pdf),
                "--xlsx", str(xlsx), "--json"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    data = json.loads(captured.out)  # stdout is the JSON alone
    assert data["period"]["label"] == "2026年3月"
    for key, value in EXPECTED_MARCH.items():
        assert data["figures"][key] == value, key
    assert data["figures"]["charity.money_in"] is None
    assert [c["heading"] for c in data["comparisons"]] == ["上月", "去年同月", "本年累计"]
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-"
    assert xlsx.exists()
    assert "已生成" in captured.err


def test_period_and_community(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["report", "period", "--from", "2026-01-01", "--to", "2026-03-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"]["kind"] == "quarter"
    assert data["figures"]["services.records"] == 7
    assert run(["report", "period", "--period", "2026-H1", "--community", "西湖村", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["kind"] == "community"
    assert data["figures"]["residents.total"] == 2
    assert run(["report", "period", "--community", "没有的村", "--period", "2026", "--json"]) == 1
    assert "没有名为“没有的村”" in capsys.readouterr().err


def test_lock_then_report_says_locked(
    dbfile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["report", "lock", "--month", "2026-03"]) == 0
    assert "已定稿" in capsys.readouterr().out
    pdf = tmp_path / "r.pdf"
    assert run(["report", "monthly", "--month", "2026-03", "--out", str(pdf)]) == 0
    assert "已定稿" in capsys.readouterr().out
    assert run(["report", "lock", "--month", "2026-03"]) == 1  # already locked


def test_usage_errors(dbfile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", "monthly", "--month", "2026-03"]) == 2  # no output asked for
    assert run(["report", "monthly", "--month", "2026-13", "--json"]) == 1
    assert "月份" in capsys.readouterr().err
    assert run(["report", "period", "--json"]) == 2
