"""Case templates edited by the director: checked, stored as a station setting, used by new
cases, and reset to the built-in ones."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.db.case_support import Staff, make_staff
from wushe_desktop.cases.detail import open_case
from wushe_desktop.cases.service import CaseInput, create_case
from wushe_desktop.cases.templates import (
    DEFAULT_TEMPLATES,
    CaseTemplate,
    reset_templates,
    save_templates,
    templates,
)
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import PermissionDenied, ValidationError
from wushe_desktop.models import Station

D0 = date(2025, 3, 1)


@pytest.fixture
def staff(db: Database, station: Station) -> Staff:
    return make_staff(db, station)


def test_director_edits_templates_and_new_cases_use_them(db: Database, staff: Staff) -> None:
    edited = [
        CaseTemplate("general", "通用个案", (("首次家访", 2), ("完成预估", 10))),
        CaseTemplate("", "  独居老人关怀 ", (("首次家访", 1), ("安装紧急呼叫器", 5))),
    ]
    with db.transaction() as s:
        saved = save_templates(s, staff.director, edited)
    assert [(t.key, t.label) for t in saved] == [
        ("general", "通用个案"),
        ("custom1", "独居老人关怀"),
    ]
    with db.transaction() as s:
        assert templates(s, staff.worker) == saved
        case = create_case(
            s,
            staff.worker,
            CaseInput(
                resident_id=staff.elder,
                source="主动发现",
                problem_areas=["生活照料"],
                opened_on=D0,
                template_key="custom1",
            ),
        ).id
        tasks = open_case(s, staff.worker, case).tasks
    assert sorted((t.title, t.due_on) for t in tasks) == [
        ("安装紧急呼叫器", D0 + timedelta(days=5)),
        ("首次家访", D0 + timedelta(days=1)),
    ]
    with db.transaction() as s:
        assert reset_templates(s, staff.director) == list(DEFAULT_TEMPLATES)
        assert templates(s, staff.worker) == list(DEFAULT_TEMPLATES)


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([], "至少保留一个个案模板"),
        ([CaseTemplate("", " ", (("家访", 1),))], "第1个模板没有名称"),
        (
            [CaseTemplate("a", "甲", (("家访", 1),)), CaseTemplate("b", "甲", (("家访", 1),))],
            "有两个模板都叫“甲”",
        ),
        ([CaseTemplate("a", "甲", ())], "模板“甲”没有待办事项"),
        ([CaseTemplate("a", "甲", (("家访", 1), ("", 2)))], "模板“甲”第2项待办没有内容"),
        ([CaseTemplate("a", "甲", (("家访", 400),))], "天数应在 0 到 365 之间"),
        ([CaseTemplate("a", "甲", (("家" * 51, 1),))], "最长50个字"),
    ],
)
def test_bad_templates_are_refused_with_where(
    db: Database, staff: Staff, items: list[CaseTemplate], message: str
) -> None:
    with db.transaction() as s, pytest.raises(ValidationError, match=message):
        save_templates(s, staff.director, items)
    with db.reader() as s:
        assert templates(s, staff.director) == list(DEFAULT_TEMPLATES)  # nothing stored


def test_only_the_director_edits_templates(db: Database, staff: Staff) -> None:
    for who in (staff.worker, staff.supervisor, staff.coordinator):
        with db.transaction() as s, pytest.raises(PermissionDenied):
            save_templates(s, who, list(DEFAULT_TEMPLATES))
