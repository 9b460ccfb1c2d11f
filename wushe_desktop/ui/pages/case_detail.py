"""The case panel: header, the stage workflow bar, and a tab per stage record plus the
timeline, referrals, attachments and to-dos.

Everything is read with ``open_case`` on the DB thread (one access-log entry per opening);
actions open a dialog or call the core and then read the case again. Staff who may not read
the content see who holds the case and why the rest is hidden.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.cases import records as rec
from wushe_desktop.cases.constants import (
    CLOSED_STAGES,
    OPEN_STAGES,
    STAGES,
    RecordKind,
    ReviewStatus,
    Stage,
    stage_index,
)
from wushe_desktop.cases.detail import CaseDetail
from wushe_desktop.infra.errors import PermissionDenied
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.pages import case_tabs as tabs
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.widgets.labels import ErrorLabel, title_label
from wushe_desktop.ui.widgets.tables import DataTable

_STAGE_STYLE = {
    "done": "background:#e6f4ea; color:#1b6e20; border:1px solid #b7dfc0;",
    "current": "background:#1f6feb; color:white; font-weight:bold; border:1px solid #1f6feb;",
    "todo": "background:#f4f4f4; color:#888; border:1px solid #ddd;",
}

#: Stage tab → the record kind it shows and what to do when it is missing.
_RECORD_TABS = (
    ("接案", RecordKind.INTAKE, "尚未填写接案登记。"),
    ("预估", RecordKind.ASSESSMENT, "进入预估阶段后填写预估报告。"),
    ("计划", RecordKind.PLAN, "进入计划阶段后填写服务计划。"),
    ("评估", RecordKind.EVALUATION, "进入评估阶段后填写成效评估。"),
)


class RecordTab(QWidget):
    """A stage record: its text, 填写/修改, and the supervisor's 通过/退回."""

    def __init__(self, kind: str, empty: str) -> None:
        super().__init__()
        self.kind, self.empty = kind, empty
        layout = QVBoxLayout(self)
        self.view = QTextBrowser()
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.edit_button = QPushButton("填写")
        self.approve_button = QPushButton("审核通过")
        self.return_button = QPushButton("退回…")
        row.addWidget(self.edit_button)
        row.addStretch(1)
        row.addWidget(self.approve_button)
        row.addWidget(self.return_button)
        layout.addLayout(row)


class ListTab(QWidget):
    """A table with buttons under it."""

    def __init__(self, name: str, columns: list[Any], buttons: list[str]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.model: ListTableModel[Any] = ListTableModel(columns)
        self.table = DataTable(name)
        self.table.set_model_with_widths(self.model, [c.width for c in columns])
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for text in buttons:
            b = QPushButton(text)
            self.buttons[text] = b
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)

    def selected(self) -> Any:
        return self.model.row_at(self.table.current_row())


