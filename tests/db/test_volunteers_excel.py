"""Volunteers and hours ⇄ Excel: template, import (re-import, updates, errors), masked and
full exports (round trip), historical hours, national-layout export, roster export."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import make_actor
from tests.db.residents_support import make_id, make_places
from tests.db.scheduling_support import make_activity, make_shift
from tests.db.volunteers_support import add_volunteer
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied
from wushe_desktop.models import Station
from wushe_desktop.scheduling.assignments import assign
from wushe_desktop.scheduling.hours import list_hours
from wushe_desktop.scheduling.hours_excel import export_hours, import_hours, write_hours_template
from wushe_desktop.scheduling.shifts_excel import export_shifts
from wushe_desktop.volunteers.excel import (
    export_volunteers,
    import_volunteers,
    write_volunteer_template,
)
from wushe_desktop.volunteers.search import VolunteerQuery, search

ID_A = make_id(date(1960, 3, 5), 311)
ID_B = make_id(date(1988, 7, 9), 312)
ID_KID = make_id(date(2013, 1, 2), 313)
HEADERS = ["姓名", "证件号码", "联系电话", "所属社区", "专业技能", "可服务时段", "登记日期", "同意记录日期",
           "同意人", "监护人关系"]  # fmt: skip


def write_xlsx(path: Path, headers: Sequence[object], rows: Sequence[Sequence[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def _rows() -> list[list[object]]:
    return [
        [
            "王建国",
            ID_A,
            "13800001111",
            "清河社区",
            "驾驶、维修",
            "周末全天",
            date(2023, 5, 1),
            date(2023, 5, 1),
            "",
            "",
        ],
        ["李芳", ID_B, "138-0000-2222", "里河村", "医疗护理", "", "2024/3/5", "", "", ""],
    ]


def _names(db: Database, actor: Actor) -> dict[str, object]:
    with db.reader() as s:
        return {r.name: r for r in search(s, actor, VolunteerQuery()).rows}


def test_template_has_headers_and_community_choices(
    db: Database, director: Actor, station: Station, tmp_path: Path
) -> None:
    make_places(db, station)
    out = tmp_path / "t.xlsx"
    with db.reader() as s:
        write_volunteer_template(out, s, director)
    wb = load_workbook(out)
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers[:3] == ["姓名*", "证件类型", "证件号码*"]
    assert "志愿者编号" not in headers
    assert any(
        "清河社区" in str(v.formula1) for v in wb.worksheets[0].data_validations.dataValidation
    )


def test_import_then_reimport_updates_instead_of_duplicating(
    db: Database, director: Actor, station: Station, tmp_path: Path
) -> None:
    make_places(db, station)
    source = write_xlsx(tmp_path / "roster.xlsx", HEADERS, _rows())
    report = import_volunteers(db, director, source)
    assert (report.created, report.updated, report.unchanged, report.errors) == (2, 0, 0, [])
    people = _names(db, director)
    a = people["王建国"]
    assert a.volunteer_no == "VOL-320812001-00001" and a.skills == ("维修", "驾驶")  # type: ignore[attr-defined]
    assert a.availability_text == "周六全天、周日全天"  # type: ignore[attr-defined]
    assert people["李芳"].registered_on == date(2024, 3, 5)  # type: ignore[attr-defined]
    again = import_volunteers(db, director, source)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rows = _rows()
    rows[1][4] = "医疗护理、心理疏导"
    changed = import_volunteers(db, director, write_xlsx(tmp_path / "r2.xlsx", HEADERS, rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert _names(db, director)["李芳"].skills == ("医疗护理", "心理疏导")  # type: ignore[attr-defined]
    # A file without the 专业技能 column leaves the skills alone.
    short = write_xlsx(tmp_path / "r3.xlsx", HEADERS[:3], [r[:3] for r in rows])
    assert import_volunteers(db, director, short).unchanged == 2


def test_bad_rows_go_to_the_error_workbook(
    db: Database, director: Actor, station: Station, tmp_path: Path
) -> None:
    make_places(db, station)
    rows = [
        *_rows(),
        ["张三", "320812********1234", "13800003333", "清河社区", "", "", "", "", "", ""],
        ["小明", ID_KID, "13800004444", "清河社区", "", "", "", "", "", ""],
        ["赵四", make_id(date(1970, 1, 1), 315), "13800005555", "火星社区", "", "", "", "", "", ""],
        ["王建国", ID_A, "13800001111", "清河社区", "", "", "", "", "", ""],
    ]
    source = write_xlsx(tmp_path / "bad.xlsx", HEADERS, rows)
    report = import_volunteers(db, director, source)
    assert report.created == 2 and report.rejected == 4
    messages = [str(e) for e in report.errors]
    assert any("第4行“证件号码”列" in m and "不完整" in m for m in messages)
    assert any("第5行" in m and "须由监护人同意" in m for m in messages)
    assert any("第6行“所属社区”列" in m and "火星社区" in m for m in messages)
    assert any("第7行" in m and "与第2行的证件号码相同" in m for m in messages)
    assert report.error_workbook is not None and report.error_workbook.exists()
    assert load_workbook(report.error_workbook).worksheets[0].max_row == 5


def test_strict_and_dry_run_write_nothing(
    db: Database, director: Actor, station: Station, tmp_path: Path
) -> None:
    make_places(db, station)
    rows = [*_rows(), ["张三", "123", "13800003333", "清河社区", "", "", "", "", "", ""]]
    source = write_xlsx(tmp_path / "s.xlsx", HEADERS, rows)
    assert import_volunteers(db, director, source, strict=True).aborted
    assert import_volunteers(db, director, source, dry_run=True).created == 2
    assert _names(db, director) == {}


def test_export_masked_by_default_full_round_trips(
    db: Database, director: Actor, station: Station, tmp_path: Path
) -> None:
    make_places(db, station)
    import_volunteers(db, director, write_xlsx(tmp_path / "r.xlsx", HEADERS, _rows()))
    masked = tmp_path / "masked.xlsx"
    assert export_volunteers(db, director, VolunteerQuery(), masked) == 2
    ws = load_workbook(masked).worksheets[0]
    ids = [row[3] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert all("*" in str(v) for v in ids)
    worker = make_actor(station, Role.SOCIAL_WORKER, "sg")
    with pytest.raises(PermissionDenied):
        export_volunteers(db, worker, VolunteerQuery(), tmp_path / "no.xlsx", full=True)
    full = tmp_path / "full.xlsx"
    export_volunteers(db, director, VolunteerQuery(), full, full=True)
    report = import_volunteers(db, director, full)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 2, [])
    with db.reader() as s:
        details = [e.detail for e in s.query(AuditEntry).filter_by(action="导出")]
    assert any("证件号码和电话已脱敏" in d for d in details) and any(
        "含完整证件号码" in d for d in details
    )


def test_historical_hours_import_and_national_export(
    db: Database, director: Actor, tmp_path: Path
) -> None:
    add_volunteer(db, director, "王建国")
    with db.reader() as s:
        person = search(s, director, VolunteerQuery(text="王建国")).rows[0]
    with db.transaction() as s:
        from wushe_desktop.volunteers.service import get_volunteer

        number = get_volunteer(s, director, person.id, reveal=True).id_number
    write_hours_template(tmp_path / "ht.xlsx", None, None)
    headers = [
        "志愿者姓名",
        "证件号码",
        "服务日期",
        "活动名称",
        "服务时长（小时）",
        "服务地点",
        "审核人",
    ]
    rows = [
        ["王建国", number, date(2024, 3, 5), "学雷锋便民服务", 2.5, "社区广场", "刘站长"],
        ["王建国", number, "2024-04-01", "敬老院探访", "1.75", "", "刘站长"],
        ["王建国", number, "2024-04-02", "敬老院探访", "很久", "", "刘站长"],
        ["李四", make_id(date(1970, 2, 2), 401), "2024-04-02", "义诊", 1, "", "刘站长"],
    ]
    source = write_xlsx(tmp_path / "h.xlsx", headers, rows)
    report = import_hours(db, director, source)
    assert (report.created, report.rejected) == (2, 2)
    assert any("不是数字" in str(e) for e in report.errors)
    assert any("本站没有证件号码为" in str(e) for e in report.errors)
    assert import_hours(db, director, source).unchanged == 2  # no duplicates
    with db.reader() as s:
        records = list_hours(s, director, volunteer_id=person.id)
    assert sorted(r.minutes for r in records) == [105, 150]
    assert {(r.source, r.status, r.late) for r in records} == {("导入", "已审核", True)}
    out = tmp_path / "national.xlsx"
    assert (
        export_hours(db, director, out, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)) == 2
    )
    ws = load_workbook(out).worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    header = values[2]
    assert header[:4] == ("志愿者姓名", "证件类型", "证件号码", "志愿者编号")
    first = dict(zip(header, values[3], strict=True))
    assert first["服务时长（小时）"] == 2.5 and first["服务时长（分钟）"] == 150
    assert "*" in str(first["证件号码"]) and first["活动名称"] == "学雷锋便民服务"


def test_roster_export(db: Database, director: Actor, tmp_path: Path) -> None:
    act = make_activity(db, director)
    shift = make_shift(db, director, act, date(2026, 3, 14), needed=2)
    v = add_volunteer(db, director, "王建国")
    with db.transaction() as s:
        assign(s, director, shift, v)
    out = tmp_path / "roster.xlsx"
    assert export_shifts(db, director, out, date(2026, 3, 9), date(2026, 3, 15)) == 1
    values = list(load_workbook(out).worksheets[0].iter_rows(values_only=True))
    row = dict(zip(values[1], values[2], strict=True))
    assert row["活动"] == "社区助老服务" and row["志愿者"] == "王建国" and row["状态"] == "未满"


def test_roster_import_links_residents_and_audits_each_volunteer(
    db: Database, director: Actor, station: Station, tmp_path: Path
) -> None:
    from sqlalchemy import select

    from wushe_desktop.audit.models import AuditEntry
    from wushe_desktop.residents.service import ResidentInput, create_resident

    places = make_places(db, station)
    with db.transaction() as s:
        resident = create_resident(
            s, director, ResidentInput(name="王建国", community_id=places.qinghe, id_number=ID_A)
        )
    report = import_volunteers(db, director, write_xlsx(tmp_path / "r.xlsx", HEADERS, _rows()))
    assert report.created == 2
    people = _names(db, director)
    assert people["王建国"].resident_id == resident.id  # type: ignore[attr-defined]
    assert people["李芳"].resident_id is None  # type: ignore[attr-defined]
    with db.reader() as s:
        labels = sorted(
            s.scalars(
                select(AuditEntry.record_label).where(
                    AuditEntry.record_type == "volunteer", AuditEntry.action == "新增"
                )
            )
        )
    assert labels == ["李芳（VOL-320812001-00002）", "王建国（VOL-320812001-00001）"]
