"""A volunteer activity linked to a community activity: the link round trip and who served."""

from __future__ import annotations

from datetime import date

from tests.db.scheduling_support import china, make_activity, make_shift
from tests.db.volunteers_support import add_volunteer
from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.activities.service import create_activity as create_community_activity
from wushe_desktop.activities.validation import ActivityInput as CommunityActivityInput
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.scheduling import hours as hours_service
from wushe_desktop.scheduling.assignments import assign
from wushe_desktop.scheduling.checkin import check_in, check_out
from wushe_desktop.scheduling.community_link import (
    SOURCE_KIND,
    community_activity_choices,
    volunteers_for_community_activity,
)
from wushe_desktop.scheduling.models import VolunteerActivity

SAT = date(2026, 3, 14)


def test_linked_shifts_name_the_volunteers_with_approved_minutes(
    db: Database, director: Actor
) -> None:
    with db.transaction() as s:
        older = create_community_activity(
            s,
            director,
            CommunityActivityInput(
                title="元宵猜灯谜", activity_type="文体", held_on=date(2026, 3, 1), participants=20
            ),
        ).id
        community = create_community_activity(
            s,
            director,
            CommunityActivityInput(
                title="学雷锋义诊", activity_type="健康", held_on=SAT, participants=40, volunteers=3
            ),
        ).id
        choices = community_activity_choices(s, director)
        assert [c[0] for c in choices] == [community, older]  # most recent first
        assert choices[0][1] == "2026-03-14 学雷锋义诊"
        assert volunteers_for_community_activity(s, director, community) == []  # manual count

    act = make_activity(
        db, director, "义诊志愿服务", source_kind=SOURCE_KIND, source_id=str(community)
    )
    other = make_activity(db, director, "别的活动")
    shift = make_shift(db, director, act, SAT, "09:00", "11:00", needed=3)
    shift_other = make_shift(db, director, other, SAT, "14:00", "15:00")
    zhang = add_volunteer(db, director, "张三")
    li = add_volunteer(db, director, "李四")
    wang = add_volunteer(db, director, "王五")
    with db.transaction() as s:
        stored = s.get(VolunteerActivity, act)
        assert stored is not None
        assert (stored.source_kind, stored.source_id) == (SOURCE_KIND, str(community))
        a_zhang = assign(s, director, shift, zhang).assignment_id
        a_li = assign(s, director, shift, li).assignment_id
        assign(s, director, shift, wang)  # assigned, never checked in
        a_other = assign(s, director, shift_other, zhang).assignment_id
        for aid in (a_zhang, a_li):
            check_in(s, director, aid, at=china(SAT, 9, 0))
        check_out(s, director, a_zhang, at=china(SAT, 11, 0), recorded_on=SAT)
        check_out(s, director, a_li, at=china(SAT, 10, 0), recorded_on=SAT)
        check_in(s, director, a_other, at=china(SAT, 14, 0))
        check_out(s, director, a_other, at=china(SAT, 15, 0), recorded_on=SAT)
        rows = hours_service.list_hours(s, director)
        approve = [r.id for r in rows if r.volunteer_name != "李四"]  # 李四's hours stay pending
        hours_service.approve_hours(s, director, approve)

    with db.transaction() as s:
        found = volunteers_for_community_activity(s, director, community)
    assert [(r.name, r.shifts, r.minutes) for r in found] == [("张三", 1, 120), ("李四", 1, 0)]


def test_an_existing_activity_is_relinked_audited_and_checked(
    db: Database, director: Actor
) -> None:
    import json

    import pytest
    from sqlalchemy import select

    from wushe_desktop.audit.models import AuditEntry
    from wushe_desktop.infra.errors import ValidationError
    from wushe_desktop.scheduling.shifts import ActivityInput, get_activity, update_activity

    with db.transaction() as s:
        community = create_community_activity(
            s,
            director,
            CommunityActivityInput(
                title="重阳敬老", activity_type="节日慰问", held_on=SAT, participants=25
            ),
        ).id
    act = make_activity(db, director, "敬老志愿服务")
    with db.transaction() as s:
        row = get_activity(s, director, act)
        assert (row.source_kind, row.source_id) == ("", "")
        data = ActivityInput(
            title=row.title,
            starts_on=row.starts_on,
            source_kind=SOURCE_KIND,
            source_id=str(community),
        )
        linked = update_activity(s, director, act, data, expected_version=row.version)
    assert (linked.source_kind, linked.source_id) == (SOURCE_KIND, str(community))
    with db.reader() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.record_id == str(act), AuditEntry.action == "修改")
        ).one()
    assert json.loads(entry.changes)["linked_activity"] == ["", "2026-03-14 重阳敬老"]
    for bad in ("not-a-uuid", "01a2126617047f27afde5cd2fb2acfb3"):
        with db.transaction() as s, pytest.raises(ValidationError, match="关联的社区活动不存在"):
            update_activity(
                s,
                director,
                act,
                ActivityInput(title="敬老志愿服务", source_kind=SOURCE_KIND, source_id=bad),
            )
