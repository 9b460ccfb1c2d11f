"""探访频次设置 (the station's visit schedule per key group) and 转为个案 (open a case from a
visit finding)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QSpinBox, QWidget
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.ui.widgets.form_dialog import FormDialog
from wushe_desktop.ui.workers import DbExecutor


class FrequencyDialog(FormDialog):
    """Days between visits per key group; 0 means the group is not scheduled."""

    def __init__(
        self, executor: DbExecutor, actor: Actor, rows: list[Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("探访频次设置"))
        self.actor = actor
        self.boxes: dict[str, QSpinBox] = {}
        self.rows = rows
        can_edit = actor.can(Resource.STATION, Action.UPDATE) and actor.station_id is not None
        for row in rows:
            box = QSpinBox()
            box.setRange(0, 366)
            box.setSuffix(self.tr(" 天"))
            box.setSpecialValueText(self.tr("不安排"))
            box.setValue(row.days)
            box.setEnabled(can_edit)
            box.setToolTip(
                self.tr("默认：%s") % (f"{row.default_days} 天" if row.default_days else "不安排")
            )
            self.form.addRow(f"{row.label}：", box)
            self.boxes[row.tag] = box
            self.watch(row.tag, box)
        note = QLabel(
            self.tr("一位居民有多个重点人群标签时，按最短的间隔安排；从未探访的居民当天即应探访。")
            if can_edit
            else self.tr("只有站长可以修改探访频次；您可以查看。")
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.outer.insertWidget(1, note)
        self.ok_button.setEnabled(can_edit)
        self._can_edit = can_edit
        self.check()

    def problem(self) -> str:
        return "" if self._can_edit else self.tr("只有站长可以修改探访频次。")

    def save(self, session: Session) -> object:
        from wushe_desktop.visits.schedule import set_frequencies

        return set_frequencies(
            session, self.actor, {tag: box.value() for tag, box in self.boxes.items()}
        )

    @classmethod
    def ask(
        cls, executor: DbExecutor, actor: Actor, rows: list[Any], parent: QWidget | None = None
    ) -> bool:
        """True when the frequencies were saved (``rows``: ``list_frequencies``)."""
        dlg = cls(executor, actor, rows, parent)
        dlg.exec()
        return dlg.result_value is not None


class OpenCaseDialog(FormDialog):
    """转为个案: the problem areas and risk level of the case a visit finding opens."""

    def __init__(
        self, executor: DbExecutor, actor: Actor, visit: Any, parent: QWidget | None = None
    ) -> None:
        from wushe_desktop.cases.constants import PROBLEM_AREAS, RiskLevel

        super().__init__(executor, "", parent)
        self.setWindowTitle(self.tr("由探访转为个案"))
        self.actor = actor
        self.visit = visit
        self.form.addRow(
            self.tr("服务对象："), QLabel(f"{visit.resident_name}（{visit.community_name}）")
        )
        self.form.addRow(
            self.tr("来源："), QLabel(self.tr("主动发现（%s 探访）") % visit.visited_on.isoformat())
        )
        grid = QGridLayout()
        self.areas: dict[str, QCheckBox] = {}
        for i, area in enumerate(PROBLEM_AREAS):
            box = QCheckBox(area)
            box.toggled.connect(self._changed)
            grid.addWidget(box, i // 3, i % 3)
            self.areas[area] = box
        holder = QWidget()
        holder.setLayout(grid)
        self.form.addRow(self.tr("问题领域*："), holder)
        self.risk = QComboBox()
        self.risk.addItems([r.value for r in RiskLevel])
        self.risk.setCurrentText(
            RiskLevel.HIGH.value if visit.risk_found else RiskLevel.MEDIUM.value
        )
        self.form.addRow(self.tr("风险等级："), self.risk)
        self.watch("risk_level", self.risk)
        self.fields["problem_areas"] = holder
        if visit.risk_found:
            self.areas["安全保护"].setChecked(True)
        self.ok_button.setText(self.tr("开案"))
        self.check()

    def chosen(self) -> list[str]:
        return [a for a, box in self.areas.items() if box.isChecked()]

    def problem(self) -> str:
        return "" if self.chosen() else self.tr("请至少选择一个问题领域。")

    def save(self, session: Session) -> object:
        from wushe_desktop.visits.cases_link import open_case_from_visit

        return open_case_from_visit(
            session,
            self.actor,
            self.visit.id,
            problem_areas=self.chosen(),
            risk_level=self.risk.currentText(),
        )

    @classmethod
    def ask(
        cls, executor: DbExecutor, actor: Actor, visit: Any, parent: QWidget | None = None
    ) -> Any | None:
        """The new case's row, or None if cancelled."""
        dlg = cls(executor, actor, visit, parent)
        dlg.exec()
        return dlg.result_value
