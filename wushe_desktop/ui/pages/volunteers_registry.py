"""志愿者名册: search and filter the registry, see a volunteer's record and hours, register,
edit, export and import, and issue a service certificate."""

from __future__ import annotations

import html
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.scheduling.timefmt import hours_text
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.dialogs.community_widgets import fill_combo
from wushe_desktop.ui.models.table import ListTableModel
from wushe_desktop.ui.models.volunteers_model import VOLUNTEER_COLUMNS
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.settings import UiSettings
from wushe_desktop.ui.widgets.tables import DataTable
from wushe_desktop.volunteers.constants import SKILLS, STAR_LABELS, VolunteerStatus
from wushe_desktop.volunteers.search import VolunteerQuery

LIMIT = 1000


def volunteer_detail(session: Session, actor: Actor, volunteer_id: uuid.UUID) -> str:
    """Runs on the DB thread: the record as HTML for the detail panel."""
    from wushe_desktop.scheduling.assignments import volunteer_assignments
    from wushe_desktop.scheduling.stats import volunteer_totals
    from wushe_desktop.volunteers.records import list_records, qualification_state
    from wushe_desktop.volunteers.service import get_volunteer
    from wushe_desktop.volunteers.teams import teams_of

    v = get_volunteer(session, actor, volunteer_id)
    totals = volunteer_totals(session, actor, volunteer_id)
    records = list_records(session, actor, volunteer_id)
    e = html.escape
    rate = totals.attendance_rate
    lines = [
        f"<h3>{e(v.name)}　<small>{e(v.volunteer_no)}</small></h3>",
        f"<p>{e(v.gender)} {'' if v.age is None else f'{v.age}岁'}　{e(v.doc_type)} {e(v.id_number)}　"
        f"电话 {e(v.phone)}　{e(v.community_name or '辖区外')}</p>",
        f"<p>状态：<b>{e(v.status)}</b>{'（' + e(v.status_reason) + '）' if v.status_reason else ''}"
        f"　登记日期：{v.registered_on.isoformat()}</p>",
        f"<p>技能：{e(v.skills_text) or '—'}　语言：{e(v.languages) or '—'}</p>",
        f"<p>可服务时段：{e(v.availability_text)}</p>",
        f"<p>服务队：{e('、'.join(teams_of(session, volunteer_id))) or '—'}</p>",
        f"<p><b>累计服务 {hours_text(totals.total_minutes)} 小时</b>（本年 {hours_text(totals.year_minutes)} 小时，"
        f"{totals.services} 次；待审核 {hours_text(totals.pending_minutes)} 小时）　"
        f"出勤率 {'—' if rate is None else f'{rate:.0%}'}</p>",
        f"<p>星级：可评 {STAR_LABELS.get(totals.eligible_star, '未达一星')}，"
        f"已获 {STAR_LABELS.get(totals.awarded_star, '无')}"
        + (
            f"；距下一星级还差 {hours_text(totals.next_star_minutes)} 小时"
            if totals.next_star_minutes
            else ""
        )
        + "</p>",
    ]
    if v.insurance_until:
        lines.append(f"<p>保险：{e(v.insurer)} 有效期至 {v.insurance_until.isoformat()}</p>")
    else:
        lines.append("<p>保险：未登记</p>")
    if not v.consent_on:
        lines.append("<p style='color:#b3261e'>尚未记录本人（或监护人）同意登记的日期。</p>")
    for q in records.qualifications:
        state = qualification_state(q.valid_until, date.today(), 30)
        until = q.valid_until.isoformat() if q.valid_until else "长期"
        lines.append(f"<p>资格：{e(q.kind)}（至 {until}，{state}）</p>")
    recent = volunteer_assignments(session, actor, volunteer_id)[:10]
    if recent:
        lines.append("<p><b>最近排班</b></p><ul>")
        lines.extend(
            f"<li>{a.day.isoformat()} {a.start_minute // 60:02d}:{a.start_minute % 60:02d} {e(a.status)}</li>"
            for a in recent
        )
        lines.append("</ul>")
    return "".join(lines)


