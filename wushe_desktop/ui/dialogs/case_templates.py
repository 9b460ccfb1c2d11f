"""个案模板 (the director): the to-dos a new case of each kind starts with, and when.

Left: the templates; right: the chosen template's name and its to-dos with the day after
intake each is due. Saved together through ``cases.templates.save_templates`` (checked
there, audited as a station setting); 恢复默认 goes back to the built-in templates.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wushe_desktop.cases.templates import MAX_DAYS, CaseTemplate
from wushe_desktop.ui import errors, msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.widgets.labels import ErrorLabel

__all__ = ["CaseTemplatesDialog"]


class CaseTemplatesDialog(QDialog):
    def __init__(  # noqa: PLR0915 - widget construction, one statement per widget
        self, ctx: AppContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[CaseTemplate] = []
        self.current = -1
        self.saved = False
        self.setWindowTitle(self.tr("个案模板"))
        self.resize(820, 480)
        outer = QVBoxLayout(self)
        hint = QLabel(
            self.tr(
                "新建个案时选择模板，系统按“接案后第几天”为个案生成待办事项。"
                "修改模板只影响今后新建的个案。"
            )
        )
        hint.setWordWrap(True)
        outer.addWidget(hint)
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.list = QListWidget()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增模板"))
        self.remove_button = QPushButton(self.tr("删除模板"))
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        left.addLayout(row)
        body.addLayout(left, 1)
        right = QVBoxLayout()
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(self.tr("模板名称")))
        self.label = QLineEdit()
        name_row.addWidget(self.label, 1)
        right.addLayout(name_row)
        self.steps = QTableWidget(0, 2)
        self.steps.setHorizontalHeaderLabels([self.tr("待办事项"), self.tr("接案后第几天")])
        self.steps.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.steps.setColumnWidth(1, 120)
        self.steps.verticalHeader().setVisible(False)
        self.steps.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        right.addWidget(self.steps, 1)
        row = QHBoxLayout()
        self.add_step_button = QPushButton(self.tr("添加待办"))
        self.remove_step_button = QPushButton(self.tr("删除待办"))
        self.up_button = QPushButton(self.tr("上移"))
        self.down_button = QPushButton(self.tr("下移"))
        for b in (self.add_step_button, self.remove_step_button, self.up_button, self.down_button):
            row.addWidget(b)
        row.addStretch(1)
        right.addLayout(row)
        body.addLayout(right, 2)
        outer.addLayout(body, 1)
        self.error = ErrorLabel()
        outer.addWidget(self.error)
        bottom = QHBoxLayout()
        self.reset_button = QPushButton(self.tr("恢复默认"))
        bottom.addWidget(self.reset_button)
        bottom.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        bottom.addWidget(self.buttons)
        outer.addLayout(bottom)

        self.list.currentRowChanged.connect(self._select)
        self.label.textEdited.connect(self._rename)
        self.add_button.clicked.connect(self.add_template)
        self.remove_button.clicked.connect(self.remove_template)
        self.add_step_button.clicked.connect(self.add_step)
        self.remove_step_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self.reset_button.clicked.connect(self.reset)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._load()

    # -- loading and showing -------------------------------------------------------------------
    def _load(self) -> None:
        from wushe_desktop.cases.templates import templates

        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: templates(s, actor),
            self._show_all,
            lambda exc: errors.show_error(self, exc),
            parent=self,
        )

    def _show_all(self, found: object) -> None:
        assert isinstance(found, list)
        self.items = list(found)
        self.current = -1
        self.list.clear()
        for t in self.items:
            self.list.addItem(t.label)
        self.list.setCurrentRow(0 if self.items else -1)
        self._update()

    def _select(self, row: int) -> None:
        self._store()
        self.current = row
        template = self.items[row] if 0 <= row < len(self.items) else None
        self.label.setText(template.label if template else "")
        self.steps.setRowCount(0)
        for title, days in template.steps if template else ():
            self._append_step(title, days)
        self._update()

    def _append_step(self, title: str, days: int) -> None:
        row = self.steps.rowCount()
        self.steps.insertRow(row)
        self.steps.setItem(row, 0, QTableWidgetItem(title))
        spin = QSpinBox()
        spin.setRange(0, MAX_DAYS)
        spin.setSuffix(self.tr(" 天"))
        spin.setValue(days)
        self.steps.setCellWidget(row, 1, spin)

    def _read_steps(self) -> tuple[tuple[str, int], ...]:
        out = []
        for row in range(self.steps.rowCount()):
            item = self.steps.item(row, 0)
            spin: Any = self.steps.cellWidget(row, 1)
            out.append((item.text() if item else "", int(spin.value())))
        return tuple(out)

    def _store(self) -> None:
        """Keep the edits of the template on the right before another one is shown."""
        if 0 <= self.current < len(self.items):
            old = self.items[self.current]
            self.items[self.current] = CaseTemplate(old.key, self.label.text(), self._read_steps())

    def _update(self) -> None:
        chosen = 0 <= self.current < len(self.items)
        self.remove_button.setEnabled(chosen and len(self.items) > 1)
        for w in (self.label, self.steps, self.add_step_button):
            w.setEnabled(chosen)
        has_rows = chosen and self.steps.rowCount() > 0
        for b in (self.remove_step_button, self.up_button, self.down_button):
            b.setEnabled(has_rows)

    # -- editing -------------------------------------------------------------------------------
    def _rename(self, text: str) -> None:
        item = self.list.item(self.current)
        if item is not None:
            item.setText(text or self.tr("（未命名）"))

    def add_template(self) -> None:
        self._store()
        self.items.append(CaseTemplate("", self.tr("新模板"), (("首次家访", 3),)))
        self.list.addItem(self.items[-1].label)
        self.list.setCurrentRow(len(self.items) - 1)
        self.label.setFocus()
        self.label.selectAll()

    def remove_template(self) -> None:
        row = self.current
        if not 0 <= row < len(self.items) or len(self.items) < 2:
            return
        if not msgbox.question(self, self.tr("删除模板“%s”？") % self.items[row].label):
            return
        self.current = -1  # nothing to store: it is going
        del self.items[row]
        self.list.takeItem(row)
        self.list.setCurrentRow(min(row, len(self.items) - 1))

    def add_step(self) -> None:
        self._append_step("", 7)
        row = self.steps.rowCount() - 1
        self.steps.setCurrentCell(row, 0)
        item = self.steps.item(row, 0)
        if item is not None:
            self.steps.editItem(item)
        self._update()

    def remove_step(self) -> None:
        row = self.steps.currentRow()
        if row >= 0:
            self.steps.removeRow(row)
        self._update()

    def move_step(self, delta: int) -> None:
        row = self.steps.currentRow()
        target = row + delta
        if row < 0 or not 0 <= target < self.steps.rowCount():
            return
        steps = list(self._read_steps())
        steps[row], steps[target] = steps[target], steps[row]
        self.steps.setRowCount(0)
        for title, days in steps:
            self._append_step(title, days)
        self.steps.setCurrentCell(target, 0)

    # -- saving --------------------------------------------------------------------------------
    def save(self) -> None:
        from wushe_desktop.cases.templates import save_templates

        self._store()
        actor, items = self.ctx.actor, list(self.items)
        self.save_button.setEnabled(False)

        def done(_r: object) -> None:
            self.saved = True
            self.accept()

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            self.error.show_message(str(exc))

        self.ctx.executor.query(
            lambda s: save_templates(s, actor, items), done, failed, parent=self
        )

    def reset(self) -> None:
        from wushe_desktop.cases.templates import reset_templates

        if not msgbox.question(
            self, self.tr("恢复为系统默认的个案模板？本站修改过的模板将被替换。")
        ):
            return
        actor = self.ctx.actor

        def done(found: object) -> None:
            self.saved = True
            self._show_all(found)
            self.error.show_ok(self.tr("已恢复默认模板。"))

        self.ctx.executor.query(
            lambda s: reset_templates(s, actor),
            done,
            lambda exc: errors.show_error(self, exc),
            parent=self,
        )
