"""报表: choose a month or period, generate the report in the background, look at it,
write 存在问题/下月计划, print or save it (PDF, Excel), and lock (定稿) it as director.

All figures come from ``reports.service`` (the locked snapshot when the period is locked);
this page only shows the PDF it gets back.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.reports.periods import Period
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.report_preview import (
    PreviewPane,
    page_sizes,
    pdfium_available,
    print_images,
    render_pages_pdfium,
)
from wushe_desktop.ui.pages.base import Page
from wushe_desktop.ui.widgets.labels import ErrorLabel, title_label

__all__ = ["Generated", "ReportsPage"]

KINDS = (
    ("month", "月度"),
    ("quarter", "季度"),
    ("half", "半年度"),
    ("year", "年度"),
    ("range", "自定义期间"),
)


@dataclass
class Generated:
    """What one generation produced (on the DB thread)."""

    content: Any  # ReportContent
    pdf: Path
    images: list[Path] | None  # pdftoppm fallback only
    notes: Any  # ReportNotes
    period: Period
    scope: Any  # Scope
    pages: list[tuple[float, float]] | None = None  # page sizes, when pypdfium2 renders


def _last_month() -> tuple[int, int]:
    first = date.today().replace(day=1) - timedelta(days=1)
    return first.year, first.month


class ReportsPage(Page):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._tmp = Path(tempfile.mkdtemp(prefix="wushe-report-"))
        tmp = self._tmp  # previews and print images go when the page goes
        self.destroyed.connect(lambda *_a: shutil.rmtree(tmp, ignore_errors=True))
        self.current: Generated | None = None
        self.can_edit = ctx.can(Resource.STATION, Action.UPDATE) and not ctx.actor.is_district
        self.can_export = ctx.can(Resource.SERVICE, Action.EXPORT)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(title_label(self.tr("工作报表")))
        layout.addLayout(self._period_bar())
        layout.addLayout(self._action_bar())
        self.status = ErrorLabel()
        layout.addWidget(self.status)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.preview = PreviewPane()
        split.addWidget(self.preview)
        split.addWidget(self._notes_panel())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        self._update_kind()
        self._update_buttons()

    # -- layout -------------------------------------------------------------------------------
    def _period_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.kind = QComboBox()
        for key, label in KINDS:
            self.kind.addItem(label, key)
        year, month = _last_month()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year)
        self.year.setSuffix(self.tr(" 年"))
        self.part = QComboBox()
        self._month = month
        self.date_from = QDateEdit(QDate(year, month, 1))
        self.date_to = QDateEdit(QDate(year, month, 1).addMonths(1).addDays(-1))
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
        self.scope = QComboBox()
        self.scope.addItem(
            self.tr("全区（全部站点）")
            if self.ctx.actor.is_district
            else self.tr("本站（全部社区）"),
            None,
        )
        self.generate_button = QPushButton(self.tr("生成报表"))
        self.generate_button.setDefault(True)
        bar.addWidget(QLabel(self.tr("报表：")))
        bar.addWidget(self.kind)
        bar.addWidget(self.year)
        bar.addWidget(self.part)
        self.range_label = QLabel(self.tr("至"))
        bar.addWidget(self.date_from)
        bar.addWidget(self.range_label)
        bar.addWidget(self.date_to)
        bar.addWidget(QLabel(self.tr("范围：")))
        bar.addWidget(self.scope, 1)
        bar.addWidget(self.generate_button)
        self.kind.currentIndexChanged.connect(lambda _i: self._update_kind())
        self.generate_button.clicked.connect(self.generate)
        return bar

    def _action_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.print_button = QPushButton(self.tr("打印…"))
        self.save_button = QPushButton(self.tr("保存PDF…"))
        self.excel_button = QPushButton(self.tr("导出Excel…"))
        self.open_button = QPushButton(self.tr("用PDF阅读器打开"))
        self.lock_button = QPushButton(self.tr("定稿"))
        self.lock_button.setToolTip(
            self.tr("定稿后，本期报告的数字和文字固定下来，以后打印与定稿时完全一致。")
        )
        self.unlock_button = QPushButton(self.tr("撤销定稿…"))
        self.compare_button = QPushButton(self.tr("与当前数据比较"))
        district = self.ctx.actor.is_district
        self.package_button = QPushButton(
            self.tr("导入数据包…") if district else self.tr("导出数据包…")
        )
        self.package_button.setToolTip(
            self.tr("把各站点报送的数据包导入本库，汇总全区数据。")
            if district
            else self.tr("把所选期间本站变动的记录打包，报送区社工总站。")
        )
        self.package_button.setVisible(
            district or self.ctx.can(Resource.RESIDENT, Action.EXPORT_SENSITIVE)
        )
        for button in (
            self.print_button,
            self.save_button,
            self.excel_button,
            self.open_button,
            self.compare_button,
        ):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.package_button)
        bar.addWidget(self.lock_button)
        bar.addWidget(self.unlock_button)
        self.print_button.clicked.connect(self.print_report)
        self.save_button.clicked.connect(self.save_pdf)
        self.excel_button.clicked.connect(self.save_excel)
        self.open_button.clicked.connect(self.open_external)
        self.lock_button.clicked.connect(self.lock)
        self.unlock_button.clicked.connect(self.unlock)
        self.compare_button.clicked.connect(self.compare)
        self.package_button.clicked.connect(self.package)
        return bar

    def _notes_panel(self) -> QWidget:
        box = QGroupBox(self.tr("存在问题与下期工作计划"))
        form = QFormLayout(box)
        self.problems = QPlainTextEdit()
        self.problems.setPlaceholderText(self.tr("本期工作中存在的问题，每条一行"))
        self.plan = QPlainTextEdit()
        self.plan.setPlaceholderText(self.tr("下月（下阶段）的工作计划，每条一行"))
        self.save_notes_button = QPushButton(self.tr("保存文字并重新生成"))
        self.notes_hint = QLabel()
        self.notes_hint.setWordWrap(True)
        self.notes_hint.setStyleSheet("color: #666;")
        form.addRow(self.tr("存在问题"), self.problems)
        form.addRow(self.tr("工作计划"), self.plan)
        form.addRow(self.save_notes_button)
        form.addRow(self.notes_hint)
        self.save_notes_button.clicked.connect(self.save_notes)
        return box

    def _update_kind(self) -> None:
        kind = self.kind.currentData()
        self.part.clear()
        if kind == "month":
            for m in range(1, 13):
                self.part.addItem(self.tr("%d 月") % m, m)
            self.part.setCurrentIndex(self._month - 1)
        elif kind == "quarter":
            for q, label in enumerate(("第一季度", "第二季度", "第三季度", "第四季度"), 1):
                self.part.addItem(label, q)
        elif kind == "half":
            self.part.addItem(self.tr("上半年"), 1)
            self.part.addItem(self.tr("下半年"), 2)
        ranged = kind == "range"
        self.year.setVisible(not ranged)
        self.part.setVisible(kind not in ("year", "range"))
        for w in (self.date_from, self.range_label, self.date_to):
            w.setVisible(ranged)

    def _update_buttons(self) -> None:
        ready = self.current is not None
        locked = bool(ready and self.current and self.current.notes.locked)
        station_scope = bool(ready and self.current and self.current.scope.kind.value == "station")
        for button in (self.print_button, self.save_button, self.open_button):
            button.setEnabled(ready and self.can_export)
        self.excel_button.setEnabled(ready and self.can_export)
        self.lock_button.setVisible(self.can_edit)
        self.unlock_button.setVisible(self.can_edit)
        self.lock_button.setEnabled(ready and station_scope and not locked)
        self.unlock_button.setEnabled(ready and station_scope and locked)
        self.compare_button.setEnabled(ready and locked)
        editable = self.can_edit and station_scope and not locked
        for edit in (self.problems, self.plan):
            edit.setReadOnly(not editable)
        self.save_notes_button.setEnabled(editable)
        if not self.can_edit:
            self.notes_hint.setText(self.tr("问题与计划由站长填写。"))
        elif locked:
            self.notes_hint.setText(self.tr("本期报告已定稿，文字不能再修改。"))
        elif ready and not station_scope:
            self.notes_hint.setText(self.tr("问题与计划按全站填写，请选择“本站”后编辑。"))
        else:
            self.notes_hint.setText(self.tr("保存后会写入本期报告；定稿前可随时修改。"))

    # -- choices -------------------------------------------------------------------------------
    def selected_period(self) -> Period:
        kind, year = self.kind.currentData(), self.year.value()
        if kind == "month":
            return Period.month(year, int(self.part.currentData()))
        if kind == "quarter":
            return Period.quarter(year, int(self.part.currentData()))
        if kind == "half":
            return Period.half(year, int(self.part.currentData()))
        if kind == "year":
            return Period.year(year)
        start = self.date_from.date().toPython()
        end = self.date_to.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return Period.between(start, end)

    def set_month(self, year: int, month: int) -> None:
        """Select a month (tests, and the dashboard's 'last month' link)."""
        self.kind.setCurrentIndex(0)
        self.year.setValue(year)
        self.part.setCurrentIndex(month - 1)

    def activated(self) -> None:
        if self.scope.count() > 1:
            return
        actor = self.ctx.actor

        def load(session: Any) -> list[tuple[str, uuid.UUID, str]]:
            from sqlalchemy import select

            from wushe_desktop.stations.models import Community, Station

            if actor.is_district:
                return [
                    ("station", sid, name)
                    for sid, name in session.execute(
                        select(Station.id, Station.name).order_by(Station.name)
                    )
                ]
            return [
                ("community", cid, name)
                for cid, name in session.execute(
                    select(Community.id, Community.name)
                    .where(Community.station_id == actor.station_id)
                    .order_by(Community.name)
                )
            ]

        self.ctx.executor.query(load, self._on_places, parent=self)

    def _on_places(self, places: object) -> None:
        assert isinstance(places, list)
        for kind, pid, name in places:
            self.scope.addItem(name, (kind, pid))

    # -- generating ------------------------------------------------------------------------------
    def generate(self) -> None:
        try:
            period = self.selected_period()
        except Exception as exc:  # a ValidationError: shown inline
            self.status.show_message(str(exc))
            return
        db, actor, tmp = self.ctx.db, self.ctx.actor, self._tmp
        choice = self.scope.currentData()
        self.status.show_info(self.tr("正在生成 %s 的报表……") % period.label)

        def work(progress: Any, cancel: Any) -> Generated:
            from wushe_desktop.reports.locks import get_notes
            from wushe_desktop.reports.monthly_pdf import render_pdf
            from wushe_desktop.reports.preview import render_pages
            from wushe_desktop.reports.scope import resolve_scope
            from wushe_desktop.reports.service import report_content

            with db.transaction() as session:
                kwargs: dict[str, Any] = {}
                if choice is not None:
                    kwargs["station_id" if choice[0] == "station" else "community_id"] = choice[1]
                scope = resolve_scope(session, actor, **kwargs)
                content = report_content(
                    session, actor, period, scope, progress=_part(progress, 0.0, 0.6), cancel=cancel
                )
                notes = get_notes(session, actor, period, scope)
            pdf = tmp / f"report-{uuid.uuid4().hex[:8]}.pdf"
            progress(0.6, "正在排版……")
            render_pdf(content, pdf, progress=_part(progress, 0.6, 0.85), cancel=cancel)
            progress(0.85, "正在生成预览……")
            if pdfium_available():  # pages are rendered later, as they scroll into view
                return Generated(content, pdf, None, notes, period, scope, page_sizes(pdf))
            images = render_pages(pdf, tmp / pdf.stem, cancel=cancel)
            return Generated(content, pdf, images, notes, period, scope)

        self.generate_button.setEnabled(False)
        op = self.ctx.executor.job(
            work, self._on_generated, self._on_failed, title=self.tr("正在生成报表…"), parent=self
        )
        op.finished.connect(lambda: self.generate_button.setEnabled(True))

    def _on_failed(self, exc: BaseException) -> None:
        from wushe_desktop.infra.errors import Cancelled

        if isinstance(exc, Cancelled):
            self.status.show_info(self.tr("已取消。"))
            return
        self.status.show_message(str(exc))
        from wushe_desktop.ui import errors

        errors.show_error(self, exc)

    def _on_generated(self, result: object) -> None:
        assert isinstance(result, Generated)
        old = self.current
        self.current = result
        if old is not None and old.pdf != result.pdf:
            old.pdf.unlink(missing_ok=True)
        self.problems.setPlainText(result.content.data.get("problems") or result.notes.problems)
        self.plan.setPlainText(result.content.data.get("plan") or result.notes.plan)
        if result.pages is not None:
            self.preview.show_pdf(result.pdf, result.pages, self.ctx.executor)
        elif result.images is None:
            self.preview.show_message(
                self.tr(
                    "本机没有 PDF 预览组件（pdftoppm）。报表已生成，可点“用PDF阅读器打开”查看。"
                )
            )
        else:
            self.preview.show_pages(result.images)
        locked = result.content.data.get("locked")
        title = result.content.title
        if locked:
            self.status.show_ok(
                self.tr("%s：已由%s于%s定稿，显示的是定稿时的数字。")
                % (title, locked["by"], locked["at"][:10])
            )
        else:
            self.status.show_ok(self.tr("%s：未定稿，数字为当前数据。") % title)
        self._update_buttons()

    # -- output -------------------------------------------------------------------------------
    def _audit(self, *, printed: bool, detail: str) -> None:
        if self.current is None:
            return
        content, actor = self.current.content, self.ctx.actor

        def work(session: Any) -> None:
            from wushe_desktop.reports.service import record_output

            record_output(session, actor, content, printed=printed, detail=detail)

        self.ctx.executor.query(work, parent=self)

    def _ask_path(self, suffix: str, kind: str) -> Path | None:
        assert self.current is not None
        default = str(Path.home() / "Documents" / f"{self.current.content.title}{suffix}")
        name, _ = QFileDialog.getSaveFileName(self, self.tr("保存报表"), default, kind)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == suffix else path.with_suffix(suffix)

    def save_pdf(self) -> None:
        if self.current is None:
            return
        path = self._ask_path(".pdf", self.tr("PDF 文件 (*.pdf)"))
        if path is None:
            return
        try:
            tmp = path.with_name(f".~{path.stem}.{uuid.uuid4().hex[:8]}.tmp")
            shutil.copyfile(self.current.pdf, tmp)
            tmp.replace(path)
        except OSError as exc:
            msgbox.warning(self, self.tr("无法保存到“%s”：%s") % (path, exc.strerror or exc))
            return
        self._audit(printed=False, detail=f"保存PDF：{path}")
        self.status.show_ok(self.tr("已保存：%s") % path)

    def save_excel(self) -> None:
        if self.current is None:
            return
        path = self._ask_path(".xlsx", self.tr("Excel 工作簿 (*.xlsx)"))
        if path is None:
            return
        content = self.current.content

        def work(progress: Any, cancel: Any) -> Path:
            from wushe_desktop.reports.monthly_excel import render_excel

            render_excel(content, path, progress=progress, cancel=cancel)
            return path

        def done(_result: object) -> None:
            self._audit(printed=False, detail=f"导出Excel：{path}")
            self.status.show_ok(self.tr("已导出 Excel：%s") % path)

        self.ctx.executor.job(
            work, done, self._on_failed, title=self.tr("正在导出 Excel…"), parent=self
        )

    def open_external(self) -> None:
        if self.current is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.current.pdf)))

    def print_report(self) -> None:
        if self.current is None:
            return
        pdf, out = self.current.pdf, self._tmp / f"print-{self.current.pdf.stem}"

        def work(_progress: Any, cancel: Any) -> list[Path] | None:
            from wushe_desktop.reports.preview import render_pages

            if pdfium_available():
                return render_pages_pdfium(pdf, out, dpi=200, cancel=cancel)
            return render_pages(pdf, out, dpi=200, cancel=cancel)

        def done(images: object) -> None:
            if images is None:
                msgbox.information(
                    self, self.tr("本机无法直接打印报表，将用 PDF 阅读器打开，请在阅读器中打印。")
                )
                self.open_external()
                self._audit(printed=True, detail="用PDF阅读器打印")
                return
            assert isinstance(images, list)
            if print_images(self, images, self.current.content.title if self.current else ""):
                self._audit(printed=True, detail=f"打印 {len(images)} 页")

        self.ctx.executor.job(
            work, done, self._on_failed, title=self.tr("正在准备打印…"), parent=self
        )

    # -- texts and locking ----------------------------------------------------------------------
    def save_notes(self) -> None:
        if self.current is None:
            return
        period, scope, actor = self.current.period, self.current.scope, self.ctx.actor
        problems, plan = self.problems.toPlainText(), self.plan.toPlainText()
        version = self.current.notes.version or None

        def work(session: Any) -> None:
            from wushe_desktop.reports.locks import save_notes

            save_notes(
                session,
                actor,
                period,
                scope,
                problems=problems,
                plan=plan,
                expected_version=version,
            )

        self.ctx.executor.query(work, lambda _r: self.generate(), self._on_failed, parent=self)

    def lock(self) -> None:
        if self.current is None:
            return
        period, scope, actor = self.current.period, self.current.scope, self.ctx.actor
        if not msgbox.question(
            self,
            self.tr("定稿后，%s报告的数字和文字将固定，以后打印与现在完全一致。确定定稿吗？")
            % period.label,
        ):
            return
        problems, plan = self.problems.toPlainText(), self.plan.toPlainText()
        db = self.ctx.db
        version = self.current.notes.version or None
        edited = (problems.strip(), plan.strip()) != (
            self.current.notes.problems,
            self.current.notes.plan,
        )

        def work(progress: Any, cancel: Any) -> None:
            from wushe_desktop.reports.locks import lock_report, save_notes

            with db.transaction() as session:
                if edited:  # the texts on screen are what gets locked
                    save_notes(
                        session,
                        actor,
                        period,
                        scope,
                        problems=problems,
                        plan=plan,
                        expected_version=version,
                    )
                lock_report(session, actor, period, scope, progress=progress, cancel=cancel)

        self.ctx.executor.job(
            work,
            lambda _r: self.generate(),
            self._on_failed,
            title=self.tr("正在定稿…"),
            parent=self,
        )

    def unlock(self) -> None:
        if self.current is None:
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("撤销定稿"), self.tr("撤销原因（将记入审计日志）：")
        )
        if not ok:
            return
        period, scope, actor = self.current.period, self.current.scope, self.ctx.actor

        def work(session: Any) -> None:
            from wushe_desktop.reports.locks import unlock_report

            unlock_report(session, actor, period, scope, reason=reason)

        self.ctx.executor.query(work, lambda _r: self.generate(), self._on_failed, parent=self)

    def package(self) -> None:
        from wushe_desktop.ui.dialogs.report_package import (
            export_package_dialog,
            import_packages_dialog,
        )

        if self.ctx.actor.is_district:
            import_packages_dialog(self, self.ctx)
            return
        try:
            period = self.selected_period()
        except Exception as exc:  # a ValidationError: shown inline
            self.status.show_message(str(exc))
            return
        export_package_dialog(self, self.ctx, period)

    def compare(self) -> None:
        if self.current is None:
            return
        locked, period, scope, actor, db = (
            self.current.content,
            self.current.period,
            self.current.scope,
            self.ctx.actor,
            self.ctx.db,
        )

        def work(progress: Any, cancel: Any) -> list[Any]:
            from wushe_desktop.reports.locks import differences
            from wushe_desktop.reports.service import report_content

            with db.reader() as session:
                live = report_content(
                    session, actor, period, scope, live=True, progress=progress, cancel=cancel
                )
            return differences(locked, live)

        def done(diffs: object) -> None:
            from wushe_desktop.ui.dialogs.report_preview import DifferencesDialog

            assert isinstance(diffs, list)
            DifferencesDialog(diffs, self).exec()

        self.ctx.executor.job(
            work, done, self._on_failed, title=self.tr("正在统计当前数据…"), parent=self
        )


def _part(progress: Any, start: float, end: float) -> Any:
    from wushe_desktop.infra.progress import sub_progress

    return sub_progress(progress, start, end)
