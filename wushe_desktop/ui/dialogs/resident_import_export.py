"""Residents ⇄ Excel in the GUI: the export dialog call and the import dialog.

Import steps: download the template, choose a file, see its first rows, check it (a dry run
that writes nothing), import with progress and 取消, then read the error list and save the
error workbook (the rejected rows plus 错误原因) to fix and import again.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.accounts.permissions import Action, Resource
from wushe_desktop.infra.errors import Cancelled, WusheError
from wushe_desktop.residents.search import ResidentQuery
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.export import ExportDialog, documents_dir
from wushe_desktop.ui.widgets.labels import ErrorLabel, title_label

PREVIEW_ROWS = 20


def export_residents_dialog(
    parent: QWidget, ctx: AppContext, query: ResidentQuery, scope_text: str
) -> Path | None:
    """导出Excel for the residents list as currently filtered."""
    db, actor = ctx.db, ctx.actor

    def run(path: Path, full: bool, progress: Any, cancel: Any) -> int:
        from wushe_desktop.residents.excel_io import export_residents

        return export_residents(db, actor, query, path, full=full, progress=progress, cancel=cancel)

    return ExportDialog.ask(
        ctx.executor,
        ctx.settings,
        title=parent.tr("导出居民名单"),
        stem="居民名单_回收站" if query.deleted else "居民名单",
        run=run,
        scope_text=scope_text,
        sensitive=True,
        full_allowed=ctx.can(Resource.RESIDENT, Action.EXPORT_SENSITIVE),
        parent=parent,
    )


def _fill_table(table: QTableWidget, headers: list[str], rows: list[list[object]]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setRowCount(len(rows))
    table.setHorizontalHeaderLabels(headers)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem("" if value is None else str(value))
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


class ResidentImportDialog(QDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self, ctx: AppContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source: Path | None = None
        self.report: Any = None
        self.imported = False
        self._busy = False
        self._tmp = Path(tempfile.mkdtemp(prefix="wushe_import_"))
        self.setWindowTitle(self.tr("导入居民名单（Excel）"))
        self.resize(900, 640)
        layout = QVBoxLayout(self)

        layout.addWidget(title_label(self.tr("第一步：准备文件")))
        step1 = QHBoxLayout()
        self.template_button = QPushButton(self.tr("下载导入模板…"))
        self.choose_button = QPushButton(self.tr("选择 Excel 文件…"))
        self.file_label = QLabel(self.tr("尚未选择文件"))
        self.file_label.setWordWrap(True)
        step1.addWidget(self.template_button)
        step1.addWidget(self.choose_button)
        step1.addWidget(self.file_label, 1)
        layout.addLayout(step1)
        hint = QLabel(
            self.tr(
                "按模板填写：姓名和所属社区必填；证件号码相同的居民会被更新而不是重复新增。"
                "表格中空着的列不会清除已有信息。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)

        layout.addWidget(QLabel(self.tr("文件前 %d 行预览：") % PREVIEW_ROWS))
        self.preview = QTableWidget()
        self.preview.setMinimumHeight(150)
        layout.addWidget(self.preview, 2)

        layout.addWidget(title_label(self.tr("第二步：检查并导入")))
        step2 = QHBoxLayout()
        self.strict = QCheckBox(self.tr("有任何错误行就全部不导入（严格模式）"))
        self.check_button = QPushButton(self.tr("检查（不写入）"))
        self.import_button = QPushButton(self.tr("开始导入"))
        step2.addWidget(self.strict)
        step2.addStretch(1)
        step2.addWidget(self.check_button)
        step2.addWidget(self.import_button)
        layout.addLayout(step2)
        self.summary = ErrorLabel()
        layout.addWidget(self.summary)
        self.errors_table = QTableWidget()
        self.errors_table.setMinimumHeight(120)
        layout.addWidget(self.errors_table, 2)
        bottom = QHBoxLayout()
        self.save_errors_button = QPushButton(self.tr("保存错误工作簿…"))
        self.save_errors_button.setToolTip(
            self.tr("出错的行连同“错误原因”列保存为新的 Excel 文件，改正后可再次导入。")
        )
        self.close_button = QPushButton(self.tr("关闭"))
        bottom.addWidget(self.save_errors_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout.addLayout(bottom)

        self.template_button.clicked.connect(self.save_template)
        self.choose_button.clicked.connect(self._choose)
        self.check_button.clicked.connect(lambda: self.run_import(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run_import(dry_run=False))
        self.save_errors_button.clicked.connect(self._save_errors)
        self.close_button.clicked.connect(self.reject)
        self._update_buttons()

    # -- steps ---------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        has_file = self.source is not None and not self._busy
        self.check_button.setEnabled(has_file)
        self.import_button.setEnabled(has_file)
        has_errors = self.report is not None and self.report.error_workbook is not None
        self.save_errors_button.setEnabled(bool(has_errors) and not self._busy)
        self.choose_button.setEnabled(not self._busy)
        self.template_button.setEnabled(not self._busy)
        self.close_button.setEnabled(not self._busy)

    def save_template(self, path: Path | None = None) -> None:
        if not path:
            folder = Path(self.ctx.settings.last_dir or documents_dir())
            name, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("保存导入模板"),
                str(folder / "居民导入模板.xlsx"),
                self.tr("Excel 工作簿 (*.xlsx)"),
            )
            if not name:
                return
            path = Path(name)
        target = path
        actor = self.ctx.actor

        def work(session: Any) -> Path:
            from wushe_desktop.residents.excel_io import write_resident_template

            write_resident_template(target, session=session, actor=actor)
            return target

        self.ctx.executor.query(
            work,
            lambda p: msgbox.information(self, self.tr("模板已保存到：\n%s") % p),
            parent=self,
        )

    def _choose(self) -> None:
        folder = self.ctx.settings.last_dir or str(documents_dir())
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择要导入的 Excel 文件"), folder, self.tr("Excel 工作簿 (*.xlsx)")
        )
        if name:
            self.set_source(Path(name))

    def set_source(self, path: Path) -> None:
        """Use ``path`` and show its first rows (read on the DB thread)."""
        from wushe_desktop.residents.excel_io import preview_rows

        self.source = path
        self.report = None
        self.ctx.settings.last_dir = str(path.parent)
        self.file_label.setText(str(path))
        self.summary.show_info(self.tr("正在读取文件…"))
        self.errors_table.clear()
        self.errors_table.setRowCount(0)
        self._update_buttons()
        self.ctx.executor.run_in_background(
            lambda _op: preview_rows(path, PREVIEW_ROWS),
            self._on_preview,
            self._on_preview_failed,
            parent=self,
        )

    def _on_preview(self, result: object) -> None:
        assert isinstance(result, tuple)
        headers, rows = result
        _fill_table(self.preview, headers, rows)
        self.summary.show_info(self.tr("已读取文件。请先点“检查”看看有没有错误，再点“开始导入”。"))

    def _on_preview_failed(self, exc: BaseException) -> None:
        self.preview.clear()
        self.preview.setRowCount(0)
        if isinstance(exc, WusheError):
            self.summary.show_message(str(exc))
            self.source = None
            self.file_label.setText(self.tr("尚未选择文件"))
            self._update_buttons()
        else:
            errors.show_error(self, exc)

    def run_import(self, *, dry_run: bool) -> None:
        from wushe_desktop.residents.excel_io import default_error_path

        if self.source is None or self._busy:
            return
        source = self.source
        strict = self.strict.isChecked()
        error_out = (self._tmp / "检查结果_错误.xlsx") if dry_run else default_error_path(source)
        db, actor = self.ctx.db, self.ctx.actor
        self._busy = True
        self._update_buttons()
        self.summary.show_info(self.tr("正在检查…") if dry_run else self.tr("正在导入…"))

        def job(progress: Any, cancel: Any) -> Any:
            from wushe_desktop.residents.excel_io import import_residents

            return import_residents(
                db,
                actor,
                source,
                dry_run=dry_run,
                strict=strict,
                error_out=error_out,
                progress=progress,
                cancel=cancel,
            )

        self.ctx.executor.job(
            job,
            self._on_report,
            self._on_failed,
            title=self.tr("正在检查名单…") if dry_run else self.tr("正在导入居民…"),
            parent=self,
        )

    def _on_report(self, report: object) -> None:
        self._busy = False
        self.report = report
        r: Any = report
        if not r.dry_run and not r.aborted:
            self.imported = True
        if r.errors:
            self.summary.show_message(r.summary())
        else:
            self.summary.show_ok(r.summary())
        rows = [[str(e.row), e.column, e.message] for e in r.errors]
        _fill_table(self.errors_table, [self.tr("行号"), self.tr("列"), self.tr("问题")], rows)
        self._update_buttons()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        if isinstance(exc, Cancelled):
            self.summary.show_info(self.tr("已取消，数据库没有任何改动。"))
        elif isinstance(exc, WusheError):
            self.summary.show_message(str(exc))
        else:
            self.summary.clear_message()
            errors.show_error(self, exc)

    def _save_errors(self, target: Path | None = None) -> None:
        if self.report is None or self.report.error_workbook is None:
            return
        if not target:
            name, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("保存错误工作簿"),
                str(self.report.error_workbook.with_name(self.report.error_workbook.name)),
                self.tr("Excel 工作簿 (*.xlsx)"),
            )
            if not name:
                return
            target = Path(name)
        source = Path(self.report.error_workbook)
        if source.resolve() != target.resolve():
            shutil.copyfile(source, target)
        msgbox.information(self, self.tr("错误工作簿已保存到：\n%s") % target)

    def reject(self) -> None:
        if self._busy:
            return
        shutil.rmtree(self._tmp, ignore_errors=True)
        if self.imported:
            self.accept()
        else:
            super().reject()

    @classmethod
    def ask(cls, ctx: AppContext, parent: QWidget | None = None) -> bool:
        """True when rows were written (the list should be refreshed)."""
        dlg = cls(ctx, parent)
        dlg.exec()
        return dlg.imported
