"""Residents ⇄ Excel: template, import (messy rosters, bad rows, re-import, strict, dry run,
cancel, error workbook) and export (masking, rights, audit, formula escaping, round trip)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.conftest import make_actor
from tests.db.residents_support import Places, make_id, make_places
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.domain.masking import mask_id_number
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import Cancelled, PermissionDenied, ValidationError
from wushe_desktop.infra.progress import CancelToken
from wushe_desktop.models import Resident, ResidentTag, Station
from wushe_desktop.residents import exporter, service
from wushe_desktop.residents.excel_io import (
    export_residents,
    import_residents,
    preview_rows,
    write_resident_template,
)
from wushe_desktop.residents.import_check import NUMERIC_ID_MESSAGE
from wushe_desktop.residents.search import ResidentQuery, search
from wushe_desktop.residents.service import ResidentInput

HEADERS = ["姓名", "证件类型", "身份证号/证件号码", "性别", "出生日期", "联系电话",
           "所属社区", "网格", "居住地址", "重点人群标签", "备注"]  # fmt: skip

ID_A = make_id(date(1950, 3, 5), seq=123)  # man
ID_B = make_id(date(1985, 7, 9), seq=124)  # woman
ID_C = make_id(date(2012, 1, 2), seq=125)  # boy
ID_S1 = make_id(date(1948, 6, 1), seq=201)
ID_S2 = make_id(date(1990, 2, 2), seq=202)
ID_X = next(
    make_id(date(1962, 11, 30), seq=s)
    for s in range(1, 999)
    if make_id(date(1962, 11, 30), seq=s).endswith("X")
)


@pytest.fixture
def places(db: Database, station: Station) -> Places:
    return make_places(db, station)


def write_xlsx(path: Path, headers: Sequence[object], rows: Sequence[Sequence[object]],
               *, title: str | None = None) -> Path:  # fmt: skip
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    if title:
        ws.append([title])
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # keep "=…" as text, as a user's sheet would
    wb.save(path)
    return path


def good_rows() -> list[list[object]]:
    return [
        ["张三", "居民身份证", ID_A, "男", date(1950, 3, 5), "13812345678", "清河社区",
         "第一网格", "健康东路1号", "独居老人、残疾人（肢体/二级）", "腿脚不便，需上门（每周）"],
        ["李四", "", ID_B, "", None, "0517-83612345", "清河社区", "", "健康东路2号", "", ""],
        ["王小明", "居民身份证", ID_C, "男", None, "", "里河村", "里河网格", "", "留守儿童", ""],
    ]  # fmt: skip


def residents(db: Database) -> dict[str, Resident]:
    with db.reader() as s:
        return {r.name: r for r in s.scalars(select(Resident))}


def audit_rows(db: Database, action: str | None = None) -> list[AuditEntry]:
    with db.reader() as s:
        stmt = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return list(s.scalars(stmt))


def count(db: Database, model: type[object]) -> int:
    with db.reader() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- template


def test_template_has_headers_dropdowns_and_instructions(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    out = tmp_path / "模板.xlsx"
    with db.reader() as s:
        write_resident_template(out, session=s, actor=director)
    wb = load_workbook(out)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "姓名*"
    assert "身份证号/证件号码*" in headers and "所属社区*" in headers
    assert "重点人群标签" in headers and "网格" in headers
    formulas = {
        str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    letter = {h.rstrip("*"): chr(ord("A") + i) for i, h in enumerate(headers)}
    assert "居民身份证" in formulas[letter["证件类型"]]
    assert "男" in formulas[letter["性别"]]
    assert "清河社区" in formulas[letter["所属社区"]] and "里河村" in formulas[letter["所属社区"]]
    assert "第一网格" in formulas[letter["网格"]]
    info = wb["填写说明"]
    text = "\n".join(str(c.value) for row in info.iter_rows() for c in row if c.value)
    assert "没有证件号码" in text and "_错误.xlsx" in text
    assert "11010519491231002X" in text  # the example row is on the instructions sheet
    # The example is not on the data sheet, so the blank template imports nothing.
    assert ws.max_row == 1 or all(c.value is None for c in ws[2])


def test_template_without_session_is_generic(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    write_resident_template(out)
    ws = load_workbook(out).worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["姓名*", "证件类型", "身份证号/证件号码*"]


# --------------------------------------------------------------------------- import


def test_import_valid_rows_creates_residents_tags_and_audit(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, good_rows())
    report = import_residents(db, director, src)
    assert (report.total, report.created, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.errors == [] and report.error_workbook is None
    people = residents(db)
    zhang = people["张三"]
    assert zhang.id_number == ID_A and zhang.gender == "男" and zhang.phone == "13812345678"
    assert zhang.community_id == places.qinghe and zhang.grid_id == places.qinghe_grid1
    assert zhang.py_initials == "zs" and zhang.notes == "腿脚不便，需上门（每周）"
    assert people["李四"].gender == "女" and people["李四"].birth_date == date(1985, 7, 9)
    assert people["李四"].doc_type == "居民身份证" and people["李四"].phone == "0517-83612345"
    with db.reader() as s:
        tags = dict(s.execute(select(ResidentTag.tag, ResidentTag.detail)
                              .where(ResidentTag.resident_id == zhang.id)).all())  # fmt: skip
    assert tags == {"elderly": "", "elderly_alone": "", "disabled": "肢体/二级"}
    created = audit_rows(db, "新增")
    assert len(created) == 3
    entry = next(e for e in created if e.record_id == str(zhang.id))
    assert "名单.xlsx" in entry.detail and "第 2 行" in entry.detail
    assert json.loads(entry.changes)["id_number"][1] == mask_id_number(ID_A)
    summary = audit_rows(db, "导入")
    assert len(summary) == 1 and "新增 3" in summary[0].detail


def test_import_audit_entry_matches_the_service_one(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    row = ["李四", "", ID_B, "", None, "13812345678", "清河社区", "第一网格", "东路2号",
           "残疾人（视力/一级）", "备注"]  # fmt: skip
    import_residents(db, director, write_xlsx(tmp_path / "a.xlsx", HEADERS, [row]))
    with db.transaction() as s:
        twin = service.create_resident(
            s,
            director,
            ResidentInput(
                name="李五",
                community_id=places.qinghe,
                grid_id=places.qinghe_grid1,
                id_number=make_id(date(1985, 7, 9), seq=126),
                phone="13812345678",
                address="东路2号",
                notes="备注",
                tags={"disabled": "视力/一级"},
            ),
        )
    created = {e.record_label: json.loads(e.changes) for e in audit_rows(db, "新增")}
    imported, made = created["李四"], created[twin.name]
    assert set(imported) == set(made)
    for key in set(made) - {"name", "id_number"}:
        assert imported[key] == made[key], key
    assert imported["id_number"][1] == mask_id_number(ID_B)


def test_messy_roster_imports(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    born = date(1962, 11, 30)
    ids = [make_id(born, seq=s) for s in (11, 13, 15, 17)]
    full_width = ids[0].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    headers = ["  手机号 ", "社区", "公民身份号码", "出生年月日", "名字", "性别", "住址", "其他列"]
    rows = [
        ["+86 138 1234 5678", " 清河社区 ", full_width, born, "  赵 一 ", "男", "a", "x"],
        ["86-13912345678", "清河", ids[1], "1962-11-30", "钱二", "男", "", ""],
        ["13712345678", "里河村", " " + ids[2] + " ", "1962.11.30", "孙三", "", "", ""],
        ["１３６１２３４５６７８", "里河村", ids[3], "1962/11/30", "周四", "男", "", ""],
        ["", "里河", ID_X.lower(), "1962年11月30日", "吴五", "", "", ""],
        ["", "清河社区", "", "1962-11-30", "郑六", "女", "", ""],
    ]
    src = write_xlsx(tmp_path / "乱.xlsx", headers, rows, title="清河街道居民花名册")
    report = import_residents(db, director, src)
    assert report.errors == []
    assert report.created == 6
    people = residents(db)
    assert people["赵 一"].id_number == ids[0]
    assert people["赵 一"].phone == "13812345678"
    assert people["钱二"].phone == "13912345678" and people["钱二"].community_id == places.qinghe
    assert people["孙三"].id_number == ids[2] and people["孙三"].gender == "男"
    assert people["周四"].phone == "13612345678"
    assert people["吴五"].id_number == ID_X and people["吴五"].community_id == places.lihe
    assert people["郑六"].id_number is None and people["郑六"].birth_date == born
    assert all(p.birth_date == born for p in people.values())


def test_bad_rows_come_back_with_sheet_row_column_and_reason(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    bad_check = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
    rows = [
        ["好人", "", ID_B, "", None, "", "清河社区", "", "", "", ""],  # row 2 ok
        ["校验错", "", bad_check, "", None, "", "清河社区", "", "", "", ""],  # 3
        ["数字号", "", 320812195003051231, "", None, "", "清河社区", "", "", "", ""],  # 4
        ["无社区", "", make_id(date(1970, 1, 1), 1), "", None, "", "河西社区", "", "", "", ""],  # 5
        ["坏日期", "", "", "", "1970-13-01", "", "清河社区", "", "", "", ""],  # 6
        ["重复甲", "", ID_C, "", None, "", "清河社区", "", "", "", ""],  # 7
        ["重复乙", "", ID_C.lower(), "", None, "", "里河村", "", "", "", ""],  # 8
        ["性别错", "", ID_A, "女", None, "", "清河社区", "", "", "", ""],  # 9
        ["坏网格", "", "", "", None, "", "清河社区", "里河网格", "", "", ""],  # 10
        ["脱敏", "", "320812********1231", "", None, "", "清河社区", "", "", "", ""],  # 11
    ]  # fmt: skip
    src = write_xlsx(tmp_path / "错.xlsx", HEADERS, rows)
    report = import_residents(db, director, src)
    assert report.created == 1 and report.rejected == 9
    by_row = {e.row: e for e in report.errors}
    assert all(e.sheet == "名单" for e in report.errors)
    assert by_row[3].column == "身份证号/证件号码" and "校验" in by_row[3].message
    assert by_row[4].column == "身份证号/证件号码" and by_row[4].message == NUMERIC_ID_MESSAGE
    assert by_row[5].column == "所属社区" and "河西社区" in by_row[5].message
    assert by_row[6].column == "出生日期" and "1970-13-01" in by_row[6].message
    assert by_row[7].column == "身份证号/证件号码" and "第 8 行" in by_row[7].message
    assert "第 7 行" in by_row[8].message
    assert by_row[9].column == "性别" and "不一致" in by_row[9].message
    assert by_row[10].column == "网格" and "里河网格" in by_row[10].message
    assert "导出" in by_row[11].message and "*" in by_row[11].message
    assert str(by_row[5]).startswith("工作表“名单”第5行“所属社区”列：")
    assert set(residents(db)) == {"好人"}
    # The error workbook sits beside the source: the original rows plus 错误原因.
    assert report.error_workbook == tmp_path / "错_错误.xlsx"
    ws = load_workbook(report.error_workbook).worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == [*HEADERS, "错误原因"]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [v[0] for v in values] == ["校验错", "数字号", "无社区", "坏日期", "重复甲", "重复乙",
                                      "性别错", "坏网格", "脱敏"]  # fmt: skip
    assert NUMERIC_ID_MESSAGE.rstrip("。") in values[1][-1]
    assert "河西社区" in values[2][-1]


def test_error_workbook_can_be_corrected_and_reimported(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    rows = good_rows()
    rows[1][6] = "河西社区"  # unknown community
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, rows)
    first = import_residents(db, director, src)
    assert first.created == 2 and first.rejected == 1
    fixed = load_workbook(first.error_workbook)
    ws = fixed.worksheets[0]
    ws.cell(row=2, column=HEADERS.index("所属社区") + 1).value = "清河社区"
    fixed.save(first.error_workbook)
    again = import_residents(db, director, first.error_workbook)
    assert (again.created, again.updated, again.errors) == (1, 0, [])
    assert "李四" in residents(db)


def test_second_import_of_same_file_changes_nothing(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    rows = [
        *good_rows(),
        ["无证人", "", "", "女", date(1940, 2, 3), "", "清河社区", "", "", "", ""],
    ]
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, rows)
    assert import_residents(db, director, src).created == 4
    entries, versions = len(audit_rows(db)), {n: r.version for n, r in residents(db).items()}
    report = import_residents(db, director, src)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert len(audit_rows(db)) == entries
    assert {n: r.version for n, r in residents(db).items()} == versions
    assert count(db, Resident) == 4


def test_changed_row_is_updated_and_audited(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, good_rows())
    import_residents(db, director, src)
    before = residents(db)["张三"]
    rows = good_rows()
    rows[0][5] = "13900001111"
    rows[0][7] = "第二网格"
    rows[0][9] = "空巢老人"
    src2 = write_xlsx(tmp_path / "名单2.xlsx", HEADERS, rows)
    report = import_residents(db, director, src2)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    after = residents(db)["张三"]
    assert after.id == before.id and after.version == before.version + 1
    assert after.phone == "13900001111" and after.grid_id == places.qinghe_grid2
    with db.reader() as s:
        tags = set(s.scalars(select(ResidentTag.tag).where(ResidentTag.resident_id == after.id)))
    assert tags == {"elderly", "elderly_empty_nest"}
    updates = audit_rows(db, "修改")
    assert len(updates) == 1 and updates[0].record_id == str(after.id)
    changes = json.loads(updates[0].changes)
    assert changes["grid"] == ["第一网格", "第二网格"]
    assert changes["phone"] == ["138****5678", "139****1111"]
    assert set(changes) == {"phone", "grid", "tags"}


def test_absent_columns_keep_stored_values(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    import_residents(db, director, write_xlsx(tmp_path / "a.xlsx", HEADERS, good_rows()))
    src = write_xlsx(tmp_path / "b.xlsx", ["姓名", "身份证号", "所属社区", "联系电话"],
                     [["张三", ID_A, "清河社区", "13812345678"]])  # fmt: skip
    report = import_residents(db, director, src)
    assert (report.updated, report.unchanged) == (0, 1)
    zhang = residents(db)["张三"]
    assert zhang.notes == "腿脚不便，需上门（每周）" and zhang.grid_id == places.qinghe_grid1


def test_recycle_bin_match_is_refused(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    import_residents(db, director, write_xlsx(tmp_path / "a.xlsx", HEADERS, good_rows()))
    with db.transaction() as s:
        zhang = s.scalars(select(Resident).where(Resident.name == "张三")).one()
        service.delete_resident(s, director, zhang.id, expected_version=zhang.version)
    report = import_residents(db, director, tmp_path / "a.xlsx")
    assert report.unchanged == 2 and report.rejected == 1
    assert "回收站" in report.errors[0].message


def test_strict_mode_writes_nothing_when_a_row_is_bad(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    rows = good_rows()
    rows[2][6] = "河西社区"
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, rows)
    report = import_residents(db, director, src, strict=True)
    assert report.aborted and report.created == 0 and report.rejected == 1
    assert "严格模式" in report.summary()
    assert count(db, Resident) == 0 and audit_rows(db) == []
    assert report.error_workbook is not None and report.error_workbook.exists()


def test_dry_run_writes_nothing(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    rows = good_rows()
    rows[2][6] = "河西社区"
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, rows)
    report = import_residents(db, director, src, dry_run=True)
    assert report.dry_run and report.created == 2 and report.rejected == 1
    assert report.error_workbook is None and not (tmp_path / "名单_错误.xlsx").exists()
    assert count(db, Resident) == 0 and audit_rows(db) == []
    out = tmp_path / "检查结果.xlsx"
    report = import_residents(db, director, src, dry_run=True, error_out=out)
    assert report.error_workbook == out and out.exists()


def test_cancel_writes_nothing(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, good_rows())
    token = CancelToken()

    def progress(fraction: float, status: str) -> None:
        if "写入" in status:
            token.cancel()

    with pytest.raises(Cancelled):
        import_residents(db, director, src, progress=progress, cancel=token)
    assert count(db, Resident) == 0 and count(db, AuditEntry) == 0


def test_import_needs_the_right(
    db: Database, station: Station, places: Places, tmp_path: Path
) -> None:
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, good_rows())
    with pytest.raises(PermissionDenied):
        import_residents(db, make_actor(station, Role.SUPERVISOR, "dudao"), src)
    coordinator = make_actor(station, Role.COORDINATOR, "luru")
    assert import_residents(db, coordinator, src).created == 3


def test_missing_required_column_is_one_clear_error(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    src = write_xlsx(tmp_path / "x.xlsx", ["姓名", "联系电话"], [["张三", "13812345678"]])
    with pytest.raises(ValidationError, match="所属社区"):
        import_residents(db, director, src)


def test_preview_rows(places: Places, tmp_path: Path) -> None:
    src = write_xlsx(tmp_path / "名单.xlsx", HEADERS, good_rows())
    headers, rows = preview_rows(src, limit=2)
    assert headers == HEADERS and len(rows) == 2
    assert rows[0][0] == "张三" and rows[0][2] == ID_A


# --------------------------------------------------------------------------- export


def _seed(db: Database, director: Actor, places: Places) -> None:
    with db.transaction() as s:
        for name, number, phone, community, tags in (
            ("陈七", ID_S1, "13812345678", places.qinghe, {"elderly_alone": ""}),
            ("=1+1", ID_S2, "", places.qinghe, {}),
            ("@王五", "", "0517-83612345", places.lihe, {"disabled": "视力/一级"}),
        ):
            service.create_resident(
                s,
                director,
                ResidentInput(
                    name=name,
                    community_id=community,
                    id_number=number,
                    phone=phone,
                    tags=tags,
                    notes="+备注",
                ),
            )


def _sheet(path: Path) -> list[list[object]]:
    ws = load_workbook(path).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_export_masks_by_default_and_is_audited(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    _seed(db, director, places)
    out = tmp_path / "导出.xlsx"
    assert export_residents(db, director, ResidentQuery(), out) == 3
    rows = _sheet(out)
    assert rows[0] == HEADERS
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["陈七"][2] == ID_S1[:6] + "********" + ID_S1[-4:]
    assert by_name["陈七"][5] == "138****5678"
    assert by_name["陈七"][4] == datetime(1948, 6, 1)  # a real date cell
    assert by_name["陈七"][9] == "独居老人"
    assert by_name["@王五"][9] == "残疾人（视力/一级）"
    entry = audit_rows(db, "导出")[-1]
    assert "3 行" in entry.detail and "已脱敏" in entry.detail and "全部居民" in entry.detail
    assert entry.username == director.username


def test_export_escapes_formula_like_text(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    _seed(db, director, places)
    out = tmp_path / "导出.xlsx"
    export_residents(db, director, ResidentQuery(), out, full=True)
    ws = load_workbook(out).worksheets[0]
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if c.value}
    for text in ("=1+1", "@王五", "+备注"):
        assert cells[text].data_type == "s"
    assert cells[ID_S1].data_type == "s"
    assert cells[ID_S1].number_format == "@"


def test_full_export_needs_the_right(
    db: Database, director: Actor, station: Station, places: Places, tmp_path: Path
) -> None:
    _seed(db, director, places)
    coordinator = make_actor(station, Role.COORDINATOR, "luru")
    with pytest.raises(PermissionDenied):
        export_residents(db, coordinator, ResidentQuery(), tmp_path / "a.xlsx", full=True)
    assert not (tmp_path / "a.xlsx").exists()
    assert export_residents(db, coordinator, ResidentQuery(), tmp_path / "b.xlsx") == 3
    with pytest.raises(PermissionDenied):
        export_residents(
            db, make_actor(station, Role.SUPERVISOR, "dd"), ResidentQuery(), tmp_path / "c.xlsx"
        )
    export_residents(db, director, ResidentQuery(), tmp_path / "d.xlsx", full=True)
    by_name = {r[0]: r for r in _sheet(tmp_path / "d.xlsx")[1:]}
    assert by_name["陈七"][2] == ID_S1 and by_name["陈七"][5] == "13812345678"
    entry = audit_rows(db, "导出")[-1]
    assert "含完整证件号码和电话" in entry.detail


def test_export_follows_the_query(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    _seed(db, director, places)
    out = tmp_path / "里河.xlsx"
    assert export_residents(db, director, ResidentQuery(community_id=places.lihe), out) == 1
    assert [r[0] for r in _sheet(out)[1:]] == ["@王五"]
    assert "社区：里河村" in audit_rows(db, "导出")[-1].detail
    out = tmp_path / "倒序.xlsx"
    query = ResidentQuery(sort="name", descending=True)
    export_residents(db, director, query, out)
    with db.reader() as s:
        listed = [r.name for r in search(s, director, query, limit=100).rows]
    assert [r[0] for r in _sheet(out)[1:]] == listed


def test_export_streams_in_chunks_with_their_tags(
    db: Database, director: Actor, places: Places, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_residents(db, director, write_xlsx(tmp_path / "a.xlsx", HEADERS, good_rows()))
    _seed(db, director, places)
    monkeypatch.setattr(exporter, "CHUNK", 2)
    out = tmp_path / "分批.xlsx"
    assert export_residents(db, director, ResidentQuery(), out, full=True) == 6
    by_name = {r[0]: r for r in _sheet(out)[1:]}
    assert by_name["张三"][9] == "独居老人、残疾人（肢体/二级）"
    assert by_name["王小明"][9] == "留守儿童" and by_name["李四"][9] is None
    assert by_name["@王五"][9] == "残疾人（视力/一级）"


def test_export_restores_the_sqlite_page_cache(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    if not db.is_sqlite:
        pytest.skip("a SQLite connection setting")
    _seed(db, director, places)
    with db.reader() as s:
        before = s.connection().exec_driver_sql("PRAGMA cache_size").scalar()
    export_residents(db, director, ResidentQuery(), tmp_path / "a.xlsx")
    with db.reader() as s:
        assert s.connection().exec_driver_sql("PRAGMA cache_size").scalar() == before


def test_cancelled_export_leaves_no_file_and_no_audit(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    _seed(db, director, places)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        export_residents(db, director, ResidentQuery(), tmp_path / "x.xlsx", cancel=token)
    assert not (tmp_path / "x.xlsx").exists() and audit_rows(db, "导出") == []


def test_full_export_round_trips_unchanged(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    import_residents(db, director, write_xlsx(tmp_path / "a.xlsx", HEADERS, good_rows()))
    _seed(db, director, places)
    out = tmp_path / "全部.xlsx"
    assert export_residents(db, director, ResidentQuery(), out, full=True) == 6
    entries = count(db, AuditEntry)
    report = import_residents(db, director, out)
    assert (report.created, report.updated, report.unchanged, report.errors) == (0, 0, 6, [])
    assert count(db, Resident) == 6 and count(db, AuditEntry) == entries


def test_masked_export_cannot_be_reimported(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    _seed(db, director, places)
    out = tmp_path / "脱敏.xlsx"
    export_residents(db, director, ResidentQuery(), out)
    report = import_residents(db, director, out)
    assert report.created == 0 and report.updated == 0
    assert report.rejected == 3
    assert all("导出" in e.message for e in report.errors)
    assert count(db, Resident) == 3


def test_a_masked_export_is_refused_once_for_the_whole_file(
    db: Database, director: Actor, places: Places, tmp_path: Path
) -> None:
    masked = [mask_id_number(make_id(date(1960, 1, 1 + i), seq=300 + i)) for i in range(6)]
    rows = [
        [f"居民{i}", "", number, "", None, "", "清河社区", "", "", "", ""]
        for i, number in enumerate(masked)
    ]
    source = write_xlsx(tmp_path / "脱敏名单.xlsx", HEADERS, rows)
    with pytest.raises(ValidationError, match=r"6 行的证件号码含有“\*”（如第2行") as caught:
        import_residents(db, director, source)
    assert "完整导出" in caught.value.message
    assert not (tmp_path / "脱敏名单_错误.xlsx").exists()  # nothing written, no error file
    assert count(db, Resident) == 0
    # A few masked numbers among real ones are rejected row by row instead.
    mixed = [
        *rows[:2],
        *[
            [
                f"新居民{i}",
                "",
                make_id(date(1970, 2, 1 + i), seq=400 + i),
                "",
                None,
                "",
                "清河社区",
                "",
                "",
                "",
                "",
            ]
            for i in range(8)
        ],
    ]
    report = import_residents(db, director, write_xlsx(tmp_path / "混合.xlsx", HEADERS, mixed))
    assert (report.created, report.rejected) == (8, 2)
