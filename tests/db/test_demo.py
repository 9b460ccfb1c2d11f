"""The demo data generator: deterministic, valid by the app's own rules, and all-or-nothing."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from wushe_desktop.accounts import passwords
from wushe_desktop.accounts.models import User
from wushe_desktop.accounts.permissions import Role
from wushe_desktop.accounts.service import sign_in
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.demo import names
from wushe_desktop.demo.generate import DEFAULT_PASSWORD, DemoSummary, generate_demo
from wushe_desktop.domain.idnumber import parse_id_number, validate_document
from wushe_desktop.domain.pinyin import SURNAME_READINGS, pinyin_keys
from wushe_desktop.domain.tags import validate_tags
from wushe_desktop.infra.db import migrate
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import Cancelled, ConflictError
from wushe_desktop.infra.progress import CancelToken
from wushe_desktop.models import (
    Community,
    ConsentRecord,
    Grid,
    Resident,
    ResidentTag,
    Station,
)

AS_OF = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("WUSHE_ADMIN_PASSWORD", raising=False)
    passwords.set_hasher(passwords.cheap_hasher())
    yield
    passwords.set_hasher(None)


def _tiny(db: Database, **kw: object) -> DemoSummary:
    return generate_demo(db, scale="tiny", seed=7, as_of=AS_OF, **kw)  # type: ignore[arg-type]


def _snapshot(db: Database) -> list[tuple[object, ...]]:
    """Every resident's content, with community, grid and tags, in id order."""
    with db.reader() as s:
        tags: dict[object, list[tuple[str, str]]] = defaultdict(list)
        for t in s.scalars(select(ResidentTag).order_by(ResidentTag.tag)):
            tags[t.resident_id].append((t.tag, t.detail))
        rows = s.execute(
            select(Resident, Community.name, Grid.name)
            .join(Community, Community.id == Resident.community_id)
            .outerjoin(Grid, Grid.id == Resident.grid_id)
            .order_by(Resident.id)
        ).all()
        return [
            (
                r.id,
                r.name,
                r.gender,
                r.birth_date,
                r.doc_type,
                r.id_number,
                r.phone,
                r.address,
                r.py_initials,
                r.py_full,
                cname,
                gname,
                tuple(tags[r.id]),
            )
            for r, cname, gname in rows
        ]


def test_same_seed_gives_the_same_data(db: Database, tmp_path: Path) -> None:
    other = Database.open(tmp_path / "second.db")
    try:
        migrate.upgrade(other)
        first, second = _tiny(db), _tiny(other)
        assert _snapshot(db) == _snapshot(other)
        assert (first.residents, first.tags, first.consents) == (
            second.residents,
            second.tags,
            second.consents,
        )
    finally:
        other.dispose()


def test_another_seed_gives_other_data(db: Database, tmp_path: Path) -> None:
    other = Database.open(tmp_path / "second.db")
    try:
        migrate.upgrade(other)
        _tiny(db)
        generate_demo(other, scale="tiny", seed=8, as_of=AS_OF)
        names_a = [row[1] for row in _snapshot(db)]
        names_b = [row[1] for row in _snapshot(other)]
        assert names_a != names_b
    finally:
        other.dispose()


def test_counts_match_the_summary(db: Database) -> None:
    summary = _tiny(db)
    with db.reader() as s:

        def n(model: type) -> int:
            return int(s.scalar(select(func.count()).select_from(model)) or 0)

        assert summary.residents == n(Resident) == 200
        assert summary.communities == n(Community) == 3
        assert summary.grids == n(Grid) >= 3 * 3
        assert summary.tags == n(ResidentTag) > 0
        assert summary.consents == n(ConsentRecord) > 0
        assert summary.users == n(User) == 6
        assert n(Station) == 1
        demo_entries = s.scalars(
            select(AuditEntry).where(AuditEntry.record_label == "演示数据载入")
        ).all()
        assert len(demo_entries) == 1
        assert "居民 200 人" in demo_entries[0].detail
        roles = set(s.scalars(select(User.role)))
        assert roles == {r.value for r in Role if r is not Role.DISTRICT_ADMIN}
        # every grid has a worker; every community 3–8 grids
        per_community = s.execute(
            select(Grid.community_id, func.count()).group_by(Grid.community_id)
        ).all()
        assert all(3 <= c <= 8 for _, c in per_community)
    assert "居民 200 人" in str(summary)


def test_documents_are_valid_and_agree_with_gender_and_birth(db: Database) -> None:
    _tiny(db)
    with db.reader() as s:
        residents = s.scalars(select(Resident)).all()
    numbers = [r.id_number for r in residents if r.id_number]
    assert len(numbers) == len(set(numbers))
    id_cards = [r for r in residents if r.doc_type == "居民身份证" and r.id_number]
    assert len(id_cards) > 180
    for r in residents:
        if not r.id_number:
            continue
        number, info = validate_document(r.doc_type, r.id_number)
        assert number == r.id_number
        assert info is not None
        assert (info.gender, info.birth_date) == (r.gender, r.birth_date)
    area_codes = {parse_id_number(r.id_number).area_code for r in id_cards if r.id_number}
    assert area_codes & {"320802", "320811"}  # abolished codes are still on old cards
    phones = [r.phone for r in residents if r.phone]
    assert phones and all(len(p) == 11 and p[0] == "1" and p.isdigit() for p in phones)


