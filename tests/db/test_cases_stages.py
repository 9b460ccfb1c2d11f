"""Case stages: the full walk from intake to follow-up, guards, going back, reopening,
early closure, supervisor review, and the timeline."""

from __future__ import annotations

from datetime import date

import pytest

from tests.db.case_support import ASSESSMENT, CLOSURE, EVALUATION, INTAKE, Staff, make_staff, plan
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.case_records import complete_follow_up, save_record
from wushe_desktop.cases.detail import open_case
from wushe_desktop.cases.interventions import InterventionInput, add_intervention
from wushe_desktop.cases.review import review_record, set_supervisor_review
from wushe_desktop.cases.service import CaseInput, create_case
from wushe_desktop.cases.stages import check_next, close_case, move_to, reopen_case
from wushe_desktop.infra.db.engine import Database
from wushe_desktop.infra.errors import ConflictError, PermissionDenied, ValidationError
from wushe_desktop.models import Station
from wushe_desktop.service_records import metrics

D0 = date(2025, 3, 1)


@pytest.fixture
def staff(db: Database, station: Station) -> Staff:
    return make_staff(db, station)


def _open(db: Database, staff: Staff, **kw: object) -> object:
    values: dict[str, object] = {
        "resident_id": staff.elder,
        "source": "居民求助",
        "problem_areas": ["生活照料", "社会支持"],
        "opened_on": D0,
        "template_key": "general",
    }
    values.update(kw)
    with db.transaction() as s:
        return create_case(s, staff.worker, CaseInput(**values))  # type: ignore[arg-type]


def _move(db: Database, staff: Staff, case_id: object, stage: str, **kw: object) -> str:
    with db.transaction() as s:
        return move_to(s, staff.worker, case_id, stage, on=D0, **kw).stage  # type: ignore[arg-type]


def _save(db: Database, staff: Staff, case_id: object, data: rec.RecordData) -> object:
    with db.transaction() as s:
        return save_record(s, staff.worker, case_id, data, record_date=D0)  # type: ignore[arg-type]


def _serve(db: Database, staff: Staff, case_id: object, day: date = D0) -> None:
    with db.transaction() as s:
        add_intervention(
            s,
            staff.worker,
            case_id,  # type: ignore[arg-type]
            InterventionInput(day, "个案服务", 60, "上门面谈，链接助餐"),
        )


def test_full_walk_from_intake_to_follow_up(db: Database, staff: Staff) -> None:
    case = _open(db, staff)
    cid = case.id  # type: ignore[attr-defined]
    assert case.case_no == "GA2025-0001" and case.stage == "接案"  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="请先填写接案登记"):
        _move(db, staff, cid, "预估")
    _save(db, staff, cid, INTAKE)
    with pytest.raises(ValidationError, match="须在进入“计划”阶段后填写"):
        _save(db, staff, cid, plan(date(2025, 6, 1)))
    assert _move(db, staff, cid, "预估") == "预估"
    with pytest.raises(ValidationError, match="不能跳过阶段"):
        _move(db, staff, cid, "介入")
    with pytest.raises(ValidationError, match="请先填写预估报告"):
        _move(db, staff, cid, "计划")
    _save(db, staff, cid, ASSESSMENT)
    assert _move(db, staff, cid, "计划") == "计划"
    _save(db, staff, cid, plan(date(2025, 6, 1)))
    assert _move(db, staff, cid, "介入") == "介入"
    with pytest.raises(ValidationError, match="至少一次介入服务"):
        _move(db, staff, cid, "评估")
    _serve(db, staff, cid)
    assert _move(db, staff, cid, "评估") == "评估"
    with pytest.raises(ValidationError, match="缺目标2"):
        _save(db, staff, cid, rec.EvaluationData([rec.Attainment(1, "完全达成")], "满意"))
    _save(db, staff, cid, EVALUATION)
    with pytest.raises(ValidationError, match="请先填写结案报告"):
        _move(db, staff, cid, "结案")
    with db.transaction() as s:
        row = close_case(
            s, staff.worker, cid, CLOSURE, on=date(2025, 6, 2), follow_up_on=date(2025, 7, 2)
        )
    assert row.stage == "结案" and row.closed_on == date(2025, 6, 2)
    with db.transaction() as s, pytest.raises(ConflictError, match="已结案"):
        save_record(s, staff.worker, cid, ASSESSMENT, record_date=D0)
    with db.reader() as s:
        detail = open_case(s, staff.worker, cid)
    (follow,) = detail.follow_ups
    assert follow.due_on == date(2025, 7, 2) and follow.done_on is None
    with db.transaction() as s:
        complete_follow_up(
            s,
            staff.worker,
            follow.id,
            date(2025, 7, 3),
            rec.FollowUpData(mode="电话", result="情况稳定", notes="助餐正常"),
        )
    with db.reader() as s:
        detail = open_case(s, staff.worker, cid)
        counts = metrics.service_counts(s, staff.worker, date(2025, 1, 1), date(2025, 12, 31))
    assert detail.row.stage == "回访"
    assert [s.service_type for s in detail.services] == ["个案服务", "电话回访"]
    assert counts["合计"].attendances == 2 and counts["合计"].people == 1
    kinds = [(i.kind, i.title) for i in detail.timeline()]
    assert kinds[0] == ("事件", "开案")
    assert ("事件", "结案") in kinds and ("服务", "电话回访 15分钟") in kinds
    assert [i.on for i in detail.timeline()] == sorted(i.on for i in detail.timeline())
    assert len(detail.tasks) == 4  # the general template's to-dos


