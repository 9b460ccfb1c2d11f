"""Certificates read back from the PDF (pdftotext, pdffonts), the register, reprint and
verification, the command line, and the roster and honour-list printouts."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from tests.conftest import make_actor
from tests.db.scheduling_support import china, make_activity, make_shift
from tests.db.volunteers_support import add_volunteer
from wushe_desktop.accounts import passwords
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.cli.main import run
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import NotFound, PermissionDenied, ValidationError
from wushe_desktop.models import Certificate, Station
from wushe_desktop.scheduling import certificates as certs
from wushe_desktop.scheduling import hours as hours_service
from wushe_desktop.scheduling.assignments import assign
from wushe_desktop.scheduling.certificate_pdf import render_certificate
from wushe_desktop.scheduling.checkin import check_in, check_out
from wushe_desktop.scheduling.print_pdf import print_honour_list, print_roster
from wushe_desktop.volunteers.service import get_volunteer
from wushe_desktop.volunteers.settings import VolunteerRules, save_rules

SAT = date(2026, 3, 14)


def pdftext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdffonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


@pytest.fixture
def served(db: Database, director: Actor) -> object:
    """A volunteer with one checked-out shift (2 h 29 min) and one 90-minute service, approved."""
    with db.transaction() as s:
        save_rules(
            s,
            director,
            VolunteerRules(
                issuer_head="刘站长", issuer_handler="王社工", issuer_contact="0517-83612345"
            ),
        )
    act = make_activity(db, director)
    shift = make_shift(db, director, act, SAT, "09:00", "11:30")
    v = add_volunteer(db, director, "周丽华")
    with db.transaction() as s:
        aid = assign(s, director, shift, v).assignment_id
        check_in(s, director, aid, at=china(SAT, 9, 1))
        check_out(s, director, aid, at=china(SAT, 11, 30), recorded_on=SAT)
        extra = hours_service.record_outside_shift(
            s, director, v, served_on=date(2026, 4, 2), title="敬老院探访", minutes=90,
            approver="刘站长", recorded_on=date(2026, 4, 3),
        )  # fmt: skip
        pending = hours_service.list_hours(s, director, volunteer_id=v, status="待审核")
        hours_service.approve_hours(s, director, [h.id for h in pending])
        assert extra.minutes == 90
    return v


def test_certificate_pdf_reads_back(
    db: Database, director: Actor, served: object, tmp_path: Path
) -> None:
    with db.transaction() as s:
        content = certs.issue_certificate(
            s, director, served, date(2026, 1, 1), date(2026, 6, 30), issued_on=date(2026, 7, 1)
        )  # type: ignore[arg-type]
        full = get_volunteer(s, director, served, reveal=True)  # type: ignore[arg-type]
    assert content.serial == "ZYZM-320812001-2026-00001"
    assert (content.total_minutes, content.services, content.total_hours) == (239, 2, "4.0")
    out = tmp_path / "证明.pdf"
    assert render_certificate(content, out) >= 1
    text = pdftext(out)
    compact = "".join(text.split())
    for expected in ("志愿服务证明", "周丽华", "4.0", "ZYZM-320812001-2026-00001", "VOL-320812001-00001",
                     "社区助老服务", "敬老院探访", "刘站长", "王社工", "0517-83612345", "2026年7月1日"):  # fmt: skip
        assert expected in compact, expected
    assert full.id_number not in compact  # the number is masked
    assert full.id_number[:6] + "********" + full.id_number[-4:] in compact
    assert "官方" not in compact and "认证" not in compact
    fonts = pdffonts(out)
    assert fonts and all(row[-5] == "yes" for row in fonts)  # emb column


def test_register_reprint_and_verify(
    db: Database, director: Actor, served: object, tmp_path: Path
) -> None:
    with db.transaction() as s:
        first = certs.issue_certificate(s, director, served, date(2026, 3, 1), date(2026, 3, 31))  # type: ignore[arg-type]
        second = certs.issue_certificate(s, director, served, date(2026, 1, 1), date(2026, 12, 31))  # type: ignore[arg-type]
    assert first.serial.endswith("-00001") and second.serial.endswith("-00002")
    assert first.total_minutes == 149
    render_certificate(first, tmp_path / "a.pdf")
    with db.transaction() as s:
        again = certs.load_certificate(s, director, first.serial, reprint=True)
        row = certs.verify_certificate(s, director, first.serial.lower())
        register = certs.list_certificates(s, director, volunteer_id=served)  # type: ignore[arg-type]
    render_certificate(again, tmp_path / "b.pdf")
    assert again == first
    assert pdftext(tmp_path / "a.pdf") == pdftext(tmp_path / "b.pdf")
    assert row.intact and row.prints == 2 and row.minutes == 149 and row.name == "周丽华"
    assert [r.serial for r in register] == [second.serial, first.serial]
    with db.transaction() as s:
        s.execute(
            update(Certificate)
            .where(Certificate.serial == first.serial)
            .values(content=first.to_json().replace("149", "999"))
        )
    with db.transaction() as s:
        assert not certs.verify_certificate(s, director, first.serial).intact
        with pytest.raises(ValidationError, match="校验值不符"):
            certs.load_certificate(s, director, first.serial)
        with pytest.raises(NotFound, match="不存在"):
            certs.verify_certificate(s, director, "ZYZM-0-2026-99999")


def test_no_certificate_without_approved_hours_or_right(
    db: Database, director: Actor, station: Station, served: object
) -> None:
    supervisor = make_actor(station, Role.SUPERVISOR, "dudao")
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="没有已审核的志愿服务记录"):
            certs.issue_certificate(s, director, served, date(2025, 1, 1), date(2025, 12, 31))  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied):
            certs.issue_certificate(s, supervisor, served, date(2026, 1, 1), date(2026, 12, 31))  # type: ignore[arg-type]


def test_long_periods_print_a_summary(db: Database, director: Actor, tmp_path: Path) -> None:
    v = add_volunteer(db, director, "钱多多")
    with db.transaction() as s:
        ids = [
            hours_service.record_outside_shift(
                s, director, v, served_on=date(2025, 1, 1 + i % 28) if i < 28 else date(2025, 2, 1 + i % 28),
                title="四点半课堂" if i % 2 else "助老服务日", minutes=60, approver="刘站长",
                recorded_on=date(2025, 3, 1),
            ).id
            for i in range(45)
        ]  # fmt: skip
        hours_service.approve_hours(s, director, ids)
        content = certs.issue_certificate(s, director, v, date(2025, 1, 1), date(2025, 12, 31))
    assert content.summarised and len(content.lines) == 2 and content.services == 45
    render_certificate(content, tmp_path / "long.pdf")
    compact = "".join(pdftext(tmp_path / "long.pdf").split())
    assert "按活动汇总列示" in compact and "45.0" in compact


def test_roster_and_honour_list_pdfs(
    db: Database, director: Actor, served: object, tmp_path: Path
) -> None:
    with db.transaction() as s:
        assert print_roster(s, director, SAT, tmp_path / "roster.pdf") >= 1
        assert (
            print_honour_list(
                s, director, date(2026, 1, 1), date(2026, 12, 31), tmp_path / "honour.pdf"
            )
            >= 1
        )
    roster = "".join(pdftext(tmp_path / "roster.pdf").split())
    assert "志愿服务排班表" in roster and "社区助老服务" in roster and "周丽华" in roster
    honour = "".join(pdftext(tmp_path / "honour.pdf").split())
    assert "志愿服务光荣榜" in honour and "周**" in honour and "周丽华" not in honour


@pytest.fixture
def _cheap_hasher() -> Iterator[None]:
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


@pytest.mark.usefixtures("_cheap_hasher")
def test_certificate_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("WUSHE_DB", str(path))
    for key in ("WUSHE_ADMIN_PASSWORD", "WUSHE_PASSWORD"):
        monkeypatch.setenv(key, "Zz123456")
    monkeypatch.setenv("WUSHE_USER", "zhanzhang")
    assert (
        run(
            [
                "init",
                "--station",
                "清河街道社工站",
                "--township",
                "清河街道",
                "--admin",
                "zhanzhang",
            ]
        )
        == 0
    )
    db = Database.open(path)
    try:
        with db.reader() as s:
            from sqlalchemy import select

            from wushe_desktop.accounts.models import User

            user = s.scalars(select(User)).one()
            actor = Actor(user.id, user.username, user.display_name, Role.DIRECTOR, user.station_id)
        v = add_volunteer(db, actor, "孙悦")
        with db.transaction() as s:
            number = get_volunteer(s, actor, v, reveal=True).id_number
            h = hours_service.record_outside_shift(
                s,
                actor,
                v,
                served_on=date(2026, 5, 4),
                title="义诊",
                minutes=150,
                approver="站长",
                recorded_on=date(2026, 5, 5),
            )
            hours_service.approve_hours(s, actor, [h.id])
    finally:
        db.dispose()
    capsys.readouterr()
    out = tmp_path / "cert.pdf"
    code = run(
        [
            "certificate",
            "--volunteer",
            number,
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--out",
            str(out),
        ]
    )
    printed = capsys.readouterr().out
    assert code == 0 and "ZYZM-" in printed and "孙悦" in printed and "2.5 小时" in printed
    assert "孙悦" in "".join(pdftext(out).split())
    assert (
        run(
            [
                "certificate",
                "--volunteer",
                "11010519491231002X",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--out",
                str(out),
            ]
        )
        == 1
    )
    assert "没有登记该证件号码的志愿者" in capsys.readouterr().err
