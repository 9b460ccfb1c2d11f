"""服务时长与表彰: approve service records, correct them (the original is kept), record hours
served outside shifts, the yearly summary with star eligibility, the honour list PDF and
the export for re-entry into the national / Jiangsu volunteer system."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.infra.errors import ValidationError
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import date_edit, date_of
from wushe_desktop.ui.dialogs.export import documents_dir
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.models.volunteers_model import HOURS_COLUMNS, SUMMARY_COLUMNS
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.widgets.tables import DataTable
from wushe_desktop.ui.workers import DbExecutor

_VIEWS = (
    ("待审核", "待审核"),
    ("已审核", "已审核"),
    ("全部", None),
    ("年度汇总", "summary"),
    ("留存情况", "retention"),
)


def retention_html(session: Session, actor: Actor, on: date) -> str:
    """Runs on the DB thread: who drifted away, who is new, monthly activity and turnover."""
    import html

    from wushe_desktop.scheduling.stats import retention

    r = retention(session, actor, on=on)
    e = html.escape
    parts = [
        f"<h3>志愿者留存情况（截至 {on.isoformat()}）</h3>",
        f"<p><b>90天未参加服务的在册志愿者：{len(r.inactive_90)} 人</b>（可电话回访，了解原因）</p>",
        "<p>"
        + "、".join(
            f"{e(name)}（{last.isoformat() if last else '从未服务'}）"
            for _id, name, last in r.inactive_90[:60]
        )
        + ("……" if len(r.inactive_90) > 60 else "")
        + "</p>",
        f"<p><b>本月新登记：{len(r.new_this_month)} 人</b> "
        + "、".join(e(name) for _id, name, _day in r.new_this_month)
        + "</p>",
        "<table border='1' cellspacing='0' cellpadding='4'><tr><th>月份</th><th>参加服务人数</th>"
        "<th>新登记</th><th>退出</th><th>月初在册</th><th>流失率</th></tr>",
    ]
    for m in r.months:
        rate = "—" if m.turnover is None else f"{m.turnover:.1%}"
        parts.append(
            f"<tr><td>{m.month.year}年{m.month.month}月</td><td align='right'>{m.active}</td>"
            f"<td align='right'>{m.new}</td><td align='right'>{m.left}</td>"
            f"<td align='right'>{m.registered_at_start}</td><td align='right'>{rate}</td></tr>"
        )
    parts.append("</table>")
    return "".join(parts)


class OutsideHoursDialog(FormDialog):
    """补录时长: a service outside scheduled shifts, vouched for by an approver."""

    def __init__(self, executor: DbExecutor, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("补录班次外服务时长"))
        self.actor = actor
        self.who = QLineEdit()
        self.who.setPlaceholderText(self.tr("志愿者姓名、拼音或电话后四位，回车查找"))
        self.found = QComboBox()
        self.served_on = date_edit()
        self.title = QLineEdit()
        self.content = QLineEdit()
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.0, 24.0)
        self.hours.setDecimals(2)
        self.hours.setSingleStep(0.5)
        self.approver = QLineEdit()
        self.approver.setPlaceholderText(self.tr("核实这次服务的人"))
        rows: tuple[tuple[str, QWidget, str], ...] = (
            ("查找志愿者", self.who, "who"),
            ("志愿者", self.found, "volunteer"),
            ("服务日期", self.served_on, "served_on"),
            ("活动名称", self.title, "title"),
            ("服务内容", self.content, "content"),
            ("服务时长（小时）", self.hours, "minutes"),
            ("审核人（证明人）", self.approver, "approver"),
        )
        for label, widget, key in rows:
            self.form.addRow(self.tr(label), widget)
            self.watch(key, widget)
        self.hours.valueChanged.connect(self._changed)
        self.who.returnPressed.connect(self.find_volunteer)
        self.check()

    def find_volunteer(self) -> None:
        from wushe_desktop.volunteers.search import front_desk

        actor, text = self.actor, self.who.text()

        def done(rows: object) -> None:
            assert isinstance(rows, list)
            self.found.clear()
            for r in rows:
                self.found.addItem(f"{r.name}（{r.volunteer_no}）", r.id)
            self.check()

        self.executor.query(lambda s: front_desk(s, actor, text), done, parent=self)

    def problem(self) -> str:
        if self.found.currentData() is None:
            return self.tr("请先查找并选择志愿者。")
        if not self.title.text().strip():
            raise ValidationError(self.tr("活动名称不能为空。"), field="title")
        if self.hours.value() <= 0:
            raise ValidationError(self.tr("请填写服务时长。"), field="minutes")
        if not self.approver.text().strip():
            raise ValidationError(self.tr("请填写审核人（证明人）。"), field="approver")
        return ""

    def save(self, session: Session) -> object:
        from wushe_desktop.scheduling.hours import record_outside_shift

        return record_outside_shift(
            session,
            self.actor,
            self.found.currentData(),
            served_on=date_of(self.served_on),
            title=self.title.text(),
            content=self.content.text(),
            minutes=round(self.hours.value() * 60),
            approver=self.approver.text(),
        )


class HoursTab(QWidget):
    #: Emitted after records were approved, corrected or added.
    changed = Signal()
    #: Emitted when the list shows a new result (row count).
    list_updated = Signal(int)

    def __init__(self, ctx: AppContext) -> None:  # noqa: PLR0915 - widget construction
        super().__init__()
        self.ctx = ctx
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.view = QComboBox()
        for label, data in _VIEWS:
            self.view.addItem(self.tr(label), data)
        today = date.today()
        self.date_from = date_edit(date(today.year, 1, 1))
        self.date_to = date_edit(today)
        bar.addWidget(self.view)
        bar.addWidget(QLabel(self.tr("期间")))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("—"))
        bar.addWidget(self.date_to)
        bar.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for name in ("审核通过", "更正时长…", "作废…", "补录时长…", "导出时长Excel", "光荣榜PDF…"):
            button = QPushButton(self.tr(name))
            self.buttons[name] = button
            bar.addWidget(button)
        layout.addLayout(bar)
        self.model: ListTableModel[Any] = ListTableModel(HOURS_COLUMNS)
        self.table = DataTable("volunteer_hours")
        self.table.set_model_with_widths(self.model, [c.width for c in HOURS_COLUMNS])
        self.table.setSelectionMode(DataTable.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.summary: ListTableModel[Any] = ListTableModel(SUMMARY_COLUMNS)
        self.summary_table = DataTable("volunteer_year_summary")
        self.summary_table.set_model_with_widths(self.summary, [c.width for c in SUMMARY_COLUMNS])
        self.summary_table.setSortingEnabled(True)
        self.retention = QTextBrowser()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.summary_table)
        self.stack.addWidget(self.retention)
        layout.addWidget(self.stack, 1)
        self.message = ErrorLabel()
        layout.addWidget(self.message)
        self.table.restore_state(ctx.settings)
        can = ctx.can
        self.buttons["审核通过"].setEnabled(can(Resource.SHIFT, Action.APPROVE))
        self.buttons["作废…"].setEnabled(can(Resource.SHIFT, Action.APPROVE))
        self.buttons["更正时长…"].setEnabled(can(Resource.SHIFT, Action.UPDATE))
        self.buttons["补录时长…"].setEnabled(can(Resource.SHIFT, Action.CREATE))
        self.buttons["导出时长Excel"].setEnabled(can(Resource.SHIFT, Action.EXPORT))
        self.buttons["光荣榜PDF…"].setEnabled(can(Resource.SHIFT, Action.PRINT))
        self.buttons["审核通过"].clicked.connect(self.approve)
        self.buttons["更正时长…"].clicked.connect(self.correct)
        self.buttons["作废…"].clicked.connect(self.void)
        self.buttons["补录时长…"].clicked.connect(self.add_outside)
        self.buttons["导出时长Excel"].clicked.connect(self.export)
        self.buttons["光荣榜PDF…"].clicked.connect(self.honour_list)
        self.view.currentIndexChanged.connect(lambda _i: self.refresh())
        self.date_from.dateChanged.connect(lambda _d: self.refresh())
        self.date_to.dateChanged.connect(lambda _d: self.refresh())

    # -- hooks tests replace -------------------------------------------------------------------
    def exec_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def ask_text(self, title: str, label: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label)
        return value.strip() if ok and value.strip() else None

    def ask_save_path(self, suggested: str, pattern: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("保存"), str(documents_dir() / suggested), pattern
        )
        return Path(name) if name else None

    # -- loading -------------------------------------------------------------------------------
    def set_choices(self, _choices: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        from wushe_desktop.scheduling.hours import list_hours
        from wushe_desktop.scheduling.stats import yearly_summary

        actor, view = self.ctx.actor, self.view.currentData()
        start, end = date_of(self.date_from), date_of(self.date_to)
        summary = view == "summary"
        if view == "retention":
            self.stack.setCurrentWidget(self.retention)
            self.ctx.executor.query(
                lambda s: retention_html(s, actor, end),
                lambda text: self.retention.setHtml(str(text)),
                parent=self,
            )
            return
        self.stack.setCurrentWidget(self.summary_table if summary else self.table)

        def load(session: Session) -> list[Any]:
            if summary:
                return yearly_summary(session, actor, end.year)
            return list_hours(session, actor, date_from=start, date_to=end, status=view, limit=3000)

        def done(rows: object) -> None:
            assert isinstance(rows, list)
            (self.summary if summary else self.model).set_rows(rows)
            emit(self.list_updated, len(rows))

        self.ctx.executor.query(load, done, parent=self)

    def selected(self) -> list[Any]:
        rows = [self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows()]
        return [r for r in rows if r is not None]

    def _after(self, text: str) -> None:
        self.message.show_ok(text)
        emit(self.changed)
        self.refresh()

    # -- actions -------------------------------------------------------------------------------
    def approve(self) -> None:
        from wushe_desktop.scheduling.hours import approve_hours

        rows = self.selected() or [r for r in self.model.rows if r.status == "待审核"]
        ids = [r.id for r in rows if r.status == "待审核"]
        if not ids:
            self.message.show_message(self.tr("没有待审核的服务记录。"))
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: approve_hours(s, actor, ids),
            lambda n: self._after(self.tr("已审核通过 %d 条服务记录。") % int(n)),
            parent=self,
        )

    def correct(self) -> None:
        from wushe_desktop.scheduling.hours import correct_hours

        rows = self.selected()
        if len(rows) != 1:
            self.message.show_message(self.tr("请选择一条服务记录。"))
            return
        row = rows[0]
        hours = self.ask_text(
            self.tr("更正服务时长"),
            self.tr("%s %s 的正确时长（小时）：") % (row.volunteer_name, row.served_on),
        )
        if hours is None:
            return
        try:
            minutes = round(float(hours) * 60)
        except ValueError:
            self.message.show_message(self.tr("“%s”不是数字。") % hours)
            return
        reason = self.ask_text(self.tr("更正原因"), self.tr("更正原因（原时长将保留在记录中）："))
        if not reason:
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: correct_hours(s, actor, row.id, minutes, reason),
            lambda _r: self._after(self.tr("已更正 %s 的服务时长。") % row.volunteer_name),
            lambda exc: self.message.show_message(str(exc)),
            parent=self,
        )

    def void(self) -> None:
        from wushe_desktop.scheduling.hours import void_hours

        rows = self.selected()
        if len(rows) != 1:
            self.message.show_message(self.tr("请选择一条服务记录。"))
            return
        reason = self.ask_text(self.tr("作废服务记录"), self.tr("作废原因："))
        if not reason:
            return
        actor, row = self.ctx.actor, rows[0]
        self.ctx.executor.query(
            lambda s: void_hours(s, actor, row.id, reason),
            lambda _r: self._after(self.tr("已作废该服务记录。")),
            parent=self,
        )

    def add_outside(self) -> None:
        dialog = OutsideHoursDialog(self.ctx.executor, self.ctx.actor, self)
        if self.exec_dialog(dialog):
            self._after(self.tr("已补录服务时长（待审核）。"))

    def export(self) -> None:
        from wushe_desktop.scheduling.hours_excel import export_hours

        path = self.ask_save_path("志愿服务时长.xlsx", "Excel (*.xlsx)")
        if path is None:
            return
        db, actor = self.ctx.db, self.ctx.actor
        start, end = date_of(self.date_from), date_of(self.date_to)
        full = self.ctx.can(Resource.VOLUNTEER, Action.EXPORT_SENSITIVE)
        self.ctx.executor.job(
            lambda p, c: export_hours(
                db, actor, path, date_from=start, date_to=end, full=full, progress=p, cancel=c
            ),
            lambda n: self.message.show_ok(self.tr("已导出 %d 条服务记录到 %s") % (int(n), path)),
            title=self.tr("正在导出服务时长…"),
            parent=self,
        )

    def honour_list(self) -> None:
        from wushe_desktop.scheduling.print_pdf import print_honour_list

        path = self.ask_save_path("志愿服务光荣榜.pdf", "PDF (*.pdf)")
        if path is None:
            return
        actor = self.ctx.actor
        start, end = date_of(self.date_from), date_of(self.date_to)
        self.ctx.executor.query(
            lambda s: print_honour_list(s, actor, start, end, path),
            lambda _n: self.message.show_ok(self.tr("光荣榜已保存到 %s") % path),
            parent=self,
        )

    def save_state(self, settings: UiSettings) -> None:
        self.table.save_state(settings)