def test_going_back_needs_a_reason_and_reopen(db: Database, staff: Staff) -> None:
    cid = _open(db, staff).id  # type: ignore[attr-defined]
    _save(db, staff, cid, INTAKE)
    _move(db, staff, cid, "预估")
    with pytest.raises(ValidationError, match="须填写原因"):
        _move(db, staff, cid, "接案")
    assert _move(db, staff, cid, "接案", reason="补充接案信息") == "接案"
    _move(db, staff, cid, "预估")
    with db.transaction() as s:  # early closure: the resident moved away
        row = close_case(
            s, staff.worker, cid, rec.ClosureData("迁出", "服务对象迁往外地"), on=date(2025, 3, 9)
        )
    assert row.stage == "结案"
    with db.transaction() as s, pytest.raises(ValidationError, match="须填写原因"):
        reopen_case(s, staff.worker, cid, "  ")
    with db.transaction() as s:
        row = reopen_case(s, staff.worker, cid, "服务对象迁回本镇", to_stage="预估")
    assert row.stage == "预估" and row.closed_on is None and row.reopen_count == 1
    with db.reader() as s:
        detail = open_case(s, staff.worker, cid)
    assert detail.record("closure") is None  # the old report is kept, marked superseded
    assert [r.archived for r in detail.records if r.kind == "closure"] == [True]
    assert any(e.kind == "重新开案" and e.text == "服务对象迁回本镇" for e in detail.events)


def test_goals_met_needs_the_evaluation_stage(db: Database, staff: Staff) -> None:
    cid = _open(db, staff).id  # type: ignore[attr-defined]
    _save(db, staff, cid, INTAKE)
    with db.transaction() as s, pytest.raises(ValidationError, match="提前结案请选择其他"):
        close_case(s, staff.worker, cid, CLOSURE, on=D0)


def test_not_accepted_intake_closes(db: Database, staff: Staff) -> None:
    cid = _open(db, staff).id  # type: ignore[attr-defined]
    refused = rec.IntakeData("需要法律援助", False, False, False, reason="超出服务范围")
    with pytest.raises(ValidationError, match="理由"):
        _save(db, staff, cid, rec.IntakeData("x", False, False, False))
    _save(db, staff, cid, refused)
    with pytest.raises(ValidationError, match="不予接案"):
        _move(db, staff, cid, "预估")
    with db.transaction() as s:
        row = close_case(
            s,
            staff.worker,
            cid,
            rec.ClosureData("转介", "转介法律援助中心", referral_to="法援中心"),
            on=D0,
        )
    assert row.stage == "结案"


def test_intake_needs_consent_and_guardian_for_a_child(db: Database, staff: Staff) -> None:
    cid = _open(db, staff, resident_id=staff.child, problem_areas=["安全保护"]).id  # type: ignore[attr-defined]
    no_consent = rec.IntakeData("监护缺失", True, False, True)
    with pytest.raises(ValidationError, match="同意"):
        _save(db, staff, cid, no_consent)
    with pytest.raises(ValidationError, match="监护人"):
        _save(db, staff, cid, rec.IntakeData("监护缺失", True, True, True))
    _save(
        db,
        staff,
        cid,
        rec.IntakeData("监护缺失", True, True, True, consent_by="李强", guardian_relation="父亲"),
    )


def test_one_open_case_per_resident(db: Database, staff: Staff) -> None:
    _open(db, staff)
    with pytest.raises(ConflictError, match="已有在案个案 GA2025-0001"):
        _open(db, staff)


def test_supervisor_review(db: Database, staff: Staff) -> None:
    with db.transaction() as s:
        set_supervisor_review(s, staff.director, True)
    cid = _open(db, staff).id  # type: ignore[attr-defined]
    _save(db, staff, cid, INTAKE)
    _move(db, staff, cid, "预估")
    row = _save(db, staff, cid, ASSESSMENT)
    assert row.review_status == "待审核"  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="等待督导审核"):
        _move(db, staff, cid, "计划")
    with db.reader() as s:
        check = check_next(s, staff.worker, cid)
    assert check is not None and not check.allowed and "督导" in check.reason
    with db.transaction() as s, pytest.raises(PermissionDenied):
        review_record(s, staff.worker, row.id, approve=True)  # type: ignore[attr-defined]
    with db.transaction() as s, pytest.raises(ValidationError, match="审核意见"):
        review_record(s, staff.supervisor, row.id, approve=False)  # type: ignore[attr-defined]
    with db.transaction() as s:
        back = review_record(s, staff.supervisor, row.id, approve=False, comment="补充优势分析")  # type: ignore[attr-defined]
    assert back.review_status == "退回" and back.reviewer_name == "dudao1"
    with pytest.raises(ValidationError, match="退回"):
        _move(db, staff, cid, "计划")
    again = _save(
        db, staff, cid, rec.AssessmentData(ASSESSMENT.needs, "头脑清楚；邻居愿意帮忙", "中")
    )
    assert again.review_status == "待审核"  # type: ignore[attr-defined]
    with db.transaction() as s:
        review_record(s, staff.supervisor, again.id, approve=True)  # type: ignore[attr-defined]
    assert _move(db, staff, cid, "计划") == "计划"
    # the closure report waits too
    _save(db, staff, cid, plan(date(2025, 6, 1)))


def test_assessment_sets_the_risk_level(db: Database, staff: Staff) -> None:
    cid = _open(db, staff, risk_level="低").id  # type: ignore[attr-defined]
    _save(db, staff, cid, INTAKE)
    _move(db, staff, cid, "预估")
    _save(db, staff, cid, rec.AssessmentData(ASSESSMENT.needs, "有女儿", "高"))
    with db.reader() as s:
        detail = open_case(s, staff.worker, cid)
    assert detail.row.risk_level == "高"
    assert any(e.kind == "风险调整" for e in detail.events)