def test_tags_follow_the_rules(db: Database) -> None:
    _tiny(db)
    with db.reader() as s:
        births = {rid: born for rid, born in s.execute(select(Resident.id, Resident.birth_date))}
        tags: dict[uuid.UUID, dict[str, str]] = defaultdict(dict)
        for t in s.scalars(select(ResidentTag)):
            tags[t.resident_id][t.tag] = t.detail
    for rid, given in tags.items():
        assert validate_tags(given, birth_date=births[rid], today=AS_OF) == given
        low_income = {"dibao", "tekun", "dibao_edge"} & set(given)
        assert not ("rigid_expense" in given and low_income)
        assert len(low_income | ({"rigid_expense"} & set(given))) <= 1
    counts: dict[str, int] = defaultdict(int)
    for given in tags.values():
        for code in given:
            counts[code] += 1
    assert 0.15 * 200 <= counts["elderly"] <= 0.4 * 200
    assert counts["child"] > 0 and counts["disabled"] > 0


def test_guardians_consent_for_children_under_14(db: Database) -> None:
    generate_demo(db, scale="small", seed=3, as_of=AS_OF)
    with db.reader() as s:
        rows = s.execute(
            select(ConsentRecord, Resident.name, Resident.birth_date).join(
                Resident, Resident.id == ConsentRecord.resident_id
            )
        ).all()
    children = [(c, name) for c, name, born in rows if born and _age(born, c.given_on) < 14]
    assert children, "small demo data should hold guardian consents"
    for consent, name in children:
        assert consent.guardian_relation and consent.given_by != name
        assert consent.sensitive
    for consent, _name, _born in rows:
        assert consent.given_on >= date(2021, 11, 1)
        assert consent.withdrawn_on is None or consent.withdrawn_on > consent.given_on


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_pinyin_keys_read_surnames_as_surnames(db: Database) -> None:
    generate_demo(db, scale="small", seed=1, as_of=AS_OF)
    with db.reader() as s:
        residents = s.scalars(select(Resident)).all()
    polyphonic = [r for r in residents if r.name[0] in names.POLYPHONIC_SURNAMES]
    assert polyphonic, "small demo data should include 单/曾/解/仇/查"
    for r in polyphonic:
        assert r.py_full.startswith(SURNAME_READINGS[r.name[0]])
        assert r.py_full_alt is not None
    for r in residents[:300]:
        keys = pinyin_keys(r.name)
        assert (r.py_initials, r.py_full, r.py_initials_alt) == (
            keys.initials,
            keys.full,
            keys.initials_alt,
        )


def test_director_and_staff_can_sign_in(db: Database) -> None:
    _tiny(db)
    actor = sign_in(db, "zhanzhang", DEFAULT_PASSWORD, host="test-pc")
    assert actor.role is Role.DIRECTOR
    with db.reader() as s:
        station = s.scalars(select(Station)).one()
    assert actor.station_id == station.id
    worker = sign_in(db, "shegong1", DEFAULT_PASSWORD, host="test-pc")
    assert worker.role is Role.SOCIAL_WORKER and worker.station_id == station.id


def test_admin_password_comes_from_the_environment(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WUSHE_ADMIN_PASSWORD", "Huaian2025x")
    _tiny(db)
    assert sign_in(db, "zhanzhang", "Huaian2025x", host="test-pc").role is Role.DIRECTOR


def test_cancel_leaves_nothing(db: Database) -> None:
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, _status: str) -> None:
        seen.append(fraction)
        if fraction > 0.3:
            token.cancel()

    with pytest.raises(Cancelled):
        generate_demo(db, scale="small", seed=1, as_of=AS_OF, progress=progress, cancel=token)
    assert seen
    with db.reader() as s:
        for model in (Station, User, Community, Grid, Resident, ResidentTag, AuditEntry):
            assert s.scalar(select(func.count()).select_from(model)) == 0, model


def test_progress_runs_from_zero_to_one(db: Database) -> None:
    seen: list[float] = []
    _tiny(db, progress=lambda f, _s: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_fills_an_existing_station_once(db: Database, station: Station) -> None:
    summary = _tiny(db)
    assert not summary.created_station
    with db.reader() as s:
        assert s.scalar(select(func.count()).select_from(Station)) == 1
        station_ids = set(s.scalars(select(Resident.station_id)))
    assert station_ids == {station.id}
    with pytest.raises(ConflictError, match="已有社区"):
        _tiny(db)