class CaseDetailPanel(QWidget):
    #: Emitted after the panel showed a case (its id), e.g. for tests.
    loaded = Signal(object)
    #: Emitted after the case changed (the list refreshes its row).
    changed = Signal(object)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.case_id: uuid.UUID | None = None
        self.detail: CaseDetail | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        self.title = title_label(self.tr("个案"))
        self.info = QLabel()
        self.info.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.info)
        layout.addLayout(self._build_stage_bar())
        self.message = ErrorLabel()
        layout.addWidget(self.message)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self._build_tabs()
        self.hidden_note = QLabel()
        self.hidden_note.setWordWrap(True)
        self.hidden_note.setStyleSheet("color:#555; padding:24px;")
        layout.addWidget(self.hidden_note)
        layout.addStretch(0)  # with no case shown (tabs hidden) the rest stays at the top
        self._show_nothing()

    # -- construction --------------------------------------------------------------------------
    def _build_stage_bar(self) -> QVBoxLayout:
        box = QVBoxLayout()
        bar = QHBoxLayout()
        bar.setSpacing(2)
        self.stage_labels: dict[str, QLabel] = {}
        for stage in STAGES:
            label = QLabel(stage.value)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setMinimumWidth(54)
            # Fixed height: with no case shown the tabs are hidden and a free label would
            # stretch to fill the panel.
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            label.setStyleSheet(_STAGE_STYLE["todo"])
            self.stage_labels[stage.value] = label
            bar.addWidget(label)
        bar.addStretch(1)
        box.addLayout(bar)
        actions = QHBoxLayout()
        self.next_button = QPushButton(self.tr("进入下一阶段"))
        self.back_button = QPushButton(self.tr("回到之前阶段…"))
        self.close_button = QPushButton(self.tr("结案…"))
        self.reopen_button = QPushButton(self.tr("重新开案…"))
        self.transfer_button = QPushButton(self.tr("转移…"))
        self.edit_case_button = QPushButton(self.tr("修改信息"))
        self.print_button = QPushButton(self.tr("打印档案"))
        for b in (
            self.next_button,
            self.back_button,
            self.close_button,
            self.reopen_button,
            self.transfer_button,
            self.edit_case_button,
            self.print_button,
        ):
            actions.addWidget(b)
        actions.addStretch(1)
        box.addLayout(actions)
        self.next_button.clicked.connect(self.go_next)
        self.back_button.clicked.connect(self.go_back)
        self.close_button.clicked.connect(lambda: self.edit_record(RecordKind.CLOSURE))
        self.reopen_button.clicked.connect(self.reopen)
        self.transfer_button.clicked.connect(self.transfer)
        self.edit_case_button.clicked.connect(self.edit_case)
        self.print_button.clicked.connect(self.print_file)
        return box

    def _build_tabs(self) -> None:
        self.record_tabs: dict[str, RecordTab] = {}
        for title, kind, empty in _RECORD_TABS:
            tab = RecordTab(kind, empty)
            tab.edit_button.clicked.connect(lambda _c=False, k=kind: self.edit_record(k))
            tab.approve_button.clicked.connect(lambda _c=False, k=kind: self.review(k, True))
            tab.return_button.clicked.connect(lambda _c=False, k=kind: self.review(k, False))
            self.record_tabs[kind] = tab
            self.tabs.addTab(tab, self.tr(title))
        self.services_tab = ListTab("case_services", tabs.SERVICE_COLUMNS, ["记录服务"])
        self.services_tab.buttons["记录服务"].clicked.connect(self.add_service)
        self.tabs.insertTab(3, self.services_tab, self.tr("介入"))
        closure = RecordTab(RecordKind.CLOSURE, "尚未结案。")
        closure.edit_button.clicked.connect(lambda: self.edit_record(RecordKind.CLOSURE))
        closure.approve_button.clicked.connect(lambda: self.review(RecordKind.CLOSURE, True))
        closure.return_button.clicked.connect(lambda: self.review(RecordKind.CLOSURE, False))
        self.record_tabs[RecordKind.CLOSURE] = closure
        self.tabs.addTab(closure, self.tr("结案"))
        self.follow_tab = ListTab(
            "case_follow_ups", tabs.FOLLOW_COLUMNS, ["安排回访", "记录回访结果"]
        )
        self.follow_tab.buttons["安排回访"].clicked.connect(self.schedule_follow_up)
        self.follow_tab.buttons["记录回访结果"].clicked.connect(self.complete_follow_up)
        self.tabs.addTab(self.follow_tab, self.tr("回访"))
        self.timeline_tab = ListTab("case_timeline", tabs.TIMELINE_COLUMNS, [])
        self.tabs.addTab(self.timeline_tab, self.tr("时间线"))
        self.referral_tab = ListTab(
            "case_referrals", tabs.REFERRAL_COLUMNS, ["新增转介", "修改/反馈"]
        )
        self.referral_tab.buttons["新增转介"].clicked.connect(lambda: self.edit_referral(False))
        self.referral_tab.buttons["修改/反馈"].clicked.connect(lambda: self.edit_referral(True))
        self.tabs.addTab(self.referral_tab, self.tr("转介"))
        self.attachment_tab = ListTab(
            "case_attachments", tabs.ATTACHMENT_COLUMNS, ["添加附件", "打开", "移除"]
        )
        self.attachment_tab.buttons["添加附件"].clicked.connect(self.add_attachment)
        self.attachment_tab.buttons["打开"].clicked.connect(self.open_attachment)
        self.attachment_tab.buttons["移除"].clicked.connect(self.remove_attachment)
        self.tabs.addTab(self.attachment_tab, self.tr("附件"))
        self.task_tab = ListTab("case_tasks", tabs.TASK_COLUMNS, ["新增待办", "标记完成/未完成"])
        self.task_tab.buttons["新增待办"].clicked.connect(self.add_task)
        self.task_tab.buttons["标记完成/未完成"].clicked.connect(self.toggle_task)
        self.tabs.addTab(self.task_tab, self.tr("待办"))

    # -- hooks tests replace -------------------------------------------------------------------
    def exec_dialog(self, dialog: QDialog) -> bool:
        """Show a dialog modally; True when it saved."""
        return bool(dialog.exec())

    def ask_save_path(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存个案档案"), suggested, "PDF (*.pdf)"
        )
        return Path(name) if name else None

    def ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择要附加的文件"))
        return Path(name) if name else None

    def open_file(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # -- loading -------------------------------------------------------------------------------
    def _show_nothing(self) -> None:
        self.tabs.hide()
        self.hidden_note.hide()
        self.title.setText(self.tr("个案"))
        self.info.setText(self.tr("请在左侧列表中选择个案。"))
        for b in self._action_buttons():
            b.setEnabled(False)

    def _action_buttons(self) -> list[QPushButton]:
        return [
            self.next_button,
            self.back_button,
            self.close_button,
            self.reopen_button,
            self.transfer_button,
            self.edit_case_button,
            self.print_button,
        ]

    def load(self, case_id: uuid.UUID | None) -> None:
        self.case_id = case_id
        if case_id is None:
            self.detail = None
            self._show_nothing()
            return
        actor = self.ctx.actor

        def read(s: Session) -> object:
            from wushe_desktop.cases.detail import open_case
            from wushe_desktop.cases.service import get_case

            try:
                return open_case(s, actor, case_id)
            except PermissionDenied as exc:
                return (get_case(s, actor, case_id), str(exc))

        self.ctx.executor.query(
            read, lambda r: self._on_loaded(case_id, r), self._on_error, parent=self
        )

    def reload(self) -> None:
        self.load(self.case_id)

    def _on_error(self, exc: BaseException) -> None:
        errors.show_error(self, exc)

    def _on_loaded(self, case_id: uuid.UUID, result: object) -> None:
        if case_id != self.case_id:
            return
        if isinstance(result, tuple):
            row, why = result
            self.detail = None
            self._header(row)
            self.tabs.hide()
            self.hidden_note.setText(why)
            self.hidden_note.show()
            for b in self._action_buttons():
                b.setEnabled(False)
            emit(self.loaded, case_id)
            return
        assert isinstance(result, CaseDetail)
        self.detail = result
        self.hidden_note.hide()
        self.tabs.show()
        self._header(result.row)
        self._fill(result)
        emit(self.loaded, case_id)

    def _header(self, row: Any) -> None:
        age = f"，{row.resident_age} 岁" if row.resident_age is not None else ""
        minor = self.tr("（未成年人）") if row.is_minor else ""
        self.title.setText(f"{row.case_no}　{row.resident_name}{minor}")
        self.info.setText(
            f"{row.community_name}{age}　负责社工：{row.worker_name}　风险：{row.risk_level}"
            f"　来源：{row.source}　问题领域：{row.problem_text}　接案：{row.opened_on}"
            + (f"　结案：{row.closed_on}" if row.closed_on else "")
        )
        here = stage_index(row.stage)
        for i, stage in enumerate(STAGES):
            state = "done" if i < here else "current" if i == here else "todo"
            self.stage_labels[stage.value].setStyleSheet(_STAGE_STYLE[state])

    def _fill(self, d: CaseDetail) -> None:
        ctx = self.ctx
        row = d.row
        can_write = ctx.can(Resource.CASE, Action.UPDATE) and (
            row.worker_id == ctx.actor.user_id or ctx.actor.role.value == "站长"
        )
        can_review = ctx.can(Resource.CASE, Action.APPROVE)
        is_open = row.stage in OPEN_STAGES
        check = d.next_check
        if check is not None and is_open and check.stage != Stage.CLOSED.value:
            self.next_button.setText(self.tr("进入下一阶段：%s") % check.stage)
            self.next_button.setEnabled(can_write and check.allowed)
            if check.allowed:
                self.message.clear_message()
            else:
                self.message.show_info(self.tr("进入“%s”阶段前：%s") % (check.stage, check.reason))
        else:
            self.next_button.setText(self.tr("进入下一阶段"))
            self.next_button.setEnabled(False)
            if row.stage == Stage.EVALUATION.value and check is not None and not check.allowed:
                self.message.show_info(self.tr("结案前：%s") % check.reason)
            else:
                self.message.clear_message()
        self.back_button.setEnabled(can_write and is_open and row.stage != Stage.INTAKE.value)
        self.close_button.setEnabled(can_write and is_open)
        self.reopen_button.setEnabled(can_write and row.stage in CLOSED_STAGES)
        self.transfer_button.setEnabled(can_write)
        self.edit_case_button.setEnabled(can_write and is_open)
        self.print_button.setEnabled(ctx.can(Resource.CASE, Action.PRINT))
        firsts = {
            RecordKind.INTAKE: Stage.INTAKE,
            RecordKind.ASSESSMENT: Stage.ASSESSMENT,
            RecordKind.PLAN: Stage.PLAN,
            RecordKind.EVALUATION: Stage.EVALUATION,
            RecordKind.CLOSURE: Stage.INTAKE,
        }
        for kind, tab in self.record_tabs.items():
            record = d.record(kind)
            tab.view.setHtml(tabs.record_html(record, tab.empty))
            reachable = stage_index(row.stage) >= stage_index(firsts[RecordKind(kind)])
            tab.edit_button.setText(self.tr("修改") if record else self.tr("填写"))
            tab.edit_button.setEnabled(can_write and is_open and reachable)
            pending = record is not None and record.review_status == ReviewStatus.PENDING
            tab.approve_button.setVisible(can_review and d.review_enabled)
            tab.return_button.setVisible(can_review and d.review_enabled)
            tab.approve_button.setEnabled(pending)
            tab.return_button.setEnabled(pending)
        self.services_tab.model.set_rows(d.services)
        self.services_tab.buttons["记录服务"].setEnabled(can_write and is_open)
        self.follow_tab.model.set_rows(d.follow_ups)
        self.follow_tab.buttons["安排回访"].setEnabled(can_write and not is_open)
        self.follow_tab.buttons["记录回访结果"].setEnabled(
            can_write and any(f.done_on is None for f in d.follow_ups)
        )
        self.timeline_tab.model.set_rows(d.timeline())
        self.referral_tab.model.set_rows(d.referrals)
        self.attachment_tab.model.set_rows(d.attachments)
        self.task_tab.model.set_rows(d.tasks)
        for lists in (self.referral_tab, self.attachment_tab, self.task_tab):
            for text, b in lists.buttons.items():
                b.setEnabled(can_write or text == "打开")

    # -- actions -------------------------------------------------------------------------------
    def _run(self, fn: Callable[[Session], object], *, confirm: str = "") -> None:
        if confirm and not msgbox.question(self, confirm):
            return
        self.ctx.executor.query(fn, lambda _r: self._after_change(), self._on_error, parent=self)

    def _after_change(self) -> None:
        emit(self.changed, self.case_id)
        self.reload()

    def _dialog(self, dialog: QDialog) -> None:
        if self.exec_dialog(dialog):
            self._after_change()

    def go_next(self) -> None:
        d = self.detail
        if d is None or d.next_check is None or not d.next_check.allowed:
            return
        actor, cid, target = self.ctx.actor, d.row.id, d.next_check.stage

        def move(s: Session) -> object:
            from wushe_desktop.cases.stages import move_to

            return move_to(s, actor, cid, target, expected_version=d.row.version)

        self._run(move)

    def go_back(self) -> None:
        from wushe_desktop.ui.dialogs.case_misc import ReasonDialog

        d = self.detail
        if d is None:
            return
        here = stage_index(d.row.stage)
        choices = [(s.value, s.value) for s in STAGES[:here]]
        dlg = ReasonDialog(
            self.ctx.executor,
            self.tr("回到之前阶段"),
            choices=choices[::-1],
            choice_label="回到",
            parent=self,
        )
        actor, cid = self.ctx.actor, d.row.id

        def action(s: Session, reason: str, stage: object) -> object:
            from wushe_desktop.cases.stages import move_to

            return move_to(s, actor, cid, str(stage), reason=reason)

        dlg.action = action
        self._dialog(dlg)

    def reopen(self) -> None:
        from wushe_desktop.ui.dialogs.case_misc import ReasonDialog

        d = self.detail
        if d is None:
            return
        choices = [(s, s) for s in ("预估", "介入", "计划", "接案", "评估")]
        dlg = ReasonDialog(
            self.ctx.executor,
            self.tr("重新开案"),
            choices=choices,
            choice_label="从哪个阶段继续",
            parent=self,
        )
        actor, cid = self.ctx.actor, d.row.id

        def action(s: Session, reason: str, stage: object) -> object:
            from wushe_desktop.cases.stages import reopen_case

            return reopen_case(s, actor, cid, reason, to_stage=str(stage))

        dlg.action = action
        self._dialog(dlg)

    def transfer(self) -> None:
        d = self.detail
        if d is None:
            return
        actor = self.ctx.actor

        def workers(s: Session) -> object:
            from wushe_desktop.cases.service import list_case_workers

            return list_case_workers(s, actor)

        self.ctx.executor.query(workers, self._transfer_to, self._on_error, parent=self)

    def _transfer_to(self, workers: object) -> None:
        from wushe_desktop.ui.dialogs.case_misc import ReasonDialog

        d = self.detail
        assert isinstance(workers, list) and d is not None
        choices = [(name, uid) for uid, name in workers if uid != d.row.worker_id]
        dlg = ReasonDialog(
            self.ctx.executor,
            self.tr("转移个案"),
            label="转移原因",
            choices=choices,
            choice_label="接手社工",
            parent=self,
        )
        actor, cid, version = self.ctx.actor, d.row.id, d.row.version

        def action(s: Session, reason: str, worker: object) -> object:
            from wushe_desktop.cases.service import transfer_case

            assert isinstance(worker, uuid.UUID)
            return transfer_case(s, actor, cid, worker, reason, expected_version=version)

        dlg.action = action
        self._dialog(dlg)

    def edit_case(self) -> None:
        from wushe_desktop.ui.dialogs.case_new import CaseDialog

        if self.detail is not None:
            self._dialog(
                CaseDialog(self.ctx.executor, self.ctx.actor, self.detail.row, parent=self)
            )

    def edit_record(self, kind: str) -> None:
        from wushe_desktop.ui.dialogs import case_records as dialogs

        d = self.detail
        if d is None:
            return
        ex, actor, cid, existing = self.ctx.executor, self.ctx.actor, d.row.id, d.record(kind)
        dlg: QDialog
        if kind == RecordKind.INTAKE:
            under_14 = d.row.resident_age is not None and d.row.resident_age < 14
            dlg = dialogs.IntakeDialog(ex, actor, cid, existing, under_14=under_14, parent=self)
        elif kind == RecordKind.ASSESSMENT:
            dlg = dialogs.AssessmentDialog(
                ex, actor, cid, existing, areas=d.row.problem_areas, parent=self
            )
        elif kind == RecordKind.PLAN:
            dlg = dialogs.PlanDialog(
                ex, actor, cid, existing, worker_name=d.row.worker_name, parent=self
            )
        elif kind == RecordKind.EVALUATION:
            plan = d.record(RecordKind.PLAN)
            assessment = d.record(RecordKind.ASSESSMENT)
            dlg = dialogs.EvaluationDialog(
                ex,
                actor,
                cid,
                existing,
                plan=plan.data if plan and isinstance(plan.data, rec.PlanData) else None,
                pre_measures=assessment.data.pre_measures
                if assessment and isinstance(assessment.data, rec.AssessmentData)
                else [],
                parent=self,
            )
        else:
            dlg = dialogs.ClosureDialog(ex, actor, cid, existing, parent=self)
        self._dialog(dlg)

    def review(self, kind: str, approve: bool) -> None:
        from wushe_desktop.cases.review import review_record
        from wushe_desktop.ui.dialogs.case_misc import ReasonDialog

        d = self.detail
        record = d.record(kind) if d else None
        if record is None:
            return
        actor, rid = self.ctx.actor, record.id
        if approve:
            self._run(lambda s: review_record(s, actor, rid, approve=True))
            return
        dlg = ReasonDialog(self.ctx.executor, self.tr("退回修改"), label="审核意见", parent=self)
        dlg.action = lambda s, comment, _c: review_record(
            s, actor, rid, approve=False, comment=comment
        )
        self._dialog(dlg)

    def add_service(self) -> None:
        from wushe_desktop.ui.dialogs.case_misc import InterventionDialog

        d = self.detail
        if d is not None:
            self._dialog(
                InterventionDialog(
                    self.ctx.executor,
                    self.ctx.actor,
                    d.row.id,
                    opened_on=d.row.opened_on,
                    parent=self,
                )
            )

    def schedule_follow_up(self) -> None:
        from wushe_desktop.ui.dialogs.case_misc import FollowUpDialog

        if self.detail is not None:
            self._dialog(
                FollowUpDialog(self.ctx.executor, self.ctx.actor, self.detail.row.id, parent=self)
            )

    def complete_follow_up(self) -> None:
        from wushe_desktop.ui.dialogs.case_misc import FollowUpDialog

        d = self.detail
        if d is None:
            return
        chosen = self.follow_tab.selected()
        pending = [f for f in d.follow_ups if f.done_on is None]
        target = chosen if chosen is not None and chosen.done_on is None else None
        if target is None and pending:
            target = pending[0]
        if target is None:
            return
        assert isinstance(target.data, rec.FollowUpData)
        self._dialog(
            FollowUpDialog(
                self.ctx.executor,
                self.ctx.actor,
                d.row.id,
                record_id=target.id,
                mode=target.data.mode,
                parent=self,
            )
        )

    def edit_referral(self, existing: bool) -> None:
        from wushe_desktop.ui.dialogs.case_misc import ReferralDialog

        d = self.detail
        if d is None:
            return
        chosen = self.referral_tab.selected() if existing else None
        if existing and chosen is None:
            msgbox.information(self, self.tr("请先选择要修改的转介记录。"))
            return
        self._dialog(
            ReferralDialog(self.ctx.executor, self.ctx.actor, d.row.id, chosen, parent=self)
        )

    def add_attachment(self) -> None:
        from wushe_desktop.cases.attachments import add_attachment
        from wushe_desktop.cases.constants import AttachmentKind

        d = self.detail
        path = self.ask_open_path() if d is not None else None
        if d is None or path is None:
            return
        kind = (
            AttachmentKind.PHOTO
            if path.suffix.lower() in (".jpg", ".jpeg", ".png")
            else AttachmentKind.DOCUMENT
        )
        actor, cid = self.ctx.actor, d.row.id
        self._run(lambda s: add_attachment(s, actor, cid, path, kind=kind.value))

    def open_attachment(self) -> None:
        from wushe_desktop.cases.attachments import attachment_path

        chosen = self.attachment_tab.selected()
        if chosen is None:
            return
        actor, aid = self.ctx.actor, chosen.id
        self.ctx.executor.query(
            lambda s: attachment_path(s, actor, aid),
            lambda p: self.open_file(Path(str(p))),
            self._on_error,
            parent=self,
        )

    def remove_attachment(self) -> None:
        from wushe_desktop.cases.attachments import delete_attachment

        chosen = self.attachment_tab.selected()
        if chosen is None:
            return
        actor, aid = self.ctx.actor, chosen.id
        self._run(
            lambda s: delete_attachment(s, actor, aid),
            confirm=self.tr("从个案中移除附件“%s”吗？") % chosen.file_name,
        )

    def add_task(self) -> None:
        from wushe_desktop.ui.dialogs.case_misc import TaskDialog

        if self.detail is not None:
            self._dialog(
                TaskDialog(self.ctx.executor, self.ctx.actor, self.detail.row.id, parent=self)
            )

    def toggle_task(self) -> None:
        from wushe_desktop.cases.tasks import set_task_done

        chosen = self.task_tab.selected()
        if chosen is None:
            return
        actor, tid = self.ctx.actor, chosen.id
        done = None if chosen.done_on else date.today()
        self._run(lambda s: set_task_done(s, actor, tid, done))

    def print_file(self) -> None:
        from wushe_desktop.cases.casefile_pdf import print_case_file
        from wushe_desktop.ui.dialogs.export import documents_dir

        d = self.detail
        if d is None:
            return
        folder = Path(self.ctx.settings.last_dir) if self.ctx.settings.last_dir else documents_dir()
        path = self.ask_save_path(str(folder / f"个案档案_{d.row.case_no}.pdf"))
        if path is None:
            return
        db, actor, cid = self.ctx.db, self.ctx.actor, d.row.id

        def done(pages: object) -> None:
            msgbox.information(self, self.tr("已生成个案档案（%s 页）：\n%s") % (pages, path))

        self.ctx.executor.job(
            lambda p, c: print_case_file(db, actor, cid, path, progress=p, cancel=c),
            done,
            self._on_error,
            title=self.tr("正在生成个案档案…"),
            parent=self,
        )
