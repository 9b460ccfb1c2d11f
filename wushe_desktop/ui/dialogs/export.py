"""导出Excel: choose the file and (where the list has personal data) masked or full values.

The export itself runs on the DB thread with progress and 取消; the file is written under a
temporary name by the core, so a cancelled export leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.infra.errors import Cancelled, WusheError
from wushe_desktop.infra.progress import CancelToken, Progress
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.workers import DbExecutor

#: ``run(path, full, progress, cancel) -> rows written`` — runs on the DB thread.
ExportRun = Callable[[Path, bool, Progress, CancelToken], int]


def documents_dir() -> Path:
    """The user's 文档 folder (where Windows users look for their files)."""
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


def default_file_name(stem: str) -> str:
    return f"{stem}_{datetime.now():%Y%m%d_%H%M}.xlsx"


class ExportDialog(QDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self,
        executor: DbExecutor,
        settings: UiSettings,
        *,
        title: str,
        stem: str,
        run: ExportRun,
        scope_text: str = "",
        sensitive: bool = False,
        full_allowed: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._executor = executor
        self._settings = settings
        self._run = run
        self.written: int | None = None
        self.saved_path: Path | None = None
        self._busy = False
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        folder = Path(settings.last_dir) if settings.last_dir else documents_dir()
        self.path = QLineEdit(str(folder / default_file_name(stem)))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(self.tr("保存到："), row)
        if scope_text:
            scope = QLabel(scope_text)
            scope.setWordWrap(True)
            form.addRow(self.tr("导出范围："), scope)
        layout.addLayout(form)

        self.masked = QRadioButton(self.tr("脱敏导出（身份证号、电话只显示部分数字）"))
        self.full = QRadioButton(self.tr("完整身份证号和电话"))
        self.masked.setChecked(True)
        if sensitive:
            group = QButtonGroup(self)
            group.addButton(self.masked)
            group.addButton(self.full)
            layout.addWidget(QLabel(self.tr("个人信息：")))
            layout.addWidget(self.masked)
            layout.addWidget(self.full)
            self.full.setEnabled(full_allowed)
            if full_allowed:
                note = self.tr("导出完整信息会记入审计日志。请妥善保管导出的文件。")
            else:
                note = self.tr("您的角色只能脱敏导出；需要完整信息请联系站长。")
            hint = QLabel(note)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            layout.addWidget(hint)
        else:
            self.masked.hide()
            self.full.hide()
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            self.tr("导出"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出到"), self.path.text(), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if name:
            self.path.setText(name)

    def target(self) -> Path | None:
        text = self.path.text().strip()
        if not text:
            self.error.show_message(self.tr("请选择保存位置。"))
            return None
        path = Path(text)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        if not path.parent.is_dir():
            self.error.show_message(self.tr("文件夹“%s”不存在，请重新选择。") % path.parent)
            return None
        return path

    def start(self) -> None:
        if self._busy:
            return
        path = self.target()
        if path is None:
            return
        if path.exists() and not msgbox.question(
            self, self.tr("文件“%s”已存在，要替换它吗？") % path.name
        ):
            return
        full = self.full.isChecked()
        self._busy = True
        self.export_button.setEnabled(False)
        self.error.show_info(self.tr("正在导出…"))
        self._executor.job(
            lambda p, c: self._run(path, full, p, c),
            lambda n: self._on_done(path, n),
            self._on_failed,
            title=self.tr("正在导出 Excel…"),
            parent=self,
        )

    def _on_done(self, path: Path, written: object) -> None:
        self._busy = False
        self.written = int(written) if isinstance(written, int) else 0
        self.saved_path = path
        self._settings.last_dir = str(path.parent)
        msgbox.information(self, self.tr("已导出 %d 行到：\n%s") % (self.written, path))
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.export_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.error.show_info(self.tr("已取消导出，没有生成文件。"))
        elif isinstance(exc, WusheError):
            self.error.show_message(str(exc))
        else:
            self.error.clear_message()
            errors.show_error(self, exc)

    def reject(self) -> None:
        if not self._busy:
            super().reject()

    @classmethod
    def ask(
        cls,
        executor: DbExecutor,
        settings: UiSettings,
        *,
        title: str,
        stem: str,
        run: ExportRun,
        scope_text: str = "",
        sensitive: bool = False,
        full_allowed: bool = False,
        parent: QWidget | None = None,
    ) -> Path | None:
        """The written file, or None if cancelled."""
        dlg = cls(
            executor,
            settings,
            title=title,
            stem=stem,
            run=run,
            scope_text=scope_text,
            sensitive=sensitive,
            full_allowed=full_allowed,
            parent=parent,
        )
        dlg.exec()
        return dlg.saved_path
