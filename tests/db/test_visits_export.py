"""Excel exports of visits and of the visit to-dos; the ``export`` command for all three."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.db.community_work_support import make_person
from tests.db.residents_support import Places, make_places
from tests.db.service_support import make_user
from wushe_desktop.accounts import passwords
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.models import Station
from wushe_desktop.visits.exporter import export_todos, export_visits
from wushe_desktop.visits.overdue import DueStatus, TodoQuery
from wushe_desktop.visits.search import VisitQuery
from wushe_desktop.visits.service import VisitInput, create_visit


def _sheet(path: Path) -> list[dict[object, object]]:
    book = openpyxl.load_workbook(path, read_only=True)
    header, *rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return [dict(zip(header, r + [None] * (len(header) - len(r)), strict=True)) for r in rows]


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


@pytest.fixture
def worker(db: Database, station: Station) -> Actor:
    return make_user(db, station, Role.SOCIAL_WORKER, "李社工")


def test_export_visits_and_todos(
    db: Database, places: Places, worker: Actor, tmp_path: Path
) -> None:
    a = make_person(db, places, "张桂兰", "elderly", "elderly_alone", grid=places.qinghe_grid1)
    make_person(db, places, "刘德福", "elderly", "elderly_empty_nest")
    with db.transaction() as s:
        for day in (date(2025, 3, 1), date(2025, 4, 1)):
            create_visit(
                s,
                worker,
                VisitInput(
                    resident_id=a,
                    visited_on=day,
                    visitor_user_id=worker.user_id,
                    findings="身体尚可",
                    risk_found=day.month == 4,
                    risk_description="燃气软管老化" if day.month == 4 else "",
                ),
            )
    out = tmp_path / "探访.xlsx"
    assert export_visits(db, worker, VisitQuery(risk_only=True), out) == 1
    (line,) = _sheet(out)
    assert line["探访日期"] is not None and line["探访对象"] == "张桂兰"
    assert (line["网格"], line["探访人"], line["发现风险"], line["风险描述"]) == (
        "第一网格",
        "李社工",
        "是",
        "燃气软管老化",
    )
    todo = tmp_path / "逾期.xlsx"
    # Visited long ago (2025-04) and never: both due today in real time.
    assert export_todos(db, worker, TodoQuery(status=DueStatus.DUE), todo) == 2
    names = {r["居民"]: r for r in _sheet(todo)}
    assert names["刘德福"]["上次探访"] is None
    assert names["张桂兰"]["重点人群"] == "独居老人"
    assert isinstance(names["张桂兰"]["逾期天数"], int) and names["张桂兰"]["逾期天数"] > 0


@pytest.fixture
def _cheap_hasher() -> Iterator[None]:
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


@pytest.mark.usefixtures("_cheap_hasher")
def test_cli_exports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from wushe_desktop.cli.main import run

    monkeypatch.setenv("WUSHE_DB", str(tmp_path / "cli.db"))
    monkeypatch.setenv("WUSHE_ADMIN_PASSWORD", "Zz123456")
    monkeypatch.setenv("WUSHE_PASSWORD", "Zz123456")
    monkeypatch.setenv("WUSHE_USER", "zhanzhang")
    assert run(["init", "--station", "清河街道社工站", "--township", "清河街道",
                "--admin", "zhanzhang"]) == 0  # fmt: skip
    assert run(["demo", "--scale", "small", "--seed", "2"]) == 0
    capsys.readouterr()
    for what, label in (("visits", "探访"), ("groups", "小组"), ("activities", "社区活动")):
        out = tmp_path / f"{what}.xlsx"
        assert run(["export", what, "--out", str(out), "--from", "2020-01-01"]) == 0
        said = capsys.readouterr().out
        assert f"条{label}记录" in said and out.exists()
        assert len(_sheet(out)) > 0
    assert run(["template", "visits", "--out", str(tmp_path / "t.xlsx")]) == 2  # export only
