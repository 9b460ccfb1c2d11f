"""Volunteer registry: numbers, validation, duplicates, status, search, teams, records."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_actor
from tests.db.residents_support import make_places
from tests.db.volunteers_support import add_volunteer, make_id
from wushe_desktop.accounts.permissions import Actor, Role
from wushe_desktop.audit.models import AuditEntry
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.residents.service import ResidentInput, create_resident
from wushe_desktop.volunteers import records, teams
from wushe_desktop.volunteers.availability import parse_availability
from wushe_desktop.volunteers.search import VolunteerQuery, count, front_desk, search
from wushe_desktop.volunteers.service import (
    create_volunteer,
    get_volunteer,
    set_status,
    update_volunteer,
)
from wushe_desktop.volunteers.settings import VolunteerRules, get_rules, save_rules
from wushe_desktop.volunteers.validation import VolunteerInput

TODAY = date(2026, 3, 10)


def _input(name: str = "王秀英", **kw: object) -> VolunteerInput:
    base: dict[str, object] = {
        "name": name,
        "id_number": make_id(date(1985, 6, 1), 222),
        "phone": "138 1234 5678",
        "consent_on": date(2026, 1, 5),
    }
    base.update(kw)
    return VolunteerInput(**base)  # type: ignore[arg-type]


def test_register_gives_own_number_and_masks_lists(db: Database, director: Actor) -> None:
    with db.transaction() as s:
        first = create_volunteer(s, director, _input(), today=TODAY)
        second = create_volunteer(
            s, director, _input("李强", id_number=make_id(date(1990, 1, 1), 131)), today=TODAY
        )
    assert first.volunteer_no == "VOL-320812001-00001"
    assert second.volunteer_no == "VOL-320812001-00002"
    assert first.id_number == "320812********2224"[:6] + "********" + first.id_number[-4:]
    assert "*" in first.id_number and first.phone == "138****5678"
    assert first.gender == "女" and first.birth_date == date(1985, 6, 1)
    assert first.consent_by == "王秀英"  # the adult's own consent
    with db.transaction() as s:
        full = get_volunteer(s, director, first.id, reveal=True)
        assert full.phone == "13812345678"
        assert s.query(AuditEntry).filter_by(action="查看敏感信息").count() == 1


def test_duplicate_document_is_refused_naming_the_existing_one(
    db: Database, director: Actor
) -> None:
    with db.transaction() as s:
        create_volunteer(s, director, _input(), today=TODAY)
    message = "已登记为志愿者“王秀英”（VOL-320812001-00001）"
    with pytest.raises(ConflictError, match=message), db.transaction() as s:
        create_volunteer(s, director, _input("王秀"), today=TODAY)


def test_validation_messages(db: Database, director: Actor) -> None:
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="证件号码不能为空"):
            create_volunteer(s, director, _input(id_number=""), today=TODAY)
        with pytest.raises(ValidationError, match="联系电话不能为空"):
            create_volunteer(s, director, _input(phone=""), today=TODAY)
        with pytest.raises(ValidationError, match="请填写原因"):
            create_volunteer(s, director, _input(status="暂停"), today=TODAY)
        with pytest.raises(ValidationError, match="政治面貌"):
            create_volunteer(s, director, _input(political_status="无党派人士吗"), today=TODAY)


def test_age_limits_come_from_settings(db: Database, director: Actor) -> None:
    child = make_id(date(2020, 5, 1), 133)  # 5 years old
    teen = make_id(date(2012, 5, 1), 135)  # 13 years old
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="低于本站志愿者最低登记年龄7岁"):
            create_volunteer(s, director, _input("小明", id_number=child), today=TODAY)
        with pytest.raises(ValidationError, match="须由监护人同意"):
            create_volunteer(s, director, _input("小红", id_number=teen), today=TODAY)
        row = create_volunteer(
            s,
            director,
            _input("小红", id_number=teen, consent_by="李梅", guardian_relation="母亲"),
            today=TODAY,
        )
        assert row.consent_by == "李梅" and row.guardian_relation == "母亲"
        save_rules(s, director, VolunteerRules(min_age=5, guardian_under=14))
        assert get_rules(s, director.station_id).min_age == 5
        create_volunteer(
            s,
            director,
            _input("小明", id_number=child, consent_by="张伟", guardian_relation="父亲"),
            today=TODAY,
        )


def test_resident_with_same_document_is_linked(
    db: Database, director: Actor, station: Station
) -> None:
    places = make_places(db, station)
    number = make_id(date(1970, 2, 2), 151)
    with db.transaction() as s:
        resident = create_resident(
            s, director, ResidentInput(name="赵刚", community_id=places.qinghe, id_number=number)
        )
        volunteer = create_volunteer(
            s, director, _input("赵刚", id_number=number, community_id=places.qinghe), today=TODAY
        )
    assert volunteer.resident_id == resident.id
    assert volunteer.community_name == "清河社区"


def test_update_status_and_stale_version(db: Database, director: Actor) -> None:
    with db.transaction() as s:
        row = create_volunteer(s, director, _input(skills=["驾驶", "医疗护理"]), today=TODAY)
    assert row.skills == ("医疗护理", "驾驶")
    with db.transaction() as s:
        edited = update_volunteer(
            s,
            director,
            row.id,
            _input(skills=["驾驶", "手语"], occupation="教师"),
            expected_version=row.version,
            today=TODAY,
        )
    assert edited.skills == ("手语", "驾驶") and edited.version == row.version + 1
    with pytest.raises(ConflictError, match="已被其他用户修改"), db.transaction() as s:
        update_volunteer(s, director, row.id, _input(), expected_version=row.version)
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="请填写原因"):
            set_status(s, director, row.id, "退出", "")
        out = set_status(s, director, row.id, "退出", "搬离本镇")
    assert out.status == "退出" and out.status_reason == "搬离本镇"


def test_supervisor_cannot_register(db: Database, station: Station) -> None:
    supervisor = make_actor(station, Role.SUPERVISOR, "dudao")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        create_volunteer(s, supervisor, _input(), today=TODAY)


def test_search_by_name_pinyin_phone_number_and_tail(db: Database, director: Actor) -> None:
    add_volunteer(db, director, "单田芳", phone="13900001111")
    add_volunteer(db, director, "王小二", phone="13700002222", skills=("驾驶",))
    add_volunteer(db, director, "王大", phone="13600003333")
    with db.reader() as s:

        def names(text: str, **kw: object) -> list[str]:
            query = VolunteerQuery(text=text, **kw)  # type: ignore[arg-type]
            return [r.name for r in search(s, director, query).rows]

        assert names("王") == ["王大", "王小二"]
        assert names("stf") == ["单田芳"] and names("dtf") == ["单田芳"]
        assert names("wangxiao") == ["王小二"]
        assert names("1370000") == ["王小二"]
        assert names("VOL-320812001-0000") == ["单田芳", "王大", "王小二"]
        assert names("", skill="驾驶") == ["王小二"]
        assert count(s, director, VolunteerQuery(text="王")) == 2
        assert [r.name for r in front_desk(s, director, "3333")] == ["王大"]
        assert [r.name for r in front_desk(s, director, "单")] == ["单田芳"]
        page = search(s, director, VolunteerQuery(), limit=2)
        assert page.next_cursor is not None
        rest = search(s, director, VolunteerQuery(), after=page.next_cursor, limit=2)
        assert [r.name for r in page.rows + rest.rows] == ["单田芳", "王大", "王小二"]


def test_teams_many_to_many(db: Database, director: Actor) -> None:
    a = add_volunteer(db, director, "甲")
    b = add_volunteer(db, director, "乙")
    with db.transaction() as s:
        t1 = teams.create_team(s, director, name="为老服务队", leader_id=a)
        t2 = teams.create_team(s, director, name="文艺队")
        assert teams.add_members(s, director, t1.id, [a, b]) == 1  # the leader is a member
        teams.add_members(s, director, t2.id, [a])
        assert teams.teams_of(s, a) == ["为老服务队", "文艺队"]
        with pytest.raises(ConflictError, match="已有名为“文艺队”"), s.begin_nested():
            teams.create_team(s, director, name="文艺队")
        teams.remove_member(s, director, t1.id, a)
        listed = {t.name: t for t in teams.list_teams(s, director)}
    assert listed["为老服务队"].members == 1 and listed["为老服务队"].leader_name == ""
    with db.reader() as s:
        assert count(s, director, VolunteerQuery(team_id=t2.id)) == 1
    with db.transaction() as s:  # a founding date is corrected; None keeps it
        teams.update_team(
            s, director, t2.id, name="文艺队", leader_id=None, founded_on=date(2020, 5, 4)
        )
        teams.update_team(s, director, t2.id, name="文艺队", leader_id=None)
        assert {t.name: t for t in teams.list_teams(s, director)}["文艺队"].founded_on == date(
            2020, 5, 4
        )


def test_records_and_expiry_warnings(db: Database, director: Actor) -> None:
    v = add_volunteer(db, director, "钱七", insurance_until=date(2026, 3, 20))
    with db.transaction() as s:
        records.add_training(
            s, director, v, course="急救培训", trained_on=date(2025, 5, 1), minutes=240
        )
        records.add_award(
            s, director, v, name="优秀志愿者", awarded_on=date(2025, 12, 5), body="清河街道"
        )
        records.add_qualification(s, director, v, kind="急救证", valid_until=date(2026, 3, 1))
        records.add_unavailable(s, director, v, date(2026, 4, 1), date(2026, 4, 5), reason="外出")
        with pytest.raises(ValidationError, match="结束日期早于开始日期"):
            records.add_unavailable(s, director, v, date(2026, 4, 5), date(2026, 4, 1))
        got = records.list_records(s, director, v)
        warnings = records.expiring_qualifications(s, director, on=TODAY)
    assert [t.course for t in got.trainings] == ["急救培训"]
    assert len(got.unavailable) == 1
    assert warnings == [
        ("钱七", "急救证", date(2026, 3, 1), "已过期"),
        ("钱七", "志愿者保险", date(2026, 3, 20), "即将到期"),
    ]


def test_records_are_edited_in_place_with_an_audited_diff(db: Database, station: Station) -> None:
    director = make_actor(station, Role.DIRECTOR, "zhanzhang")
    supervisor = make_actor(station, Role.SUPERVISOR, "dudao")
    v = add_volunteer(db, director, "孙八")
    with db.transaction() as s:
        t = records.add_training(
            s, director, v, course="急救培训", trained_on=date(2025, 5, 1), minutes=240
        ).id
        q = records.add_qualification(s, director, v, kind="急救证").id
        star = records.add_star(
            s, director, v, level=1, awarded_on=date(2025, 6, 1), body="清河街道"
        ).id
    with db.transaction() as s:
        records.update_training(
            s, director, t, course="应急救护培训", trained_on=date(2025, 5, 2), minutes=240
        )
        records.update_qualification(
            s, director, q, kind="急救证", number="JJ-001", valid_until=date(2027, 1, 1)
        )
        records.update_star(
            s, director, star, level=2, awarded_on=date(2025, 6, 1), body="清河街道"
        )
        records.update_star(
            s, director, star, level=2, awarded_on=date(2025, 6, 1), body="清河街道"
        )
        with pytest.raises(ValidationError, match="有效期早于取得日期"):
            records.update_qualification(
                s,
                director,
                q,
                kind="急救证",
                obtained_on=date(2026, 1, 1),
                valid_until=date(2025, 1, 1),
            )
    with db.transaction() as s, pytest.raises(PermissionDenied):
        records.update_award(s, supervisor, t, name="x", awarded_on=date(2025, 1, 1))
    with db.reader() as s:
        got = records.list_records(s, director, v)
        entries = (
            s.query(AuditEntry)
            .filter(AuditEntry.record_id == str(v), AuditEntry.action == "修改")
            .order_by(AuditEntry.at, AuditEntry.id)
            .all()
        )
    assert [(x.course, x.trained_on) for x in got.trainings] == [("应急救护培训", date(2025, 5, 2))]
    assert (got.qualifications[0].number, got.qualifications[0].valid_until) == (
        "JJ-001",
        date(2027, 1, 1),
    )
    assert got.stars[0].level == 2
    assert len(entries) == 3  # the unchanged second star save writes nothing
    import json

    training = json.loads(entries[0].changes)
    assert training == {
        "培训名称": ["急救培训", "应急救护培训"],
        "培训日期": ["2025-05-01", "2025-05-02"],
    }
    assert entries[0].detail.startswith("修改培训：应急救护培训")
    with db.transaction() as s:
        records.remove_record(s, director, "training", t)
    with db.reader() as s:
        removed = s.query(AuditEntry).filter(AuditEntry.action == "删除").one()
    assert removed.detail == "删除培训：应急救护培训（2025-05-02）"


def test_availability_text_round_trip() -> None:
    from wushe_desktop.volunteers.availability import ALL_SLOTS, availability_text

    mask = parse_availability("周一全天、周三晚上、周末上午")
    assert availability_text(mask) == "周一全天、周三晚上、周六上午、周日上午"
    assert parse_availability(availability_text(mask)) == mask
    assert parse_availability("") == ALL_SLOTS and availability_text(ALL_SLOTS) == "全部时段"
    assert parse_availability("工作日晚上") == sum(1 << (d * 3 + 2) for d in range(5))
    with pytest.raises(ValidationError, match="无法识别"):
        parse_availability("周八上午")
