"""The detail panel beside the residents list: facts, consent records, who viewed or changed.

Personal data is masked; 显示完整信息 (roles with VIEW_SENSITIVE) asks the core, which
records the view in the audit log.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from wushe_desktop.accounts.permissions import Action, Actor, Resource
from wushe_desktop.ui import msgbox
from wushe_desktop.ui.context import AppContext
from wushe_desktop.ui.models.table import Column, ListTableModel
from wushe_desktop.ui.qtcompat import emit
from wushe_desktop.ui.widgets.labels import title_label
from wushe_desktop.ui.widgets.tables import DataTable

#: Wait this long after the selection changed before loading consents and history (ms).
DETAIL_DELAY_MS = 200

CONSENT_COLUMNS: list[Column[Any]] = [
    Column("范围", lambda c: c.scope + ("（单独同意）" if c.sensitive else ""), width=150),
    Column(
        "同意人",
        lambda c: c.given_by + (f"（{c.guardian_relation}）" if c.guardian_relation else ""),
        width=100,
    ),
    Column("告知书版本", lambda c: c.notice_version, width=80),
    Column("方式", lambda c: c.method, width=70),
    Column("日期", lambda c: c.given_on.isoformat(), width=90),
    Column(
        "状态", lambda c: f"已于 {c.withdrawn_on} 撤回" if c.withdrawn_on else "有效", width=110
    ),
]


def _local(at: Any) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def _describe(entry: Any) -> str:
    from wushe_desktop.ui.pages.audit_log import describe

    return describe(entry)


HISTORY_COLUMNS: list[Column[Any]] = [
    Column("时间", lambda e: _local(e.at), width=125),
    Column("用户", lambda e: e.username, width=80),
    Column("操作", lambda e: e.action, width=90),
    Column("内容", _describe, width=300, tooltip=_describe),
    Column("电脑", lambda e: e.host, width=90),
]


def load_detail(
    session: Session, actor: Actor, resident_id: uuid.UUID, *, reveal: bool
) -> tuple[Any, list[Any], list[Any] | None]:
    """Runs on the DB thread: the row, its consents, and (with audit rights) its history."""
    from wushe_desktop.audit.service import record_history
    from wushe_desktop.residents.common import RECORD_TYPE
    from wushe_desktop.residents.consent import list_consents
    from wushe_desktop.residents.service import get_resident

    row = get_resident(session, actor, resident_id, reveal=reveal)
    consents = list_consents(session, actor, resident_id)
    history = None
    if actor.can(Resource.AUDIT, Action.READ):
        history = record_history(session, actor, RECORD_TYPE, resident_id)
    return row, consents, history


class ResidentDetail(QWidget):
    #: Emitted after consent records changed (resident id).
    consents_changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row: Any = None
        self.revealed = False
        self._load_timer = QTimer(self)
        self._load_timer.setSingleShot(True)
        self._load_timer.setInterval(DETAIL_DELAY_MS)
        self._load_timer.timeout.connect(self._load_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        head = QHBoxLayout()
        self.title = title_label(self.tr("居民详情"))
        head.addWidget(self.title, 1)
        self.reveal_button = QPushButton(self.tr("显示完整信息"))
        self.reveal_button.setToolTip(self.tr("显示完整的证件号码和电话；此操作会记入审计日志。"))
        self.reveal_button.setVisible(ctx.can(Resource.RESIDENT, Action.VIEW_SENSITIVE))
        self.reveal_button.clicked.connect(self.reveal)
        head.addWidget(self.reveal_button)
        layout.addLayout(head)

        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        info = QWidget()
        self.form = QFormLayout(info)
        self.labels: dict[str, QLabel] = {}
        for key, caption in (
            ("name", "姓名"),
            ("gender", "性别"),
            ("birth", "出生日期"),
            ("document", "证件"),
            ("phone", "电话"),
            ("place", "社区（村）/网格"),
            ("address", "住址"),
            ("tags", "重点人群"),
            ("updated", "最后修改"),
        ):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels[key] = label
            self.form.addRow(self.tr(caption + "："), label)
        self.tabs.addTab(info, self.tr("基本信息"))

        self.tabs.addTab(self._build_consent_tab(), self.tr("知情同意"))
        self._build_history_tab()
        self.show_row(None)

    def _build_consent_tab(self) -> QWidget:
        ctx = self.ctx
        consent_tab = QWidget()
        cl = QVBoxLayout(consent_tab)
        buttons = QHBoxLayout()
        self.add_consent_button = QPushButton(self.tr("登记同意…"))
        self.withdraw_button = QPushButton(self.tr("撤回同意…"))
        can_update = ctx.can(Resource.RESIDENT, Action.UPDATE)
        self.add_consent_button.setEnabled(can_update)
        self.withdraw_button.setEnabled(False)
        self._can_update = can_update
        buttons.addWidget(self.add_consent_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        cl.addLayout(buttons)
        self.consent_model: ListTableModel[Any] = ListTableModel(CONSENT_COLUMNS)
        self.consent_table = DataTable("consents")
        self.consent_table.set_model_with_widths(
            self.consent_model, [c.width for c in CONSENT_COLUMNS]
        )
        cl.addWidget(self.consent_table)
        self.add_consent_button.clicked.connect(self.add_consent)
        self.withdraw_button.clicked.connect(self.withdraw_consent)
        self.consent_table.selectionModel().selectionChanged.connect(self._update_buttons)
        return consent_tab

    def _build_history_tab(self) -> None:
        ctx = self.ctx

        self.history_model: ListTableModel[Any] = ListTableModel(HISTORY_COLUMNS)
        self.history_table = DataTable("resident_history")
        self.history_table.set_model_with_widths(
            self.history_model, [c.width for c in HISTORY_COLUMNS]
        )
        if ctx.can(Resource.AUDIT, Action.READ):
            box = QWidget()
            bl = QVBoxLayout(box)
            self.history_note = QLabel()
            self.history_note.setStyleSheet("color: #666;")
            bl.addWidget(self.history_note)
            bl.addWidget(self.history_table, 1)
            self.tabs.addTab(box, self.tr("他人查看/修改记录"))

    # -- showing -------------------------------------------------------------------------------
    def show_row(self, row: Any) -> None:
        """Show a list row at once (masked); consents and history follow shortly, once the
        selection has settled, so that moving through the list or typing in the search box
        does not queue a detail query per row."""
        same = row is not None and self.row is not None and row.id == self.row.id
        self.row = row
        if not same:
            self.revealed = False
            self.consent_model.set_rows([])
            self.history_model.set_rows([])
        self._fill(row)
        if row is not None:
            self._load_timer.start()
        else:
            self._load_timer.stop()

    def _load_current(self) -> None:
        if self.row is not None:
            self.load(self.row.id, reveal=self.revealed)

    def _fill(self, row: Any) -> None:
        self.setEnabled(row is not None)
        if row is None:
            self.title.setText(self.tr("居民详情"))
            for label in self.labels.values():
                label.setText("")
            return
        self.title.setText(row.name)
        set_ = self.labels
        set_["name"].setText(row.name)
        set_["gender"].setText(row.gender or self.tr("未填"))
        birth = row.birth_date.isoformat() if row.birth_date else self.tr("未填")
        age = self.tr("（%d 岁）") % row.age if row.age is not None else ""
        set_["birth"].setText(birth + age)
        set_["document"].setText(
            f"{row.doc_type} {row.id_number}" if row.id_number else self.tr("未登记证件")
        )
        set_["phone"].setText(row.phone or self.tr("未填"))
        place = row.community_name + (f" / {row.grid_name}" if row.grid_name else "")
        set_["place"].setText(place)
        set_["address"].setText(row.address)
        set_["tags"].setText(row.tags_text or self.tr("无"))
        set_["updated"].setText(_local(row.updated_at))
        if row.deleted_at is not None:
            self.title.setText(self.tr("%s（在回收站中）") % row.name)

    def load(self, resident_id: uuid.UUID, *, reveal: bool = False) -> None:
        actor = self.ctx.actor
        self.ctx.executor.query(
            lambda s: load_detail(s, actor, resident_id, reveal=reveal),
            self._on_loaded,
            parent=self,
        )

    def _on_loaded(self, result: object) -> None:
        assert isinstance(result, tuple)
        row, consents, history = result
        if self.row is None or row.id != self.row.id:
            return  # another resident was selected meanwhile
        self.row = row
        self._fill(row)
        self.consent_model.set_rows(consents)
        if history is not None:
            self.history_model.set_rows(history)
            self.history_note.setText(
                self.tr("共 %d 条：谁在何时查看完整信息、修改、删除或恢复了该居民。") % len(history)
                if history
                else self.tr("暂无记录：登记后还没有人修改或查看过该居民的完整信息。")
            )
        self._update_buttons()

    def reveal(self) -> None:
        if self.row is None:
            return
        self.revealed = True
        self.load(self.row.id, reveal=True)

    # -- consent -------------------------------------------------------------------------------
    def _update_buttons(self, *_args: object) -> None:
        consent = self.consent_model.row_at(self.consent_table.current_row())
        self.withdraw_button.setEnabled(
            self._can_update and consent is not None and consent.withdrawn_on is None
        )
        self.add_consent_button.setEnabled(
            self._can_update and self.row is not None and self.row.deleted_at is None
        )

    def add_consent(self) -> None:
        from wushe_desktop.ui.dialogs.consent import ConsentDialog

        if self.row is None:
            return
        if ConsentDialog.ask(self.ctx.executor, self.ctx.actor, self.row, parent=self):
            self.load(self.row.id, reveal=self.revealed)
            emit(self.consents_changed, self.row.id)

    def withdraw_consent(self) -> None:
        from wushe_desktop.ui.dialogs.consent import ask_withdraw_date

        consent = self.consent_model.row_at(self.consent_table.current_row())
        if consent is None or self.row is None:
            return
        when = ask_withdraw_date(self, consent)
        if when is None:
            return
        from wushe_desktop.residents.consent import withdraw_consent

        actor, rid = self.ctx.actor, self.row.id

        def done(_result: object) -> None:
            self.load(rid, reveal=self.revealed)
            msgbox.information(self, self.tr("已登记撤回同意。"))

        self.ctx.executor.query(
            lambda s: withdraw_consent(s, actor, consent.id, when), done, parent=self
        )
