"""A form dialog that checks as you type and saves on the DB thread.

Subclasses add rows to ``self.form``, register their inputs with ``watch()``, implement
``problem()`` (the first thing wrong, as the core would say it, or "") and ``save(session)``.
确定 stays disabled while there is a problem; a core error on save (duplicate, changed by
someone else) is shown inline and focuses the field it names.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.infra.errors import ValidationError, WusheError
from wushe_desktop.ui import errors
from wushe_desktop.ui.widgets.labels import ErrorLabel
from wushe_desktop.ui.workers import DbExecutor

#: Delay after the last keystroke before the form is re-checked (ms).
CHECK_DELAY_MS = 120


class FormDialog(QDialog):
    def __init__(self, executor: DbExecutor, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self.result_value: Any = None
        self.fields: dict[str, QWidget] = {}
        self._touched = False
        self._saving = False
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.outer.addLayout(self.form)
        self.error = ErrorLabel()
        self.outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button.setText(self.tr("保存"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.outer.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)

    @property
    def ok_button(self) -> QAbstractButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    # -- for subclasses ------------------------------------------------------------------------
    def watch(self, name: str, widget: QWidget) -> None:
        """Re-check the form when ``widget`` changes; ``name`` is the core's field name."""
        self.fields[name] = widget
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._changed)
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(self._changed)
        elif isinstance(widget, QSpinBox):
            widget.valueChanged.connect(self._changed)

    def problem(self) -> str:
        """The first problem with the input (a Chinese sentence) or ""; override."""
        return ""

    def save(self, session: Session) -> object:
        """Runs on the DB thread inside one transaction; return the saved row."""
        raise NotImplementedError

    # -- behaviour -----------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        self._touched = True
        self._timer.start()

    def check(self) -> bool:
        """Re-check now; show the problem (once the user has typed) and gate 保存."""
        self._timer.stop()
        try:
            problem = self.problem()
        except ValidationError as exc:
            problem = str(exc)
            self._mark(exc.field)
        else:
            self._mark(None)
        self.ok_button.setEnabled(not problem and not self._saving)
        if problem and self._touched:
            self.error.show_message(problem)
        elif not problem:
            self.error.clear_message()
        return not problem

    def _mark(self, field: str | None) -> None:
        for name, widget in self.fields.items():
            bad = name == field
            widget.setStyleSheet("border: 1px solid #b3261e;" if bad else "")

    def submit(self) -> None:
        if self._saving:
            return
        self._touched = True
        if not self.check():
            return
        self._saving = True
        self.ok_button.setEnabled(False)
        self.error.show_info(self.tr("正在保存…"))
        self.executor.query(self.save, self._on_saved, self._on_save_failed, parent=self)

    def _on_saved(self, row: object) -> None:
        self._saving = False
        self.result_value = row
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, WusheError):
            self.error.show_message(str(exc))
            field = getattr(exc, "field", None)
            self._mark(field)
            widget = self.fields.get(field or "")
            if widget is not None:
                widget.setFocus()
        else:
            self.error.clear_message()
            errors.show_error(self, exc)
