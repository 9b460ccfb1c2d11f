"""The stage record dialogs: 接案登记, 预估报告, 服务计划, 成效评估, 结案报告.

Each builds the core's record from its widgets and runs the record's own ``checked()`` as
the user types (the same rules the service applies), so 保存 is enabled only for a record
the service will accept; saving runs on the DB thread.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Actor
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.case_records import RecordRow, save_record
from wushe_desktop.cases.constants import PROBLEM_AREAS, ActionBy, ClosureReason, RiskLevel
from wushe_desktop.domain.dates import parse_date
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.ui.dialogs.case_widgets import Col, RowsEditor, date_edit, date_of
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


def _text_edit(text: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setFixedHeight(height)
    return edit


def _number(text: str, what: str, field: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValidationError(f"{what}“{text}”不是数字。", field=field) from None


class RecordDialog(FormDialog):
    """A stage record of one case; ``existing`` fills the form for editing."""

    title_text = ""

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        existing: RecordRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, self.title_text, parent)
        self.actor = actor
        self.case_id = case_id
        self.existing = existing
        self.setMinimumWidth(640)
        self.record_date = date_edit(existing.record_date if existing else None)
        self.record_date.dateChanged.connect(self._changed)
        self.form.addRow(self.tr("记录日期"), self.record_date)

    def watch_check(self, name: str, box: QCheckBox) -> None:
        self.fields[name] = box
        box.toggled.connect(self._changed)

    def watch_rows(self, name: str, editor: RowsEditor) -> None:
        self.fields[name] = editor
        editor.changed.connect(self._changed)

    def data(self) -> rec.RecordData:
        raise NotImplementedError

    def checked(self) -> rec.RecordData:
        raise NotImplementedError

    def problem(self) -> str:
        self.checked()
        return ""

    def save(self, session: Session) -> object:
        version = self.existing.version if self.existing else None
        return save_record(
            session,
            self.actor,
            self.case_id,
            self.checked(),
            record_date=date_of(self.record_date),
            expected_version=version,
        )


class IntakeDialog(RecordDialog):
    title_text = "接案登记"

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        existing: RecordRow | None = None,
        *,
        under_14: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, actor, case_id, existing, parent)
        self.under_14 = under_14
        d = existing.data if existing and isinstance(existing.data, rec.IntakeData) else None
        self.problem_edit = _text_edit(d.presenting_problem if d else "")
        self.consent_service = QCheckBox(self.tr("服务对象（或监护人）同意接受服务"))
        self.consent_data = QCheckBox(self.tr("同意收集和使用个人信息（含敏感个人信息）"))
        self.accept_box = QComboBox()
        self.accept_box.addItems([self.tr("接案"), self.tr("不予接案")])
        self.reason = QLineEdit(d.reason if d else "")
        self.referral_to = QLineEdit(d.referral_to if d else "")
        self.consent_by = QLineEdit(d.consent_by if d else "")
        self.consent_by.setPlaceholderText(self.tr("本人同意时留空；未满十四周岁须填监护人"))
        self.guardian_relation = QLineEdit(d.guardian_relation if d else "")
        if d:
            self.consent_service.setChecked(d.consent_service)
            self.consent_data.setChecked(d.consent_data)
            self.accept_box.setCurrentIndex(0 if d.accepted else 1)
        self.form.addRow(self.tr("主要问题"), self.problem_edit)
        self.form.addRow("", self.consent_service)
        self.form.addRow("", self.consent_data)
        self.form.addRow(self.tr("同意人（监护人）"), self.consent_by)
        self.form.addRow(self.tr("与服务对象关系"), self.guardian_relation)
        self.form.addRow(self.tr("是否接案"), self.accept_box)
        self.form.addRow(self.tr("理由"), self.reason)
        self.form.addRow(self.tr("转介去向"), self.referral_to)
        self.watch("presenting_problem", self.problem_edit)
        self.watch_check("consent_service", self.consent_service)
        self.watch_check("consent_data", self.consent_data)
        self.watch("accepted", self.accept_box)
        self.watch("reason", self.reason)
        self.watch("consent_by", self.consent_by)
        self.watch("referral_to", self.referral_to)
        self.check()

    def checked(self) -> rec.RecordData:
        return rec.IntakeData(
            presenting_problem=self.problem_edit.toPlainText(),
            consent_service=self.consent_service.isChecked(),
            consent_data=self.consent_data.isChecked(),
            accepted=self.accept_box.currentIndex() == 0,
            reason=self.reason.text(),
            referral_to=self.referral_to.text(),
            consent_by=self.consent_by.text(),
            guardian_relation=self.guardian_relation.text(),
        ).checked(minor_under_14=self.under_14)


MEASURE_COLS = (Col("指标名称", width=140), Col("分值", width=60), Col("计分说明", width=200))


def _measures(rows: list[list[str]], what: str) -> list[rec.Measure]:
    return [
        rec.Measure(r[0], _number(r[1], f"{what}“{r[0]}”的分值", "measures"), r[2]) for r in rows
    ]


class AssessmentDialog(RecordDialog):
    title_text = "预估报告"

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        existing: RecordRow | None = None,
        *,
        areas: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, actor, case_id, existing, parent)
        d = existing.data if existing and isinstance(existing.data, rec.AssessmentData) else None
        self.needs = RowsEditor(
            (
                Col("问题领域", "choice", PROBLEM_AREAS, 110),
                Col("需求描述", width=300),
                Col("优先次序", width=70),
            ),
            add_text=self.tr("添加需求"),
        )
        if d:
            self.needs.set_rows([[n.area, n.description, n.priority] for n in d.needs])
        else:
            self.needs.set_rows([[a, "", i + 1] for i, a in enumerate(areas)])
        self.causes = _text_edit(d.causes if d else "")
        self.strengths = _text_edit(d.strengths if d else "")
        self.risk = QComboBox()
        self.risk.addItems([r.value for r in RiskLevel])
        self.risk.setCurrentText(d.risk_level if d else RiskLevel.MEDIUM.value)
        self.risk_notes = QLineEdit(d.risk_notes if d else "")
        self.suggestion = _text_edit(d.suggestion if d else "", 50)
        self.pre = RowsEditor(MEASURE_COLS, add_text=self.tr("添加前测指标"))
        if d:
            self.pre.set_rows([[m.name, f"{m.value:g}", m.scale] for m in d.pre_measures])
        self.form.addRow(self.tr("需求清单"), self.needs)
        self.form.addRow(self.tr("问题表现与成因"), self.causes)
        self.form.addRow(self.tr("优势与资源"), self.strengths)
        self.form.addRow(self.tr("风险等级"), self.risk)
        self.form.addRow(self.tr("风险说明"), self.risk_notes)
        self.form.addRow(self.tr("干预建议"), self.suggestion)
        self.form.addRow(self.tr("前测"), self.pre)
        self.watch_rows("needs", self.needs)
        self.watch("strengths", self.strengths)
        self.watch("risk_level", self.risk)
        self.watch_rows("measures", self.pre)
        self.check()

    def checked(self) -> rec.RecordData:
        needs = []
        for area, text, priority in self.needs.values():
            try:
                level = int(priority or "1")
            except ValueError:
                raise ValidationError(
                    f"优先次序“{priority}”应为 1 到 9 的整数。", field="needs"
                ) from None
            needs.append(rec.Need(area, text, level))
        return rec.AssessmentData(
            needs=needs,
            strengths=self.strengths.toPlainText(),
            risk_level=self.risk.currentText(),
            risk_notes=self.risk_notes.text(),
            causes=self.causes.toPlainText(),
            suggestion=self.suggestion.toPlainText(),
            pre_measures=_measures(self.pre.values(), "前测指标"),
        ).checked()


class PlanDialog(RecordDialog):
    title_text = "服务计划"

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        existing: RecordRow | None = None,
        *,
        worker_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, actor, case_id, existing, parent)
        d = existing.data if existing and isinstance(existing.data, rec.PlanData) else None
        self.overall = _text_edit(d.overall_goal if d else "", 50)
        self.goals = RowsEditor(
            (
                Col("目标内容", width=200),
                Col("可测量指标", width=200),
                Col("完成期限", width=100),
            ),
            add_text=self.tr("添加目标"),
        )
        if d:
            self.goals.set_rows([[g.text, g.indicator, g.target_date.isoformat()] for g in d.goals])
        self.plan_actions = RowsEditor(
            (
                Col("执行方", "choice", [a.value for a in ActionBy], 90),
                Col("执行人/机构", width=110),
                Col("做什么", width=200),
                Col("何时", width=90),
                Col("对应目标", width=70),
            ),
            add_text=self.tr("添加行动"),
        )
        if d:
            self.plan_actions.set_rows(
                [[a.by, a.who, a.what, a.when, a.goal_no or ""] for a in d.actions]
            )
        else:
            self.plan_actions.set_rows([[ActionBy.WORKER.value, worker_name, "", "", ""]])
        self.agreement = QCheckBox(self.tr("服务协议已由双方签字"))
        self.agreement.setChecked(bool(d and d.agreement))
        self.notes = QLineEdit(d.notes if d else "")
        self.form.addRow(self.tr("总目标"), self.overall)
        self.form.addRow(self.tr("目标"), self.goals)
        self.form.addRow(self.tr("行动（谁、做什么、何时）"), self.plan_actions)
        self.form.addRow("", self.agreement)
        self.form.addRow(self.tr("备注"), self.notes)
        self.watch("overall_goal", self.overall)
        self.watch_rows("goals", self.goals)
        self.watch_rows("actions", self.plan_actions)
        self.check()

    def checked(self) -> rec.RecordData:
        goals = []
        for n, (text, indicator, target) in enumerate(self.goals.values(), start=1):
            if not target:
                raise ValidationError(f"请填写目标{n}的完成期限。", field="goals")
            goals.append(rec.Goal(n, text, indicator, parse_date(target, field="goals")))
        actions = []
        for by, who, what, when, goal in self.plan_actions.values():
            try:
                goal_no = int(goal) if goal else 0
            except ValueError:
                raise ValidationError(f"对应目标“{goal}”应为目标编号。", field="actions") from None
            actions.append(rec.PlanAction(by, who, what, when, goal_no))
        return rec.PlanData(
            overall_goal=self.overall.toPlainText(),
            goals=goals,
            actions=actions,
            agreement=self.agreement.isChecked(),
            notes=self.notes.text(),
        ).checked(date_of(self.record_date))


class EvaluationDialog(RecordDialog):
    title_text = "成效评估"

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        existing: RecordRow | None = None,
        *,
        plan: rec.PlanData | None = None,
        pre_measures: list[rec.Measure] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, actor, case_id, existing, parent)
        self.plan = plan
        d = existing.data if existing and isinstance(existing.data, rec.EvaluationData) else None
        levels = rec.ATTAINMENT_LEVELS
        self.attainments = RowsEditor(
            (
                Col("目标", width=50),
                Col("内容", width=220),
                Col("达成程度", "choice", levels, 90),
                Col("说明", width=160),
            ),
        )
        self.attainments.add_button.hide()
        self.attainments.remove_button.hide()
        given = {a.goal_no: a for a in d.attainments} if d else {}
        for g in plan.goals if plan else []:
            a = given.get(g.no)
            self.attainments.add_row(
                [g.no, g.text, a.level if a else levels[0], a.note if a else ""]
            )
        self.satisfaction = QComboBox()
        self.satisfaction.addItems(list(rec.SATISFACTION_LEVELS))
        self.satisfaction.setCurrentText(d.satisfaction if d else "满意")
        self.post = RowsEditor(MEASURE_COLS, add_text=self.tr("添加后测指标"))
        if d:
            self.post.set_rows([[m.name, f"{m.value:g}", m.scale] for m in d.post_measures])
        else:
            self.post.set_rows([[m.name, "", m.scale] for m in pre_measures or []])
        self.worker_opinion = _text_edit(d.worker_opinion if d else "", 50)
        self.client_opinion = _text_edit(d.client_opinion if d else "", 50)
        self.form.addRow(self.tr("目标达成"), self.attainments)
        self.form.addRow(self.tr("服务对象满意度"), self.satisfaction)
        self.form.addRow(self.tr("后测"), self.post)
        self.form.addRow(self.tr("社工意见"), self.worker_opinion)
        self.form.addRow(self.tr("服务对象意见"), self.client_opinion)
        self.watch_rows("attainments", self.attainments)
        self.watch("satisfaction", self.satisfaction)
        self.watch_rows("measures", self.post)
        self.check()

    def checked(self) -> rec.RecordData:
        attainments = [
            rec.Attainment(int(no), level, note)
            for no, _text, level, note in self.attainments.values()
        ]
        return rec.EvaluationData(
            attainments=attainments,
            satisfaction=self.satisfaction.currentText(),
            post_measures=_measures(self.post.values(), "后测指标"),
            worker_opinion=self.worker_opinion.toPlainText(),
            client_opinion=self.client_opinion.toPlainText(),
        ).checked(self.plan)


class ClosureDialog(RecordDialog):
    """The closure report; saving closes the case (or submits it for review)."""

    title_text = "结案报告"

    def __init__(
        self,
        executor: DbExecutor,
        actor: Actor,
        case_id: uuid.UUID,
        existing: RecordRow | None = None,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(executor, actor, case_id, existing, parent)
        from wushe_desktop.cases.records import FOLLOW_UP_MODES

        d = existing.data if existing and isinstance(existing.data, rec.ClosureData) else None
        self.reason = QComboBox()
        self.reason.addItems([r.value for r in ClosureReason])
        if d:
            self.reason.setCurrentText(d.reason)
        self.summary = _text_edit(d.summary if d else "", 90)
        self.follow_up_plan = _text_edit(d.follow_up_plan if d else "", 50)
        self.referral_to = QLineEdit(d.referral_to if d else "")
        self.follow_up = QCheckBox(self.tr("安排结案后回访"))
        self.follow_up.setChecked(existing is None)
        self.follow_up_on: QDateEdit = date_edit(date.today())
        self.follow_up_on.setDate(self.follow_up_on.date().addDays(30))
        self.follow_up_mode = QComboBox()
        self.follow_up_mode.addItems(list(FOLLOW_UP_MODES))
        self.form.addRow(self.tr("结案原因"), self.reason)
        self.form.addRow(self.tr("服务总结"), self.summary)
        self.form.addRow(self.tr("跟进计划"), self.follow_up_plan)
        self.form.addRow(self.tr("转介去向"), self.referral_to)
        self.form.addRow("", self.follow_up)
        self.form.addRow(self.tr("回访日期"), self.follow_up_on)
        self.form.addRow(self.tr("回访方式"), self.follow_up_mode)
        self.watch("reason", self.reason)
        self.watch("summary", self.summary)
        self.watch("referral_to", self.referral_to)
        self.check()

    def checked(self) -> rec.RecordData:
        return rec.ClosureData(
            reason=self.reason.currentText(),
            summary=self.summary.toPlainText(),
            follow_up_plan=self.follow_up_plan.toPlainText(),
            referral_to=self.referral_to.text(),
        ).checked()

    def save(self, session: Session) -> object:
        from wushe_desktop.cases.stages import close_case

        data = self.checked()
        assert isinstance(data, rec.ClosureData)
        return close_case(
            session,
            self.actor,
            self.case_id,
            data,
            on=date_of(self.record_date),
            follow_up_on=date_of(self.follow_up_on) if self.follow_up.isChecked() else None,
            follow_up_mode=self.follow_up_mode.currentText(),
        )