class RegistryTab(QWidget):
    #: Emitted after a volunteer was registered or changed.
    changed = Signal()
    #: Emitted when the list shows a new result (row count).
    list_updated = Signal(int)
    #: Emitted after the station's volunteer settings were saved.
    settings_changed = Signal()

    def __init__(self, ctx: AppContext) -> None:  # noqa: PLR0915 - widget construction
        super().__init__()
        self.ctx = ctx
        self.choices: Any = None
        self._generation = 0
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("姓名、拼音首字母、电话、证件号或志愿者编号"))
        self.search.setClearButtonEnabled(True)
        self.community = QComboBox()
        self.community.addItem(self.tr("全部社区（村）"), None)
        self.status = QComboBox()
        fill_combo(self.status, self.tr("全部状态"), [(s.value, s.value) for s in VolunteerStatus])
        self.status.setCurrentIndex(1)
        self.skill = QComboBox()
        fill_combo(self.skill, self.tr("全部技能"), [(s, s) for s in SKILLS])
        bar.addWidget(self.search, 1)
        for w in (self.community, self.status, self.skill):
            bar.addWidget(w)
        self.buttons: dict[str, QPushButton] = {}
        for name in (
            "登记志愿者",
            "修改",
            "服务记录…",
            "出具证明",
            "导出Excel",
            "导入Excel",
            "服务队…",
            "志愿者设置…",
        ):
            button = QPushButton(self.tr(name))
            self.buttons[name] = button
            bar.addWidget(button)
        layout.addLayout(bar)
        self.model: ListTableModel[Any] = ListTableModel(VOLUNTEER_COLUMNS)
        self.table = DataTable("volunteers")
        self.table.set_model_with_widths(self.model, [c.width for c in VOLUNTEER_COLUMNS])
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.detail = QTextBrowser()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #666;")
        layout.addWidget(self.count_label)
        self.expiry_label = QLabel()
        self.expiry_label.setStyleSheet("color: #b3261e;")
        self.expiry_label.setWordWrap(True)
        layout.addWidget(self.expiry_label)
        ctx.settings.restore_splitter("volunteers", self.splitter)
        self.table.restore_state(ctx.settings)

        can = ctx.can
        self.buttons["登记志愿者"].setEnabled(can(Resource.VOLUNTEER, Action.CREATE))
        self.buttons["导出Excel"].setEnabled(can(Resource.VOLUNTEER, Action.EXPORT))
        self.buttons["导入Excel"].setEnabled(can(Resource.VOLUNTEER, Action.IMPORT))
        self.buttons["登记志愿者"].clicked.connect(self.add)
        self.buttons["修改"].clicked.connect(self.edit)
        self.buttons["出具证明"].clicked.connect(self.issue_certificate)
        self.buttons["服务记录…"].clicked.connect(self.edit_records)
        self.buttons["服务队…"].clicked.connect(self.edit_teams)
        self.buttons["导出Excel"].clicked.connect(self.export)
        self.buttons["导入Excel"].clicked.connect(self.import_file)
        self.buttons["志愿者设置…"].setEnabled(
            can(Resource.VOLUNTEER, Action.UPDATE) and can(Resource.SHIFT, Action.APPROVE)
        )
        self.buttons["志愿者设置…"].clicked.connect(self.edit_settings)
        self.search.textChanged.connect(lambda _t: self.refresh())
        for combo in (self.community, self.status, self.skill):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selection())
        self._update_buttons()

    # -- hooks tests replace -------------------------------------------------------------------
    def exec_dialog(self, dialog: QDialog) -> bool:
        return bool(dialog.exec())

    def ask_open_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择志愿者名册"), "", "Excel (*.xlsx *.xls)"
        )
        return Path(name) if name else None

    # -- loading -------------------------------------------------------------------------------
    def set_choices(self, choices: Any) -> None:
        self.choices = choices
        fill_combo(self.community, self.tr("全部社区（村）"), list(choices.communities))
        self.refresh()
        self.refresh_expiry()

    def refresh_expiry(self) -> None:
        """One line naming qualifications and insurance that expired or expire soon."""
        from wushe_desktop.volunteers.records import expiring_qualifications

        actor = self.ctx.actor

        def done(found: object) -> None:
            assert isinstance(found, list)
            items = [
                f"{n} {what} {until.isoformat()}（{state}）" for n, what, until, state in found
            ]
            text = ""
            if items:
                more = "等" if len(items) > 5 else ""
                text = self.tr("有 %d 项岗位资格或保险已过期或即将到期：") % len(items)
                text += "、".join(items[:5]) + more
            self.expiry_label.setText(text)
            self.expiry_label.setToolTip("\n".join(items[:50]))
            self.expiry_label.setVisible(bool(items))

        self.ctx.executor.query(lambda s: expiring_qualifications(s, actor), done, parent=self)

    def query(self) -> VolunteerQuery:
        return VolunteerQuery(
            text=self.search.text(),
            community_id=self.community.currentData(),
            status=self.status.currentData(),
            skill=self.skill.currentData(),
        )

    def refresh(self) -> None:
        from wushe_desktop.volunteers.search import count, search

        actor, query = self.ctx.actor, self.query()
        self._generation += 1
        generation = self._generation

        def load(session: Session) -> tuple[list[Any], int]:
            return search(session, actor, query, limit=LIMIT).rows, count(session, actor, query)

        def done(result: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(result, tuple)
            rows, total = result
            self.model.set_rows(rows)
            more = self.tr("（显示前 %d 人，请缩小搜索范围）") % LIMIT if total > len(rows) else ""
            self.count_label.setText(self.tr("共 %d 名志愿者") % total + more)
            self._update_buttons()
            emit(self.list_updated, len(rows))

        self.ctx.executor.query(load, done, parent=self)

    def current(self) -> Any:
        return self.model.row_at(self.table.current_row())

    def select_id(self, volunteer_id: uuid.UUID) -> None:
        for i, row in enumerate(self.model.rows):
            if row.id == volunteer_id:
                self.table.selectRow(i)
                return

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.buttons["修改"].setEnabled(chosen and self.ctx.can(Resource.VOLUNTEER, Action.UPDATE))
        self.buttons["出具证明"].setEnabled(chosen and self.ctx.can(Resource.SHIFT, Action.PRINT))
        self.buttons["服务记录…"].setEnabled(chosen)

    def _on_selection(self) -> None:
        self._update_buttons()
        row = self.current()
        if row is None:
            self.detail.clear()
            return
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: volunteer_detail(s, actor, row.id),
            lambda text: self.detail.setHtml(str(text)),
            parent=self,
        )

    # -- actions -------------------------------------------------------------------------------
    def add(self) -> None:
        self._open_dialog(None)

    def edit(self) -> None:
        row = self.current()
        if row is None or not self.ctx.can(Resource.VOLUNTEER, Action.UPDATE):
            return
        from wushe_desktop.volunteers.service import get_volunteer

        actor = self.ctx.actor
        reveal = self.ctx.can(Resource.VOLUNTEER, Action.VIEW_SENSITIVE)
        self.ctx.executor.query(
            lambda s: get_volunteer(s, actor, row.id, reveal=reveal), self._open_dialog, parent=self
        )

    def _open_dialog(self, existing: object) -> None:
        from wushe_desktop.ui.dialogs.volunteer_edit import VolunteerDialog

        if self.choices is None:
            return
        dialog = VolunteerDialog(
            self.ctx.executor,
            self.ctx.actor,
            self.choices.rules,
            self.choices.communities,
            existing,
            parent=self,
        )
        if self.exec_dialog(dialog) and dialog.result_value is not None:
            saved = dialog.result_value
            self.refresh()
            self.refresh_expiry()
            emit(self.changed)
            msgbox.information(
                self, self.tr("已保存志愿者“%s”（%s）。") % (saved.name, saved.volunteer_no)
            )

    def edit_records(self) -> None:
        """Unavailability, training, awards, awarded stars and qualifications of the chosen one."""
        from wushe_desktop.ui.dialogs.volunteer_records import VolunteerRecordsDialog

        row = self.current()
        if row is None:
            return
        dialog = VolunteerRecordsDialog(self.ctx, row.id, row.name, self)
        self.exec_dialog(dialog)
        if dialog.changed:
            self._on_selection()
            self.refresh_expiry()
            emit(self.changed)

    def edit_teams(self) -> None:
        from wushe_desktop.ui.dialogs.team_edit import TeamsDialog

        communities = list(self.choices.communities) if self.choices is not None else []
        dialog = TeamsDialog(self.ctx, communities, self)
        self.exec_dialog(dialog)
        if dialog.changed:
            self._on_selection()
            emit(self.settings_changed)

    def issue_certificate(self) -> None:
        from wushe_desktop.ui.dialogs.certificate_dialog import CertificateDialog

        row = self.current()
        if row is None:
            return
        dialog = CertificateDialog(self.ctx, row.id, row.name, self)
        self.exec_dialog(dialog)

    def export(self) -> None:
        from wushe_desktop.ui.dialogs.export import ExportDialog
        from wushe_desktop.volunteers.excel import export_volunteers

        db, actor, query = self.ctx.db, self.ctx.actor, self.query()
        ExportDialog.ask(
            self.ctx.executor,
            self.ctx.settings,
            title=self.tr("导出志愿者名册"),
            stem="志愿者名册",
            run=lambda path, full, p, c: export_volunteers(
                db, actor, query, path, full=full, progress=p, cancel=c
            ),
            scope_text=self.tr("当前筛选下的志愿者。"),
            sensitive=True,
            full_allowed=self.ctx.can(Resource.VOLUNTEER, Action.EXPORT_SENSITIVE),
            parent=self,
        )

    def import_file(self) -> None:
        from wushe_desktop.volunteers.excel import import_volunteers

        path = self.ask_open_path()
        if path is None:
            return
        db, actor = self.ctx.db, self.ctx.actor

        def done(report: object) -> None:
            summary = getattr(report, "summary", lambda: "")()
            msgbox.information(self, summary)
            self.refresh()
            emit(self.changed)

        self.ctx.executor.job(
            lambda p, c: import_volunteers(db, actor, path, progress=p, cancel=c),
            done,
            title=self.tr("正在导入志愿者名册…"),
            parent=self,
        )

    def edit_settings(self) -> None:
        from wushe_desktop.ui.dialogs.volunteer_settings import VolunteerSettingsDialog

        if self.choices is None:
            return
        dialog = VolunteerSettingsDialog(
            self.ctx.executor, self.ctx.actor, self.choices.rules, self
        )
        if self.exec_dialog(dialog):
            emit(self.settings_changed)

    def save_state(self, settings: UiSettings) -> None:
        settings.save_splitter("volunteers", self.splitter)
        self.table.save_state(settings)
